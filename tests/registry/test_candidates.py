"""Featured-industry candidates from tenants' industries (share by enterprises or by area)."""

from __future__ import annotations

import httpx
import pytest

from tests import fixtures
from tests.support import as_, district

URL = "/api/v1/featured-candidates"


@pytest.fixture
async def tenants(registry: httpx.AsyncClient) -> None:
    for building_id, district_id in (("law", "gusu"), ("mixed", "gusu"), ("bank", "sip")):
        await registry.post(
            "/api/v1/buildings", json=fixtures.building(id=building_id, district_id=district_id)
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
        await registry.post(
            "/api/v1/buildings/law/featured-designation",
            json={"industry": "legal", "designated_on": "2023-07-01"},
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
