"""The iCalendar feed (RFC 5545), parsed back by the library."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from icalendar import Calendar

from tests.support import as_, district

Record = Callable[..., Awaitable[dict[str, Any]]]


class TestCalendarFeed:
    async def test_events_parse_back_with_their_times_and_status(
        self, events: httpx.AsyncClient, record: Record
    ) -> None:
        held = await record()
        planned = await record(
            kind="conference",
            scope="city",
            district_id=None,
            venue="市会议中心",
            status="planned",
            starts_at="2030-06-15T09:00:00+08:00",
            ends_at="2030-06-15T17:00:00+08:00",
            title="楼宇经济发展大会",
        )
        response = await events.get("/api/v1/events/calendar.ics")
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/calendar")
        calendar = Calendar.from_ical(response.content)
        entries = {str(e["uid"]).split("@")[0]: e for e in calendar.walk("VEVENT")}
        assert set(entries) == {held["id"], planned["id"]}
        conference = entries[planned["id"]]
        assert str(conference["summary"]) == "楼宇经济发展大会"
        assert str(conference["status"]) == "TENTATIVE"
        start = conference.decoded("dtstart")
        assert start.isoformat() == "2030-06-15T09:00:00+08:00"
        assert str(entries[held["id"]]["status"]) == "CONFIRMED"
        assert calendar.walk("VTIMEZONE"), "the time zone travels with the feed"

    async def test_filters_by_kind_and_district(
        self, events: httpx.AsyncClient, record: Record
    ) -> None:
        await record()
        await record(district_id="sip", venue="园区")
        await record(kind="joint_meeting", scope="city", district_id=None, venue="市发改委")

        def count(response: httpx.Response) -> int:
            return len(Calendar.from_ical(response.content).walk("VEVENT"))

        assert (
            count(await events.get("/api/v1/events/calendar.ics", params={"kind": "joint_meeting"}))
            == 1
        )
        assert (
            count(await events.get("/api/v1/events/calendar.ics", params={"district_id": "sip"}))
            == 1
        )
        mine = await events.get("/api/v1/events/calendar.ics", auth=as_(district("gusu")))
        assert count(mine) == 2  # its own promotion and the city meeting
