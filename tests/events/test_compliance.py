"""The year against the plan: windows, conference, joint meetings, districts vs targets."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from policy import district_ids, districts
from services.evaluation.reference import targets_2023
from tests.conftest import Services
from tests.support import ADMIN, SUPERVISION, as_, district

Record = Callable[..., Awaitable[dict[str, Any]]]
URL = "/api/v1/events/compliance"


def day(month: int, dom: int = 10, hour: int = 9) -> dict[str, str]:
    return {
        "starts_at": f"2023-{month:02d}-{dom:02d}T{hour:02d}:30:00+08:00",
        "ends_at": f"2023-{month:02d}-{dom:02d}T{hour + 1:02d}:30:00+08:00",
    }


class TestCompliance:
    async def test_an_empty_year_misses_everything(self, events: httpx.AsyncClient) -> None:
        body = (await events.get(URL, params={"year": 2023})).json()
        assert body["year"] == 2023 and body["ok"] is False
        assert [(w["start"], w["end"]) for w in body["windows"]] == [
            (f"2023-{m:02d}", f"2023-{m + 1:02d}") for m in (1, 3, 5, 7, 9, 11)
        ]
        assert all(not w["ok"] for w in body["windows"])
        assert body["conference"] == {"held": 0, "ok": False}
        assert body["joint_meetings"] == {"h1": 0, "h2": 0, "ok": False}
        assert [d["district_id"] for d in body["districts"]] == list(district_ids())
        gusu = next(d for d in body["districts"] if d["district_id"] == "gusu")
        assert gusu == {
            "district_id": "gusu",
            "target": targets_2023()["gusu"]["promotion_events"],
            "held": 0,
            "planned": 0,
            "ok": False,
        }
        assert any("姑苏区" in line and "还差6场" in line for line in body["missing"])

    async def test_held_events_count_and_planned_ones_do_not(
        self, events: httpx.AsyncClient, record: Record
    ) -> None:
        await record(**day(1))  # gusu promotion, district scope, Jan (window 1)
        await record(
            scope="city", district_id="sip", venue="园区", **day(4)
        )  # city promotion, window 2
        await record(status="planned", venue="另一会场", **day(12))  # planned: not in window 6
        await record(status="cancelled", venue="第三会场", **day(12, 12))
        await record(
            kind="conference", scope="city", district_id=None, venue="市会议中心", **day(6)
        )
        await record(
            kind="joint_meeting", scope="city", district_id=None, venue="市发改委", **day(3)
        )
        body = (await events.get(URL, params={"year": 2023})).json()
        assert [w["held_promotions"] for w in body["windows"]] == [1, 1, 0, 0, 0, 0]
        assert body["conference"] == {"held": 1, "ok": True}
        assert body["joint_meetings"] == {"h1": 1, "h2": 0, "ok": False}
        gusu = next(d for d in body["districts"] if d["district_id"] == "gusu")
        assert (gusu["held"], gusu["planned"]) == (1, 1)
        sip = next(d for d in body["districts"] if d["district_id"] == "sip")
        assert sip["held"] == 0  # a city promotion hosted by sip is not sip's own
        assert "2023年下半年尚未召开楼宇经济联席会议" in body["missing"]

    async def test_a_year_meeting_every_rule_is_ok(
        self, events: httpx.AsyncClient, record: Record, services: Services
    ) -> None:
        targets = {
            "targets": [
                {
                    "district_id": d,
                    "new_100m_buildings": 0,
                    "cumulative_100m_buildings": 0,
                    "new_featured_buildings": 0,
                    "stock_renovations": 0,
                    "promotion_events": 1 if d == "gusu" else 0,
                }
                for d in district_ids()
            ]
        }
        evaluation = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=services.apps["evaluation"]),
            base_url="http://e",
            auth=as_(ADMIN),
        )
        async with evaluation:
            assert (
                await evaluation.put("/api/v1/evaluation/targets/2023", json=targets)
            ).status_code == 200
        for month in (1, 3, 5, 7, 9, 11):
            await record(scope="city", district_id=None, venue=f"会场{month}", **day(month))
        await record(**day(2))
        await record(
            kind="conference", scope="city", district_id=None, venue="市会议中心", **day(6)
        )
        await record(
            kind="joint_meeting", scope="city", district_id=None, venue="市发改委", **day(3)
        )
        await record(
            kind="joint_meeting", scope="city", district_id=None, venue="市发改委", **day(9)
        )
        body = (await events.get(URL, params={"year": 2023})).json()
        assert body["ok"] is True, body["missing"]
        assert body["missing"] == []

    async def test_only_city_conferences_and_joint_meetings_count(
        self, events: httpx.AsyncClient, record: Record
    ) -> None:
        # A district records its own "conference" and "joint meeting": the plan's are the city's.
        await record(kind="conference", venue="区会议中心", **day(6))
        await record(kind="joint_meeting", venue="区政府", **day(3))
        await record(kind="joint_meeting", venue="区政府", **day(9))
        body = (await events.get(URL, params={"year": 2023})).json()
        assert body["conference"] == {"held": 0, "ok": False}
        assert body["joint_meetings"] == {"h1": 0, "h2": 0, "ok": False}
        await record(
            kind="conference", scope="city", district_id=None, venue="市会议中心", **day(6, 12)
        )
        body = (await events.get(URL, params={"year": 2023})).json()
        assert body["conference"] == {"held": 1, "ok": True}

    async def test_a_district_key_sees_its_own_line(self, events: httpx.AsyncClient) -> None:
        body = (await events.get(URL, params={"year": 2023}, auth=as_(district("sip")))).json()
        assert [d["district_id"] for d in body["districts"]] == ["sip"]
        # Other districts' shortfalls are theirs: only sip's own line and city-wide facts.
        others = [d.name_zh for d in districts() if d.district_id != "sip"]
        assert not [m for m in body["missing"] if any(m.startswith(n) for n in others)]
        assert any(m.startswith("苏州工业园区") for m in body["missing"])
        assert "2023年尚未召开市级楼宇发展大会" in body["missing"]
        assert (
            await events.get(URL, params={"year": 2023}, auth=as_(SUPERVISION))
        ).status_code == 200

    async def test_year_is_required(self, events: httpx.AsyncClient) -> None:
        assert (await events.get(URL)).status_code == 422

    async def test_a_year_without_targets_says_so(self, events: httpx.AsyncClient) -> None:
        body = (await events.get(URL, params={"year": 2031})).json()
        assert all(d["target"] is None and d["ok"] for d in body["districts"])
        assert "2031年尚未设定各地推介活动目标" in body["missing"]
