"""Tenancies: who is in a building now, as its movements say (the latest-dated wins, an older
one arriving late changes nothing, a move-out ends it), the same whichever way a push takes."""

from __future__ import annotations

import random
from typing import Any

import asyncpg
import httpx
import pytest

from policy import featured_industry_of
from services.registry.movements import service
from services.registry.movements.schemas import MovementBatch, MovementRecord
from tests import fixtures
from tests.conftest import Services
from tests.support import as_, district, must

URL = "/api/v1/enterprise-movements"


@pytest.mark.usefixtures("buildings")
class TestTenants:
    async def test_move_in_then_out_leaves_no_tenant(self, registry: httpx.AsyncClient) -> None:
        code = fixtures.uscc()
        pushed = await registry.post(
            URL,
            json={
                "records": [
                    fixtures.movement(building_id="g1", uscc=code, date="2023-01-01", area_m2=300),
                    fixtures.movement(
                        building_id="g1", uscc=code, date="2023-05-01", kind="move_out"
                    ),
                    fixtures.movement(building_id="g1", date="2023-02-01", industry_code="6621"),
                ]
            },
        )
        assert pushed.status_code == 200
        tenants = (await registry.get("/api/v1/buildings/g1/tenants")).json()
        assert len(tenants) == 1
        assert tenants[0]["featured_industry"] == "finance"
        assert "tax" not in str(tenants)

    async def test_an_older_movement_arriving_late_does_not_undo_a_newer_one(
        self, registry: httpx.AsyncClient
    ) -> None:
        code = fixtures.uscc()
        must(
            await registry.post(
                URL,
                json={
                    "records": [fixtures.movement(building_id="g1", uscc=code, date="2023-05-01")]
                },
            )
        )
        must(
            await registry.post(
                URL,
                json={
                    "records": [
                        fixtures.movement(
                            building_id="g1", uscc=code, date="2023-01-01", kind="move_out"
                        )
                    ]
                },
            )
        )
        tenants = (await registry.get("/api/v1/buildings/g1/tenants")).json()
        assert [t["uscc"] for t in tenants] == [code]

    async def test_other_district_is_forbidden(self, registry: httpx.AsyncClient) -> None:
        response = await registry.get("/api/v1/buildings/g1/tenants", auth=as_(district("sip")))
        assert response.status_code == 403


def reference(state: dict[str, Any] | None, records: list[MovementRecord]) -> dict[str, Any] | None:
    """The tenancy rule as the contract states it, one movement at a time in date order (arrival
    order among the same day): an older movement arriving late changes nothing, a move-out ends
    the tenancy, a movement naming no industry keeps the one reported before."""
    for record in sorted(records, key=lambda r: r.date):
        if state is not None and record.date < state["last_movement_on"]:
            continue
        moving_in = record.kind == "move_in"
        code = record.industry_code or (state["industry_code"] if state else None)
        state = {
            "active": moving_in,
            "area_m2": record.area_m2 if moving_in else None,
            "since": record.date if moving_in else None,
            "last_movement_on": record.date,
            "enterprise_name": record.enterprise_name,
            "industry_code": code,
            "featured_industry": featured_industry_of(code) if code else None,
        }
    return state


@pytest.mark.usefixtures("buildings")
class TestTenancyRules:
    """A push writes each pair's movements in rounds through the one upsert that decides against
    what is stored: 300 random sequences of pushes, each with its own enterprise, dates colliding
    often, industries reported or not, several movements of a pair in one push, must leave what
    the rule applied movement by movement gives."""

    async def test_every_push_sequence_gives_what_the_rule_gives(
        self, services: Services, pg_pool: asyncpg.Pool
    ) -> None:
        rng = random.Random(4754)
        database = services.apps["registry"].state.database
        principal = district("gusu")
        expected: dict[str, dict[str, Any] | None] = {}
        for _ in range(300):
            code = fixtures.uscc()
            state: dict[str, Any] | None = None
            for _ in range(rng.randint(1, 4)):
                records = [
                    MovementRecord.model_validate(
                        fixtures.movement(
                            building_id="g1",
                            uscc=code,
                            kind=rng.choice(["move_in", "move_out"]),
                            date=f"2023-0{rng.randint(1, 3)}-01",
                            area_m2=rng.choice([None, 100.0, 250.0]),
                            industry_code=rng.choice([None, "6621", "7211"]),
                        )
                    )
                    for _ in range(rng.choice([1, 1, 1, 2, 3]))
                ]
                async with database.unit_of_work() as session:
                    await service.push(session, principal, MovementBatch(records=records))
                state = reference(state, records)
            expected[code] = state
        rows = await pg_pool.fetch(
            "SELECT uscc, active, area_m2, since, last_movement_on, enterprise_name, "
            "industry_code, featured_industry FROM registry.tenancy WHERE building_id = 'g1'"
        )
        found = {row["uscc"]: {k: v for k, v in dict(row).items() if k != "uscc"} for row in rows}
        assert found == expected
