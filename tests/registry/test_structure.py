"""Industry structure and movement flows, checked against counts worked by hand:
tenants by GB/T 4754-2017 section and division, by enterprises and leased area (never by tax);
move-ins, move-outs and net per month; a district sees its own district."""

from __future__ import annotations

import httpx
import pytest

from tests import fixtures
from tests.support import as_, district

URL = "/api/v1/enterprise-movements"


@pytest.fixture
async def scenario(registry: httpx.AsyncClient) -> None:
    """gusu: a law firm (7231, 100 m²) and a bank (6621, 300 m²) in, a design firm (7491) in
    then out; sip: a bank (6621, 500 m²) and an enterprise with no industry reported."""
    for building_id, district_id in (("g1", "gusu"), ("s1", "sip")):
        created = await registry.post(
            "/api/v1/buildings", json=fixtures.building(id=building_id, district_id=district_id)
        )
        assert created.status_code == 201
    records = [
        fixtures.movement(building_id="g1", industry_code="7231", area_m2=100, date="2023-01-10"),
        fixtures.movement(building_id="g1", industry_code="6621", area_m2=300, date="2023-01-20"),
        fixtures.movement(
            building_id="g1", uscc=fixtures.uscc(990001), industry_code="7491", date="2023-02-01"
        ),
        fixtures.movement(
            building_id="g1", uscc=fixtures.uscc(990001), kind="move_out", date="2023-03-05"
        ),
        fixtures.movement(building_id="s1", industry_code="6621", area_m2=500, date="2023-03-09"),
        fixtures.movement(building_id="s1", date="2022-12-31"),
    ]
    response = await registry.post(URL, json={"records": records})
    assert response.status_code == 200, response.text


@pytest.mark.usefixtures("scenario")
class TestIndustryStructure:
    async def test_sections_city_wide(self, registry: httpx.AsyncClient) -> None:
        body = (await registry.get("/api/v1/industry-structure")).json()
        assert body == [
            {"code": "J", "name_zh": "金融业", "enterprises": 2, "area_m2": 800.0},
            {"code": "L", "name_zh": "租赁和商务服务业", "enterprises": 1, "area_m2": 100.0},
        ]

    async def test_divisions_of_one_district(self, registry: httpx.AsyncClient) -> None:
        body = (
            await registry.get(
                "/api/v1/industry-structure", params={"district_id": "gusu", "level": "division"}
            )
        ).json()
        assert [(g["code"], g["enterprises"], g["area_m2"]) for g in body] == [
            ("66", 1, 300.0),
            ("72", 1, 100.0),
        ]

    async def test_a_district_sees_its_own_district(self, registry: httpx.AsyncClient) -> None:
        own = (await registry.get("/api/v1/industry-structure", auth=as_(district("sip")))).json()
        assert own == [{"code": "J", "name_zh": "金融业", "enterprises": 1, "area_m2": 500.0}]
        other = await registry.get(
            "/api/v1/industry-structure", params={"district_id": "gusu"}, auth=as_(district("sip"))
        )
        assert other.status_code == 403


@pytest.mark.usefixtures("scenario")
class TestFlows:
    async def test_every_month_of_the_year(self, registry: httpx.AsyncClient) -> None:
        body = (await registry.get(f"{URL}/flows", params={"year": 2023})).json()
        assert len(body) == 12 and body[0]["period"] == "2023-01"
        assert body[0] == {"period": "2023-01", "move_in": 2, "move_out": 0, "net": 2}
        assert body[1] == {"period": "2023-02", "move_in": 1, "move_out": 0, "net": 1}
        assert body[2] == {"period": "2023-03", "move_in": 1, "move_out": 1, "net": 0}
        assert all(m["move_in"] == m["move_out"] == 0 for m in body[3:])

    async def test_a_district_sees_its_own(self, registry: httpx.AsyncClient) -> None:
        own = (
            await registry.get(f"{URL}/flows", params={"year": 2023}, auth=as_(district("sip")))
        ).json()
        assert own[2] == {"period": "2023-03", "move_in": 1, "move_out": 0, "net": 1}
        assert sum(m["move_in"] for m in own) == 1  # its 2022 move-in is another year
        refused = await registry.get(
            f"{URL}/flows", params={"year": 2023, "district_id": "gusu"}, auth=as_(district("sip"))
        )
        assert refused.status_code == 403

    async def test_one_industry_section(self, registry: httpx.AsyncClient) -> None:
        finance = (await registry.get(f"{URL}/flows", params={"year": 2023, "section": "J"})).json()
        assert [(m["period"], m["move_in"]) for m in finance if m["move_in"]] == [
            ("2023-01", 1),
            ("2023-03", 1),
        ]
        business = (
            await registry.get(
                f"{URL}/flows", params={"year": 2023, "section": "L", "district_id": "gusu"}
            )
        ).json()
        assert sum(m["move_in"] for m in business) == 1  # the law firm (7231)
        bad = await registry.get(f"{URL}/flows", params={"year": 2023, "section": "Z"})
        assert bad.status_code == 422


@pytest.mark.usefixtures("scenario")
class TestOneBuildingAndFeaturedShares:
    async def test_one_buildings_tenants(self, registry: httpx.AsyncClient) -> None:
        body = (
            await registry.get("/api/v1/industry-structure", params={"building_id": "g1"})
        ).json()
        assert body == [
            {"code": "J", "name_zh": "金融业", "enterprises": 1, "area_m2": 300.0},
            {"code": "L", "name_zh": "租赁和商务服务业", "enterprises": 1, "area_m2": 100.0},
        ]
        missing = await registry.get("/api/v1/industry-structure", params={"building_id": "x9"})
        assert missing.status_code == 404
        refused = await registry.get(
            "/api/v1/industry-structure", params={"building_id": "g1"}, auth=as_(district("sip"))
        )
        assert refused.status_code == 403

    async def test_the_featured_industries_shares(self, registry: httpx.AsyncClient) -> None:
        """City: three tenants with a code on 900 m²: the law firm (法律, 100 m²) and two banks
        (金融, 800 m²); the one with no code is not counted."""
        body = (await registry.get("/api/v1/industry-structure/featured")).json()
        assert (body["enterprises"], body["area_m2"]) == (3, 900.0)
        shares = {s["industry"]: s for s in body["industries"]}
        assert len(shares) == 6 and shares["design"]["enterprises"] == 0
        assert shares["legal"] == {
            "industry": "legal",
            "enterprises": 1,
            "enterprise_share": pytest.approx(1 / 3),
            "area_m2": 100.0,
            "area_share": pytest.approx(1 / 9),
        }
        assert shares["finance"]["enterprises"] == 2
        assert shares["finance"]["area_share"] == pytest.approx(8 / 9)
        own = (
            await registry.get("/api/v1/industry-structure/featured", auth=as_(district("sip")))
        ).json()
        assert own["enterprises"] == 1
        assert {s["industry"]: s["enterprise_share"] for s in own["industries"]}["finance"] == 1
        refused = await registry.get(
            "/api/v1/industry-structure/featured",
            params={"district_id": "gusu"},
            auth=as_(district("sip")),
        )
        assert refused.status_code == 403
