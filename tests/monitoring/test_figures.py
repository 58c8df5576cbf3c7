"""Building series and district summaries, role-scoped; never enterprise-level tax."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import httpx
import pytest

from policy import TOPIC_OCCUPANCY, TOPIC_TAX
from tests.fixtures import occupancy, tax
from tests.monitoring.conftest import month, series
from tests.support import SUPERVISION, Feed, as_, district, eventually

Register = Callable[..., Awaitable[str]]
SERIES = "/api/v1/monitoring/buildings/{}/series"
SUMMARY = "/api/v1/monitoring/districts/{}/summary"


@pytest.fixture
async def loaded(monitoring: httpx.AsyncClient, feed: Feed, register: Register) -> dict[str, str]:
    """Three buildings in wuzhong with known sums for 2023, one in huqiu."""
    exactly = await register("wuzhong", area=40_000)
    over = await register("wuzhong", area=60_000)
    giant = await register("wuzhong", area=100_000)
    elsewhere = await register("huqiu", area=10_000)
    messages = [
        tax(exactly, "2023-06", "60000000.00"),
        tax(exactly, "2023-12", "40000000.00", uscc="91350100M000100Y43"),  # exactly 1亿: not over
        tax(over, "2023-01", "100000000.00"),
        tax(over, "2023-02", "0.01"),  # one fen above 1亿
        tax(giant, "2023-03", "1200000000.00"),
        tax(giant, "2023-04", "-100000000.00"),  # refund: 11亿 in all
        tax(giant, "2022-12", "999.99"),  # another year
        tax(elsewhere, "2023-05", "300000000.00"),
    ]
    await feed.send_all(TOPIC_TAX, messages)
    await feed.send_all(
        TOPIC_OCCUPANCY,
        [
            occupancy(exactly, "2023-05", 10_000, 5_000),
            occupancy(exactly, "2023-11", 10_000, 9_000),  # latest month of 2023 counts
            occupancy(over, "2023-12", 30_000, 27_000),
            occupancy(giant, "2024-01", 50_000, 1_000),  # another year
        ],
    )
    await eventually(
        lambda: series(monitoring, exactly),
        lambda body: (
            (m := month(body, "2023-12")) is not None and m["tax_total_cny"] == "40000000.00"
        ),
    )
    for building, period in (
        (over, "2023-12"),
        (giant, "2024-01"),
        (elsewhere, "2023-05"),
        (giant, "2023-04"),
    ):
        await eventually(
            lambda b=building: series(monitoring, b),
            lambda body, p=period: month(body, p) is not None,
        )
    return {"exactly": exactly, "over": over, "giant": giant, "elsewhere": elsewhere}


class TestSeries:
    async def test_from_and_to_bound_the_months(
        self, monitoring: httpx.AsyncClient, loaded: dict
    ) -> None:
        body = (
            await monitoring.get(
                SERIES.format(loaded["giant"]), params={"from": "2023-01", "to": "2023-12"}
            )
        ).json()
        assert body["building_id"] == loaded["giant"]
        assert [m["period"] for m in body["months"]] == ["2023-03", "2023-04"]
        assert body["months"][1]["tax_total_cny"] == "-100000000.00"

    async def test_no_enterprise_level_figure_is_returned(
        self, monitoring: httpx.AsyncClient, loaded: dict
    ) -> None:
        text = (await monitoring.get(SERIES.format(loaded["exactly"]))).text
        assert "uscc" not in text and "91350100M000100Y43" not in text

    async def test_from_after_to_is_refused(
        self, monitoring: httpx.AsyncClient, loaded: dict
    ) -> None:
        response = await monitoring.get(
            SERIES.format(loaded["giant"]), params={"from": "2023-12", "to": "2023-01"}
        )
        assert response.status_code == 422

    async def test_malformed_period_is_refused(
        self, monitoring: httpx.AsyncClient, loaded: dict
    ) -> None:
        response = await monitoring.get(SERIES.format(loaded["giant"]), params={"from": "2023-13"})
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "from"

    async def test_unknown_building_is_404(self, monitoring: httpx.AsyncClient) -> None:
        assert (await monitoring.get(SERIES.format("nowhere"))).status_code == 404

    async def test_own_district_and_supervision_read_others_are_forbidden(
        self, monitoring: httpx.AsyncClient, loaded: dict
    ) -> None:
        url = SERIES.format(loaded["giant"])
        assert (await monitoring.get(url, auth=as_(district("wuzhong")))).status_code == 200
        assert (await monitoring.get(url, auth=as_(SUPERVISION))).status_code == 200
        assert (await monitoring.get(url, auth=as_(district("huqiu")))).status_code == 403
        assert (await monitoring.get(url, auth=None)).status_code == 401


class TestDistrictSummary:
    async def test_figures_for_the_year(self, monitoring: httpx.AsyncClient, loaded: dict) -> None:
        # Occupancy comes from each building-year's latest month, kept by the figures worker.
        response = await eventually(
            lambda: monitoring.get(SUMMARY.format("wuzhong"), params={"year": 2023}),
            lambda r: r.json()["occupancy_rate"] == pytest.approx(36_000 / 40_000),
        )
        body = response.json()
        assert body["district_id"] == "wuzhong" and body["year"] == 2023
        # 1亿 + (1亿 + 0.01) + 11亿
        assert body["tax_total_cny"] == "1300000000.01"
        # ÷ (40,000 + 60,000 + 100,000) m²
        assert body["tax_per_m2_cny"] == "6500.00"
        # latest month of 2023 per building: exactly 9,000/10,000 (Nov), over 27,000/30,000 (Dec)
        assert body["occupancy_rate"] == pytest.approx(36_000 / 40_000)
        assert body["buildings_over"] == {
            "100m": sorted([loaded["over"], loaded["giant"]]),
            "500m": [loaded["giant"]],
            "1b": [loaded["giant"]],
        }

    async def test_a_year_without_data(self, monitoring: httpx.AsyncClient, loaded: dict) -> None:
        body = (await monitoring.get(SUMMARY.format("wuzhong"), params={"year": 2020})).json()
        assert body["tax_total_cny"] == "0.00"
        assert body["occupancy_rate"] is None
        assert body["buildings_over"] == {"100m": [], "500m": [], "1b": []}

    async def test_year_is_required_and_bounded(self, monitoring: httpx.AsyncClient) -> None:
        assert (await monitoring.get(SUMMARY.format("gusu"))).status_code == 422
        assert (
            await monitoring.get(SUMMARY.format("gusu"), params={"year": 1800})
        ).status_code == 422

    async def test_unknown_district_is_404(self, monitoring: httpx.AsyncClient) -> None:
        assert (
            await monitoring.get(SUMMARY.format("mars"), params={"year": 2023})
        ).status_code == 404

    async def test_role_scoping(self, monitoring: httpx.AsyncClient) -> None:
        url, params = SUMMARY.format("gusu"), {"year": 2023}
        assert (
            await monitoring.get(url, params=params, auth=as_(district("gusu")))
        ).status_code == 200
        assert (await monitoring.get(url, params=params, auth=as_(SUPERVISION))).status_code == 200
        assert (
            await monitoring.get(url, params=params, auth=as_(district("sip")))
        ).status_code == 403
