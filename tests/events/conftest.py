"""Events tests: the in-process events service over its own port (the evaluation service, which
owns the targets, answers it over real HTTP)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest

from tests.conftest import Services
from tests.support import ADMIN, as_


@pytest.fixture
async def events(services: Services, clean_database: None) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the events service, signed as admin by default."""
    transport = httpx.ASGITransport(app=services.apps["events"])
    async with httpx.AsyncClient(
        transport=transport, base_url="http://events", auth=as_(ADMIN)
    ) as client:
        yield client


def event(**overrides: Any) -> dict[str, Any]:
    """An event payload: a district promotion held in March 2023."""
    payload: dict[str, Any] = {
        "kind": "promotion",
        "scope": "district",
        "district_id": "gusu",
        "title": "姑苏区楼宇招商推介会",
        "starts_at": "2023-03-15T09:30:00+08:00",
        "ends_at": "2023-03-15T11:30:00+08:00",
        "venue": "姑苏区会展中心",
        "status": "held",
    }
    payload.update(overrides)
    return payload


@pytest.fixture
def record(events: httpx.AsyncClient) -> Callable[..., Awaitable[dict[str, Any]]]:
    """Record an event as admin and return it."""

    async def make(**overrides: Any) -> dict[str, Any]:
        response = await events.post("/api/v1/events", json=event(**overrides))
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        return body

    return make
