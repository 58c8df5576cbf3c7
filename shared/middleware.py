"""Pure ASGI middleware shared by every process: request ids, RED metrics, body limits, identity."""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Sequence
from typing import Any

from prometheus_client import Counter, Gauge, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.identity import PRINCIPAL_HEADER, Principal, verify_principal
from shared.logging import request_id_var
from shared.problems import PayloadTooLarge, problem_body

access_log = logging.getLogger("sbe.access")

HTTP_REQUESTS = Counter(
    "sbe_http_requests_total",
    "HTTP requests answered, by route template and status code.",
    ["service", "method", "route", "status"],
)
HTTP_DURATION = Histogram(
    "sbe_http_request_duration_seconds",
    "Time from request start to the last body byte, by route template.",
    ["service", "method", "route"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
HTTP_IN_FLIGHT = Gauge(
    "sbe_http_requests_in_flight", "Requests being handled right now.", ["service"]
)

_REQUEST_ID_OK = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def header(scope: Scope, name: bytes) -> bytes | None:
    """The first value of a request header (name in lower case)."""
    for key, value in scope["headers"]:
        if key == name:
            return value
    return None


async def send_problem(send: Send, status: int, detail: str, **kwargs: Any) -> None:
    """Answer with a problem+json document straight from middleware."""
    extra_headers: dict[str, str] = kwargs.pop("headers", {}) or {}
    body = problem_body(status, detail, **kwargs)
    headers = [
        (b"content-type", b"application/problem+json"),
        (b"content-length", str(len(body)).encode()),
        *((k.lower().encode(), v.encode()) for k, v in extra_headers.items()),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class ObservabilityMiddleware:
    """Gives each request an id (X-Request-ID in and out), logs it, and counts it by route."""

    def __init__(self, app: ASGIApp, service: str) -> None:
        self.app = app
        self.service = service
        self.in_flight = HTTP_IN_FLIGHT.labels(service)
        # (method, route, status) → its counter and histogram series, looked up once each.
        self._series: dict[tuple[str, str, int], tuple[Any, Any]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = header(scope, b"x-request-id")
        request_id = (
            incoming.decode("latin-1")
            if incoming and _REQUEST_ID_OK.match(incoming.decode("latin-1"))
            else os.urandom(16).hex()  # as random as uuid4, without building a UUID
        )
        token = request_id_var.set(request_id)
        status = 500
        start = time.perf_counter()
        raw_id = request_id.encode()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", ()), (b"x-request-id", raw_id)]
            await send(message)

        self.in_flight.inc()
        try:
            await self.app(scope, receive, send_with_id)
        finally:
            self.in_flight.dec()
            elapsed = time.perf_counter() - start
            route = route_template(scope)
            method = scope["method"]
            series = self._series.get((method, route, status))
            if series is None:
                series = self._series[(method, route, status)] = (
                    HTTP_REQUESTS.labels(self.service, method, route, str(status)),
                    HTTP_DURATION.labels(self.service, method, route),
                )
            series[0].inc()
            series[1].observe(elapsed)
            if route not in ("/healthz", "/readyz", "/metrics"):
                access_log.info(
                    "%s %s %s",
                    method,
                    scope["path"],
                    status,
                    extra={"route": route, "status": status, "duration_ms": elapsed * 1000},
                )
            request_id_var.reset(token)


def route_template(scope: Scope) -> str:
    """The matched route's template; never the raw path, so label sets stay bounded."""
    route = scope.get("route")
    path = getattr(route, "path_format", None) or getattr(route, "path", None)
    if isinstance(path, str):
        return path
    return scope.get("sbe.route", "unmatched")


# Evidence files are uploaded as the raw body of `POST …/evidence` (policy.attachments): those
# routes take bodies up to the upload limit, every other one the ordinary limit.
UPLOAD_SUFFIX = "/evidence"


def body_limit(max_body: int, max_upload: int, method: str, path: str) -> int:
    """The largest request body the route takes."""
    if method == "POST" and path.endswith(UPLOAD_SUFFIX):
        return max(max_body, max_upload)
    return max_body


class BodyLimitMiddleware:
    """Refuses request bodies over the limit with 413 before the application reads them."""

    def __init__(self, app: ASGIApp, max_bytes: int, max_upload_bytes: int = 0) -> None:
        self.app = app
        self.max_body = max_bytes
        self.max_upload = max_upload_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if not _may_have_body(scope):
            await self.app(scope, receive, send)
            return
        limit = body_limit(self.max_body, self.max_upload, scope["method"], scope["path"])
        await _Bounded(self.app, limit)(scope, receive, send)


def _may_have_body(scope: Scope) -> bool:
    """A request has a body only when it says so, by Content-Length or Transfer-Encoding (RFC
    9112 §6.3); the server reads nothing more of one that does neither."""
    return any(key in (b"content-length", b"transfer-encoding") for key, _ in scope["headers"])


class _Bounded:
    """One request held to one limit."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if declares_more_than(scope, self.max_bytes):
            await send_problem(send, 413, too_large(self.max_bytes))
            return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    # A ProblemError, so the application's own handler answers 413 too.
                    raise PayloadTooLarge(too_large(self.max_bytes))
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except PayloadTooLarge:
            if not started:
                await send_problem(send, 413, too_large(self.max_bytes))


class InternalIdentityMiddleware:
    """On a service's own port, `/api/v1/…` needs the gateway's signed identity (else 401).

    The signature covers a digest of the body, so the body is read (it is bounded by the body
    limit around this middleware) before the application sees the request, then handed on.
    """

    def __init__(self, app: ASGIApp, secrets: Sequence[str], prefix: str = "/api/v1/") -> None:
        """`secrets`: the one the gateway signs with, then any other accepted during a rotation."""
        self.app = app
        self.secrets = tuple(secrets)
        self.prefix = prefix

    def _principal(self, scope: Scope, body: bytes) -> Principal | None:
        signed = header(scope, PRINCIPAL_HEADER.encode())
        if not signed:
            return None
        value = signed.decode("latin-1")
        query = scope.get("query_string", b"").decode("latin-1")
        for secret in self.secrets:
            principal = verify_principal(
                value, secret, scope["method"], scope["path"], query=query, body=body
            )
            if principal is not None:
                return principal
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.prefix):
            await self.app(scope, receive, send)
            return
        if not header(scope, PRINCIPAL_HEADER.encode()):
            await self._refuse(send)
            return
        body, disconnected = await read_body(receive)
        principal = None if disconnected else self._principal(scope, body)
        if principal is None:
            await self._refuse(send)
            return
        scope.setdefault("state", {})["principal"] = principal
        await self.app(scope, replay_body(body, receive), send)

    @staticmethod
    async def _refuse(send: Send) -> None:
        await send_problem(
            send,
            401,
            "API requests reach this service only through the gateway.",
            headers={"WWW-Authenticate": 'Bearer realm="sbe"'},
        )


async def read_body(receive: Receive, limit: int | None = None) -> tuple[bytes, bool]:
    """The whole request body, and whether the client went away before sending all of it: the
    one place a body is read (the gateway before proxying, a service before checking the
    signature over it). PayloadTooLarge past `limit` bytes, whatever Content-Length said."""
    chunks: list[bytes] = []
    received = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return b"".join(chunks), True
        chunk = message.get("body", b"")
        received += len(chunk)
        if limit is not None and received > limit:
            raise PayloadTooLarge(too_large(limit))
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks), False


def declares_more_than(scope: Scope, limit: int) -> bool:
    """Whether the request's Content-Length already says its body is over `limit`."""
    declared = header(scope, b"content-length")
    return declared is not None and declared.isdigit() and int(declared) > limit


def too_large(limit: int) -> str:
    """The detail of a 413."""
    return f"Request bodies may not exceed {limit} bytes."


def replay_body(body: bytes, receive: Receive) -> Receive:
    """A `receive` that hands over an already read body once, then waits as the server does."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
