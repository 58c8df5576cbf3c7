"""Monitoring tests: messages go to the real broker, the in-process monitoring service consumes
them into PostgreSQL, and the tests read the results through its API."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest
from kafka import KafkaProducer

from tests import fixtures
from tests.conftest import Services
from tests.support import ADMIN, Feed, as_


@pytest.fixture
def feed(producer: KafkaProducer) -> Feed:
    return Feed(producer)


@pytest.fixture
async def monitoring(services: Services, clean_database: None) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the monitoring service's own port, signed as admin by default."""
    transport = httpx.ASGITransport(app=services.apps["monitoring"])
    async with httpx.AsyncClient(
        transport=transport, base_url="http://monitoring", auth=as_(ADMIN)
    ) as client:
        yield client


@pytest.fixture
async def registry_client(services: Services) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=services.apps["registry"])
    async with httpx.AsyncClient(
        transport=transport, base_url="http://registry", auth=as_(ADMIN)
    ) as client:
        yield client


@pytest.fixture
def register(registry_client: httpx.AsyncClient) -> Callable[..., Awaitable[str]]:
    """Register a building in the registry (unique id) and return its id."""

    async def make(district_id: str = "gusu", area: float = 100_000, **overrides: Any) -> str:
        building_id = overrides.pop("id", f"m-{uuid.uuid4().hex[:10]}")
        response = await registry_client.post(
            "/api/v1/buildings",
            json=fixtures.building(
                id=building_id, district_id=district_id, gross_floor_area_m2=area, **overrides
            ),
        )
        assert response.status_code == 201, response.text
        return building_id

    return make


async def series(client: httpx.AsyncClient, building_id: str, **params: str) -> dict[str, Any]:
    response = await client.get(f"/api/v1/monitoring/buildings/{building_id}/series", params=params)
    return response.json() if response.status_code == 200 else {"status": response.status_code}


def month(body: dict[str, Any], period: str) -> dict[str, Any] | None:
    return next((m for m in body.get("months", []) if m["period"] == period), None)
