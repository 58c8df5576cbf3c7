"""The registry app, run in-process against the run's PostgreSQL schema and broker."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import httpx
import pytest
from fastapi import FastAPI

from services.registry.app import create_app
from services.registry.districts.repository import upsert_reference_districts
from services.registry.settings import RegistrySettings
from shared import Principal
from tests.conftest import INTERNAL_SECRET
from tests.support import ADMIN, SignedAs, settings_from_env


@pytest.fixture(scope="session")
async def registry_app(service_env: dict[str, str]) -> AsyncIterator[FastAPI]:
    app = create_app(settings_from_env(RegistrySettings, service_env))
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
async def registry(registry_app: FastAPI, clean_database: None) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the registry's own port; sign requests with `auth=as_(principal)`."""
    async with registry_app.state.database.unit_of_work() as session:
        await upsert_reference_districts(session)
    transport = httpx.ASGITransport(app=registry_app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://registry", auth=as_(ADMIN)
    ) as client:
        yield client


def as_(principal: Principal) -> SignedAs:
    """Sign a request as `principal`."""
    return SignedAs(principal, INTERNAL_SECRET)


@pytest.fixture
def signed() -> Callable[[Principal], SignedAs]:
    return as_
