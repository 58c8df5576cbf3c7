"""Copies that cannot drift silently: a record lost on its way to a copy is seen (the report,
`sbe_copies_diverged`), and the source's re-announcement heals every copy. Through the real
broker, PostgreSQL and the services' own HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import httpx
import pytest
from prometheus_client import REGISTRY

from tests import fixtures
from tests.conftest import Services
from tests.support import ADMIN, SUPERVISION, as_, district, eventually, must


@pytest.fixture
async def clients(
    services: Services, clean_database: None
) -> AsyncIterator[dict[str, httpx.AsyncClient]]:
    opened = {
        name: httpx.AsyncClient(
            transport=httpx.ASGITransport(app=services.apps[name]),
            base_url=f"http://{name}",
            auth=as_(ADMIN),
        )
        for name in ("registry", "evaluation", "monitoring", "events")
    }
    yield opened
    for client in opened.values():
        await client.aclose()


def diverged(service: str, source: str, kind: str) -> float | None:
    return REGISTRY.get_sample_value(
        "sbe_copies_diverged", {"service": service, "source": source, "kind": kind}
    )


def line(report: dict[str, Any], kind: str, district_id: str) -> dict[str, Any]:
    return next(
        entry
        for entry in report["lines"]
        if entry["kind"] == kind and entry["district_id"] == district_id
    )


async def count(pg_pool: asyncpg.Pool, sql: str) -> int:
    async with pg_pool.acquire() as conn:
        return int(await conn.fetchval(sql))


async def city(clients: dict[str, httpx.AsyncClient], pg_pool: asyncpg.Pool) -> None:
    """Two buildings and three movements, copied by the evaluation and monitoring."""
    registry = clients["registry"]
    for building_id, district_id in (("cp-g1", "gusu"), ("cp-s1", "sip")):
        created = await registry.post(
            "/api/v1/buildings", json=fixtures.building(id=building_id, district_id=district_id)
        )
        assert created.status_code == 201, created.text
    pushed = await registry.post(
        "/api/v1/enterprise-movements",
        json={"records": fixtures.movements(3, building_id="cp-g1")},
    )
    assert pushed.status_code == 200, pushed.text
    await eventually(
        lambda: count(pg_pool, "SELECT count(*) FROM evaluation.movement"), lambda n: n == 3
    )
    await eventually(
        lambda: count(pg_pool, "SELECT count(*) FROM monitoring.building"), lambda n: n == 2
    )


class TestALostRecord:
    async def test_is_seen_as_divergence_and_healed_by_a_republish(
        self, clients: dict[str, httpx.AsyncClient], pg_pool: asyncpg.Pool
    ) -> None:
        await city(clients, pg_pool)
        evaluation = clients["evaluation"]
        in_line = (await evaluation.post("/api/v1/evaluation/copies/check")).json()
        assert in_line["diverged"] == 0 and in_line["unreachable"] == []
        assert line(in_line, "movements", "gusu")["state"] == "in_line"

        async with pg_pool.acquire() as conn:  # a message that never arrived
            await conn.execute(
                "DELETE FROM evaluation.movement WHERE record_id ="
                " (SELECT min(record_id) FROM evaluation.movement)"
            )
        first = (await evaluation.post("/api/v1/evaluation/copies/check")).json()
        assert line(first, "movements", "gusu")["state"] == "settling"
        second = (await evaluation.post("/api/v1/evaluation/copies/check")).json()
        lost = line(second, "movements", "gusu")
        assert (lost["state"], lost["source_count"], lost["copy_count"]) == ("diverged", 3, 2)
        assert line(second, "buildings", "gusu")["state"] == "in_line"
        assert diverged("evaluation", "registry", "movements") == 1
        read = await evaluation.get("/api/v1/evaluation/copies", auth=as_(SUPERVISION))
        assert read.status_code == 200 and read.json()["diverged"] == 1

        republished = await clients["registry"].post("/api/v1/registry/republish")
        assert republished.status_code == 200, republished.text
        assert republished.json() == {
            "service": "registry",
            "announced": {"buildings": 2, "movements": 3},
        }
        await eventually(
            lambda: count(pg_pool, "SELECT count(*) FROM evaluation.movement"), lambda n: n == 3
        )
        healed = (await evaluation.post("/api/v1/evaluation/copies/check")).json()
        assert healed["diverged"] == 0
        assert diverged("evaluation", "registry", "movements") == 0

    async def test_monitorings_copy_of_the_buildings_heals_too(
        self, clients: dict[str, httpx.AsyncClient], pg_pool: asyncpg.Pool
    ) -> None:
        await city(clients, pg_pool)
        monitoring = clients["monitoring"]
        async with pg_pool.acquire() as conn:
            await conn.execute("DELETE FROM monitoring.building WHERE id = 'cp-s1'")
        must(await monitoring.post("/api/v1/monitoring/copies/check"))
        report = (await monitoring.post("/api/v1/monitoring/copies/check")).json()
        assert line(report, "buildings", "sip")["state"] == "diverged"
        assert diverged("monitoring", "registry", "buildings") == 1
        assert (await clients["registry"].post("/api/v1/registry/republish")).status_code == 200
        await eventually(
            lambda: count(pg_pool, "SELECT count(*) FROM monitoring.building"), lambda n: n == 2
        )
        healed = (await monitoring.post("/api/v1/monitoring/copies/check")).json()
        assert healed["diverged"] == 0

    async def test_every_source_can_announce_again(
        self, clients: dict[str, httpx.AsyncClient], pg_pool: asyncpg.Pool
    ) -> None:
        await city(clients, pg_pool)
        events = await clients["events"].post("/api/v1/events/republish")
        assert events.json() == {"service": "events", "announced": {"events": 0}}
        years = await clients["monitoring"].post("/api/v1/monitoring/republish")
        assert years.json() == {"service": "monitoring", "announced": {"building-months": 0}}


class TestWhoMay:
    async def test_only_the_administrator_republishes_or_checks(
        self, clients: dict[str, httpx.AsyncClient]
    ) -> None:
        for principal in (SUPERVISION, district("gusu")):
            for name, path in (
                ("registry", "/api/v1/registry/republish"),
                ("events", "/api/v1/events/republish"),
                ("monitoring", "/api/v1/monitoring/republish"),
                ("evaluation", "/api/v1/evaluation/copies/check"),
                ("monitoring", "/api/v1/monitoring/copies/check"),
            ):
                refused = await clients[name].post(path, auth=as_(principal))
                assert refused.status_code == 403, (name, path)

    async def test_a_district_reads_neither_tallies_nor_reports(
        self, clients: dict[str, httpx.AsyncClient]
    ) -> None:
        gusu = as_(district("gusu"))
        for name, path in (
            ("registry", "/api/v1/registry/fingerprints"),
            ("events", "/api/v1/events/fingerprints"),
            ("monitoring", "/api/v1/monitoring/fingerprints"),
            ("evaluation", "/api/v1/evaluation/copies"),
        ):
            assert (await clients[name].get(path, auth=gusu)).status_code == 403, path
        tallies = await clients["registry"].get(
            "/api/v1/registry/fingerprints", auth=as_(SUPERVISION)
        )
        assert tallies.status_code == 200 and set(tallies.json()["kinds"]) == {
            "buildings",
            "movements",
        }
