"""Session-wide test infrastructure: a fresh PostgreSQL database per run with every service's
migrations applied, the bundled broker on a free port, and per-test isolation by truncation."""

from __future__ import annotations

import asyncio
import os
import secrets
import subprocess
from collections.abc import AsyncIterator, Iterator

import asyncpg
import pytest
from sqlalchemy import MetaData

from launcher.broker import start_broker
from launcher.processes import ALL
from shared import DatabaseTarget
from shared.migrations import upgrade
from tests.support import free_port

PG_HOST = os.environ.get("SBE_TEST_PG_HOST", "127.0.0.1")
PG_PORT = int(os.environ.get("SBE_TEST_PG_PORT", "5432"))
PG_USER = os.environ.get("SBE_TEST_PG_USER", "postgres")
INTERNAL_SECRET = "test-internal-secret-" + "x" * 16


def _metadata(service: str) -> MetaData:
    from importlib import import_module

    package = "gateway" if service == "gateway" else f"services.{service}"
    metadata: MetaData = import_module(f"{package}.models").metadata
    return metadata


@pytest.fixture(scope="session")
def database_name() -> Iterator[str]:
    """A fresh database for this run; dropped at the end."""
    name = f"sbe_test_{os.getpid()}_{secrets.token_hex(3)}"

    async def admin(sql: str) -> None:
        conn = await asyncpg.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, database="postgres")
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    yield name
    asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def database_url(database_name: str) -> str:
    """SQLAlchemy URL of the run's database (each service uses its own schema in it)."""
    url = f"postgresql+asyncpg://{PG_USER}@{PG_HOST}:{PG_PORT}/{database_name}"
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
    }


@pytest.fixture(scope="session")
async def pg_pool(database_url: str) -> AsyncIterator[asyncpg.Pool]:
    """A raw connection pool for test set-up and isolation."""
    dsn = database_url.replace("postgresql+asyncpg", "postgresql")
    pool = await asyncpg.create_pool(dsn, min_size=1, max_size=4)
    yield pool
    await pool.close()


@pytest.fixture
async def clean_database(pg_pool: asyncpg.Pool) -> AsyncIterator[None]:
    """Empty every service's tables after the test (reference data is re-seeded by fixtures)."""
    yield
    tables = [
        f'"{spec.name}"."{table.name}"'
        for spec in ALL
        if spec.migrations
        for table in _metadata(spec.name).sorted_tables
    ]
    async with pg_pool.acquire() as conn:
        await conn.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
