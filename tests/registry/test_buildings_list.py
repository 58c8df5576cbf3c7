"""The buildings list fit for a city: search by name, address or id, order by area, the year's tax
or occupancy, and each building's figures, copied from monitoring's building-years over the real
broker, within each caller's line."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import httpx
import pytest
from kafka import KafkaProducer

from policy import TOPIC_OCCUPANCY, TOPIC_TAX
from tests import fixtures
from tests.conftest import Services
from tests.support import ADMIN, SUPERVISION, Feed, as_, bureau, district, eventually

# id, district, name, address, gross floor area; the year's tax; occupancy (leasable, occupied)
CITY = (
    ("lst-g1", "gusu", "观前大厦", "姑苏区人民路100号", 50_000, "1000000.00", (10_000, 8_000)),
    ("lst-g2", "gusu", "平江商务中心", "姑苏区干将东路8号", 20_000, "3000000.50", (10_000, 5_000)),
    (
        "lst-s1",
        "sip",
        "金鸡湖金融港",
        "苏州工业园区星海街9号",
        80_000,
        "2000000.00",
        (10_000, 9_000),
    ),
    ("lst-s2", "sip", "东沙湖_100%大楼", "苏州工业园区东沙湖路5号", 30_000, None, None),
)


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
        for name in ("registry", "monitoring")
    }
    yield opened
    for client in opened.values():
        await client.aclose()


async def count(pg_pool: asyncpg.Pool, sql: str) -> int:
    async with pg_pool.acquire() as conn:
        return int(await conn.fetchval(sql))


@pytest.fixture
async def city(
    clients: dict[str, httpx.AsyncClient], pg_pool: asyncpg.Pool, producer: KafkaProducer
) -> httpx.AsyncClient:
    """Four buildings; three with 2024 tax and occupancy on the feeds, one with neither."""
    registry = clients["registry"]
    for building_id, district_id, name, address, area, _, _ in CITY:
        created = await registry.post(
            "/api/v1/buildings",
            json=fixtures.building(
                id=building_id,
                district_id=district_id,
                name=name,
                address=address,
                gross_floor_area_m2=area,
            ),
        )
        assert created.status_code == 201, created.text
    await eventually(
        lambda: count(pg_pool, "SELECT count(*) FROM monitoring.building"), lambda n: n == 4
    )
    feed = Feed(producer)
    for building_id, _, _, _, _, tax, occupancy in CITY:
        if tax is None or occupancy is None:
            continue
        # Two halves of the year's tax, and an earlier, emptier month before the latest report.
        half = f"{float(tax) / 2:.2f}"
        rest = f"{float(tax) - float(half):.2f}"
        await feed.send_all(
            TOPIC_TAX,
            [
                fixtures.tax(building_id, "2024-02", half),
                fixtures.tax(building_id, "2024-05", rest),
            ],
        )
        await feed.send_all(
            TOPIC_OCCUPANCY,
            [
                fixtures.occupancy(building_id, "2024-01", occupancy[0], 100),
                fixtures.occupancy(building_id, "2024-06", *occupancy),
            ],
        )

    async def figured() -> int:
        page = (await registry.get("/api/v1/buildings", params={"year": 2024})).json()
        return sum(
            1
            for item in page["items"]
            if item["figures"] and item["figures"]["occupancy_period"] == "2024-06"
        )

    await eventually(figured, lambda n: n == 3)
    return registry


async def ids(client: httpx.AsyncClient, principal: Any = ADMIN, **params: Any) -> list[str]:
    response = await client.get(
        "/api/v1/buildings", params={"year": 2024, **params}, auth=as_(principal)
    )
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


class TestFigures:
    async def test_each_building_shows_its_years_tax_and_latest_occupancy(
        self, city: httpx.AsyncClient
    ) -> None:
        page = (await city.get("/api/v1/buildings", params={"year": 2024})).json()
        assert page["year"] == 2024 and page["total"] == 4
        shown = {item["id"]: item["figures"] for item in page["items"]}
        assert shown["lst-g2"] == {
            "year": 2024,
            "tax_total_cny": "3000000.50",
            "tax_per_m2_cny": "150.00",
            "occupancy_rate": 0.5,
            "occupancy_period": "2024-06",
        }
        assert shown["lst-g1"]["tax_total_cny"] == "1000000.00"
        assert shown["lst-g1"]["tax_per_m2_cny"] == "20.00"
        assert shown["lst-s1"]["occupancy_rate"] == 0.9
        assert shown["lst-s2"] is None  # nothing reported: no figures, not zeros

    async def test_a_year_without_data_shows_none(self, city: httpx.AsyncClient) -> None:
        page = (await city.get("/api/v1/buildings", params={"year": 2023})).json()
        assert [item["figures"] for item in page["items"]] == [None] * 4

    async def test_the_copy_reconciles_with_monitoring(self, city: httpx.AsyncClient) -> None:
        report = (await city.post("/api/v1/registry/copies/check")).json()
        assert report["diverged"] == 0 and report["unreachable"] == []
        lines = {(x["kind"], x["district_id"]): x for x in report["lines"]}
        assert lines[("building-years", "gusu")]["copy_count"] == 2
        assert lines[("building-years", "sip")]["state"] == "in_line"


class TestOrder:
    async def test_by_tax(self, city: httpx.AsyncClient) -> None:
        assert await ids(city, sort="tax", order="desc") == ["lst-g2", "lst-s1", "lst-g1", "lst-s2"]
        assert await ids(city, sort="tax") == ["lst-s2", "lst-g1", "lst-s1", "lst-g2"]

    async def test_by_occupancy_unknown_last_either_way(self, city: httpx.AsyncClient) -> None:
        assert await ids(city, sort="occupancy", order="desc") == [
            "lst-s1",
            "lst-g1",
            "lst-g2",
            "lst-s2",
        ]
        assert await ids(city, sort="occupancy") == ["lst-g2", "lst-g1", "lst-s1", "lst-s2"]

    async def test_by_area_and_by_name(self, city: httpx.AsyncClient) -> None:
        assert await ids(city, sort="area", order="desc") == [
            "lst-s1",
            "lst-g1",
            "lst-s2",
            "lst-g2",
        ]
        by_name = await ids(city, sort="name")
        assert sorted(by_name) == sorted(b[0] for b in CITY) and len(by_name) == 4

    async def test_pages_follow_the_order(self, city: httpx.AsyncClient) -> None:
        first = await ids(city, sort="tax", order="desc", limit=2)
        second = await ids(city, sort="tax", order="desc", limit=2, offset=2)
        assert first + second == ["lst-g2", "lst-s1", "lst-g1", "lst-s2"]

    async def test_an_unknown_sort_is_a_problem(self, city: httpx.AsyncClient) -> None:
        response = await city.get("/api/v1/buildings", params={"sort": "tax_cents; DROP"})
        assert response.status_code == 422
        assert response.headers["content-type"] == "application/problem+json"


class TestSearch:
    async def test_by_name_address_or_id(self, city: httpx.AsyncClient) -> None:
        assert await ids(city, q="平江") == ["lst-g2"]
        assert await ids(city, q="人民路") == ["lst-g1"]
        assert await ids(city, q="LST-S1") == ["lst-s1"]
        assert await ids(city, q="姑苏区", sort="tax", order="desc") == ["lst-g2", "lst-g1"]

    @pytest.mark.parametrize("text", ["%", "_", "100%", "\\", "'", "%_%"])
    async def test_wildcards_are_plain_text(self, city: httpx.AsyncClient, text: str) -> None:
        expected = ["lst-s2"] if text in ("%", "_", "100%") else []
        assert await ids(city, q=text) == expected

    async def test_a_line_break_is_refused(self, city: httpx.AsyncClient) -> None:
        response = await city.get("/api/v1/buildings", params={"q": "a\nb"})
        assert response.status_code == 422


class TestLines:
    async def test_a_district_sees_its_own_buildings_and_their_figures(
        self, city: httpx.AsyncClient
    ) -> None:
        gusu = district("gusu")
        assert await ids(city, gusu, sort="tax", order="desc") == ["lst-g2", "lst-g1"]
        assert await ids(city, gusu, q="金鸡湖") == []
        refused = await city.get("/api/v1/buildings", params={"district_id": "sip"}, auth=as_(gusu))
        assert refused.status_code == 403

    async def test_supervision_reads_every_district(self, city: httpx.AsyncClient) -> None:
        assert len(await ids(city, SUPERVISION)) == 4

    async def test_a_bureau_reads_no_buildings_figures(self, city: httpx.AsyncClient) -> None:
        refused = await city.get("/api/v1/buildings", auth=as_(bureau("市住建局")))
        assert refused.status_code == 403
