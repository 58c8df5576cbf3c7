"""The registry service: buildings, the three 名录, designations, renovations, enterprises."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

from fastapi import FastAPI

from services.registry.buildings.router import router as buildings_router
from services.registry.db import RegistryOutbox
from services.registry.districts.repository import upsert_reference_districts
from services.registry.districts.router import router as districts_router
from services.registry.enterprises.router import router as enterprises_router
from services.registry.renovations.router import router as renovations_router
from services.registry.settings import RegistrySettings
from shared import (
    TOPIC_REGISTRY_BUILDINGS,
    TOPIC_REGISTRY_MOVEMENTS,
    Database,
    OutboxRelay,
    TopicSpec,
    create_producer,
    create_service_app,
    database_target,
    load_settings,
)

SERVICE = "registry"


def topics(settings: RegistrySettings) -> list[TopicSpec]:
    """The topics the registry publishes."""
    return [
        TopicSpec(TOPIC_REGISTRY_BUILDINGS, settings.topic_partitions, compacted=True),
        TopicSpec(TOPIC_REGISTRY_MOVEMENTS, settings.topic_partitions),
    ]


def create_app(settings: RegistrySettings | None = None) -> FastAPI:
    """Build the registry app; I/O happens in its lifespan, not here."""
    settings = settings or load_settings(RegistrySettings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        database = Database.open(
            database_target(settings, SERVICE), pool_size=settings.database_pool_size
        )
        app.state.database = database
        async with database.unit_of_work() as session:
            await upsert_reference_districts(session)
        relay_task: asyncio.Task[None] | None = None
        relay: OutboxRelay | None = None
        if settings.kafka_bootstrap:
            bootstrap = settings.kafka_bootstrap
            relay = OutboxRelay(
                SERVICE,
                database,
                RegistryOutbox,
                lambda: create_producer(bootstrap),
                topics=topics(settings),
                bootstrap=bootstrap,
            )
            relay_task = asyncio.create_task(relay.run(), name="registry-outbox")
        app.state.outbox_relay = relay
        try:
            yield
        finally:
            if relay_task is not None:
                relay_task.cancel()
                with suppress(asyncio.CancelledError):
                    await relay_task
            if relay is not None:
                await relay.close()
            await database.dispose()

    return create_service_app(
        name=SERVICE,
        title="苏州楼宇经济智慧平台 · Registry",
        description="Buildings, the three 名录 lists, featured designations, renovations and "
        "enterprise movements pushed by district systems.",
        settings=settings,
        lifespan=lifespan,
        routers=[districts_router, buildings_router, renovations_router, enterprises_router],
    )
