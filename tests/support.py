"""Test infrastructure helpers: ports, signed identities, in-process servers."""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Generator
from typing import Any, TypeVar

import asyncpg
import httpx
import orjson
import uvicorn
from kafka import KafkaProducer

from shared import Principal, Role
from shared.edge import SERVER_IDLE_SECONDS, sign_principal

# The PostgreSQL server the tests and benchmarks use (trust authentication).
PG_HOST = os.environ.get("SBE_TEST_PG_HOST", "127.0.0.1")
PG_PORT = int(os.environ.get("SBE_TEST_PG_PORT", "5432"))
PG_USER = os.environ.get("SBE_TEST_PG_USER", "postgres")


def pg_dsn(database: str) -> str:
    """asyncpg's URL of a database on the test server."""
    return f"postgresql://{PG_USER}@{PG_HOST}:{PG_PORT}/{database}"


def pg_url(database: str) -> str:
    """SQLAlchemy's URL of the same database (what SBE_DATABASE_URL takes)."""
    return f"postgresql+asyncpg://{PG_USER}@{PG_HOST}:{PG_PORT}/{database}"


async def admin_sql(statement: str) -> None:
    """Run a statement on the server's `postgres` database (creating, dropping databases)."""
    conn = await asyncpg.connect(pg_dsn("postgres"))
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


def scratch_name(prefix: str) -> str:
    """A database name no other run uses."""
    return f"{prefix}_{os.getpid()}_{secrets.token_hex(3)}"


@contextlib.asynccontextmanager
async def scratch_database(prefix: str) -> AsyncIterator[str]:
    """A new, empty database for the block, dropped after it (even while still in use)."""
    name = scratch_name(prefix)
    await admin_sql(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        await admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class SignedAs(httpx.Auth):
    """Signs requests as the gateway would for `principal` (service-level tests act as gateway)."""

    requires_request_body = True

    def __init__(self, principal: Principal, secret: str) -> None:
        self.principal = principal
        self.secret = secret

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["x-sbe-principal"] = sign_principal(
            self.principal,
            self.secret,
            request.method,
            request.url.path,
            query=request.url.query.decode("latin-1"),
            body=request.content,
        )
        yield request


def must(response: httpx.Response, status: int | None = None) -> Any:
    """A setup write's answer, refused unless it is `status` (any success when none is named):
    a step that failed stops the test there, not later as a wrong figure. Returns the JSON body
    (None when there is none)."""
    expected = response.status_code == status if status is not None else response.is_success
    assert expected, f"{response.request.method} {response.request.url}: {response.text}"
    return response.json() if response.content else None


def as_(principal: Principal) -> SignedAs:
    """Sign a request as `principal`, the way the gateway does (tests act as the gateway)."""
    from tests.conftest import INTERNAL_SECRET

    return SignedAs(principal, INTERNAL_SECRET)


ADMIN = Principal(key_id="test-admin", role=Role.admin, label="发改委 (test)")
SUPERVISION = Principal(key_id="test-supervision", role=Role.supervision, label="督查室 (test)")


def district(district_id: str) -> Principal:
    """A district key's principal."""
    return Principal(key_id=f"test-{district_id}", role=Role.district, district_id=district_id)


def bureau(unit: str) -> Principal:
    """A municipal bureau's principal, bound to its unit."""
    return Principal(key_id=f"test-bureau-{unit}", role=Role.bureau, label=unit, unit=unit)


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
        app,
        host="127.0.0.1",
        port=port,
        log_config=None,
        access_log=False,
        lifespan="on",
        timeout_keep_alive=SERVER_IDLE_SECONDS,  # as `sbe serve` does
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


class TcpProxy:
    """A TCP relay that a test can cut and restore: what a client sees of a broker restart
    (connections dropped, nothing answering, then the same broker back with its data)."""

    def __init__(self, listen_port: int, target_port: int) -> None:
        self.listen_port = listen_port
        self.target_port = target_port
        self._server: asyncio.AbstractServer | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._relay, "127.0.0.1", self.listen_port)

    async def cut(self) -> None:
        """Refuse new connections and drop the open ones."""
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        for writer in list(self._writers):
            writer.transport.abort()
        self._writers.clear()

    async def _relay(
        self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter
    ) -> None:
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(
                "127.0.0.1", self.target_port
            )
        except OSError:
            client_writer.transport.abort()
            return
        self._writers |= {client_writer, upstream_writer}

        async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            try:
                while data := await reader.read(65536):
                    writer.write(data)
                    await writer.drain()
            except (OSError, asyncio.IncompleteReadError):
                pass
            finally:
                writer.transport.abort()

        await asyncio.gather(
            pipe(client_reader, upstream_writer), pipe(upstream_reader, client_writer)
        )
        self._writers -= {client_writer, upstream_writer}


# (topic, partition) → the offset after the last message a Feed sent there: what the platform's
# consumers must have stored before a test's data counts as landed (see tests.conftest.quiesce).
FEED_ENDS: dict[tuple[str, int], int] = {}


class Feed:
    """Sends feed messages, checks that the broker took each, and notes where they went."""

    def __init__(self, producer: KafkaProducer) -> None:
        self.producer = producer

    async def send(self, topic: str, value: Any, key: str | None = None) -> None:
        """Send one message (a dict is JSON-encoded, bytes go as they are) and flush."""
        raw = value if isinstance(value, bytes) else orjson.dumps(value)
        raw_key = (
            key
            if key is not None
            else (value.get("building_id", "") if isinstance(value, dict) else "")
        ).encode()
        await asyncio.to_thread(self._deliver, [self.producer.send(topic, key=raw_key, value=raw)])

    async def send_all(self, topic: str, values: list[Any]) -> None:
        """Send every message, then wait until the broker has acknowledged each of them."""
        futures = []
        for value in values:
            raw = value if isinstance(value, bytes) else orjson.dumps(value)
            key = value.get("building_id", "").encode() if isinstance(value, dict) else b"x"
            futures.append(self.producer.send(topic, key=key, value=raw))
        await asyncio.to_thread(self._deliver, futures)

    def _deliver(self, futures: list[Any]) -> None:
        self.producer.flush(timeout=30)
        for future in futures:
            sent = future.get(timeout=30)  # raises if the broker refused it
            key = (sent.topic, sent.partition)
            FEED_ENDS[key] = max(FEED_ENDS.get(key, 0), sent.offset + 1)


T = TypeVar("T")


async def eventually(
    probe: Callable[[], Awaitable[T]], check: Callable[[T], bool], within: float = 30
) -> T:
    """Poll `probe` until `check` holds; fail with the last value seen, and the last error the
    check raised (chained), so a check that is itself wrong shows why.

    A check that cannot yet look where it looks (an empty list, a missing key: the data is
    still arriving) counts as not met until the time is up.
    """
    deadline = time.monotonic() + within
    while True:
        value = await probe()
        failure: Exception | None = None
        try:
            if check(value):
                return value
        except (KeyError, IndexError, TypeError) as error:
            failure = error
        if time.monotonic() > deadline:
            because = f"; the check last raised {failure!r}" if failure else ""
            raise AssertionError(
                f"condition not met within {within}s{because}; last value: {value!r}"
            ) from failure
        await asyncio.sleep(0.1)


def metric_value(exposition: str, sample: str) -> float:
    """The value of one sample in a /metrics text (`name{a="…",b="…"}`, labels sorted by name)."""
    for line in exposition.splitlines():
        name, _, value = line.rpartition(" ")
        if name == sample:
            return float(value)
    raise AssertionError(f"{sample} is not exported")
