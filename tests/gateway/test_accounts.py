"""People's accounts: created by the administrator, signed in with a password and a
second factor, held in a cookie session with CSRF protection, locked after failures, audited by
name. Against the gateway in front of the in-process services, on PostgreSQL (and Redis for the
cross-replica case)."""

from __future__ import annotations

from typing import Any

import asyncpg
import httpx
import pytest

from gateway.accounts import passwords
from tests.gateway.conftest import Stack, bearer, issue
from tests.gateway.people import GOOD_PASSWORD, USERS, create, signed_in


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
