"""The registry app, run in-process against the run's PostgreSQL schema and broker."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from tests import fixtures
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


@pytest.fixture
async def buildings(registry: httpx.AsyncClient) -> None:
    """Two buildings in 姑苏区 (g1, g2) and one in 工业园区 (s1)."""
    for building_id, district_id in (("g1", "gusu"), ("g2", "gusu"), ("s1", "sip")):
        response = await registry.post(
            "/api/v1/buildings", json=fixtures.building(id=building_id, district_id=district_id)
        )
        assert response.status_code == 201
