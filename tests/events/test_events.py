"""Recording events and moving their status."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

from tests.events.conftest import event
from tests.support import SUPERVISION, as_, district, must

Record = Callable[..., Awaitable[dict[str, Any]]]
URL = "/api/v1/events"


class TestRecordEvent:
    async def test_admin_records_a_city_event(self, events: httpx.AsyncClient) -> None:
        response = await events.post(
            URL,
            json=event(kind="conference", scope="city", district_id=None, title="楼宇经济发展大会"),
        )
        assert response.status_code == 201
        body = response.json()
        assert body["kind"] == "conference" and body["scope"] == "city"
        assert body["starts_at"] == "2023-03-15T09:30:00+08:00"

    async def test_times_are_shown_in_beijing_time(self, events: httpx.AsyncClient) -> None:
        response = await events.post(
            URL, json=event(starts_at="2023-03-15T01:30:00Z", ends_at="2023-03-15T03:30:00Z")
        )
        assert response.json()["starts_at"] == "2023-03-15T09:30:00+08:00"

    async def test_district_records_its_own_district_event(self, events: httpx.AsyncClient) -> None:
        response = await events.post(URL, json=event(), auth=as_(district("gusu")))
        assert response.status_code == 201

    @pytest.mark.parametrize(
        ("principal", "payload"),
        [
            (district("sip"), event()),
            (district("gusu"), event(scope="city")),
            (SUPERVISION, event()),
        ],
        ids=["other-district", "district-city-event", "supervision"],
    )
    async def test_others_are_forbidden(
        self, events: httpx.AsyncClient, principal: Any, payload: dict
    ) -> None:
        assert (await events.post(URL, json=payload, auth=as_(principal))).status_code == 403

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"ends_at": "2023-03-15T09:00:00+08:00"}, "ends_at"),
            ({"scope": "district", "district_id": None}, "district_id"),
            ({"district_id": "mars"}, "district_id"),
            ({"kind": "banquet"}, "kind"),
            ({"starts_at": "2023-03-15T09:30:00"}, "starts_at"),
            ({"status": "planned", "outcome": {"attendance": 3}}, "outcome"),
            (
                {"starts_at": "0939-09-19T02:10:32-03:31", "ends_at": "1810-06-19T03:55:39Z"},
                "starts_at",
            ),
        ],
        ids=[
            "end-before-start",
            "no-district",
            "unknown-district",
            "kind",
            "naive-time",
            "outcome",
            "before-2000",
        ],
    )
    async def test_invalid_events_are_refused(
        self, events: httpx.AsyncClient, overrides: dict, field: str
    ) -> None:
        response = await events.post(URL, json=event(**overrides))
        assert response.status_code == 422
        assert response.headers["content-type"] == "application/problem+json"

    async def test_a_held_event_cannot_lie_in_the_future(self, events: httpx.AsyncClient) -> None:
        response = await events.post(
            URL,
            json=event(starts_at="2099-03-15T09:30:00+08:00", ends_at="2099-03-15T11:30:00+08:00"),
        )
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "status"

    async def test_overlap_at_one_venue_is_a_conflict_naming_the_other(
        self, events: httpx.AsyncClient, record: Record
    ) -> None:
        first = await record()
        response = await events.post(
            URL,
            json=event(
                district_id="sip",
                starts_at="2023-03-15T11:00:00+08:00",
                ends_at="2023-03-15T12:00:00+08:00",
            ),
        )
        assert response.status_code == 409
        assert response.json()["conflicting_event"] == first["id"]
        assert first["id"] in response.json()["detail"]

    async def test_back_to_back_and_cancelled_events_do_not_conflict(
        self, events: httpx.AsyncClient, record: Record
    ) -> None:
        first = await record(status="planned")
        after = event(starts_at="2023-03-15T11:30:00+08:00", ends_at="2023-03-15T12:30:00+08:00")
        assert (await events.post(URL, json=after)).status_code == 201
        must(await events.patch(f"{URL}/{first['id']}", json={"status": "cancelled"}))
        assert (await events.post(URL, json=event())).status_code == 201


class TestStatus:
    async def test_planned_becomes_held_with_its_outcome(
        self, events: httpx.AsyncClient, record: Record
    ) -> None:
        planned = await record(status="planned")
        response = await events.patch(
            f"{URL}/{planned['id']}",
            json={"status": "held", "outcome": {"attendance": 180, "enterprises_signed": 12}},
        )
        assert response.status_code == 200
        body = response.json()
        assert body["status"] == "held"
        assert body["outcome"] == {"attendance": 180, "enterprises_signed": 12, "notes": None}

    async def test_planned_becomes_cancelled(
        self, events: httpx.AsyncClient, record: Record
    ) -> None:
        planned = await record(status="planned")
        response = await events.patch(f"{URL}/{planned['id']}", json={"status": "cancelled"})
        assert response.json()["status"] == "cancelled"

    @pytest.mark.parametrize(
        ("start", "change"),
        [
            ("held", {"status": "cancelled"}),
            ("held", {"status": "planned"}),
            ("cancelled", {"status": "held"}),
            ("cancelled", {"status": "planned"}),
            ("held", {"title": "改名"}),
        ],
    )
    async def test_held_and_cancelled_are_final(
        self, events: httpx.AsyncClient, record: Record, start: str, change: dict
    ) -> None:
        created = await record(status="planned")
        must(await events.patch(f"{URL}/{created['id']}", json={"status": start}))
        response = await events.patch(f"{URL}/{created['id']}", json=change)
        assert response.status_code == 409

    async def test_a_held_events_outcome_can_be_recorded_later(
        self, events: httpx.AsyncClient, record: Record
    ) -> None:
        held = await record()
        response = await events.patch(f"{URL}/{held['id']}", json={"outcome": {"notes": "签约3家"}})
        assert response.status_code == 200
        assert response.json()["outcome"]["notes"] == "签约3家"

    async def test_a_future_event_cannot_be_marked_held(
        self, events: httpx.AsyncClient, record: Record
    ) -> None:
        future = await record(
            status="planned",
            starts_at="2099-05-01T09:30:00+08:00",
            ends_at="2099-05-01T11:30:00+08:00",
        )
        response = await events.patch(f"{URL}/{future['id']}", json={"status": "held"})
        assert response.status_code == 422

    async def test_moving_a_planned_event_onto_a_taken_venue_is_a_conflict(
        self, events: httpx.AsyncClient, record: Record
    ) -> None:
        await record()
        other = await record(
            status="planned",
            starts_at="2023-04-01T09:30:00+08:00",
            ends_at="2023-04-01T11:30:00+08:00",
        )
        response = await events.patch(
            f"{URL}/{other['id']}",
            json={"starts_at": "2023-03-15T10:00:00+08:00", "ends_at": "2023-03-15T12:00:00+08:00"},
        )
        assert response.status_code == 409

    async def test_districts_change_only_their_own(
        self, events: httpx.AsyncClient, record: Record
    ) -> None:
        planned = await record(status="planned")
        url = f"{URL}/{planned['id']}"
        assert (
            await events.patch(url, json={"status": "cancelled"}, auth=as_(district("sip")))
        ).status_code == 403
        assert (
            await events.patch(url, json={"status": "cancelled"}, auth=as_(SUPERVISION))
        ).status_code == 403
        assert (
            await events.patch(url, json={"status": "cancelled"}, auth=as_(district("gusu")))
        ).status_code == 200

    async def test_unknown_event_is_404(self, events: httpx.AsyncClient) -> None:
        assert (await events.patch(f"{URL}/nope", json={"status": "held"})).status_code == 404
        assert (await events.get(f"{URL}/nope")).status_code == 404


class TestListEvents:
    async def test_year_follows_beijing_time(
        self, events: httpx.AsyncClient, record: Record
    ) -> None:
        new_year = await record(
            starts_at="2024-01-01T00:30:00+08:00", ends_at="2024-01-01T01:30:00+08:00"
        )
        in_2023 = (await events.get(URL, params={"year": 2023})).json()
        in_2024 = (await events.get(URL, params={"year": 2024})).json()
        assert new_year["id"] not in [e["id"] for e in in_2023["items"]]
        assert [e["id"] for e in in_2024["items"]] == [new_year["id"]]

    async def test_filters_by_kind_and_district(
        self, events: httpx.AsyncClient, record: Record
    ) -> None:
        await record()
        await record(district_id="sip", venue="园区会展中心")
        await record(kind="joint_meeting", scope="city", district_id=None, venue="市发改委")
        assert (await events.get(URL, params={"kind": "joint_meeting"})).json()["total"] == 1
        assert (await events.get(URL, params={"district_id": "sip"})).json()["total"] == 1

    async def test_a_district_key_sees_its_own_and_the_city_events(
        self, events: httpx.AsyncClient, record: Record
    ) -> None:
        own = await record()
        await record(district_id="sip", venue="园区会展中心")
        city = await record(kind="conference", scope="city", district_id=None, venue="市会议中心")
        page = (await events.get(URL, auth=as_(district("gusu")))).json()
        assert {e["id"] for e in page["items"]} == {own["id"], city["id"]}
        assert (
            await events.get(URL, params={"district_id": "sip"}, auth=as_(district("gusu")))
        ).status_code == 403

    async def test_another_districts_event_is_forbidden(
        self, events: httpx.AsyncClient, record: Record
    ) -> None:
        other = await record(district_id="sip", venue="园区会展中心")
        assert (
            await events.get(f"{URL}/{other['id']}", auth=as_(district("gusu")))
        ).status_code == 403
        assert (await events.get(f"{URL}/{other['id']}", auth=as_(SUPERVISION))).status_code == 200


class TestPublication:
    async def test_every_change_is_published_with_the_whole_event(
        self, events: httpx.AsyncClient, record: Record, broker: str
    ) -> None:
        import asyncio

        import orjson

        from tests.support import read_topic

        planned = await record(status="planned")
        must(await events.patch(f"{URL}/{planned['id']}", json={"status": "held"}))
        messages = await asyncio.to_thread(
            read_topic, broker, "sbe.events.v1", keys={planned["id"]}, want=2
        )
        assert [orjson.loads(v)["status"] for _, v in messages] == ["planned", "held"]
        assert orjson.loads(messages[-1][1])["district_id"] == "gusu"
