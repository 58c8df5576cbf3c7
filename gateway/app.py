"""The gateway: the platform's one public entry. Identity, rate limits, audit and routing.

A pure-ASGI dispatcher handles `/api/v1/…`: it authenticates the key, applies the key's rate
limit, then either proxies to the service owning the area or hands the request to the gateway's
own FastAPI app (key administration, audit, probes, the merged OpenAPI document and /docs).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

from fastapi import FastAPI, Request
from starlette.responses import JSONResponse
from starlette.types import Message, Receive, Scope, Send

from gateway.accounts.router import router as accounts_router
from gateway.audit.router import router as audit_router
from gateway.audit.writer import AuditWriter
from gateway.authn import Authenticator, Refusal
from gateway.console import mount_console
from gateway.keys.router import router as keys_router
from gateway.keys.service import CALENDAR_PATH, FEED_TOKEN_PARAM
from gateway.metrics import RATE_LIMITED
from gateway.openapi import OpenApiAggregator
from gateway.proxy import Proxy
from gateway.ratelimit import LocalRateLimiter, RateLimiter, RedisRateLimiter, retry_after_header
from gateway.settings import AREAS, GatewaySettings
from shared import Database, create_service_app, database_target, load_settings, utcnow
from shared.edge import (
    ObservabilityMiddleware,
    PayloadTooLarge,
    body_limit,
    database_ready,
    declares_more_than,
    offline_docs,
    read_body,
    request_id_var,
    send_problem,
    sign_principal,
    too_large,
)

SERVICE = "gateway"
API_PREFIX = "/api/v1/"


async def _services_ready(app: FastAPI) -> dict[str, bool]:
    proxy: Proxy = app.state.proxy
    urls: dict[str, str] = app.state.settings.service_urls()

    async def ready(url: str) -> bool:
        try:
            async with proxy.session.get(f"{url}/readyz", timeout=2) as response:  # type: ignore[arg-type]
                return response.status == 200
        except Exception:
            return False

    results = await asyncio.gather(*(ready(url) for url in urls.values()))
    return dict(zip(urls, results, strict=True))


def _admin_app(settings: GatewaySettings) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        database = Database.open(
            database_target(settings, SERVICE), pool_size=settings.database_pool_size
        )
        redis = None
        if settings.redis_url:
            from redis.asyncio import Redis

            redis = Redis.from_url(settings.redis_url)
        proxy = Proxy(
            connect_timeout=settings.upstream_connect_timeout,
            read_timeout=settings.upstream_read_timeout,
            pool_size=settings.upstream_pool_size,
        )
        await proxy.start()
        authenticator = Authenticator(
            database,
            admin_token=settings.admin_token.get_secret_value() if settings.admin_token else None,
            cache_seconds=settings.key_cache_seconds,
            unknown_cache_seconds=settings.unknown_key_cache_seconds,
            redis=redis,
            settings=settings,
        )

        def limiter_of(rate: float, burst: int) -> RateLimiter:
            if redis is not None:
                return RedisRateLimiter(redis, rate, burst)
            return LocalRateLimiter(rate, burst)

        limiter = limiter_of(settings.rate_limit_per_second, settings.rate_limit_burst)
        client_limiter = limiter_of(
            settings.client_rate_limit_per_second, settings.client_rate_limit_burst
        )
        audit = AuditWriter(database, flush_seconds=settings.audit_flush_seconds)
        app.state.database = database
        app.state.proxy = proxy
        app.state.authenticator = authenticator
        app.state.limiter = limiter
        app.state.client_limiter = client_limiter
        app.state.login_limiter = limiter_of(
            settings.login_attempts_per_minute / 60, max(1, int(settings.login_attempts_per_minute))
        )
        app.state.audit = audit
        app.state.openapi = OpenApiAggregator(proxy.session, settings.service_urls())
        tasks = [asyncio.create_task(audit.run(), name="audit")]
        if redis is not None:
            tasks.append(
                asyncio.create_task(authenticator.listen_for_revocations(), name="revocations")
            )
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
                with suppress(asyncio.CancelledError):
                    await task
            await proxy.close()
            if redis is not None:
                await redis.aclose()
            await database.dispose()

    app = create_service_app(
        name=SERVICE,
        title="苏州楼宇经济智慧平台 API",
        description="The Suzhou Building Economy Smart Platform. Every `/api/v1/` request carries "
        "`Authorization: Bearer <key>`; errors are RFC 9457 problem documents.",
        settings=settings,
        lifespan=lifespan,
        routers=[accounts_router, keys_router, audit_router],
        readiness=(database_ready, _services_ready),
        trust_forwarded_identity=False,
        observe=False,
        own_docs=False,
    )

    @app.get("/openapi.json", include_in_schema=False)
    async def merged_openapi(request: Request) -> JSONResponse:
        document = await request.app.state.openapi.document(request.app.openapi())
        return JSONResponse(document)

    offline_docs(app, "苏州楼宇经济智慧平台 API")
    # Last: the console answers every page path the routes above do not.
    mount_console(app, Path(settings.console_dir) if settings.console_dir else None)

    return app


class Gateway:
    """Pure ASGI entry: `/api/v1/…` is authenticated, limited, audited, then routed."""

    def __init__(self, settings: GatewaySettings) -> None:
        self.settings = settings
        self.secret = settings.internal_secret.get_secret_value()
        self.services = settings.service_urls()
        self.admin = _admin_app(settings)
        self.admin_state = self.admin.state
        self._observed = ObservabilityMiddleware(self._dispatch, service=SERVICE)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self.admin(scope, receive, send)
            return
        await self._observed(scope, receive, send)

    async def _dispatch(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(API_PREFIX):
            await self.admin(scope, receive, send)
            return
        await self.api(scope, receive, send)

    async def api(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Limit the client, authenticate, limit the key, route, audit: in that order, one pass."""
        state = self.admin_state
        started = time.perf_counter()
        status = 500

        async def tracked_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        area = scope["path"][len(API_PREFIX) :].split("/", 1)[0]
        scope["sbe.route"] = (
            f"{API_PREFIX}{area}" if area in AREAS or area == "auth" else "unmatched"
        )
        client = scope.get("client")
        client_ip = client[0] if client else ""
        # Secrets in a URL end up in logs and histories: they are taken out of the query before
        # it is forwarded or recorded; the feed token is read from it on the calendar feed only.
        query, feed_token = _strip_secrets(scope)
        principal = None
        try:
            wait = await state.client_limiter.check(f"client:{client_ip}")
            if wait > 0:
                RATE_LIMITED.labels("client").inc()
                await send_problem(
                    tracked_send,
                    429,
                    "Too many requests from this address; slow down and retry later.",
                    headers={"Retry-After": retry_after_header(wait)},
                )
                return
            if (scope["method"], scope["path"]) in OPEN_ROUTES:
                # Signing in needs no credentials; the sign-in route limits attempts itself.
                await self.admin(scope, receive, tracked_send)
                return
            identified = await state.authenticator.identify(scope, feed_token)
            if isinstance(identified, Refusal):
                await send_problem(
                    tracked_send, identified.status, identified.detail, headers=identified.headers
                )
                return
            principal = identified.principal
            if identified.session is not None:
                scope.setdefault("state", {})["session"] = identified.session
            wait = await state.limiter.check(principal.key_id)
            if wait > 0:
                RATE_LIMITED.labels(principal.role.value).inc()
                await send_problem(
                    tracked_send,
                    429,
                    "Too many requests for this key; slow down and retry later.",
                    headers={"Retry-After": retry_after_header(wait)},
                )
                return
            limit = body_limit(
                self.settings.max_body_bytes,
                self.settings.max_upload_bytes,
                scope["method"],
                scope["path"],
            )
            if declares_more_than(scope, limit):
                await send_problem(tracked_send, 413, too_large(limit))
                return
            if area == "auth":
                scope.setdefault("state", {})["principal"] = principal
                await self.admin(scope, receive, tracked_send)
                return
            service = AREAS.get(area)
            if service is None:
                await send_problem(tracked_send, 404, f"No resource at {scope['path']!r}.")
                return
            try:
                # A client that went away midway gets what it sent forwarded, as before: the
                # service refuses it, and the audit keeps the answer.
                body, _ = await read_body(receive, limit)
            except PayloadTooLarge:
                await send_problem(tracked_send, 413, too_large(limit))
                return
            await state.proxy.forward(
                scope,
                body,
                tracked_send,
                upstream=self.services[service],
                upstream_name=service,
                principal_header=sign_principal(
                    principal,
                    self.secret,
                    scope["method"],
                    scope["path"],
                    query=query,
                    body=body,
                ),
                request_id=request_id_var.get(),
            )
        finally:
            state.audit.record(
                at=utcnow(),
                principal=principal,
                method=scope["method"],
                path=scope["path"],
                query=query,
                status=status,
                request_id=request_id_var.get(),
                client_ip=client_ip,
                duration_ms=(time.perf_counter() - started) * 1000,
            )


# Routes anyone may call without credentials (and the per-client limit still applies).
OPEN_ROUTES = frozenset({("POST", "/api/v1/auth/login")})


def _strip_secrets(scope: Scope) -> tuple[str, str | None]:
    """Remove `key` (an API key has no place in a URL) and, on the calendar feed, `token` from
    the query string; returns the query left and the feed token found, if any."""
    raw: bytes = scope["query_string"]
    if not raw or (b"key=" not in raw and b"token=" not in raw):
        return raw.decode("latin-1"), None
    feed = scope["path"] == CALENDAR_PATH
    pairs = parse_qsl(raw.decode("latin-1"), keep_blank_values=True)
    tokens = [v for n, v in pairs if n == FEED_TOKEN_PARAM] if feed else []
    dropped = {"key", FEED_TOKEN_PARAM} if feed else {"key"}
    query = urlencode([(n, v) for n, v in pairs if n not in dropped])
    scope["query_string"] = query.encode("latin-1")
    return query, tokens[0] if tokens else None


def create_app(settings: GatewaySettings | None = None) -> Gateway:
    """Build the gateway; I/O happens in its lifespan, not here."""
    return Gateway(settings or load_settings(GatewaySettings))
