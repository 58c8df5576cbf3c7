"""Test infrastructure helpers: ports, signed identities, in-process servers."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator, Generator
from typing import Any

import httpx
import uvicorn

from shared import Principal, Role, sign_principal


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class SignedAs(httpx.Auth):
    """Signs requests as the gateway would for `principal` (service-level tests act as gateway)."""

    def __init__(self, principal: Principal, secret: str) -> None:
        self.principal = principal
        self.secret = secret

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["x-sbe-principal"] = sign_principal(
            self.principal, self.secret, request.method, request.url.path
        )
        yield request


def as_(principal: Principal) -> SignedAs:
    """Sign a request as `principal`, the way the gateway does (tests act as the gateway)."""
    from tests.conftest import INTERNAL_SECRET

    return SignedAs(principal, INTERNAL_SECRET)


ADMIN = Principal(key_id="test-admin", role=Role.admin, label="发改委 (test)")
SUPERVISION = Principal(key_id="test-supervision", role=Role.supervision, label="督查室 (test)")


def district(district_id: str) -> Principal:
    """A district key's principal."""
    return Principal(key_id=f"test-{district_id}", role=Role.district, district_id=district_id)


def settings_from_env(cls: type[Any], env: dict[str, str], **overrides: Any) -> Any:
    """Build a settings object from SBE_* values without touching os.environ."""
    values = {key.removeprefix("SBE_").lower(): value for key, value in env.items()}
    values.update(overrides)
    fields = set(cls.model_fields)
    return cls(**{k: v for k, v in values.items() if k in fields})


@contextlib.asynccontextmanager
async def serve(app: Any, port: int | None = None) -> AsyncIterator[str]:
    """Serve an ASGI app over real HTTP on loopback inside this event loop; yields its URL."""
    port = port or free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_config=None, access_log=False, lifespan="on"
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


def read_topic(
    bootstrap: str, topic: str, *, keys: set[str], want: int, timeout: float = 20.0
) -> list[tuple[str, bytes]]:
    """Read `topic` from the start until `want` messages with one of `keys` arrived (blocking)."""
    import time

    from kafka import KafkaConsumer

    consumer = KafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        consumer_timeout_ms=500,
    )
    found: list[tuple[str, bytes]] = []
    deadline = time.monotonic() + timeout
    try:
        while len(found) < want and time.monotonic() < deadline:
            for message in consumer:
                key = message.key.decode() if message.key else ""
                if key in keys:
                    found.append((key, message.value))
    finally:
        consumer.close()
    return found
