"""Evaluation tests against the in-process evaluation service."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from tests.conftest import Services

# The hand-worked scenario's fixtures, for each module here that asks for them (built once per
# module that does).
from tests.evaluation.scenario import evaluation, scenario  # noqa: F401
from tests.support import ADMIN, as_


@pytest.fixture
async def evaluation_api(
    services: Services, clean_database: None
) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the evaluation service's own port, signed as admin by default."""
    transport = httpx.ASGITransport(app=services.apps["evaluation"])
    async with httpx.AsyncClient(
        transport=transport, base_url="http://evaluation", auth=as_(ADMIN)
    ) as client:
        yield client
