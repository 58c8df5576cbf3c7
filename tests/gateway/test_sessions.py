"""People's sessions: held in a cookie with CSRF protection, idle and absolute ends, ended by
the person or the administrator, shared by replicas through Redis; the second factor; and the
audit trail naming the person and no secret."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import httpx
import pyotp
import pytest

from tests.gateway.conftest import ADMIN_TOKEN, Stack, bearer, issue
from tests.gateway.people import GOOD_PASSWORD, USERS, Person, audit_trail, create, signed_in
from tests.gateway.test_limits import REDIS_URL, needs_redis
from tests.support import eventually


class TestSessions:
    async def test_changes_need_the_csrf_token_and_keys_do_not(
        self, admin: httpx.AsyncClient, browser: Any
    ) -> None:
        person = await signed_in(browser, admin, "feng", role="admin")
        # (an admin without a second factor may only enrol one: use a supervision account)
        office = await signed_in(browser, admin, "chu", role="supervision")
        for who in (person, office):
            refused = await who.send(
                "POST", "/api/v1/auth/feed-tokens", csrf=False, json={"label": "日历"}
            )
            assert refused.status_code == 403
        made = await office.send("POST", "/api/v1/auth/feed-tokens", json={"label": "日历"})
        assert made.status_code == 201
        by_key = await admin.post("/api/v1/auth/feed-tokens", json={"label": "日历"})
        assert by_key.status_code == 201

    async def test_role_checks_are_those_of_a_key_with_the_same_role(
        self, admin: httpx.AsyncClient, browser: Any, anonymous: httpx.AsyncClient
    ) -> None:
        person = await signed_in(browser, admin, "chen")  # district staff of gusu
        key = await issue(admin, "district", "gusu")
        for path in ("/api/v1/buildings?district_id=sip", "/api/v1/auth/users"):
            assert (await person.get(path)).status_code == 403
            assert (await anonymous.get(path, headers=bearer(key))).status_code == 403
        assert (await person.get("/api/v1/buildings")).status_code == 200

    async def test_logout_ends_the_session(self, admin: httpx.AsyncClient, browser: Any) -> None:
        person = await signed_in(browser, admin, "han")
        assert (await person.send("POST", "/api/v1/auth/logout")).status_code == 204
        assert (await person.get("/api/v1/auth/me")).status_code == 401

    async def test_a_person_sees_and_ends_their_own_sessions(
        self, admin: httpx.AsyncClient, browser: Any
    ) -> None:
        person = await signed_in(browser, admin, "yang")
        laptop = browser()
        assert (await laptop.login("yang", GOOD_PASSWORD)).status_code == 200
        sessions = (await person.get("/api/v1/auth/sessions")).json()
        assert len(sessions) == 2 and sum(s["current"] for s in sessions) == 1
        other = next(s for s in sessions if not s["current"])
        assert (
            await person.send("DELETE", f"/api/v1/auth/sessions/{other['id']}")
        ).status_code == 204
        assert (await laptop.get("/api/v1/auth/me")).status_code == 401
        stranger = await signed_in(browser, admin, "qin")
        mine = (await person.get("/api/v1/auth/sessions")).json()[0]["id"]
        assert (await stranger.send("DELETE", f"/api/v1/auth/sessions/{mine}")).status_code == 404
        assert (await admin.delete(f"/api/v1/auth/sessions/{mine}")).status_code == 204
        assert (await person.get("/api/v1/auth/me")).status_code == 401

    async def test_idle_and_absolute_time_outs(
        self, platform: Stack, admin: httpx.AsyncClient
    ) -> None:
        user = await create(admin, "xu")
        async with platform.another_gateway(session_idle_minutes=0.02) as idle_gateway:
            person = Person(idle_gateway)
            try:
                await person.login("xu", user["initial_password"])
                assert (await person.get("/api/v1/auth/me")).status_code == 200
                await asyncio.sleep(1.6)  # longer than the 1.2 s idle time-out
                assert (await person.get("/api/v1/auth/me")).status_code == 401
            finally:
                await person.close()
        async with platform.another_gateway(session_absolute_hours=0.0005) as short_gateway:
            person = Person(short_gateway)
            try:
                signed_at = time.monotonic()
                login = await person.login("xu", user["initial_password"])
                assert login.status_code == 200, login.text
                # Used all along, the session still ends 1.8 s after sign-in.
                while time.monotonic() - signed_at < 1.2:
                    assert (await person.get("/api/v1/auth/me")).status_code == 200
                    await asyncio.sleep(0.2)
                await asyncio.sleep(max(0.0, 2.2 - (time.monotonic() - signed_at)))
                assert (await person.get("/api/v1/auth/me")).status_code == 401
            finally:
                await person.close()

    @needs_redis
    async def test_disabling_ends_sessions_at_once_on_every_replica(
        self, platform: Stack, admin: httpx.AsyncClient, browser: Any
    ) -> None:
        user = await create(admin, "he")
        async with (
            platform.another_gateway(redis_url=REDIS_URL) as first,
            platform.another_gateway(redis_url=REDIS_URL) as second,
        ):
            person = browser(second)
            await person.login("he", user["initial_password"])
            assert (await person.get("/api/v1/auth/me")).status_code == 200  # cached on `second`
            async with httpx.AsyncClient(base_url=first, headers=bearer(ADMIN_TOKEN)) as other:
                disabled = await other.patch(f"{USERS}/{user['id']}", json={"status": "disabled"})
                assert disabled.status_code == 200
            await eventually(
                lambda: person.get("/api/v1/auth/me"), lambda r: r.status_code == 401, within=5
            )
            assert (await person.login("he", user["initial_password"])).status_code == 401


class TestSecondFactor:
    async def test_an_admin_enrols_at_first_sign_in_and_then_needs_it(
        self, admin: httpx.AsyncClient, browser: Any
    ) -> None:
        person = await signed_in(browser, admin, "boss", role="admin")
        me = (await person.get("/api/v1/auth/me")).json()
        assert me["second_factor_enrolment_required"] is True
        assert (await person.get(USERS)).status_code == 403  # nothing else before enrolling
        enrolment = (await person.send("POST", "/api/v1/auth/totp/enrol")).json()
        assert enrolment["provisioning_uri"].startswith("otpauth://totp/")
        totp = pyotp.TOTP(enrolment["secret"])
        confirmed = await person.send(
            "POST", "/api/v1/auth/totp/confirm", json={"code": totp.now()}
        )
        assert confirmed.status_code == 200
        codes = confirmed.json()["recovery_codes"]
        assert len(codes) == 10 and len(set(codes)) == 10
        assert (await person.get(USERS)).status_code == 200

        later = browser()
        missing = await later.login("boss", GOOD_PASSWORD)
        assert missing.status_code == 401 and missing.json()["second_factor_required"] is True
        wrong = await later.login("boss", GOOD_PASSWORD, totp="000000")
        assert wrong.status_code == 401
        # A code is good once: the confirming one is spent; the next step's (accepted a step
        # early, for clock drift) signs in once and only once.
        code = totp.at(time.time() + totp.interval)
        assert (await later.login("boss", GOOD_PASSWORD, totp=code)).status_code == 200
        replayed = await browser().login("boss", GOOD_PASSWORD, totp=code)
        assert replayed.status_code == 401
        with_recovery = await browser().login("boss", GOOD_PASSWORD, totp=codes[0])
        assert with_recovery.status_code == 200
        spent = await browser().login("boss", GOOD_PASSWORD, totp=codes[0])
        assert spent.status_code == 401

    async def test_a_setting_requires_it_of_everyone(
        self, platform: Stack, admin: httpx.AsyncClient
    ) -> None:
        user = await create(admin, "cao", role="supervision")
        async with platform.another_gateway(second_factor_for_all=True) as gateway:
            person = Person(gateway)
            try:
                await person.login("cao", user["initial_password"])
                await person.change_password(user["initial_password"], GOOD_PASSWORD)
                me = (await person.get("/api/v1/auth/me")).json()
                assert me["second_factor_enrolment_required"] is True
                assert (await person.get("/api/v1/districts")).status_code == 403
            finally:
                await person.close()


class TestAudit:
    async def test_security_events_and_requests_name_the_person_and_no_secret(
        self, admin: httpx.AsyncClient, browser: Any, caplog: pytest.LogCaptureFixture
    ) -> None:
        caplog.set_level(logging.DEBUG)
        user = await create(admin, "ma")
        person = browser()
        await person.login("ma", "Wrong-Password-1")
        signed = await person.login("ma", user["initial_password"])
        token = signed.cookies.get("sbe_session") or person.http.cookies.get("sbe_session")
        await person.change_password(user["initial_password"], GOOD_PASSWORD)
        await person.get("/api/v1/districts")
        await person.send("POST", "/api/v1/auth/logout")
        trail = await eventually(
            lambda: audit_trail(admin, "ma"),
            lambda items: any(e["event"] == "logout" for e in items),
        )
        events = [e["event"] for e in trail if e["event"]]
        assert {"login_failed", "login", "password_changed", "logout"} <= set(events)
        assert {"user_created"} <= {e["event"] for e in await audit_trail(admin, user["id"])}
        request = next(e for e in trail if e["path"] == "/api/v1/districts")
        assert request["username"] == "ma" and request["user_id"] == user["id"]
        assert request["key_id"] is None
        # What the platform logged (the test's own HTTP client logs what it sends and receives).
        platform_lines = [
            caplog.handler.format(r)
            for r in caplog.records
            if not r.name.startswith(("httpx", "httpcore"))
        ]
        everything = str(trail) + "\n".join(platform_lines)
        for secret in (user["initial_password"], GOOD_PASSWORD, token, person.csrf):
            assert secret and secret not in everything
