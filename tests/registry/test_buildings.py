"""Buildings: registration, reading, listing, changing."""

from __future__ import annotations

import csv
import io

import httpx

from services.registry.buildings import exports
from services.registry.buildings.schemas import BuildingBase
from tests import fixtures
from tests.support import SUPERVISION, as_, district, must


async def create(client: httpx.AsyncClient, **overrides: object) -> dict:
    response = await client.post("/api/v1/buildings", json=fixtures.building(**overrides))
    assert response.status_code == 201, response.text
    return response.json()


class TestCreateBuilding:
    async def test_admin_registers_a_building_with_its_lists(
        self, registry: httpx.AsyncClient
    ) -> None:
        body = await create(registry, id="sip-ifc", lists=["key", "renovation"])
        assert body["id"] == "sip-ifc"
        assert body["lists"] == ["key", "renovation"]
        assert body["featured_industries"] == []
        assert body["gross_floor_area_m2"] == 100_000

    async def test_an_id_is_generated_when_none_is_given(self, registry: httpx.AsyncClient) -> None:
        body = await create(registry)
        assert body["id"]

    async def test_district_registers_in_its_own_district(
        self, registry: httpx.AsyncClient
    ) -> None:
        response = await registry.post(
            "/api/v1/buildings",
            json=fixtures.building(district_id="gusu"),
            auth=as_(district("gusu")),
        )
        assert response.status_code == 201

    async def test_wrong_district_is_forbidden(self, registry: httpx.AsyncClient) -> None:
        response = await registry.post(
            "/api/v1/buildings",
            json=fixtures.building(district_id="sip"),
            auth=as_(district("gusu")),
        )
        assert response.status_code == 403
        assert response.headers["content-type"] == "application/problem+json"

    async def test_supervision_cannot_write(self, registry: httpx.AsyncClient) -> None:
        response = await registry.post(
            "/api/v1/buildings", json=fixtures.building(), auth=as_(SUPERVISION)
        )
        assert response.status_code == 403

    async def test_duplicate_id_is_a_conflict(self, registry: httpx.AsyncClient) -> None:
        await create(registry, id="dup")
        response = await registry.post("/api/v1/buildings", json=fixtures.building(id="dup"))
        assert response.status_code == 409

    async def test_unknown_district_is_named(self, registry: httpx.AsyncClient) -> None:
        response = await registry.post(
            "/api/v1/buildings", json=fixtures.building(district_id="mars")
        )
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "district_id"

    async def test_bad_status_and_area_are_named(self, registry: httpx.AsyncClient) -> None:
        response = await registry.post(
            "/api/v1/buildings", json=fixtures.building(status="demolished", gross_floor_area_m2=-1)
        )
        assert response.status_code == 422
        fields = {e["field"] for e in response.json()["errors"]}
        assert fields == {"status", "gross_floor_area_m2"}

    async def test_unknown_field_is_refused(self, registry: httpx.AsyncClient) -> None:
        response = await registry.post("/api/v1/buildings", json=fixtures.building(floors=30))
        assert response.status_code == 422
        assert response.json()["errors"] == [{"field": "floors", "message": "unknown field"}]

    async def test_unknown_list_is_refused(self, registry: httpx.AsyncClient) -> None:
        response = await registry.post("/api/v1/buildings", json=fixtures.building(lists=["vip"]))
        assert response.status_code == 422


class TestReadBuilding:
    async def test_reads_its_own_district(self, registry: httpx.AsyncClient) -> None:
        await create(registry, id="g1", district_id="gusu")
        response = await registry.get("/api/v1/buildings/g1", auth=as_(district("gusu")))
        assert response.status_code == 200
        assert response.json()["name"] == fixtures.building()["name"]

    async def test_other_district_is_forbidden(self, registry: httpx.AsyncClient) -> None:
        await create(registry, id="g1", district_id="gusu")
        response = await registry.get("/api/v1/buildings/g1", auth=as_(district("sip")))
        assert response.status_code == 403

    async def test_supervision_reads_any(self, registry: httpx.AsyncClient) -> None:
        await create(registry, id="g1", district_id="gusu")
        response = await registry.get("/api/v1/buildings/g1", auth=as_(SUPERVISION))
        assert response.status_code == 200

    async def test_missing_is_404(self, registry: httpx.AsyncClient) -> None:
        response = await registry.get("/api/v1/buildings/nope")
        assert response.status_code == 404
        assert response.json()["status"] == 404


class TestListBuildings:
    async def test_filters_by_district_list_and_featured_industry(
        self, registry: httpx.AsyncClient
    ) -> None:
        await create(registry, id="a", district_id="gusu", lists=["key"])
        await create(registry, id="b", district_id="gusu")
        await create(registry, id="c", district_id="sip", lists=["key"])
        must(
            await registry.post(
                "/api/v1/buildings/c/featured-designation",
                json={"industry": "finance", "designated_on": "2023-05-01"},
            )
        )
        everything = (await registry.get("/api/v1/buildings")).json()
        assert everything["total"] == 3
        gusu = (await registry.get("/api/v1/buildings", params={"district_id": "gusu"})).json()
        assert [b["id"] for b in gusu["items"]] == ["a", "b"]
        key = (await registry.get("/api/v1/buildings", params={"list": "key"})).json()
        assert [b["id"] for b in key["items"]] == ["a", "c"]
        finance = (
            await registry.get("/api/v1/buildings", params={"featured_industry": "finance"})
        ).json()
        assert [b["id"] for b in finance["items"]] == ["c"]
        assert finance["items"][0]["featured_industries"] == ["finance"]

    async def test_pages_with_limit_and_offset(self, registry: httpx.AsyncClient) -> None:
        for n in range(5):
            await create(registry, id=f"p{n}")
        page = (await registry.get("/api/v1/buildings", params={"limit": 2, "offset": 2})).json()
        assert page["total"] == 5
        assert [b["id"] for b in page["items"]] == ["p2", "p3"]

    async def test_district_key_sees_only_its_own(self, registry: httpx.AsyncClient) -> None:
        await create(registry, id="a", district_id="gusu")
        await create(registry, id="c", district_id="sip")
        page = (await registry.get("/api/v1/buildings", auth=as_(district("gusu")))).json()
        assert [b["id"] for b in page["items"]] == ["a"]

    async def test_district_key_asking_for_another_district_is_forbidden(
        self, registry: httpx.AsyncClient
    ) -> None:
        response = await registry.get(
            "/api/v1/buildings", params={"district_id": "sip"}, auth=as_(district("gusu"))
        )
        assert response.status_code == 403

    async def test_limit_above_maximum_is_refused(self, registry: httpx.AsyncClient) -> None:
        response = await registry.get("/api/v1/buildings", params={"limit": 5000})
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "limit"


class TestUpdateBuilding:
    async def test_changes_fields_and_replaces_lists(self, registry: httpx.AsyncClient) -> None:
        await create(registry, id="u", lists=["key"])
        response = await registry.patch(
            "/api/v1/buildings/u", json={"status": "renovating", "lists": ["renovation"]}
        )
        assert response.status_code == 200
        body = response.json()
        assert body["status"] == "renovating"
        assert body["lists"] == ["renovation"]
        assert body["name"] == fixtures.building()["name"]

    async def test_district_changes_its_own(self, registry: httpx.AsyncClient) -> None:
        await create(registry, id="u", district_id="gusu")
        response = await registry.patch(
            "/api/v1/buildings/u", json={"name": "新名字"}, auth=as_(district("gusu"))
        )
        assert response.status_code == 200
        assert response.json()["name"] == "新名字"

    async def test_other_district_is_forbidden(self, registry: httpx.AsyncClient) -> None:
        await create(registry, id="u", district_id="gusu")
        response = await registry.patch(
            "/api/v1/buildings/u", json={"name": "x"}, auth=as_(district("sip"))
        )
        assert response.status_code == 403

    async def test_district_cannot_move_a_building_out_of_its_district(
        self, registry: httpx.AsyncClient
    ) -> None:
        await create(registry, id="u", district_id="gusu")
        response = await registry.patch(
            "/api/v1/buildings/u", json={"district_id": "sip"}, auth=as_(district("gusu"))
        )
        assert response.status_code == 403

    async def test_supervision_cannot_write(self, registry: httpx.AsyncClient) -> None:
        await create(registry, id="u")
        response = await registry.patch(
            "/api/v1/buildings/u", json={"name": "x"}, auth=as_(SUPERVISION)
        )
        assert response.status_code == 403

    async def test_missing_is_404(self, registry: httpx.AsyncClient) -> None:
        response = await registry.patch("/api/v1/buildings/nope", json={"name": "x"})
        assert response.status_code == 404


class TestRetire:
    async def _two(self, registry: httpx.AsyncClient) -> None:
        for building_id in ("r1", "r2"):
            created = await registry.post(
                "/api/v1/buildings",
                json=fixtures.building(id=building_id, district_id="gusu", lists=["key"]),
            )
            assert created.status_code == 201

    async def test_a_merged_building_names_where_it_went_and_leaves_the_lists(
        self, registry: httpx.AsyncClient
    ) -> None:
        await self._two(registry)
        missing = await registry.post(
            "/api/v1/buildings/r1/retire",
            json={"kind": "merged", "reason": "并入r2统一管理", "retired_on": "2024-01-01"},
        )
        assert missing.status_code == 422
        retired = await registry.post(
            "/api/v1/buildings/r1/retire",
            json={
                "kind": "merged",
                "reason": "并入r2统一管理",
                "retired_on": "2024-01-01",
                "merged_into": "r2",
            },
        )
        assert retired.status_code == 200, retired.text
        assert retired.json()["retired"]["merged_into"] == "r2"
        listed = (await registry.get("/api/v1/lists/key")).json()
        assert [b["id"] for b in listed["items"]] == ["r2"]
        assert (await registry.get("/api/v1/buildings/r1")).status_code == 200
        twice = await registry.post(
            "/api/v1/buildings/r1/retire",
            json={"kind": "demolished", "reason": "x", "retired_on": "2024-01-01"},
        )
        assert twice.status_code == 409

    async def test_a_retirement_cannot_be_dated_in_the_future(
        self, registry: httpx.AsyncClient
    ) -> None:
        await self._two(registry)
        response = await registry.post(
            "/api/v1/buildings/r1/retire",
            json={"kind": "demolished", "reason": "拆除", "retired_on": "2999-01-01"},
        )
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "retired_on"


async def test_every_field_of_a_building_round_trips_through_create_patch_read_and_export(
    registry: httpx.AsyncClient,
) -> None:
    """The service names no field of a building: create stores the fields of BuildingBase, a
    patch changes any of them (the update model is made from the base), the reads show them and
    the 名录 export has their columns. A field added to BuildingBase (and its table, and its
    columns in exports.FIELD_COLUMNS, which the registry refuses to start without) is given here
    and round-trips with no change to the service."""
    first = {
        "name": "往返大厦",
        "district_id": "gusu",
        "address": "苏州市姑苏区人民路1号",
        "gross_floor_area_m2": 12_000.0,
        "status": "operating",
        "location": {"lng": 120.6193, "lat": 31.3112},
    }
    assert set(first) == set(BuildingBase.model_fields)
    created = must(await registry.post("/api/v1/buildings", json={**first, "id": "rt-1"}), 201)
    assert {field: created[field] for field in first} == first
    second = {
        "name": "往返中心",
        "district_id": "sip",
        "address": "苏州工业园区星湖街2号",
        "gross_floor_area_m2": 15_500.5,
        "status": "renovating",
        "location": {"lng": 120.7241, "lat": 31.3215},
    }
    patched = must(await registry.patch("/api/v1/buildings/rt-1", json=second), 200)
    assert {field: patched[field] for field in second} == second
    read = must(await registry.get("/api/v1/buildings/rt-1"), 200)
    assert {field: read[field] for field in second} == second
    listed = must(await registry.get("/api/v1/buildings", params={"q": "往返中心"}), 200)
    assert [{field: b[field] for field in second} for b in listed["items"]] == [second]
    must(await registry.patch("/api/v1/buildings/rt-1", json={"lists": ["key"]}), 200)
    exported = await registry.get("/api/v1/lists/key", params={"format": "csv"})
    (row,) = csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig")))
    # Each field's columns, in the model's order, show what was stored.
    headers = [
        column.header
        for field in BuildingBase.model_fields
        for column in exports.FIELD_COLUMNS[field]
    ]
    assert {header: row[header] for header in headers} == {
        "楼宇名称": "往返中心",
        "所属地区": "苏州工业园区",
        "行政区划代码": "320571",
        "地址": "苏州工业园区星湖街2号",
        "建筑面积（平方米）": "15500.5",
        "状态": "改造提升中",
        "经度": "120.7241",
        "纬度": "31.3215",
    }
