"""People's accounts: created by the administrator, signed in with a password and a
second factor, held in a cookie session with CSRF protection, locked after failures, audited by
name. Against the gateway in front of the in-process services, on PostgreSQL (and Redis for the
cross-replica case)."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import asyncpg
import httpx
import pyotp
import pytest

from gateway.accounts import passwords
from tests.gateway.conftest import ADMIN_TOKEN, Stack, bearer, issue
from tests.gateway.test_limits import REDIS_URL, needs_redis
from tests.support import eventually

USERS = "/api/v1/auth/users"
GOOD_PASSWORD = "Suzhou-Lou-2023"


async def create(
    admin: httpx.AsyncClient, username: str, role: str = "district", **extra: Any
) -> dict:
    body = {"username": username, "display_name": f"{username}科长", "role": role, **extra}
    if role == "district":
        body.setdefault("district_id", "gusu")
    response = await admin.post(USERS, json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


class Person:
    """A browser: it keeps the cookie and sends the CSRF token with changes."""

    def __init__(self, base_url: str) -> None:
        self.http = httpx.AsyncClient(base_url=base_url)
        self.csrf = ""

    async def login(self, username: str, password: str, totp: str | None = None) -> httpx.Response:
        body = {"username": username, "password": password}
        if totp is not None:
            body["totp"] = totp
        response = await self.http.post("/api/v1/auth/login", json=body)
        if response.status_code == 200:
            self.csrf = response.json()["csrf_token"]
        return response

    async def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return await self.http.get(path, **kwargs)

    async def send(
        self, method: str, path: str, csrf: bool = True, **kwargs: Any
    ) -> httpx.Response:
        headers = {"X-CSRF-Token": self.csrf} if csrf else {}
        return await self.http.request(method, path, headers=headers, **kwargs)

    async def change_password(self, current: str, new: str) -> httpx.Response:
        return await self.send(
            "POST", "/api/v1/auth/password", json={"current_password": current, "new_password": new}
        )

    async def close(self) -> None:
        await self.http.aclose()


@pytest.fixture
async def browser(platform: Stack) -> Any:
    people: list[Person] = []

    def make(base_url: str | None = None) -> Person:
        person = Person(base_url or platform.gateway_url)
        people.append(person)
        return person

    yield make
    for person in people:
        await person.close()


async def signed_in(make: Any, admin: httpx.AsyncClient, username: str, **extra: Any) -> Person:
    """A person with a changed password, signed in and free to work."""
    user = await create(admin, username, **extra)
    person = make()
    assert (await person.login(username, user["initial_password"])).status_code == 200
    assert (
        await person.change_password(user["initial_password"], GOOD_PASSWORD)
    ).status_code == 204
    return person


class TestCreatingAccounts:
    async def test_the_admin_creates_an_account_with_a_one_time_password(
        self, admin: httpx.AsyncClient
    ) -> None:
        user = await create(admin, "wang.gusu")
        assert set(user) == {
            "id",
            "username",
            "display_name",
            "role",
            "district_id",
            "status",
            "initial_password",
        }
        assert user["role"] == "district" and user["district_id"] == "gusu"
        assert user["status"] == "active" and len(user["initial_password"]) >= 10
        listed = (await admin.get(USERS)).json()
        assert [u["username"] for u in listed] == ["wang.gusu"]
        assert "initial_password" not in listed[0] and "password_hash" not in str(listed)

    async def test_bindings_and_duplicates_are_refused(self, admin: httpx.AsyncClient) -> None:
        await create(admin, "li")
        assert (
            await admin.post(
                USERS, json={"username": "LI", "display_name": "李", "role": "supervision"}
            )
        ).status_code == 409
        for body in (
            {"username": "a1", "display_name": "甲", "role": "district"},
            {"username": "a2", "display_name": "乙", "role": "bureau"},
            {"username": "a3", "display_name": "丙", "role": "bureau", "unit": "不存在的局"},
            {"username": "a4", "display_name": "丁", "role": "supervision", "district_id": "gusu"},
        ):
            assert (await admin.post(USERS, json=body)).status_code == 422, body
        bureau = await create(admin, "zhu.jian", "bureau", unit="市住建局")
        assert bureau["unit"] == "市住建局"

    async def test_only_the_admin_manages_accounts(
        self, admin: httpx.AsyncClient, anonymous: httpx.AsyncClient
    ) -> None:
        for role, district in (("supervision", None), ("district", "gusu")):
            key = await issue(admin, role, district)
            headers = bearer(key)
            assert (await anonymous.get(USERS, headers=headers)).status_code == 403
            body = {"username": "x1", "display_name": "某", "role": "supervision"}
            assert (await anonymous.post(USERS, json=body, headers=headers)).status_code == 403


class TestSigningIn:
    async def test_first_sign_in_requires_a_password_change_before_anything_else(
        self, admin: httpx.AsyncClient, browser: Any
    ) -> None:
        user = await create(admin, "zhao")
        person = browser()
        response = await person.login("zhao", user["initial_password"])
        assert response.status_code == 200
        body = response.json()
        assert body["password_change_required"] is True and body["user"]["username"] == "zhao"
        cookie = response.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie and "secure" not in cookie
        assert (await person.get("/api/v1/districts")).status_code == 403
        assert (await person.get("/api/v1/auth/me")).json()["password_change_required"] is True
        changed = await person.change_password(user["initial_password"], GOOD_PASSWORD)
        assert changed.status_code == 204
        assert (await person.get("/api/v1/districts")).status_code == 200

    async def test_wrong_password_and_unknown_user_get_the_same_answer(
        self, admin: httpx.AsyncClient, browser: Any
    ) -> None:
        await create(admin, "qian")
        person = browser()
        wrong = await person.login("qian", "Not-The-Password-1")
        unknown = await person.login("nobody-here", "Not-The-Password-1")
        assert wrong.status_code == unknown.status_code == 401
        assert wrong.json() == unknown.json()
        assert "set-cookie" not in wrong.headers

    def test_an_unknown_user_costs_an_argon2_verification_too(self) -> None:
        # The dummy hash has the real hashes' parameters, so both paths do the same work.
        real = passwords.hash_password("Some-Password-1")
        assert passwords._DUMMY_HASH.split("$")[1:4] == real.split("$")[1:4]
        assert passwords.verify_password(None, "Some-Password-1") is False

    async def test_five_failures_lock_the_account_for_fifteen_minutes(
        self, admin: httpx.AsyncClient, browser: Any
    ) -> None:
        user = await create(admin, "sun")
        person = browser()
        for _ in range(5):
            assert (await person.login("sun", "Wrong-Password-9")).status_code == 401
        locked = await person.login("sun", user["initial_password"])
        assert locked.status_code == 401
        account = (await admin.get(f"{USERS}/{user['id']}")).json()
        assert account["locked_until"] is not None
        trail = (await admin.get("/api/v1/auth/audit", params={"user": "sun"})).json()["items"]
        assert "account_locked" in [e["event"] for e in trail]
        unlocked = await admin.patch(f"{USERS}/{user['id']}", json={"unlock": True})
        assert unlocked.json()["locked_until"] is None
        assert (await person.login("sun", user["initial_password"])).status_code == 200

    async def test_sign_in_attempts_from_one_address_are_limited(
        self, platform: Stack, admin: httpx.AsyncClient
    ) -> None:
        async with (
            platform.another_gateway(login_attempts_per_minute=3) as gateway,
            httpx.AsyncClient(base_url=gateway) as client,
        ):
            statuses = [
                (
                    await client.post("/api/v1/auth/login", json={"username": "x", "password": "y"})
                ).status_code
                for _ in range(5)
            ]
        assert statuses[:3] == [401, 401, 401] and statuses[3:] == [429, 429]


class TestPasswordPolicy:
    @pytest.mark.parametrize(
        ("new", "why"),
        [
            ("Short-1a", "at least 10"),
            ("alllowercase123", "three of"),
            ("Xzhou-Wei-2023", "username"),
        ],
    )
    async def test_weak_passwords_are_refused_with_reasons(
        self, admin: httpx.AsyncClient, browser: Any, new: str, why: str
    ) -> None:
        user = await create(admin, "zhou")
        person = browser()
        await person.login("zhou", user["initial_password"])
        response = await person.change_password(
            user["initial_password"], new.replace("Xzhou", "zhou")
        )
        assert response.status_code == 422
        assert why in str(response.json()["errors"])

    async def test_none_of_the_last_five_may_come_back(
        self, admin: httpx.AsyncClient, browser: Any
    ) -> None:
        person = await signed_in(browser, admin, "wu")
        current = GOOD_PASSWORD
        for n in range(4):
            following = f"Another-Pass-{n}x"
            assert (await person.change_password(current, following)).status_code == 204
            current = following
        again = await person.change_password(current, GOOD_PASSWORD)
        assert again.status_code == 422 and "last 5" in str(again.json()["errors"])

    async def test_an_expired_password_must_be_changed(
        self, admin: httpx.AsyncClient, browser: Any, pg_pool: asyncpg.Pool
    ) -> None:
        await signed_in(browser, admin, "zheng")
        async with pg_pool.acquire() as conn:
            await conn.execute(
                "UPDATE gateway.app_user SET password_changed_at = now() - interval '181 days'"
                " WHERE username = 'zheng'"
            )
        again = await browser().login("zheng", GOOD_PASSWORD)
        assert again.json()["password_change_required"] is True


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


class TestAdministratorReset:
    async def test_a_reset_gives_a_new_one_time_password_and_ends_sessions(
        self, admin: httpx.AsyncClient, browser: Any
    ) -> None:
        person = await signed_in(browser, admin, "lv")
        user_id = (await person.get("/api/v1/auth/me")).json()["user"]["id"]
        reset = await admin.patch(f"{USERS}/{user_id}", json={"reset": True})
        assert reset.status_code == 200 and reset.json()["initial_password"]
        assert (await person.get("/api/v1/auth/me")).status_code == 401
        again = await browser().login("lv", reset.json()["initial_password"])
        assert again.json()["password_change_required"] is True

    async def test_a_new_role_ends_sessions_and_applies_at_the_next_sign_in(
        self, admin: httpx.AsyncClient, browser: Any
    ) -> None:
        person = await signed_in(browser, admin, "kong")  # district staff of gusu
        user_id = (await person.get("/api/v1/auth/me")).json()["user"]["id"]
        changed = await admin.patch(
            f"{USERS}/{user_id}", json={"role": "bureau", "unit": "市住建局"}
        )
        assert changed.status_code == 200 and changed.json()["district_id"] is None
        assert (await person.get("/api/v1/auth/me")).status_code == 401
        again = browser()
        assert (await again.login("kong", GOOD_PASSWORD)).status_code == 200
        # A bureau reads no district's data.
        assert (await again.get("/api/v1/buildings")).status_code == 403
        bad = await admin.patch(f"{USERS}/{user_id}", json={"role": "district"})
        assert bad.status_code == 422  # a district role needs its district


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
            lambda: _trail(admin, "ma"), lambda items: any(e["event"] == "logout" for e in items)
        )
        events = [e["event"] for e in trail if e["event"]]
        assert {"login_failed", "login", "password_changed", "logout"} <= set(events)
        assert {"user_created"} <= {e["event"] for e in await _trail(admin, user["id"])}
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


async def _trail(admin: httpx.AsyncClient, user: str) -> list[dict]:
    response = await admin.get("/api/v1/auth/audit", params={"user": user, "limit": 100})
    return list(response.json()["items"])
