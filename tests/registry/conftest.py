"""The registry app, run in-process against the run's PostgreSQL schema and broker."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from tests.conftest import Services
from tests.support import ADMIN, as_


@pytest.fixture
async def registry(services: Services, clean_database: None) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the registry's own port; sign requests with `auth=as_(principal)`."""
    transport = httpx.ASGITransport(app=services.apps["registry"])
    async with httpx.AsyncClient(
        transport=transport, base_url="http://registry", auth=as_(ADMIN)
    ) as client:
        yield client
