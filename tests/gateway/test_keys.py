"""API keys: issued by the admin, shown once, stored as hashes, revoked at once."""

from __future__ import annotations

import hashlib

import asyncpg
import httpx
import pytest

from tests.gateway.conftest import bearer, issue


class TestIssueKey:
    async def test_admin_issues_a_district_key(self, admin: httpx.AsyncClient) -> None:
        response = await admin.post(
            "/api/v1/auth/keys",
            json={"role": "district", "district_id": "gusu", "label": "姑苏区数据平台"},
        )
        assert response.status_code == 201
        body = response.json()
        assert set(body) == {"id", "key", "role", "district_id", "label"}
        assert body["role"] == "district" and body["district_id"] == "gusu"
        assert body["label"] == "姑苏区数据平台"

    async def test_the_key_is_stored_only_as_a_hash(
        self, admin: httpx.AsyncClient, pg_pool: asyncpg.Pool
    ) -> None:
        key = await issue(admin, "supervision")
        assert key not in (await admin.get("/api/v1/auth/keys")).text
        async with pg_pool.acquire() as conn:
            rows = await conn.fetch("SELECT * FROM gateway.api_key")
        assert [row["key_hash"] for row in rows] == [hashlib.sha256(key.encode()).hexdigest()]
        assert all(key not in str(value) for value in rows[0].values())

    @pytest.mark.parametrize(
        "body",
        [
            {"role": "district", "label": "x"},
            {"role": "district", "district_id": "mars", "label": "x"},
            {"role": "supervision", "district_id": "gusu", "label": "x"},
            {"role": "service", "label": "x"},
            {"role": "admin", "label": ""},
            {"role": "admin", "label": "x", "scopes": ["all"]},
        ],
    )
    async def test_invalid_requests_are_refused(self, admin: httpx.AsyncClient, body: dict) -> None:
        response = await admin.post("/api/v1/auth/keys", json=body)
        assert response.status_code == 422
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["errors"]

    @pytest.mark.parametrize(("role", "district"), [("district", "gusu"), ("supervision", None)])
    async def test_non_admins_are_forbidden(
        self,
        admin: httpx.AsyncClient,
        anonymous: httpx.AsyncClient,
        role: str,
        district: str | None,
    ) -> None:
        key = await issue(admin, role, district)
        response = await anonymous.post(
            "/api/v1/auth/keys", json={"role": "admin", "label": "escalation"}, headers=bearer(key)
        )
        assert response.status_code == 403

    async def test_an_issued_admin_key_can_issue_keys(
        self, admin: httpx.AsyncClient, anonymous: httpx.AsyncClient
    ) -> None:
        key = await issue(admin, "admin")
        response = await anonymous.post(
            "/api/v1/auth/keys",
            json={"role": "supervision", "label": "督查室"},
            headers=bearer(key),
        )
        assert response.status_code == 201


class TestAuthentication:
    async def test_no_key_is_401(self, anonymous: httpx.AsyncClient) -> None:
        response = await anonymous.get("/api/v1/districts")
        assert response.status_code == 401
        assert response.headers["content-type"] == "application/problem+json"
        assert response.headers["www-authenticate"].startswith("Bearer")

    @pytest.mark.parametrize("header", ["Bearer nope", "Basic dXNlcjpwdw==", "Bearer", "sbe_x"])
    async def test_unknown_or_malformed_key_is_401(
        self, anonymous: httpx.AsyncClient, header: str
    ) -> None:
        response = await anonymous.get("/api/v1/districts", headers={"Authorization": header})
        assert response.status_code == 401

    async def test_unknown_area_without_a_key_is_401_not_404(
        self, anonymous: httpx.AsyncClient
    ) -> None:
        assert (await anonymous.get("/api/v1/secret-area")).status_code == 401

    async def test_unknown_area_with_a_key_is_404(self, admin: httpx.AsyncClient) -> None:
        response = await admin.get("/api/v1/secret-area")
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"


class TestRevokeKey:
    async def test_a_revoked_key_is_refused_at_once(
        self, admin: httpx.AsyncClient, anonymous: httpx.AsyncClient
    ) -> None:
        issued = (
            await admin.post(
                "/api/v1/auth/keys", json={"role": "district", "district_id": "sip", "label": "x"}
            )
        ).json()
        headers = bearer(issued["key"])
        assert (
            await anonymous.get("/api/v1/districts", headers=headers)
        ).status_code == 200  # now cached
        assert (await admin.delete(f"/api/v1/auth/keys/{issued['id']}")).status_code == 204
        assert (await anonymous.get("/api/v1/districts", headers=headers)).status_code == 401
        listed = {k["id"]: k for k in (await admin.get("/api/v1/auth/keys")).json()}
        assert listed[issued["id"]]["revoked_at"] is not None

    async def test_unknown_key_id_is_404(self, admin: httpx.AsyncClient) -> None:
        assert (await admin.delete("/api/v1/auth/keys/key_missing")).status_code == 404

    async def test_district_key_cannot_revoke(
        self, admin: httpx.AsyncClient, anonymous: httpx.AsyncClient
    ) -> None:
        key = await issue(admin, "district", "gusu")
        victim = (
            await admin.post("/api/v1/auth/keys", json={"role": "supervision", "label": "v"})
        ).json()
        response = await anonymous.delete(f"/api/v1/auth/keys/{victim['id']}", headers=bearer(key))
        assert response.status_code == 403


class TestListKeys:
    async def test_admin_lists_keys_without_secrets(self, admin: httpx.AsyncClient) -> None:
        key = await issue(admin, "district", "wuzhong")
        keys = (await admin.get("/api/v1/auth/keys")).json()
        assert len(keys) == 1
        assert keys[0]["district_id"] == "wuzhong"
        assert keys[0]["prefix"] == key[: len(keys[0]["prefix"])]
        assert "key" not in keys[0] and "key_hash" not in keys[0]

    async def test_supervision_is_forbidden(
        self, admin: httpx.AsyncClient, anonymous: httpx.AsyncClient
    ) -> None:
        key = await issue(admin, "supervision")
        assert (await anonymous.get("/api/v1/auth/keys", headers=bearer(key))).status_code == 403
