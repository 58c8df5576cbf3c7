"""Held events are reviewed before they count, and an administrator may void one."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.events.conftest import event
from tests.support import SUPERVISION, as_, bureau, district, must

URL = "/api/v1/events"
GUSU = district("gusu")


def gusu_line(compliance: dict[str, Any]) -> dict[str, Any]:
    return next(d for d in compliance["districts"] if d["district_id"] == "gusu")


async def compliance(events: httpx.AsyncClient) -> dict[str, Any]:
    response = await events.get(f"{URL}/compliance", params={"year": 2023})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def held_by_gusu(events: httpx.AsyncClient, **overrides: Any) -> dict[str, Any]:
    response = await events.post(URL, json=event(**overrides), auth=as_(GUSU))
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


class TestADistrictCannotCountItsOwnEvents:
    async def test_a_held_event_entered_by_a_district_is_pending_and_does_not_count(
        self, events: httpx.AsyncClient
    ) -> None:
        created = await held_by_gusu(events)
        assert created["review"]["state"] == "pending" and created["review"]["by"] is None
        assert created["counts"] is False
        body = await compliance(events)
        assert gusu_line(body)["held"] == 0
        assert body["windows"][1]["held_promotions"] == 0
        assert body["pending"]["promotions"] == 1 and body["pending"]["districts"] == {"gusu": 1}
        assert any(m.startswith("姑苏区") and "待审核1场" in m for m in body["missing"])
        assert not any("待审核0场" in m for m in body["missing"])

    async def test_a_planned_event_marked_held_by_the_district_is_pending(
        self, events: httpx.AsyncClient
    ) -> None:
        created = await held_by_gusu(events, status="planned")
        assert created["review"] is None
        held = await events.patch(f"{URL}/{created['id']}", json={"status": "held"}, auth=as_(GUSU))
        assert held.json()["review"]["state"] == "pending"
        assert gusu_line(await compliance(events))["held"] == 0

    async def test_the_administrators_verification_makes_the_same_event_count(
        self, events: httpx.AsyncClient
    ) -> None:
        created = await held_by_gusu(events)
        verified = await events.post(
            f"{URL}/{created['id']}/review", json={"decision": "verified", "reason": "材料齐全"}
        )
        assert verified.status_code == 200, verified.text
        review = verified.json()["review"]
        assert review["state"] == "verified" and review["reason"] == "材料齐全"
        assert review["by"] and review["at"].endswith("+08:00")
        body = await compliance(events)
        assert gusu_line(body)["held"] == 1 and body["windows"][1]["held_promotions"] == 1
        assert body["pending"]["promotions"] == 0

    async def test_what_the_administrator_enters_is_verified_at_once(
        self, events: httpx.AsyncClient
    ) -> None:
        created = (await events.post(URL, json=event())).json()
        assert created["review"]["state"] == "verified" and created["counts"] is True

    async def test_a_rejection_gives_its_reason_and_the_district_reads_it(
        self, events: httpx.AsyncClient
    ) -> None:
        created = await held_by_gusu(events)
        no_reason = await events.post(
            f"{URL}/{created['id']}/review", json={"decision": "rejected"}
        )
        assert no_reason.status_code == 422
        rejected = await events.post(
            f"{URL}/{created['id']}/review",
            json={"decision": "rejected", "reason": "缺少签到表和现场照片"},
        )
        assert rejected.json()["review"]["state"] == "rejected"
        seen = (await events.get(f"{URL}/{created['id']}", auth=as_(GUSU))).json()
        assert seen["review"] == rejected.json()["review"]
        listed = await events.get(URL, params={"review": "rejected"}, auth=as_(GUSU))
        assert [e["id"] for e in listed.json()["items"]] == [created["id"]]
        assert gusu_line(await compliance(events))["held"] == 0

    async def test_a_district_changing_a_verified_outcome_is_reviewed_again(
        self, events: httpx.AsyncClient
    ) -> None:
        created = await held_by_gusu(events)
        must(await events.post(f"{URL}/{created['id']}/review", json={"decision": "verified"}))
        changed = await events.patch(
            f"{URL}/{created['id']}", json={"outcome": {"enterprises_signed": 40}}, auth=as_(GUSU)
        )
        assert changed.json()["review"]["state"] == "pending"

    @pytest.mark.parametrize(
        "principal", [GUSU, district("sip"), SUPERVISION, bureau("苏州市商务局")]
    )
    async def test_only_the_administrator_reviews(
        self, events: httpx.AsyncClient, principal: Any
    ) -> None:
        created = await held_by_gusu(events)
        response = await events.post(
            f"{URL}/{created['id']}/review", json={"decision": "verified"}, auth=as_(principal)
        )
        assert response.status_code == 403
        assert (await events.get(f"{URL}/{created['id']}")).json()["review"]["state"] == "pending"

    async def test_only_a_held_event_is_reviewed(self, events: httpx.AsyncClient) -> None:
        planned = await held_by_gusu(events, status="planned")
        response = await events.post(f"{URL}/{planned['id']}/review", json={"decision": "verified"})
        assert response.status_code == 409
        assert response.headers["content-type"] == "application/problem+json"


class TestVoiding:
    async def test_a_voided_event_stops_counting_and_keeps_its_history(
        self, events: httpx.AsyncClient
    ) -> None:
        created = (await events.post(URL, json=event())).json()
        assert gusu_line(await compliance(events))["held"] == 1
        voided = await events.post(f"{URL}/{created['id']}/void", json={"reason": "重复登记"})
        assert voided.status_code == 200, voided.text
        body = voided.json()
        assert body["status"] == "held" and body["counts"] is False
        assert body["voided"]["reason"] == "重复登记" and body["voided"]["at"].endswith("+08:00")
        assert gusu_line(await compliance(events))["held"] == 0
        again = await events.post(f"{URL}/{created['id']}/void", json={"reason": "再次"})
        assert again.status_code == 409
        change = await events.patch(f"{URL}/{created['id']}", json={"outcome": {"attendance": 9}})
        assert change.status_code == 409
        history = (await events.get(f"{URL}/{created['id']}/history", auth=as_(GUSU))).json()
        assert [h["action"] for h in history] == ["recorded", "voided"]
        assert history[1]["detail"] == {"reason": "重复登记"}

    @pytest.mark.parametrize("principal", [GUSU, SUPERVISION, bureau("苏州市商务局")])
    async def test_only_the_administrator_voids(
        self, events: httpx.AsyncClient, principal: Any
    ) -> None:
        created = (await events.post(URL, json=event())).json()
        response = await events.post(
            f"{URL}/{created['id']}/void", json={"reason": "x"}, auth=as_(principal)
        )
        assert response.status_code == 403

    async def test_a_planned_event_is_cancelled_not_voided(self, events: httpx.AsyncClient) -> None:
        created = (await events.post(URL, json=event(status="planned"))).json()
        response = await events.post(f"{URL}/{created['id']}/void", json={"reason": "x"})
        assert response.status_code == 409

    async def test_the_history_records_every_step(self, events: httpx.AsyncClient) -> None:
        created = await held_by_gusu(events, status="planned")
        must(await events.patch(f"{URL}/{created['id']}", json={"status": "held"}, auth=as_(GUSU)))
        must(
            await events.post(
                f"{URL}/{created['id']}/review", json={"decision": "rejected", "reason": "无佐证"}
            )
        )
        history = (await events.get(f"{URL}/{created['id']}/history")).json()
        assert [h["action"] for h in history] == ["recorded", "held", "reviewed"]
        assert history[2]["detail"] == {"decision": "rejected", "reason": "无佐证"}
        other = await events.get(f"{URL}/{created['id']}/history", auth=as_(district("sip")))
        assert other.status_code == 403


class TestCityEvents:
    @pytest.mark.parametrize("kind", ["conference", "joint_meeting"])
    async def test_a_district_scope_meeting_does_not_satisfy_the_city_rules(
        self, events: httpx.AsyncClient, kind: str
    ) -> None:
        must(await events.post(URL, json=event(kind=kind)))
        body = await compliance(events)
        assert body["conference"]["held"] == 0 and body["joint_meetings"]["h1"] == 0

    @pytest.mark.parametrize("kind", ["conference", "joint_meeting"])
    async def test_only_the_administrator_creates_city_meetings(
        self, events: httpx.AsyncClient, kind: str
    ) -> None:
        payload = event(kind=kind, scope="city", district_id=None)
        assert (await events.post(URL, json=payload, auth=as_(GUSU))).status_code == 403
        assert (await events.post(URL, json=payload)).status_code == 201
