"""Featured-industry candidates from tenants' industries (share by enterprises or by area)."""

from __future__ import annotations

import asyncio
import random
from typing import Any

import asyncpg
import httpx
import pytest

from policy import featured_industry_of
from tests import fixtures
from tests.support import as_, district, must

URL = "/api/v1/featured-candidates"


@pytest.fixture
async def tenants(registry: httpx.AsyncClient) -> None:
    for building_id, district_id in (("law", "gusu"), ("mixed", "gusu"), ("bank", "sip")):
        must(
            await registry.post(
                "/api/v1/buildings", json=fixtures.building(id=building_id, district_id=district_id)
            )
        )
    records = [
        # law: 2 of 3 tenants in legal services (7231, 7239) → 67% by count
        fixtures.movement(building_id="law", industry_code="7231", area_m2=100),
        fixtures.movement(building_id="law", industry_code="7239", area_m2=100),
        fixtures.movement(building_id="law", industry_code="5111", area_m2=800),
        # mixed: 1 of 4 design (7491) by count, but it leases 60% of the area
        fixtures.movement(building_id="mixed", industry_code="7491", area_m2=600),
        fixtures.movement(building_id="mixed", industry_code="5111", area_m2=100),
        fixtures.movement(building_id="mixed", industry_code="5112", area_m2=100),
        fixtures.movement(building_id="mixed", industry_code="5113", area_m2=200),
        # bank: finance through a division code (66) and a class under J (6820)
        fixtures.movement(building_id="bank", industry_code="66", area_m2=100),
        fixtures.movement(building_id="bank", industry_code="6820", area_m2=100),
    ]
    response = await registry.post("/api/v1/enterprise-movements", json={"records": records})
    assert response.status_code == 200


@pytest.mark.usefixtures("tenants")
class TestFeaturedCandidates:
    async def test_share_by_enterprises_or_by_area_makes_a_candidate(
        self, registry: httpx.AsyncClient
    ) -> None:
        body = (await registry.get(URL)).json()
        assert body["threshold"] == 0.5
        found = {c["building_id"]: c for c in body["items"]}
        assert found["law"]["candidate_industries"] == ["legal"]
        assert found["mixed"]["candidate_industries"] == ["design"]
        assert found["bank"]["candidate_industries"] == ["finance"]
        law = found["law"]["shares"][0]
        assert law["enterprises"] == 2
        assert law["enterprise_share"] == pytest.approx(2 / 3)
        assert law["area_share"] == pytest.approx(0.2)

    async def test_threshold_is_configurable_per_request(self, registry: httpx.AsyncClient) -> None:
        body = (await registry.get(URL, params={"threshold": 0.7})).json()
        assert {c["building_id"] for c in body["items"]} == {"bank"}

    async def test_designated_industries_are_left_out_unless_asked(
        self, registry: httpx.AsyncClient
    ) -> None:
        must(
            await registry.post(
                "/api/v1/buildings/law/featured-designation",
                json={"industry": "legal", "designated_on": "2023-07-01"},
            )
        )
        ids = {c["building_id"] for c in (await registry.get(URL)).json()["items"]}
        assert "law" not in ids
        body = (await registry.get(URL, params={"include_designated": True})).json()
        law = next(c for c in body["items"] if c["building_id"] == "law")
        assert law["designated_industries"] == ["legal"]

    async def test_district_key_sees_its_own_district(self, registry: httpx.AsyncClient) -> None:
        body = (await registry.get(URL, auth=as_(district("sip")))).json()
        assert [c["building_id"] for c in body["items"]] == ["bank"]
        forbidden = await registry.get(
            URL, params={"district_id": "gusu"}, auth=as_(district("sip"))
        )
        assert forbidden.status_code == 403

    async def test_strongest_share_first_a_page_at_a_time(
        self, registry: httpx.AsyncClient
    ) -> None:
        # bank 100% finance by count, law 67% legal by count, mixed 60% design by area
        first = (await registry.get(URL, params={"limit": 2})).json()
        assert [c["building_id"] for c in first["items"]] == ["bank", "law"]
        assert first["total"] == 3
        rest = (await registry.get(URL, params={"limit": 2, "offset": 2})).json()
        assert [c["building_id"] for c in rest["items"]] == ["mixed"]
        assert rest["total"] == 3


TALLIES = "SELECT building_id, industry, tenants, leased_area_dm2 FROM registry.tenant_tally"
# What the tallies must say, worked out from the tenancies themselves.
COUNTED = """
SELECT building_id, '' AS industry, count(*) AS tenants,
       sum(round(coalesce(area_m2, 0) * 100))::bigint AS area
FROM registry.tenancy WHERE active GROUP BY building_id
UNION ALL
SELECT building_id, featured_industry, count(*), sum(round(coalesce(area_m2, 0) * 100))::bigint
FROM registry.tenancy WHERE active AND featured_industry IS NOT NULL
GROUP BY building_id, featured_industry
"""


async def test_the_tallies_follow_every_tenancy_change_with_several_writers_at_once(
    registry: httpx.AsyncClient, pg_pool: asyncpg.Pool
) -> None:
    """Six writers pushing at once into the same two buildings (single records
    and batches with several movements of a pair, moves in and out, late and repeated
    industries), then a correction and a withdrawal: each building's counts are what its
    tenancies say, and each tenancy's featured industry is its code's."""
    for building_id in ("t1", "t2"):
        created = await registry.post(
            "/api/v1/buildings", json=fixtures.building(id=building_id, district_id="gusu")
        )
        assert created.status_code == 201
    rng = random.Random(2017)
    enterprises = [fixtures.uscc() for _ in range(30)]

    def record(**overrides: Any) -> dict[str, Any]:
        drawn = {
            "building_id": rng.choice(["t1", "t2"]),
            "uscc": rng.choice(enterprises),
            "kind": rng.choice(["move_in", "move_in", "move_out"]),
            "date": f"2024-0{rng.randint(1, 9)}-01",
            "area_m2": rng.choice([None, 120.0, 300.0, 85.35, 0.01]),
            "industry_code": rng.choice([None, "6621", "7231", "7491", "5111"]),
        }
        return fixtures.movement(**(drawn | overrides))

    async def writer() -> None:
        for _ in range(16):
            batch = [record() for _ in range(rng.choice([1, 1, 3]))]
            response = await registry.post(
                "/api/v1/enterprise-movements",
                json={"records": batch},
                auth=as_(district("gusu")),
            )
            assert response.status_code == 200, response.text

    # Six at once: within the connections the test run's other process leaves free.
    await asyncio.gather(*(writer() for _ in range(6)))
    last = record(building_id="t1", kind="move_in", date="2024-12-01")
    must(
        await registry.post(
            "/api/v1/enterprise-movements", json={"records": [last]}, auth=as_(district("gusu"))
        )
    )
    corrected = await registry.post(
        "/api/v1/enterprise-movements/corrections",
        json={
            "record_id": last["record_id"],
            "reason": "搬入的是另一栋楼",
            "record": {k: v for k, v in last.items() if k != "record_id"} | {"building_id": "t2"},
        },
        auth=as_(district("gusu")),
    )
    assert corrected.status_code == 200, corrected.text
    withdrawn = await registry.post(
        "/api/v1/enterprise-movements/withdrawals",
        json={"record_id": last["record_id"], "reason": "重复报送"},
        auth=as_(district("gusu")),
    )
    assert withdrawn.status_code == 200, withdrawn.text

    tallies = {tuple(row.values()) for row in map(dict, await pg_pool.fetch(TALLIES))}
    counted = {tuple(row.values()) for row in map(dict, await pg_pool.fetch(COUNTED))}
    assert tallies == counted
    assert {row[0] for row in tallies} == {"t1", "t2"}
    for code, featured in await pg_pool.fetch(
        "SELECT industry_code, featured_industry FROM registry.tenancy"
    ):
        assert featured == (featured_industry_of(code) if code else None)


async def test_tallies_count_areas_exactly_and_a_building_left_empty_has_none(
    registry: httpx.AsyncClient, pg_pool: asyncpg.Pool
) -> None:
    """Areas are counted in dm², so sums moved by differences stay exact; when the last tenant
    of an industry (then of the building) leaves, its rows go."""
    must(await registry.post("/api/v1/buildings", json=fixtures.building(id="k1")))
    lawyer, banker = fixtures.uscc(), fixtures.uscc()

    async def push(*records: dict[str, Any]) -> set[tuple[Any, ...]]:
        must(await registry.post("/api/v1/enterprise-movements", json={"records": list(records)}))
        return {tuple(row.values()) for row in map(dict, await pg_pool.fetch(TALLIES))}

    moved_in = await push(
        fixtures.movement(building_id="k1", uscc=lawyer, industry_code="7231", area_m2=123.45),
        fixtures.movement(building_id="k1", uscc=banker, industry_code="6621", area_m2=0.01),
    )
    assert moved_in == {("k1", "", 2, 12346), ("k1", "legal", 1, 12345), ("k1", "finance", 1, 1)}
    banker_left = await push(
        fixtures.movement(building_id="k1", uscc=banker, kind="move_out", date="2024-06-01")
    )
    assert banker_left == {("k1", "", 1, 12345), ("k1", "legal", 1, 12345)}
    assert (
        await push(
            fixtures.movement(building_id="k1", uscc=lawyer, kind="move_out", date="2024-06-01")
        )
        == set()
    )
