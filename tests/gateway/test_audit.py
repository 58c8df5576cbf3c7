"""Every use of a key is audited (who, what, when) in a table the admin can query."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import httpx
from prometheus_client import REGISTRY
from sqlmodel import col, select

from gateway.audit.models import AuditEntry
from gateway.audit.writer import AuditWriter
from shared import Database, fetch_rows, utcnow
from shared.ops import DatabaseTarget
from tests.gateway.conftest import Stack, bearer, issue
from tests.support import eventually


async def audit(admin: httpx.AsyncClient, until: Callable[[dict], bool], **params: str) -> dict:
    """The trail once it shows what the test expects (the gateway writes it in batches)."""

    async def read() -> dict:
        response = await admin.get("/api/v1/auth/audit", params=params)
        assert response.status_code == 200
        return dict(response.json())

    return await eventually(read, until, within=10)


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
        trail = await audit(admin, lambda t: t["total"] >= 1, key_id=key_id)
        assert trail["total"] == 1
        entry = trail["items"][0]
        assert entry["role"] == "district" and entry["district_id"] == "gusu"
        assert entry["method"] == "GET" and entry["path"] == "/api/v1/buildings"
        assert entry["query"] == "limit=5"
        assert entry["status"] == 200
        assert entry["request_id"] == "audit-1"

    async def test_a_review_is_recorded_with_who_decided(
        self, admin: httpx.AsyncClient, anonymous: httpx.AsyncClient
    ) -> None:
        key = await issue(admin, "district", "gusu")
        held = await anonymous.post(
            "/api/v1/events",
            headers=bearer(key),
            json={
                "kind": "promotion",
                "scope": "district",
                "district_id": "gusu",
                "title": "推介会",
                "starts_at": "2023-03-15T09:30:00+08:00",
                "ends_at": "2023-03-15T11:30:00+08:00",
                "venue": "会场",
                "status": "held",
            },
        )
        assert held.status_code == 201, held.text
        path = f"/api/v1/events/{held.json()['id']}/review"
        refused = await anonymous.post(path, headers=bearer(key), json={"decision": "verified"})
        assert refused.status_code == 403
        decided = await admin.post(path, json={"decision": "rejected", "reason": "无佐证"})
        assert decided.status_code == 200
        trail = await audit(
            admin, lambda t: sum(e["path"] == path for e in t["items"]) >= 2, limit="1000"
        )
        reviews = [(e["role"], e["status"]) for e in trail["items"] if e["path"] == path]
        assert sorted(reviews) == [("admin", 200), ("district", 403)]

    async def test_refused_attempts_are_recorded_too(
        self, admin: httpx.AsyncClient, anonymous: httpx.AsyncClient
    ) -> None:
        await anonymous.get("/api/v1/districts", headers={"Authorization": "Bearer wrong"})
        trail = await audit(admin, lambda t: any(e["status"] == 401 for e in t["items"]))
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


async def audited(admin: httpx.AsyncClient, request_id: str) -> list[dict[str, Any]]:
    response = await admin.get("/api/v1/auth/audit", params={"limit": 200})
    return [e for e in response.json()["items"] if e["request_id"] == request_id]


HOSTILE = [
    ("GET", "/api/v1/%00"),
    ("UNSUBSCRIBE", "/api/v1/x"),
    ("GET", "/api/v1/" + "a" * 5000),
    ("GET", "/api/v1/%ED%A0%80%FF"),
    ("GET", "/api/v1/buildings?%00=%00&q=" + "%E4%B8%AD" * 400),
    ("PROPPATCHXYZLONG", "/api/v1/buildings"),
]


class TestHostileRequests:
    async def test_no_request_stops_the_audit_trail(
        self, admin: httpx.AsyncClient, anonymous: httpx.AsyncClient
    ) -> None:
        for number, (method, path) in enumerate(HOSTILE):
            response = await anonymous.request(
                method, path, headers={"X-Request-ID": f"hostile-{number}"}
            )
            assert response.status_code < 500, (method, path)
            after = f"after-{number}-{uuid.uuid4().hex[:6]}"
            await anonymous.get("/api/v1/districts", headers={"X-Request-ID": after})
            entries = await eventually(
                lambda after=after: audited(admin, after),  # type: ignore[misc]
                lambda e: len(e) == 1,
            )
            assert entries[0]["path"] == "/api/v1/districts"
        nul = (await eventually(lambda: audited(admin, "hostile-0"), lambda e: len(e) == 1))[0]
        assert nul["path"] == "/api/v1/\\x00"
        method = (await eventually(lambda: audited(admin, "hostile-1"), lambda e: len(e) == 1))[0]
        assert method["method"] == "UNSUBSCRIB"
        long = (await eventually(lambda: audited(admin, "hostile-2"), lambda e: len(e) == 1))[0]
        assert len(long["path"]) == 500

    async def test_an_entry_the_database_refuses_is_dropped_alone(
        self, platform: Stack, database_url: str
    ) -> None:
        database = Database.open(DatabaseTarget(database_url, "gateway"), pool_size=2)
        writer = AuditWriter(database, flush_seconds=60)
        rejected = REGISTRY.get_sample_value("sbe_gateway_audit_rejected_total") or 0.0
        now = utcnow()
        good = [
            {
                "at": now,
                "event": None,
                "user_id": None,
                "username": None,
                "key_id": None,
                "role": None,
                "district_id": None,
                "method": "GET",
                "path": "/api/v1/districts",
                "query": "",
                "status": 200,
                "request_id": f"isolate-{n}",
                "client_ip": "127.0.0.1",
                "duration_ms": 1.0,
            }
            for n in range(5)
        ]
        # Entries are normalised before they are buffered; this one skips that on purpose.
        bad = {**good[0], "method": "M" * 50, "request_id": "isolate-bad"}
        writer._buffer.extend([good[0], good[1], bad, *good[2:]])
        try:
            await writer.flush()
            async with database.sessionmaker() as session:
                ids = {
                    row[0]
                    for row in await fetch_rows(
                        session,
                        select(AuditEntry.request_id).where(
                            col(AuditEntry.request_id).like("isolate-%")
                        ),
                    )
                }
        finally:
            await database.dispose()
        assert ids == {f"isolate-{n}" for n in range(5)}
        assert writer._buffer == []
        assert REGISTRY.get_sample_value("sbe_gateway_audit_rejected_total") == rejected + 1


class TestBeforeAuthentication:
    async def test_a_client_over_its_limit_gets_429_before_any_key_is_checked(
        self, platform: Stack
    ) -> None:
        async with (
            platform.another_gateway(
                client_rate_limit_per_second=0.5, client_rate_limit_burst=3
            ) as gateway,
            httpx.AsyncClient(base_url=gateway) as client,
        ):
            statuses = [
                (await client.get("/api/v1/districts", headers=bearer("nobody"))).status_code
                for _ in range(6)
            ]
            assert statuses[:3] == [401, 401, 401]
            assert statuses[3:] == [429, 429, 429]
            limited = await client.get("/api/v1/districts")
            assert limited.headers["content-type"] == "application/problem+json"
            assert int(limited.headers["retry-after"]) >= 1

    async def test_an_unknown_key_costs_one_lookup_then_none(
        self, anonymous: httpx.AsyncClient
    ) -> None:
        key = f"sbe_unknown_{uuid.uuid4().hex}"

        def count(result: str) -> float:
            value = REGISTRY.get_sample_value("sbe_gateway_key_cache_total", {"result": result})
            return value or 0.0

        misses, negative_hits = count("miss"), count("unknown_hit")
        for _ in range(5):
            response = await anonymous.get("/api/v1/districts", headers=bearer(key))
            assert response.status_code == 401
        assert count("miss") == misses + 1
        assert count("unknown_hit") == negative_hits + 4
