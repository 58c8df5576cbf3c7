"""The real platform: `sbe run` in a subprocess, shared by the e2e session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.live import UNLIMITED, LiveStack, launch, on_postgres


@pytest.fixture(scope="session")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveStack]:
    """One platform for the e2e session, stopped (and checked to stop cleanly) at the end."""
    base = tmp_path_factory.mktemp("live")
    # Generous limits: the schemathesis run sends many requests with one key.
    stack = launch(base / "data", base / "stack.log", UNLIMITED)
    yield stack
    assert stack.stop() == 0


@pytest.fixture(scope="session")
def live_pg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveStack]:
    """The platform on PostgreSQL (a scratch database), as production runs it."""
    with on_postgres("sbe_live", tmp_path_factory.mktemp("live_pg"), UNLIMITED) as stack:
        yield stack
