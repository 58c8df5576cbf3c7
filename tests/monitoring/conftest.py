"""Monitoring tests: messages go to the real broker, the in-process monitoring service consumes
them into PostgreSQL, and the tests read the results through its API."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any, TypeVar

import httpx
import orjson
import pytest
from kafka import KafkaProducer

from shared import create_producer
from tests import fixtures
from tests.conftest import Services
from tests.support import ADMIN, as_

T = TypeVar("T")


@pytest.fixture(scope="session")
def producer(broker: str) -> Iterator[KafkaProducer]:
    """A producer standing in for the city's feed systems."""
    kafka = create_producer(broker, linger_ms=0)
    yield kafka
    kafka.close()


class Feed:
    """Sends feed messages and waits for the platform to have taken them in."""

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
        await asyncio.to_thread(self._send, topic, raw_key, raw)

    async def send_all(self, topic: str, values: list[Any]) -> None:
        for value in values:
            raw = value if isinstance(value, bytes) else orjson.dumps(value)
            key = value.get("building_id", "").encode() if isinstance(value, dict) else b"x"
            self.producer.send(topic, key=key, value=raw)
        await asyncio.to_thread(self.producer.flush)

    def _send(self, topic: str, key: bytes, value: bytes) -> None:
        self.producer.send(topic, key=key, value=value).get(timeout=10)


@pytest.fixture
def feed(producer: KafkaProducer) -> Feed:
    return Feed(producer)


async def eventually(
    probe: Callable[[], Awaitable[T]], check: Callable[[T], bool], within: float = 30
) -> T:
    """Poll `probe` until `check` holds; fail with the last value seen."""
    deadline = time.monotonic() + within
    while True:
        value = await probe()
        if check(value):
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {within}s; last value: {value!r}")
        await asyncio.sleep(0.1)


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


def tax(building_id: str, period: str, amount: str, **overrides: Any) -> dict[str, Any]:
    """A `sbe.tax.v1` message."""
    message = {
        "record_id": f"t-{uuid.uuid4().hex}",
        "building_id": building_id,
        "period": period,
        "amount_cny": amount,
        "reported_at": "2024-01-15T10:00:00+08:00",
    }
    message.update(overrides)
    return message


def occupancy(
    building_id: str, period: str, leasable: float, occupied: float, **overrides: Any
) -> dict[str, Any]:
    """A `sbe.occupancy.v1` message."""
    message = {
        "record_id": f"o-{uuid.uuid4().hex}",
        "building_id": building_id,
        "period": period,
        "leasable_area_m2": leasable,
        "occupied_area_m2": occupied,
        "enterprise_count": 12,
        "reported_at": "2024-01-15T10:00:00+08:00",
    }
    message.update(overrides)
    return message


async def series(client: httpx.AsyncClient, building_id: str, **params: str) -> dict[str, Any]:
    response = await client.get(f"/api/v1/monitoring/buildings/{building_id}/series", params=params)
    return response.json() if response.status_code == 200 else {"status": response.status_code}


def month(body: dict[str, Any], period: str) -> dict[str, Any] | None:
    return next((m for m in body.get("months", []) if m["period"] == period), None)
