"""The proxy path: routing, forwarded identity, request ids, body limits, upstream failures."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, StreamingResponse
from starlette.routing import Route

from shared.edge import verify_principal
from tests.conftest import INTERNAL_SECRET
from tests.gateway.conftest import ADMIN_TOKEN, Stack, bearer, issue
from tests.support import eventually, free_port, serve


async def audit_of(admin: httpx.AsyncClient, key_id: str) -> list[dict[str, Any]]:
    response = await admin.get("/api/v1/auth/audit", params={"key_id": key_id})
    return list(response.json()["items"])


async def audit_page(admin: httpx.AsyncClient) -> list[dict[str, Any]]:
    return list((await admin.get("/api/v1/auth/audit", params={"limit": 50})).json()["items"])


async def echo(request: Request) -> JSONResponse:
    body = await request.body()
    return JSONResponse(
        {"headers": dict(request.headers), "body_length": len(body), "query": request.url.query}
    )


async def slow(request: Request) -> JSONResponse:
    await asyncio.sleep(2)
    return JSONResponse({})


async def stream(request: Request) -> StreamingResponse:
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(64):
            yield b"x" * 65536

    return StreamingResponse(chunks(), media_type="application/octet-stream")


UPSTREAM = Starlette(
    routes=[
        Route("/api/v1/events/echo", echo, methods=["GET", "POST"]),
        Route("/api/v1/events/slow", slow),
        Route("/api/v1/events/stream", stream),
    ]
)


@pytest.fixture
async def to_fake_events(platform: Stack) -> AsyncIterator[httpx.AsyncClient]:
    """A gateway whose `events` area goes to a fake upstream that echoes what it receives."""
    async with (
        serve(UPSTREAM) as upstream,
        platform.another_gateway(events_url=upstream, upstream_read_timeout=0.5) as gateway,
        httpx.AsyncClient(base_url=gateway, headers=bearer(ADMIN_TOKEN)) as client,
    ):
        yield client


class TestRouting:
    async def test_routes_an_area_to_its_service(self, admin: httpx.AsyncClient) -> None:
        response = await admin.get("/api/v1/districts")
        assert response.status_code == 200
        assert len(response.json()) == 10

    async def test_a_services_own_problem_passes_through(self, admin: httpx.AsyncClient) -> None:
        response = await admin.get("/api/v1/buildings/ghost")
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"

    async def test_request_id_is_kept_end_to_end(self, admin: httpx.AsyncClient) -> None:
        response = await admin.get("/api/v1/districts", headers={"X-Request-ID": "trace-42"})
        assert response.headers["x-request-id"] == "trace-42"
        assert response.headers.get_list("x-request-id") == ["trace-42"]

    async def test_a_request_id_is_made_when_none_is_sent(self, admin: httpx.AsyncClient) -> None:
        assert len((await admin.get("/api/v1/districts")).headers["x-request-id"]) == 32


class TestForwardedIdentity:
    async def test_upstream_gets_a_signed_principal_and_never_the_key(
        self, to_fake_events: httpx.AsyncClient
    ) -> None:
        response = await to_fake_events.get(
            "/api/v1/events/echo?year=2023", headers={"X-Request-ID": "r1"}
        )
        seen = response.json()["headers"]
        assert "authorization" not in seen
        principal = verify_principal(
            seen["x-sbe-principal"],
            INTERNAL_SECRET,
            "GET",
            "/api/v1/events/echo",
            query="year=2023",
        )
        assert principal is not None and principal.role == "admin"
        # The signature holds for this query only.
        other = verify_principal(
            seen["x-sbe-principal"],
            INTERNAL_SECRET,
            "GET",
            "/api/v1/events/echo",
            query="year=2024",
        )
        assert other is None
        assert seen["x-request-id"] == "r1"
        assert response.json()["query"] == "year=2023"

    async def test_a_client_cannot_smuggle_its_own_identity(
        self, to_fake_events: httpx.AsyncClient, platform: Stack
    ) -> None:
        async with httpx.AsyncClient(
            base_url=platform.gateway_url, headers=bearer(ADMIN_TOKEN)
        ) as admin:
            key = await issue(admin, "district", "gusu")
        response = await to_fake_events.get(
            "/api/v1/events/echo", headers={**bearer(key), "X-SBE-Principal": "v2.forged.x.y"}
        )
        seen = response.json()["headers"]["x-sbe-principal"]
        principal = verify_principal(seen, INTERNAL_SECRET, "GET", "/api/v1/events/echo")
        assert principal is not None and principal.district_id == "gusu"


class TestBodies:
    async def test_a_body_is_forwarded_whole(self, to_fake_events: httpx.AsyncClient) -> None:
        response = await to_fake_events.post("/api/v1/events/echo", content=b"a" * 3_000_000)
        assert response.json()["body_length"] == 3_000_000

    async def test_a_declared_body_over_10_mib_is_413(self, admin: httpx.AsyncClient) -> None:
        response = await admin.post(
            "/api/v1/enterprise-movements", content=b"{" + b" " * (10 * 1024 * 1024) + b"}"
        )
        assert response.status_code == 413
        assert response.headers["content-type"] == "application/problem+json"

    async def test_a_streamed_body_over_10_mib_is_413(
        self, to_fake_events: httpx.AsyncClient
    ) -> None:
        async def chunks() -> AsyncIterator[bytes]:
            for _ in range(11):
                yield b"x" * (1024 * 1024)

        response = await to_fake_events.post("/api/v1/events/echo", content=chunks())
        assert response.status_code == 413

    async def test_an_evidence_file_up_to_20_mib_passes_and_one_over_is_413(
        self, admin: httpx.AsyncClient
    ) -> None:
        created = await admin.post(
            "/api/v1/events",
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
        assert created.status_code == 201, created.text
        url = f"/api/v1/events/{created.json()['id']}/evidence"
        pdf = b"%PDF-1.7\n" + b"0" * (20 * 1024 * 1024 - 9)
        taken = await admin.post(
            url,
            params={"filename": "a.pdf"},
            content=pdf,
            headers={"Content-Type": "application/pdf"},
        )
        assert taken.status_code == 201, taken.text
        assert taken.json()["size_bytes"] == 20 * 1024 * 1024
        over = await admin.post(
            url,
            params={"filename": "b.pdf"},
            content=pdf + b"0",
            headers={"Content-Type": "application/pdf"},
        )
        assert over.status_code == 413
        # Elsewhere the ordinary limit holds: an 11 MiB JSON body is still refused.
        elsewhere = await admin.post(
            url + "/links", content=b"{" + b" " * (11 * 1024 * 1024) + b"}"
        )
        assert elsewhere.status_code == 413

    async def test_a_large_answer_is_streamed_back(self, to_fake_events: httpx.AsyncClient) -> None:
        response = await to_fake_events.get("/api/v1/events/stream")
        assert response.status_code == 200
        assert len(response.content) == 64 * 65536


class TestUpstreamFailures:
    async def test_upstream_down_is_502(self, platform: Stack) -> None:
        async with (
            platform.another_gateway(monitoring_url=f"http://127.0.0.1:{free_port()}") as gateway,
            httpx.AsyncClient(base_url=gateway, headers=bearer(ADMIN_TOKEN)) as client,
        ):
            response = await client.get("/api/v1/monitoring/buildings/x/series")
        assert response.status_code == 502
        assert response.headers["content-type"] == "application/problem+json"
        assert "monitoring" in response.json()["detail"]

    async def test_upstream_timeout_is_504(self, to_fake_events: httpx.AsyncClient) -> None:
        response = await to_fake_events.get("/api/v1/events/slow")
        assert response.status_code == 504
        assert response.json()["status"] == 504

    async def test_readiness_fails_while_a_service_is_down(self, platform: Stack) -> None:
        async with (
            platform.another_gateway(events_url=f"http://127.0.0.1:{free_port()}") as gateway,
            httpx.AsyncClient(base_url=gateway) as client,
        ):
            response = await client.get("/readyz")
        assert response.status_code == 503
        assert response.json()["checks"]["events"] is False

    async def test_readiness_passes_when_all_are_up(self, anonymous: httpx.AsyncClient) -> None:
        response = await anonymous.get("/readyz")
        assert response.status_code == 200
        assert set(response.json()["checks"]) == {
            "database",
            "registry",
            "monitoring",
            "evaluation",
            "events",
        }


class TestCalendarSubscription:
    """Calendar applications cannot send headers: they subscribe with a feed token in the URL,
    which reads the calendar and nothing else. API keys never travel in a URL."""

    async def feed_token(self, client: httpx.AsyncClient) -> dict[str, Any]:
        response = await client.post("/api/v1/auth/feed-tokens", json={"label": "手机日历"})
        assert response.status_code == 201, response.text
        return dict(response.json())

    async def test_a_feed_token_reads_the_calendar_and_is_never_forwarded_or_recorded(
        self, admin: httpx.AsyncClient, anonymous: httpx.AsyncClient, platform: Stack
    ) -> None:
        key = await issue(admin, "district", "gusu")
        async with httpx.AsyncClient(base_url=platform.gateway_url, headers=bearer(key)) as gusu:
            token = await self.feed_token(gusu)
        assert token["role"] == "district" and token["district_id"] == "gusu"
        assert token["url"] == f"/api/v1/events/calendar.ics?token={token['token']}"
        response = await anonymous.get(token["url"] + "&kind=promotion")
        assert response.status_code == 200
        assert response.text.startswith("BEGIN:VCALENDAR")
        trail = await eventually(
            lambda: audit_of(admin, token["id"]), lambda items: len(items) >= 1
        )
        assert trail[0]["query"] == "kind=promotion" and trail[0]["role"] == "district"
        assert token["token"] not in str(trail)

    async def test_a_feed_token_reads_nothing_but_the_calendar(
        self, admin: httpx.AsyncClient, anonymous: httpx.AsyncClient
    ) -> None:
        token = (await self.feed_token(admin))["token"]
        for path in ("/api/v1/districts", "/api/v1/events", "/api/v1/auth/keys"):
            response = await anonymous.get(path, params={"token": token})
            assert response.status_code == 401, path
        # Nor as a Bearer key.
        response = await anonymous.get("/api/v1/districts", headers=bearer(token))
        assert response.status_code == 401

    async def test_a_revoked_feed_token_stops_at_once(
        self, admin: httpx.AsyncClient, anonymous: httpx.AsyncClient
    ) -> None:
        token = await self.feed_token(admin)
        assert (await anonymous.get(token["url"])).status_code == 200
        revoked = await admin.delete(f"/api/v1/auth/feed-tokens/{token['id']}")
        assert revoked.status_code == 204
        assert (await anonymous.get(token["url"])).status_code == 401

    async def test_revoking_a_key_revokes_the_subscriptions_it_made(
        self, admin: httpx.AsyncClient, anonymous: httpx.AsyncClient, platform: Stack
    ) -> None:
        issued = await admin.post(
            "/api/v1/auth/keys", json={"role": "supervision", "label": "督查室"}
        )
        key, key_id = issued.json()["key"], issued.json()["id"]
        async with httpx.AsyncClient(base_url=platform.gateway_url, headers=bearer(key)) as office:
            token = await self.feed_token(office)
            mine = await office.get("/api/v1/auth/feed-tokens")
            assert [t["id"] for t in mine.json()] == [token["id"]]
        assert (await anonymous.get(token["url"])).status_code == 200
        assert (await admin.delete(f"/api/v1/auth/keys/{key_id}")).status_code == 204
        assert (await anonymous.get(token["url"])).status_code == 401

    async def test_an_api_key_in_the_url_is_refused_and_never_recorded(
        self, admin: httpx.AsyncClient, anonymous: httpx.AsyncClient
    ) -> None:
        key = await issue(admin, "district", "gusu")
        for path in ("/api/v1/events/calendar.ics", "/api/v1/districts"):
            response = await anonymous.get(path, params={"key": key, "kind": "promotion"})
            assert response.status_code == 401
        trail = await eventually(
            lambda: audit_page(admin), lambda items: any(e["key_id"] is None for e in items)
        )
        assert key not in str(trail)


class TestBoundedIds:
    """Ids the database cannot hold are refused with 422, never passed on to fail there."""

    async def test_ids_beyond_the_integer_columns_are_422(self, admin: httpx.AsyncClient) -> None:
        for method, path in (
            ("GET", "/api/v1/evaluation/publications/2849468463"),
            ("GET", "/api/v1/evaluation/publications/2849468463/diff"),
            ("POST", "/api/v1/monitoring/warnings/99999999999/acknowledge"),
        ):
            response = await admin.request(method, path)
            assert response.status_code == 422, (path, response.text)
            assert response.headers["content-type"] == "application/problem+json"

    async def test_text_ids_beyond_their_columns_are_422(self, admin: httpx.AsyncClient) -> None:
        for path in (
            "/api/v1/buildings/" + "b" * 65,
            "/api/v1/buildings/%E6%A5%BC",
            "/api/v1/monitoring/districts/gusu%0B/summary?year=2023",
            "/api/v1/lists/key?district_id=%0B&format=xlsx",
        ):
            response = await admin.get(path)
            assert response.status_code == 422, (path, response.text)
