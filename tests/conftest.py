"""Session-wide test infrastructure: a fresh PostgreSQL database per run with every service's
migrations applied, the bundled broker on a free port, and per-test isolation by truncation."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import subprocess
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import asyncpg
import pytest
from fastapi import FastAPI
from kafka import KafkaProducer
from prometheus_client import REGISTRY
from sqlalchemy import MetaData

from launcher.broker import start_broker
from launcher.processes import ALL, SERVICES
from shared.messaging import create_producer
from shared.ops import DatabaseTarget, upgrade
from tests.support import (
    FEED_ENDS,
    admin_sql,
    free_port,
    pg_url,
    scratch_name,
    serve,
    settings_from_env,
)

INTERNAL_SECRET = "test-internal-secret-" + "x" * 16


def _metadata(service: str) -> MetaData:
    from importlib import import_module

    package = "gateway" if service == "gateway" else f"services.{service}"
    metadata: MetaData = import_module(f"{package}.models").metadata
    return metadata


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The `slow` files first: `make pytest` hands whole files to two processes in this order,
    and a long file handed out last would leave one process idle while the other runs it."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.fixture(scope="session")
def database_name() -> Iterator[str]:
    """A fresh database for this run; dropped at the end."""
    # Session-scoped and synchronous (the event loop fixtures come later), hence not
    # `scratch_database`, which the asynchronous callers use.
    name = scratch_name("sbe_test")
    asyncio.run(admin_sql(f'CREATE DATABASE "{name}"'))
    yield name
    asyncio.run(admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def database_url(database_name: str) -> str:
    """SQLAlchemy URL of the run's database (each service uses its own schema in it)."""
    url = pg_url(database_name)
    for spec in ALL:
        if spec.migrations:
            upgrade(spec.migrations, DatabaseTarget(url, spec.name))
    return url


@pytest.fixture(scope="session")
def broker() -> Iterator[str]:
    """The bundled Kafka-protocol broker on a free port."""
    port = free_port()
    process = start_broker(port)
    yield f"127.0.0.1:{port}"
    process.terminate()
    try:
        process.wait(5)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="session")
def producer(broker: str) -> Iterator[KafkaProducer]:
    """A producer standing in for the city's feed systems."""
    kafka = create_producer(broker, linger_ms=0)
    yield kafka
    kafka.close()


@pytest.fixture(scope="session")
def service_env(
    database_url: str, broker: str, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, str]:
    """The SBE_* settings every in-process service of the test session runs with."""
    return {
        "SBE_DATABASE_URL": database_url,
        "SBE_KAFKA_BOOTSTRAP": broker,
        "SBE_INTERNAL_SECRET": INTERNAL_SECRET,
        "SBE_DATA_DIR": str(tmp_path_factory.mktemp("data")),
        "SBE_LOG_LEVEL": "WARNING",
        # Fewer kept connections than production's 20 a service (at most 4 + 2 overflow + 2 for
        # the driver's pool): a pool keeps what its busiest moment opened, and two test
        # processes' five services each share PostgreSQL's 100 with the stacks, replicas and
        # engines tests start of their own (8 a service ran the migration test's replicas out).
        "SBE_DATABASE_POOL_SIZE": "4",
        # The bundled broker joins a group in about half the session timeout.
        "SBE_CONSUMER_SESSION_TIMEOUT_MS": "3000",
        "SBE_CONSUMER_HEARTBEAT_MS": "500",
        # After every test, `quiesce` waits for the consumers to store what was published: short
        # idle polls let a consumer take a new message soon after it arrives.
        "SBE_CONSUMER_POLL_MS": "20",
        "SBE_FIGURES_INTERVAL_SECONDS": "0.1",
        "SBE_FIGURES_SETTLE_SECONDS": "0",
        # Copies are compared when a test asks (POST …/copies/check), and judged at once.
        "SBE_COPIES_CHECK_SECONDS": "86400",
        "SBE_COPIES_SETTLE_SECONDS": "0",
        # District figures are taken again when a test runs a keeper's round itself.
        "SBE_DISTRICT_FIGURES_INTERVAL_SECONDS": "3600",
    }


@dataclass
class Services:
    """The four services, each served over real HTTP on loopback inside the test process."""

    apps: dict[str, FastAPI]
    urls: dict[str, str]
    env: dict[str, str]


@pytest.fixture(scope="session")
async def services(service_env: dict[str, str]) -> AsyncIterator[Services]:
    """One in-process platform for the whole run (the gateway's tests put a gateway in front)."""
    ports = {spec.name: free_port() for spec in SERVICES}
    urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    apps: dict[str, FastAPI] = {}
    async with contextlib.AsyncExitStack() as servers:
        for spec in SERVICES:
            settings = settings_from_env(
                spec.load(spec.settings_class),
                service_env,
                registry_url=urls["registry"],
                evaluation_url=urls["evaluation"],
                monitoring_url=urls["monitoring"],
                events_url=urls["events"],
            )
            apps[spec.name] = spec.app(settings)
            await servers.enter_async_context(serve(apps[spec.name], ports[spec.name]))
        yield Services(apps, urls, service_env)


@pytest.fixture(scope="session")
async def pg_pool(database_url: str) -> AsyncIterator[asyncpg.Pool]:
    """A raw connection pool for test set-up and isolation."""
    dsn = database_url.replace("postgresql+asyncpg", "postgresql")
    pool = await asyncpg.create_pool(dsn, min_size=1, max_size=4)
    yield pool
    await pool.close()


async def _pending(pg_pool: asyncpg.Pool) -> int:
    """Messages the outboxes still hold and changed months the figures worker has yet to take."""
    async with pg_pool.acquire() as conn:
        return int(
            await conn.fetchval(
                "SELECT (SELECT count(*) FROM registry.outbox WHERE parked_at IS NULL)"
                " + (SELECT count(*) FROM monitoring.outbox WHERE parked_at IS NULL)"
                " + (SELECT count(*) FROM events.outbox WHERE parked_at IS NULL)"
                " + (SELECT count(*) FROM monitoring.figure_change)"
            )
        )


def produced_offsets() -> dict[tuple[str, int], int]:
    """(topic, partition) → the offset after the last message published there, by the relays
    of this process and the tests' feeds."""
    ends: dict[tuple[str, int], int] = dict(FEED_ENDS)
    for family in REGISTRY.collect():
        if family.name == "sbe_outbox_produced_offset":
            for sample in family.samples:
                key = (sample.labels["topic"], int(sample.labels["partition"]))
                ends[key] = max(ends.get(key, 0), int(sample.value))
    return ends


def behind(consumers: list[Any]) -> list[str]:
    """The consumers that have not yet stored everything published to their topics."""
    ends = produced_offsets()
    return [
        f"{c.name} {topic}[{partition}] at {c.stored.get((topic, partition), 0)} of {end}"
        for c in consumers
        for (topic, partition), end in ends.items()
        if topic in c.config.topics and c.stored.get((topic, partition), 0) < end
    ]


async def quiesce(pg_pool: asyncpg.Pool, services: Services, within: float = 15.0) -> None:
    """Wait until what a test set in motion has landed: outboxes published, every consumer has
    stored everything published to its topics, and nothing new came of it. Otherwise a message
    of one test could arrive after the tables are emptied, inside the next test.

    Stored offsets against produced ones, not "a poll found nothing": a poll returns empty while
    its fetch is still on its way, so a message just published could be read after the check."""
    deadline = time.monotonic() + within
    consumers = [c for app in services.apps.values() for c in getattr(app.state, "consumers", [])]
    lagging: list[str] = []
    pending = -1
    while time.monotonic() < deadline:
        pending = await _pending(pg_pool)
        if pending == 0:
            lagging = behind(consumers)
            # Storing may announce more (a figure, a copy): settled once nothing is pending after.
            if not lagging and await _pending(pg_pool) == 0:
                return
        await asyncio.sleep(0.01)
    raise AssertionError(
        f"the platform did not settle within {within}s: "
        + (f"{pending} outbox messages or changed months pending" if pending else "")
        + (f"; consumers behind: {', '.join(lagging)}" if lagging else "")
    )


async def seed_reference(services: Services) -> None:
    """What every service seeds at start: districts, 2023 targets, the default scheme, tasks."""
    from services.evaluation.scoring.service import seed_default_scheme
    from services.evaluation.targets.service import seed_2023
    from services.evaluation.tasks.admin import seed_key_tasks
    from services.registry.districts.repository import upsert_reference_districts

    async with services.apps["registry"].state.database.unit_of_work() as session:
        await upsert_reference_districts(session)
    async with services.apps["evaluation"].state.database.unit_of_work() as session:
        await seed_2023(session)
        await seed_default_scheme(session)
        await seed_key_tasks(session)
    await services.apps["monitoring"].state.directory.load()


@functools.cache
def _emptying() -> tuple[list[str], str]:
    """The services' schemas, and the DELETE of all their tables (written once per run): children
    before their parents, each schema's tables in reverse dependency order."""
    schemas = [spec.name for spec in ALL if spec.migrations]
    deletes = "; ".join(
        f'DELETE FROM "{schema}"."{table.name}"'
        for schema in schemas
        for table in reversed(_metadata(schema).sorted_tables)
    )
    return schemas, deletes


async def empty_every_table(pg_pool: asyncpg.Pool, services: Services) -> None:
    """Let in-flight work land, then empty every service's tables and restart their sequences.

    DELETE, not TRUNCATE: a test leaves a few rows behind, and deleting them takes about a
    millisecond, where truncating the 55 tables (new files for each, and their removal at
    commit) takes about 190 ms, which every test would pay."""
    await quiesce(pg_pool, services)
    schemas, deletes = _emptying()
    # Background workers (consumers, relays, the figures worker) keep running; a deletion
    # that deadlocks with one of them is simply tried again.
    for attempt in range(10):
        try:
            async with pg_pool.acquire() as conn, conn.transaction():
                await conn.execute(deletes)
                await conn.execute(
                    "SELECT setval(format('%I.%I', schemaname, sequencename)::regclass, 1, false)"
                    " FROM pg_sequences WHERE schemaname = ANY($1::text[])",
                    schemas,
                )
            return
        except asyncpg.exceptions.DeadlockDetectedError:
            await asyncio.sleep(0.05 * (attempt + 1))
    raise RuntimeError("could not empty the tables between tests")


@pytest.fixture
async def clean_database(pg_pool: asyncpg.Pool, services: Services) -> AsyncIterator[None]:
    """Reference data in place before the test; every service's tables emptied after it."""
    await seed_reference(services)
    yield
    await empty_every_table(pg_pool, services)
