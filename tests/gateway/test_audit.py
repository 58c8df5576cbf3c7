"""Every use of a key is audited (who, what, when) in a table the admin can query."""

from __future__ import annotations

import asyncio

import httpx

from tests.gateway.conftest import bearer, issue


async def audit(admin: httpx.AsyncClient, **params: str) -> dict:
    await asyncio.sleep(0.2)  # the gateway writes the trail in batches every 50 ms in tests
    response = await admin.get("/api/v1/auth/audit", params=params)
    assert response.status_code == 200
    return response.json()


class TestAuditTrail:
    async def test_a_keys_use_is_recorded(
        self, admin: httpx.AsyncClient, anonymous: httpx.AsyncClient
    ) -> None:
        key = await issue(admin, "district", "gusu")
        keys = (await admin.get("/api/v1/auth/keys")).json()
        key_id = keys[0]["id"]
        await anonymous.get(
            "/api/v1/buildings?limit=5", headers={**bearer(key), "X-Request-ID": "audit-1"}
        )
        trail = await audit(admin, key_id=key_id)
        assert trail["total"] == 1
        entry = trail["items"][0]
        assert entry["role"] == "district" and entry["district_id"] == "gusu"
        assert entry["method"] == "GET" and entry["path"] == "/api/v1/buildings"
        assert entry["query"] == "limit=5"
        assert entry["status"] == 200
        assert entry["request_id"] == "audit-1"

    async def test_refused_attempts_are_recorded_too(
        self, admin: httpx.AsyncClient, anonymous: httpx.AsyncClient
    ) -> None:
        await anonymous.get("/api/v1/districts", headers={"Authorization": "Bearer wrong"})
        trail = await audit(admin)
        refused = [e for e in trail["items"] if e["status"] == 401]
        assert refused and refused[0]["key_id"] is None

    async def test_only_the_admin_reads_the_trail(
        self, admin: httpx.AsyncClient, anonymous: httpx.AsyncClient
    ) -> None:
        key = await issue(admin, "supervision")
        assert (await anonymous.get("/api/v1/auth/audit", headers=bearer(key))).status_code == 403

    async def test_time_filters_need_a_time_zone(self, admin: httpx.AsyncClient) -> None:
        assert (
            await admin.get("/api/v1/auth/audit", params={"from": "2026-01-01T00:00:00"})
        ).status_code == 422
        ok = await admin.get("/api/v1/auth/audit", params={"from": "2026-01-01T00:00:00+08:00"})
        assert ok.status_code == 200
