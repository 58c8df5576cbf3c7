"""一张图: the districts' boundaries (shipped, replaced, versions kept) and the located buildings,
as GeoJSON, each behind its role check and district line."""

from __future__ import annotations

import copy
from typing import Any

import httpx
import pytest
import shapely
from shapely.geometry import shape

from policy import district_ids
from services.registry.map.geometry import M2_PER_SQUARE_DEGREE
from tests import fixtures
from tests.support import ADMIN, SUPERVISION, as_, bureau, district, must

GEOJSON = "application/geo+json"
READERS = [ADMIN, SUPERVISION, district("gusu"), bureau("市商务局")]


async def _shipped(registry: httpx.AsyncClient) -> dict[str, Any]:
    response = await registry.get("/api/v1/map/districts")
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


@pytest.mark.parametrize("principal", READERS, ids=lambda p: p.role)
async def test_every_role_reads_the_ten_districts_as_geojson(
    registry: httpx.AsyncClient, principal: Any
) -> None:
    response = await registry.get("/api/v1/map/districts", auth=as_(principal))
    assert response.status_code == 200
    assert response.headers["content-type"] == GEOJSON
    body = response.json()
    assert body["type"] == "FeatureCollection" and body["version"] == 0
    assert [f["properties"]["district_id"] for f in body["features"]] == list(district_ids())
    names = {f["properties"]["district_id"]: f["properties"]["name_zh"] for f in body["features"]}
    assert names["sip"] == "苏州工业园区" and names["gusu"] == "姑苏区"


async def test_the_shipped_boundaries_are_ten_valid_separate_areas_with_sip_schematic(
    registry: httpx.AsyncClient,
) -> None:
    body = await _shipped(registry)
    areas = {f["properties"]["district_id"]: shape(f["geometry"]) for f in body["features"]}
    assert all(a.is_valid and a.geom_type in ("Polygon", "MultiPolygon") for a in areas.values())
    ids = list(areas)
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            overlap_m2 = areas[a].intersection(areas[b]).area * M2_PER_SQUARE_DEGREE
            assert overlap_m2 < 1_000, (a, b, overlap_m2)
    km2 = {d: area.area * M2_PER_SQUARE_DEGREE / 1e6 for d, area in areas.items()}
    # 工业园区 about 278 km², 姑苏区 about 83: its own area, drawn apart from 姑苏区.
    assert 240 < km2["sip"] < 320 and 70 < km2["gusu"] < 110
    # 金鸡湖 lies in 工业园区, the old city (观前街) in 姑苏区.
    assert areas["sip"].contains(shapely.Point(120.700, 31.315))
    assert areas["gusu"].contains(shapely.Point(120.626, 31.311))
    schematic = {
        f["properties"]["district_id"] for f in body["features"] if f["properties"]["schematic"]
    }
    assert schematic == {"gusu", "sip"}
    assert "不作为权属依据" in body["note"]


async def test_an_unchanged_version_answers_304(registry: httpx.AsyncClient) -> None:
    first = await registry.get("/api/v1/map/districts")
    again = await registry.get(
        "/api/v1/map/districts", headers={"If-None-Match": first.headers["etag"]}
    )
    assert again.status_code == 304


def _replacement(collection: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {
        "collection": collection,
        "source": "苏州市自然资源和规划局 2026 年行政区划（测试）",
        "reason": "以权威边界替换内置边界",
        **changes,
    }


async def test_the_administrator_replaces_the_boundaries_and_every_version_is_kept(
    registry: httpx.AsyncClient,
) -> None:
    shipped = await _shipped(registry)
    authoritative = copy.deepcopy(shipped)
    for feature in authoritative["features"]:
        feature["properties"]["schematic"] = False
    made = must(
        await registry.post("/api/v1/map/districts/versions", json=_replacement(authoritative)), 201
    )
    assert made["version"] == 1 and made["in_force"] and made["replaced_by"]
    now = await _shipped(registry)
    assert now["version"] == 1 and "note" not in now
    assert now["source"].startswith("苏州市自然资源和规划局")
    old = must(await registry.get("/api/v1/map/districts", params={"version": 0}), 200)
    assert old["version"] == 0 and old["features"] == shipped["features"]
    versions = must(await registry.get("/api/v1/map/districts/versions"), 200)
    assert [(v["version"], v["in_force"]) for v in versions] == [(0, False), (1, True)]
    missing = await registry.get("/api/v1/map/districts", params={"version": 9})
    assert missing.status_code == 404


@pytest.mark.parametrize(
    "principal", [SUPERVISION, district("gusu"), bureau("市商务局")], ids=lambda p: p.role
)
async def test_only_the_administrator_replaces_the_boundaries(
    registry: httpx.AsyncClient, principal: Any
) -> None:
    shipped = await _shipped(registry)
    response = await registry.post(
        "/api/v1/map/districts/versions", json=_replacement(shipped), auth=as_(principal)
    )
    assert response.status_code == 403
    assert (await _shipped(registry))["version"] == 0


async def test_only_admin_and_supervision_list_the_versions(registry: httpx.AsyncClient) -> None:
    for principal in (district("gusu"), bureau("市商务局")):
        response = await registry.get("/api/v1/map/districts/versions", auth=as_(principal))
        assert response.status_code == 403
    assert (
        await registry.get("/api/v1/map/districts/versions", auth=as_(SUPERVISION))
    ).status_code == 200


def _bowtie() -> dict[str, Any]:
    ring = [[120.60, 31.30], [120.62, 31.32], [120.62, 31.30], [120.60, 31.32], [120.60, 31.30]]
    return {"type": "Polygon", "coordinates": [ring]}


def _broken(shipped: dict[str, Any], how: str) -> dict[str, Any]:
    collection = copy.deepcopy(shipped)
    features = collection["features"]
    if how == "nine":
        features.pop()
    elif how == "twice":
        features[1]["properties"]["district_id"] = features[0]["properties"]["district_id"]
    elif how == "unknown":
        features[0]["properties"]["district_id"] = "nowhere"
    elif how == "overlap":
        features[8]["geometry"] = features[7]["geometry"]  # sip drawn over gusu
    elif how == "invalid":
        features[0]["geometry"] = _bowtie()
    elif how == "outside":
        features[0]["geometry"] = {
            "type": "Polygon",
            "coordinates": [[[116.3, 39.9], [116.4, 39.9], [116.4, 40.0], [116.3, 39.9]]],
        }
    elif how == "point":
        features[0]["geometry"] = {"type": "Point", "coordinates": [120.6, 31.3]}
    elif how == "not-a-collection":
        return {"type": "Feature"}
    return collection


@pytest.mark.parametrize(
    ("how", "field", "says"),
    [
        ("nine", "collection.features", "no boundary for"),
        ("twice", "collection.features[1].properties.district_id", "appears twice"),
        ("unknown", "collection.features[0].properties.district_id", "one of the ten"),
        ("overlap", "collection.features", "gusu and sip overlap"),
        ("invalid", "collection.features[0].geometry", "not valid"),
        ("outside", "collection.features[0].geometry", "outside Suzhou"),
        ("point", "collection.features[0].geometry", "Polygon or a MultiPolygon"),
        ("not-a-collection", "collection.type", "FeatureCollection"),
    ],
)
async def test_boundaries_that_are_not_ten_valid_separate_districts_are_refused(
    registry: httpx.AsyncClient, how: str, field: str, says: str
) -> None:
    shipped = await _shipped(registry)
    response = await registry.post(
        "/api/v1/map/districts/versions", json=_replacement(_broken(shipped, how))
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert any(e["field"] == field and says in e["message"] for e in errors), errors
    assert (await _shipped(registry))["version"] == 0


@pytest.mark.parametrize(
    "location",
    [
        {"lng": 116.4, "lat": 39.9},
        {"lng": 120.6, "lat": 35.0},
        {"lng": 120.6},
        {"lng": "东经", "lat": 31.3},
        {"lng": 120.6, "lat": 31.3, "alt": 5},
    ],
)
async def test_a_location_outside_suzhou_or_malformed_is_refused(
    registry: httpx.AsyncClient, location: dict[str, Any]
) -> None:
    response = await registry.post(
        "/api/v1/buildings", json=fixtures.building(id="far", location=location)
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"].startswith("location")
    must(await registry.post("/api/v1/buildings", json=fixtures.building(id="near")), 201)
    patched = await registry.patch("/api/v1/buildings/near", json={"location": location})
    assert patched.status_code == 422


async def test_the_map_shows_each_located_building_within_the_callers_line(
    registry: httpx.AsyncClient,
) -> None:
    for building_id, district_id, location in (
        ("g1", "gusu", {"lng": 120.626, "lat": 31.311}),
        ("s1", "sip", {"lng": 120.700, "lat": 31.315}),
        ("s2", "sip", None),
    ):
        payload = fixtures.building(id=building_id, district_id=district_id, location=location)
        must(await registry.post("/api/v1/buildings", json=payload), 201)
    must(
        await registry.patch("/api/v1/buildings/s1", json={"lists": ["key"], "name": "金鸡湖大厦"}),
        200,
    )
    response = await registry.get("/api/v1/map/buildings", params={"year": 2026})
    assert response.status_code == 200 and response.headers["content-type"] == GEOJSON
    body = response.json()
    assert body["year"] == 2026
    assert [f["properties"]["id"] for f in body["features"]] == ["g1", "s1"]  # s2: no location
    s1 = body["features"][1]
    assert s1["geometry"] == {"type": "Point", "coordinates": [120.7, 31.315]}
    assert s1["properties"] == {
        "id": "s1",
        "name": "金鸡湖大厦",
        "district_id": "sip",
        "lists": ["key"],
        "featured_industries": [],
        "tax_total_cny": None,
        "tier": None,
        "occupancy_rate": None,
    }
    own = must(await registry.get("/api/v1/map/buildings", auth=as_(district("sip"))), 200)
    assert [f["properties"]["id"] for f in own["features"]] == ["s1"]
    other = await registry.get(
        "/api/v1/map/buildings", params={"district_id": "gusu"}, auth=as_(district("sip"))
    )
    assert other.status_code == 403
    refused = await registry.get("/api/v1/map/buildings", auth=as_(bureau("市商务局")))
    assert refused.status_code == 403
    watched = must(await registry.get("/api/v1/map/buildings", auth=as_(SUPERVISION)), 200)
    assert len(watched["features"]) == 2
