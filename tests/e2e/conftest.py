"""The real platform: `sbe run` in a subprocess, shared by the e2e session."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from tests.live import LiveStack, launch
from tests.support import admin_sql, pg_url, scratch_name


@pytest.fixture(scope="session")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveStack]:
    """One platform for the e2e session, stopped (and checked to stop cleanly) at the end."""
    base = tmp_path_factory.mktemp("live")
    # Generous limits: the schemathesis run sends many requests with one key.
    limits = {
        "SBE_RATE_LIMIT_PER_SECOND": "5000",
        "SBE_RATE_LIMIT_BURST": "5000",
        "SBE_CLIENT_RATE_LIMIT_PER_SECOND": "5000",
        "SBE_CLIENT_RATE_LIMIT_BURST": "5000",
    }
    stack = launch(base / "data", base / "stack.log", limits)
    yield stack
    assert stack.stop() == 0


@pytest.fixture(scope="session")
def live_pg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveStack]:
    """The platform on PostgreSQL (a scratch database), as production runs it."""
    base = tmp_path_factory.mktemp("live_pg")
    name = scratch_name("sbe_live")
    asyncio.run(admin_sql(f'CREATE DATABASE "{name}"'))
    limits = {
        "SBE_DATABASE_URL": pg_url(name),
        "SBE_RATE_LIMIT_PER_SECOND": "5000",
        "SBE_RATE_LIMIT_BURST": "5000",
        "SBE_CLIENT_RATE_LIMIT_PER_SECOND": "5000",
        "SBE_CLIENT_RATE_LIMIT_BURST": "5000",
    }
    stack = launch(base / "data", base / "stack.log", limits)
    try:
        yield stack
        assert stack.stop() == 0
    finally:
        if stack.process.poll() is None:
            stack.process.kill()
        asyncio.run(admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
