"""The rotation planner's guarantees, on several sets of targets including 2023's."""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from datetime import date, datetime
from typing import Any

import chinese_calendar
import httpx
import pytest

from policy import district_ids
from services.evaluation.reference import targets_2023
from tests.support import SUPERVISION, as_, district, must

PROPOSE = "/api/v1/events/plans/proposals"
ACCEPT = "/api/v1/events/plans/accept"

ANNEX_1 = {d: t["promotion_events"] for d, t in targets_2023().items()}
TARGET_SETS = {
    "annex-1-2023": ANNEX_1,
    "none": dict.fromkeys(district_ids(), 0),
    "uneven": {**dict.fromkeys(district_ids(), 1), "sip": 12, "huqiu": 24},
    "monthly": dict.fromkeys(district_ids(), 12),
}


def on(event: dict[str, Any]) -> date:
    return datetime.fromisoformat(event["starts_at"]).date()


def check_guarantees(year: int, proposal: dict[str, Any], targets: dict[str, int]) -> None:
    proposed = proposal["events"]
    city = [e for e in proposed if e["kind"] == "promotion" and e["scope"] == "city"]
    windows = {(on(e).month - 1) // 2 for e in city}
    assert windows == set(range(6)), "a city-wide promotion in every two-month window"
    hosts = [e["district_id"] for e in city]
    assert len(set(hosts)) == 6, "hosting rotates among the districts"
    assert Counter(e["kind"] for e in proposed)["conference"] == 1
    meetings = [on(e) for e in proposed if e["kind"] == "joint_meeting"]
    assert sorted(d.month <= 6 for d in meetings) == [False, True], "one joint meeting each half"
    own: dict[str, list[date]] = defaultdict(list)
    for e in proposed:
        if e["kind"] == "promotion" and e["scope"] == "district":
            own[e["district_id"]].append(on(e))
    for district_id, count in targets.items():
        days = sorted(own[district_id])
        assert len(days) == count, district_id
        if count > 1:  # spread evenly: no gap more than twice the even spacing
            spacing = 365 / count
            assert max((b - a).days for a, b in itertools.pairwise(days)) <= 2 * spacing + 7
    for e in proposed:
        day = on(e)
        assert day.year == year and day.weekday() < 5, e
        if year <= 2026:
            assert chinese_calendar.is_workday(day), f"{day} is a holiday"
    venue_days = Counter((e["venue"], on(e)) for e in proposed)
    assert max(venue_days.values()) == 1, "no venue twice a day"


class TestProposals:
    @pytest.mark.parametrize("name", TARGET_SETS)
    async def test_every_rule_is_met(self, events: httpx.AsyncClient, name: str) -> None:
        targets = TARGET_SETS[name]
        response = await events.post(
            PROPOSE, json={"year": 2026, "targets": targets, "starting": "2026-01-01"}
        )
        assert response.status_code == 200, response.text
        proposal = response.json()
        check_guarantees(2026, proposal, targets)
        assert len(proposal["digest"]) == 64

    async def test_the_years_targets_in_force_are_used_by_default(
        self, events: httpx.AsyncClient
    ) -> None:
        proposal = (
            await events.post(PROPOSE, json={"year": 2023, "starting": "2023-01-01"})
        ).json()
        check_guarantees(2023, proposal, ANNEX_1)
        assert "所安排的日期有的已经过去" in proposal["warnings"]

    async def test_a_year_beyond_the_holiday_data_says_so(self, events: httpx.AsyncClient) -> None:
        proposal = (await events.post(PROPOSE, json={"year": 2027, "targets": ANNEX_1})).json()
        check_guarantees(2027, proposal, ANNEX_1)
        assert any("节假日数据尚未覆盖2027年" in w for w in proposal["warnings"])

    async def test_existing_events_are_counted(self, events: httpx.AsyncClient) -> None:
        must(
            await events.post(
                "/api/v1/events",
                json={
                    "kind": "promotion",
                    "scope": "district",
                    "district_id": "gusu",
                    "title": "已有",
                    "starts_at": "2027-03-03T09:30:00+08:00",
                    "ends_at": "2027-03-03T11:30:00+08:00",
                    "venue": "姑苏区会展中心",
                    "status": "planned",
                },
            )
        )
        proposal = (await events.post(PROPOSE, json={"year": 2027, "targets": {"gusu": 3}})).json()
        gusu = [
            e for e in proposal["events"] if e["district_id"] == "gusu" and e["scope"] == "district"
        ]
        assert len(gusu) == 2

    async def test_the_same_request_gives_the_same_proposal(
        self, events: httpx.AsyncClient
    ) -> None:
        request = {"year": 2027, "targets": ANNEX_1}
        first = (await events.post(PROPOSE, json=request)).json()
        second = (await events.post(PROPOSE, json=request)).json()
        assert first == second

    async def test_unknown_districts_are_refused(self, events: httpx.AsyncClient) -> None:
        response = await events.post(PROPOSE, json={"year": 2027, "targets": {"mars": 1}})
        assert response.status_code == 422


class TestAccept:
    async def test_accepting_creates_the_planned_events(self, events: httpx.AsyncClient) -> None:
        request = {"year": 2027, "targets": {"gusu": 2, "sip": 1}}
        proposal = (await events.post(PROPOSE, json=request)).json()
        response = await events.post(ACCEPT, json={**request, "digest": proposal["digest"]})
        assert response.status_code == 201, response.text
        assert response.json()["created"] == len(proposal["events"])
        compliance = (await events.get("/api/v1/events/compliance", params={"year": 2027})).json()
        planned = {d["district_id"]: d["planned"] for d in compliance["districts"]}
        assert planned["gusu"] == 2 and planned["sip"] == 1
        again = (await events.post(PROPOSE, json=request)).json()
        assert again["events"] == [], "nothing more is needed"

    async def test_a_stale_digest_is_a_conflict(self, events: httpx.AsyncClient) -> None:
        request = {"year": 2027, "targets": {"gusu": 2}}
        response = await events.post(ACCEPT, json={**request, "digest": "0" * 64})
        assert response.status_code == 409
        assert (await events.get("/api/v1/events", params={"year": 2027})).json()["total"] == 0

    async def test_roles(self, events: httpx.AsyncClient) -> None:
        request = {"year": 2027, "targets": {"gusu": 1}}
        assert (await events.post(PROPOSE, json=request, auth=as_(SUPERVISION))).status_code == 200
        assert (
            await events.post(PROPOSE, json=request, auth=as_(district("gusu")))
        ).status_code == 403
        digest = (await events.post(PROPOSE, json=request)).json()["digest"]
        body = {**request, "digest": digest}
        assert (await events.post(ACCEPT, json=body, auth=as_(SUPERVISION))).status_code == 403
        assert (await events.post(ACCEPT, json=body, auth=as_(district("gusu")))).status_code == 403
