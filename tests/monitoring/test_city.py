"""City-wide figures: all ten districts in one answer with the previous year beside
each, tier counts, and monthly series of a district and of the city, checked against sums worked
by hand. Through the real broker and PostgreSQL."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

import httpx

from policy import TOPIC_OCCUPANCY, TOPIC_TAX
from services.monitoring.figures.periods import compared_months, months_label
from shared import beijing_today
from tests.fixtures import occupancy, tax
from tests.monitoring.conftest import month, series
from tests.monitoring.test_ingest import tax_total
from tests.support import Feed, as_, district, eventually

Register = Callable[..., Awaitable[str]]
SUMMARY = "/api/v1/monitoring/city/summary"
TIERS = "/api/v1/monitoring/city/tiers"


async def scenario(feed: Feed, register: Register, monitoring: httpx.AsyncClient) -> list[str]:
    """G1 (gusu): 2023 tax 600,000,000 (2022: 50); G2 (gusu): 2023 tax 20; S1 (sip): 2023 tax
    150,000,000 and 2022 tax 200,000,000. Occupancy: G1 800/1000 in 2023-06, S1 300/1000."""
    g1, g2 = await register("gusu"), await register("gusu")
    s1 = await register("sip")
    await feed.send_all(
        TOPIC_TAX,
        [
            tax(g1, "2023-03", "600000000.00"),
            tax(g1, "2022-05", "50.00"),
            tax(g2, "2023-03", "20.00"),
            tax(s1, "2023-04", "150000000.00"),
            tax(s1, "2022-04", "200000000.00"),
        ],
    )
    await feed.send_all(
        TOPIC_OCCUPANCY,
        [occupancy(g1, "2023-06", 1000, 800), occupancy(s1, "2023-06", 1000, 300)],
    )
    # The records travel on several partitions: wait for every one of them.
    for building, period, amount in (
        (g1, "2023-03", "600000000.00"),
        (g1, "2022-05", "50.00"),
        (g2, "2023-03", "20.00"),
        (s1, "2023-04", "150000000.00"),
        (s1, "2022-04", "200000000.00"),
    ):
        await tax_total(monitoring, building, period, amount)
    for building, rate in ((g1, 0.8), (s1, 0.3)):
        await eventually(
            lambda building=building: series(monitoring, building),  # type: ignore[misc]
            lambda body, rate=rate: (month(body, "2023-06") or {}).get("occupancy_rate") == rate,  # type: ignore[misc]
        )
    # The districts' months are summed by the figures worker a moment after the buildings'.
    await eventually(
        lambda: area_months(monitoring, "city"),
        lambda months: (
            {p: m["tax_total_cny"] for p, m in months.items()}
            == {
                "2022-04": "200000000.00",
                "2022-05": "50.00",
                "2023-03": "600000020.00",
                "2023-04": "150000000.00",
                "2023-06": "0.00",
            }
            and months["2023-06"]["occupancy_rate"] == 0.55
        ),
    )
    return [g1, g2, s1]


async def area_months(
    monitoring: httpx.AsyncClient, area: str, **params: str
) -> dict[str, dict[str, Any]]:
    """period → figures of the city's series (`area` "city") or a district's."""
    url = f"/api/v1/monitoring/{'city' if area == 'city' else f'districts/{area}'}/series"
    response = await monitoring.get(url, params=params)
    assert response.status_code == 200, response.text
    return {m["period"]: m for m in response.json()["months"]}


async def summary(monitoring: httpx.AsyncClient, **params: str) -> dict:
    response = await monitoring.get(SUMMARY, params={"year": 2023, **params})
    assert response.status_code == 200, response.text
    return dict(response.json())


class TestCitySummary:
    async def test_every_district_and_the_city_with_the_previous_year(
        self, monitoring: httpx.AsyncClient, feed: Feed, register: Register
    ) -> None:
        await scenario(feed, register, monitoring)
        # Occupancy is read from each building-year's latest month, which the figures worker
        # keeps a moment after the months themselves.
        body = await eventually(
            lambda: summary(monitoring),
            lambda body: body["city"]["occupancy_rate"] == 0.55,
        )
        assert body["year"] == 2023 and len(body["districts"]) == 10
        gusu = next(d for d in body["districts"] if d["district_id"] == "gusu")
        assert gusu["tax_total_cny"] == "600000020.00"
        assert gusu["tax_total_prev_cny"] == "50.00"
        assert gusu["buildings_over_counts"] == {"100m": 1, "500m": 1, "1b": 0}
        assert gusu["occupancy_rate"] == 0.8
        sip = next(d for d in body["districts"] if d["district_id"] == "sip")
        assert sip["tax_total_prev_cny"] == "200000000.00"
        assert sip["buildings_over_counts"] == {"100m": 1, "500m": 0, "1b": 0}
        assert body["city"] == {
            "tax_total_cny": "750000020.00",
            "tax_total_prev_cny": "200000050.00",
            "occupancy_rate": 0.55,
            "buildings_over_counts": {"100m": 2, "500m": 1, "1b": 0},
        }

    async def test_a_district_sees_its_own_line_and_the_city_totals(
        self, monitoring: httpx.AsyncClient, feed: Feed, register: Register
    ) -> None:
        await scenario(feed, register, monitoring)
        body = (
            await monitoring.get(SUMMARY, params={"year": 2023}, auth=as_(district("sip")))
        ).json()
        assert [d["district_id"] for d in body["districts"]] == ["sip"]
        assert body["city"]["tax_total_cny"] == "750000020.00"


class TestCityTiers:
    async def test_the_buildings_above_each_tier_richest_first(
        self, monitoring: httpx.AsyncClient, feed: Feed, register: Register
    ) -> None:
        g1, _, s1 = await scenario(feed, register, monitoring)
        body = (await monitoring.get(TIERS, params={"year": 2023})).json()
        assert [(b["building_id"], b["district_id"], b["tax_total_cny"]) for b in body["100m"]] == [
            (g1, "gusu", "600000000.00"),
            (s1, "sip", "150000000.00"),
        ]
        assert [b["building_id"] for b in body["500m"]] == [g1] and body["1b"] == []
        own = (await monitoring.get(TIERS, params={"year": 2023}, auth=as_(district("sip")))).json()
        assert [b["building_id"] for b in own["100m"]] == [s1] and own["500m"] == []


class TestSeries:
    async def test_a_districts_months_are_its_buildings_summed(
        self, monitoring: httpx.AsyncClient, feed: Feed, register: Register
    ) -> None:
        await scenario(feed, register, monitoring)
        body = (
            await monitoring.get(
                "/api/v1/monitoring/districts/gusu/series", params={"from": "2023-01"}
            )
        ).json()
        months = {m["period"]: m for m in body["months"]}
        assert months["2023-03"]["tax_total_cny"] == "600000020.00"
        assert months["2023-06"]["occupancy_rate"] == 0.8
        assert "2022-05" not in months

    async def test_the_citys_months_and_who_may_read_a_districts(
        self, monitoring: httpx.AsyncClient, feed: Feed, register: Register
    ) -> None:
        await scenario(feed, register, monitoring)
        city = (
            await monitoring.get("/api/v1/monitoring/city/series", auth=as_(district("gusu")))
        ).json()
        months = {m["period"]: m for m in city["months"]}
        assert months["2023-06"]["occupancy_rate"] == 0.55
        assert months["2022-04"]["tax_total_cny"] == "200000000.00"
        refused = await monitoring.get(
            "/api/v1/monitoring/districts/sip/series", auth=as_(district("gusu"))
        )
        assert refused.status_code == 403

    async def test_a_building_that_moves_district_takes_its_months_along(
        self,
        monitoring: httpx.AsyncClient,
        registry_client: httpx.AsyncClient,
        feed: Feed,
        register: Register,
    ) -> None:
        g1, _, _ = await scenario(feed, register, monitoring)
        moved = await registry_client.patch(f"/api/v1/buildings/{g1}", json={"district_id": "sip"})
        assert moved.status_code == 200, moved.text
        sip = await eventually(
            lambda: area_months(monitoring, "sip"),
            lambda months: months["2023-03"]["tax_total_cny"] == "600000000.00",
        )
        assert sip["2022-05"]["tax_total_cny"] == "50.00"
        assert sip["2023-06"]["occupancy_rate"] == 1100 / 2000 and "2023-04" in sip
        gusu = await area_months(monitoring, "gusu")
        assert {p: m["tax_total_cny"] for p, m in gusu.items()} == {"2023-03": "20.00"}
        city = await area_months(monitoring, "city")
        assert city["2023-03"]["tax_total_cny"] == "600000020.00"
        # The same months of the year before, as the city summary compares them, moved too.
        body = await summary(monitoring)
        lines = {d["district_id"]: d for d in body["districts"]}
        assert lines["sip"]["tax_total_cny"] == "750000000.00"
        assert lines["gusu"]["tax_total_cny"] == "20.00"


class TestYearOnYear:
    async def test_each_month_beside_the_same_month_a_year_before(
        self, monitoring: httpx.AsyncClient, feed: Feed, register: Register
    ) -> None:
        await scenario(feed, register, monitoring)
        url = "/api/v1/monitoring/year-on-year"
        gusu = (await monitoring.get(url, params={"year": 2023, "district_id": "gusu"})).json()
        months = {m["month"]: m for m in gusu["months"]}
        assert len(months) == 12
        assert months[3]["tax_total_cny"] == "600000020.00"
        assert months[3]["tax_change"] is None  # nothing in March 2022
        # No record in May 2023: missing, not a fall to zero.
        assert (months[5]["tax_total_cny"], months[5]["tax_total_prev_cny"]) == (None, "50.00")
        assert months[5]["tax_change"] is None
        assert (months[6]["occupancy_rate"], months[6]["occupancy_rate_prev"]) == (0.8, None)
        assert (gusu["tax_total_cny"], gusu["tax_total_prev_cny"]) == ("600000020.00", "50.00")
        assert gusu["tax_change"] == (600_000_020 - 50) / 50
        city = (await monitoring.get(url, params={"year": 2023}, auth=as_(district("sip")))).json()
        april = next(m for m in city["months"] if m["month"] == 4)
        assert april["tax_change"] == -0.25  # 1.5亿 against 2亿
        assert city["months"][5]["occupancy_rate"] == 0.55
        refused = await monitoring.get(
            url, params={"year": 2023, "district_id": "gusu"}, auth=as_(district("sip"))
        )
        assert refused.status_code == 403


class TestLikeForLike:
    """同比 while the year is in progress compares the same months of both years: eleven months
    against the previous twelve would read as a fall where the city grew."""

    async def test_a_year_in_progress_is_compared_with_the_same_months_a_year_before(
        self, monitoring: httpx.AsyncClient, feed: Feed, register: Register
    ) -> None:
        year = beijing_today().year  # in progress whatever the date: its months so far have data
        g1, s1 = await register("gusu"), await register("sip")
        await feed.send_all(
            TOPIC_TAX,
            [tax(g1, f"{year - 1}-{m:02d}", "100.00") for m in range(1, 13)]
            + [tax(g1, f"{year}-{m:02d}", "105.00") for m in range(1, 12)]
            + [
                tax(s1, f"{year - 1}-02", "50.00"),
                tax(s1, f"{year - 1}-12", "70.00"),
                tax(s1, f"{year - 2}-06", "30.00"),
            ],
        )
        for building, period, amount in (
            (g1, f"{year - 1}-12", "100.00"),
            (g1, f"{year}-11", "105.00"),
            (s1, f"{year - 1}-12", "70.00"),
            (s1, f"{year - 2}-06", "30.00"),
        ):
            await tax_total(monitoring, building, period, amount)

        # The same months of the year before are read from the districts' months, which the
        # figures worker sums a moment after the buildings'.
        body = await eventually(
            lambda: summary(monitoring, year=str(year)),
            lambda body: body["city"]["tax_total_prev_cny"] == "1150.00",
        )
        assert body["compared"] == {
            "complete": False,
            "months": list(range(1, 12)),
            "label": "1–11月",
        }
        lines = {d["district_id"]: d for d in body["districts"]}
        assert (lines["gusu"]["tax_total_cny"], lines["gusu"]["tax_total_prev_cny"]) == (
            "1155.00",
            "1100.00",  # January to November, not the whole 1,200 of the year before
        )
        assert lines["sip"]["tax_total_prev_cny"] == "50.00"  # December is not compared
        assert body["city"]["tax_total_prev_cny"] == "1150.00"

        # The year before is over: compared whole with the one before it.
        before = await summary(monitoring, year=str(year - 1))
        assert before["compared"] == {
            "complete": True,
            "months": list(range(1, 13)),
            "label": "全年",
        }
        lines = {d["district_id"]: d for d in before["districts"]}
        assert (lines["sip"]["tax_total_cny"], lines["sip"]["tax_total_prev_cny"]) == (
            "120.00",
            "30.00",
        )

        url = "/api/v1/monitoring/year-on-year"
        gusu = (await monitoring.get(url, params={"year": year, "district_id": "gusu"})).json()
        assert (gusu["tax_total_cny"], gusu["tax_total_prev_cny"]) == ("1155.00", "1100.00")
        assert gusu["tax_change"] == 0.05 and gusu["compared"]["label"] == "1–11月"
        december = gusu["months"][11]
        assert (december["tax_total_cny"], december["tax_total_prev_cny"]) == (None, "100.00")


class TestComparedMonths:
    def test_a_year_over_is_compared_whole(self) -> None:
        assert compared_months(2025, "2025-07", date(2026, 1, 2)) == 12
        assert compared_months(2025, None, date(2026, 1, 2)) == 12

    def test_a_year_in_progress_through_its_latest_month_with_data(self) -> None:
        assert compared_months(2026, "2026-11", date(2026, 12, 7)) == 11
        assert compared_months(2026, None, date(2026, 12, 7)) == 0

    def test_the_months_as_officials_write_them(self) -> None:
        assert [months_label(m, False) for m in (0, 1, 11)] == ["暂无数据", "1月", "1–11月"]
        assert months_label(12, True) == "全年"


class TestKnownYears:
    async def test_the_years_with_figures_the_latest_and_this_year_for_every_role(
        self, monitoring: httpx.AsyncClient, feed: Feed, register: Register
    ) -> None:
        empty = (await monitoring.get("/api/v1/monitoring/years")).json()
        assert empty == {"years": [], "latest_with_data": None, "current": beijing_today().year}
        await scenario(feed, register, monitoring)
        known = await monitoring.get("/api/v1/monitoring/years", auth=as_(district("sip")))
        assert known.status_code == 200
        assert known.json() == {
            "years": [2022, 2023],
            "latest_with_data": 2023,
            "current": beijing_today().year,
        }
