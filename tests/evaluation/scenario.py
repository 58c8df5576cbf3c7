"""The evaluation's hand-worked scenario (two districts' buildings, tax, occupancy, targets and
events for 2022–2023, scored by hand in tests/evaluation/test_scores.py's docstring), built once
per test module that imports its fixtures."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import httpx
import pytest
from kafka import KafkaProducer

from policy import TOPIC_OCCUPANCY, TOPIC_TAX
from tests import fixtures
from tests.conftest import Services, empty_every_table, seed_reference
from tests.fixtures import occupancy, tax
from tests.support import ADMIN, Feed, as_, district, eventually, must

SCORES = "/api/v1/evaluation/scores"
V1 = "sbe-default-v1"
HUQIU = district("huqiu")


def client(services: Services, name: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=services.apps[name])
    return httpx.AsyncClient(transport=transport, base_url=f"http://{name}", auth=as_(ADMIN))


async def by_district(evaluation: httpx.AsyncClient, **params: Any) -> dict[str, dict[str, Any]]:
    response = await evaluation.get(SCORES, params={"year": 2023, **params})
    if response.status_code != 200:
        return {}
    return {d["district_id"]: d for d in response.json()["districts"]}


def reached(expected: dict[str, float]) -> Any:
    def check(scores: dict[str, dict[str, Any]]) -> bool:
        return all(scores.get(d, {}).get("total") == total for d, total in expected.items())

    return check


@pytest.fixture(scope="module")
async def scenario(
    services: Services, pg_pool: asyncpg.Pool, producer: KafkaProducer
) -> AsyncIterator[dict[str, Any]]:
    """The platform fed through its real paths; waits until the evaluation has it all."""
    await seed_reference(services)
    feed = Feed(producer)
    async with client(services, "registry") as registry, client(services, "events") as events:
        for building_id, district_id, area in (
            ("eval-h1", "huqiu", 50_000),
            ("eval-h2", "huqiu", 50_000),
            ("eval-x1", "xiangcheng", 100_000),
            ("eval-h3", "huqiu", 100_000),
        ):
            created = await registry.post(
                "/api/v1/buildings",
                json=fixtures.building(
                    id=building_id,
                    district_id=district_id,
                    gross_floor_area_m2=area,
                    name=f"楼宇{building_id}",
                    status="planned" if building_id == "eval-h3" else "operating",
                ),
            )
            assert created.status_code == 201
        for building_id, industry, day in (
            ("eval-h2", "finance", "2023-05-01"),
            ("eval-h1", "legal", "2022-12-31"),
            ("eval-h1", "finance", "2023-06-01"),  # a second industry: not a new building
        ):
            must(
                await registry.post(
                    f"/api/v1/buildings/{building_id}/featured-designation",
                    json={"industry": industry, "designated_on": day},
                )
            )
        for started, completed in (("2023-01-10", "2023-09-30"), ("2023-10-10", "2023-11-30")):
            must(
                await registry.post(
                    "/api/v1/renovations",
                    json={
                        "building_id": "eval-h2",
                        "started_on": started,
                        "completed_on": completed,
                    },
                )
            )
        # Entered by the district itself: pending, it does not count.
        pending = await registry.post(
            "/api/v1/renovations",
            json={
                "building_id": "eval-h1",
                "started_on": "2023-02-01",
                "completed_on": "2023-03-01",
            },
            auth=as_(HUQIU),
        )
        assert pending.json()["review"]["state"] == "pending"
        # Industry codes and areas for the blue book's industry structure: 金融业 (J) 3
        # enterprises on 4,000 m², 租赁和商务服务业 (L) 1 on 500 m².
        movements = [
            *(
                fixtures.movement(
                    building_id="eval-h1", date="2023-04-01", industry_code=code, area_m2=area
                )
                for code, area in (("6621", 1000), ("6621", 1000), ("7231", 500))
            ),
            fixtures.movement(building_id="eval-h2", date="2023-05-01", kind="move_out"),
            fixtures.movement(
                building_id="eval-x1", date="2023-06-01", industry_code="6621", area_m2=2000
            ),
            fixtures.movement(building_id="eval-x1", date="2022-06-01"),
        ]
        assert (
            await registry.post("/api/v1/enterprise-movements", json={"records": movements})
        ).status_code == 200
        event = {"kind": "promotion", "scope": "district", "district_id": "huqiu", "status": "held"}
        for n, (start, overrides) in enumerate(
            [
                ("2023-02-10T09:30:00+08:00", {}),
                ("2023-05-10T09:30:00+08:00", {}),
                ("2023-08-10T09:30:00+08:00", {}),
                ("2023-09-10T09:30:00+08:00", {"scope": "city"}),  # hosted, not its own
                ("2023-10-10T09:30:00+08:00", {"status": "planned"}),
                ("2024-01-01T00:30:00+08:00", {}),  # 2024 in Beijing time
            ]
        ):
            created = await events.post(
                "/api/v1/events",
                json={
                    **event,
                    **overrides,
                    "title": f"虎丘区推介会{n}",
                    "venue": f"会场{n}",
                    "starts_at": start,
                    "ends_at": start.replace("T09:30", "T11:30").replace("T00:30", "T02:30"),
                },
            )
            assert created.status_code == 201, created.text
        # Held by the district's own say: pending. Held and verified, then voided: out.
        for n, (principal, start) in enumerate(
            ((HUQIU, "2023-04-10T09:30:00+08:00"), (ADMIN, "2023-06-10T09:30:00+08:00"))
        ):
            created = await events.post(
                "/api/v1/events",
                json={
                    **event,
                    "title": f"虎丘区推介会{n + 10}",
                    "venue": f"会场{n + 10}",
                    "starts_at": start,
                    "ends_at": start.replace("T09:30", "T11:30"),
                },
                auth=as_(principal),
            )
            assert created.status_code == 201, created.text
        voided = await events.post(
            f"/api/v1/events/{created.json()['id']}/void", json={"reason": "重复登记"}
        )
        assert voided.status_code == 200, voided.text
    h2_tax = tax("eval-h2", "2023-04", "120000000.00", reported_at="2024-01-10T00:00:00+08:00")
    await feed.send_all(
        TOPIC_TAX,
        [
            tax("eval-h1", "2023-03", "100000000.00"),
            tax("eval-h1", "2023-07", "60000000.00"),
            tax("eval-h1", "2023-08", "-10000000.00"),
            tax("eval-h1", "2022-05", "50000000.00"),
            h2_tax,
            {**h2_tax, "amount_cny": "100000000.00", "reported_at": "2024-02-01T00:00:00+08:00"},
            tax("eval-x1", "2023-06", "200000000.00"),
            tax("eval-x1", "2022-06", "200000000.00"),
        ],
    )
    await feed.send_all(
        TOPIC_OCCUPANCY,
        [
            occupancy("eval-h1", "2023-01", 10_000, 2_000),
            occupancy("eval-h1", "2023-12", 10_000, 8_000),
            occupancy("eval-h2", "2023-06", 10_000, 6_000),
            occupancy("eval-x1", "2023-11", 20_000, 19_000),
            occupancy("eval-x1", "2024-01", 20_000, 1_000),
        ],
    )
    async with client(services, "evaluation") as evaluation:
        await eventually(
            lambda: by_district(evaluation),
            reached({"huqiu": 67.0, "xiangcheng": 11.07}),
            within=90,
        )
        await eventually(
            lambda: by_district(evaluation, scheme=V1),
            reached({"huqiu": 63.0, "xiangcheng": 21.07}),
            within=60,
        )
    yield {"services": services}
    await empty_every_table(pg_pool, services)


@pytest.fixture
async def evaluation(scenario: dict[str, Any]) -> AsyncIterator[httpx.AsyncClient]:
    async with client(scenario["services"], "evaluation") as http:
        yield http
