"""The real platform: `sbe run` in a subprocess, shared by the e2e session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.live import LiveStack, launch


@pytest.fixture(scope="session")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveStack]:
    """One platform for the e2e session, stopped (and checked to stop cleanly) at the end."""
    base = tmp_path_factory.mktemp("live")
    # Generous limits: the schemathesis run sends many requests with one key.
    limits = {"SBE_RATE_LIMIT_PER_SECOND": "5000", "SBE_RATE_LIMIT_BURST": "5000"}
    stack = launch(base / "data", base / "stack.log", limits)
    yield stack
    assert stack.stop() == 0
