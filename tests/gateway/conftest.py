"""The services and the gateway served over real HTTP on loopback, inside the test process."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from gateway.app import create_app as create_gateway
from gateway.settings import GatewaySettings
from tests.conftest import Services
from tests.gateway.people import Person
from tests.support import serve, settings_from_env

ADMIN_TOKEN = "sbe_admin_test_token_" + "a" * 24


@dataclass
class Stack:
    """The in-process services with a gateway in front."""

    gateway_url: str
    services: Services

    @property
    def apps(self) -> dict[str, FastAPI]:
        return self.services.apps

    def gateway_settings(self, **overrides: Any) -> GatewaySettings:
        values: dict[str, Any] = {f"{name}_url": url for name, url in self.services.urls.items()}
        # Generous sign-in limits: the tests sign in often from one address.
        values.update(
            admin_token=ADMIN_TOKEN, audit_flush_seconds=0.05, login_attempts_per_minute=10_000
        )
        values.update(overrides)
        return settings_from_env(GatewaySettings, self.services.env, **values)

    @contextlib.asynccontextmanager
    async def another_gateway(self, **overrides: Any) -> AsyncIterator[str]:
        """A second gateway over the same services and database, with other settings."""
        async with serve(create_gateway(self.gateway_settings(**overrides))) as url:
            yield url


@pytest.fixture(scope="session")
async def stack(services: Services) -> AsyncIterator[Stack]:
    stack = Stack("", services)
    async with serve(create_gateway(stack.gateway_settings())) as url:
        stack.gateway_url = url
        yield stack


@pytest.fixture
async def platform(stack: Stack, clean_database: None) -> Stack:
    """The stack, with reference data seeded and every table emptied after the test."""
    return stack


@pytest.fixture
async def admin(platform: Stack) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the gateway holding the bootstrap admin key."""
    headers = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    async with httpx.AsyncClient(base_url=platform.gateway_url, headers=headers) as client:
        yield client


@pytest.fixture
async def anonymous(platform: Stack) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the gateway without a key."""
    async with httpx.AsyncClient(base_url=platform.gateway_url) as client:
        yield client


async def issue(admin: httpx.AsyncClient, role: str, district_id: str | None = None) -> str:
    """Issue a key through the API and return its secret."""
    body: dict[str, Any] = {"role": role, "label": f"{role} test key"}
    if district_id:
        body["district_id"] = district_id
    response = await admin.post("/api/v1/auth/keys", json=body)
    assert response.status_code == 201, response.text
    return str(response.json()["key"])


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
async def browser(platform: Stack) -> Any:
    """Makes people (tests.gateway.people.Person), closed after the test."""
    people: list[Person] = []

    def make(base_url: str | None = None) -> Person:
        person = Person(base_url or platform.gateway_url)
        people.append(person)
        return person

    yield make
    for person in people:
        await person.close()
