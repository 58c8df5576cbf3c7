"""The registry service: buildings, the three 名录, designations, renovations, enterprises, and
its copy of monitoring's building-years (the figures its buildings list shows)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from policy import (
    TOPIC_REGISTRY_BUILDINGS,
    TOPIC_REGISTRY_MOVEMENTS,
    CopyWatch,
    announcements_router,
    copies_router,
    own_tallies,
    topic_specs,
)
from services.registry.announcements import service as announcements
from services.registry.buildings.router import router as buildings_router
from services.registry.db import RegistryOutbox
from services.registry.demo.router import router as demo_router
from services.registry.districts.repository import upsert_reference_districts
from services.registry.districts.router import router as districts_router
from services.registry.figures import copies
from services.registry.figures.consumer import figures_consumer
from services.registry.industry.router import router as industry_router
from services.registry.map.router import router as map_router
from services.registry.movements.router import router as movements_router
from services.registry.reading import FastReads
from services.registry.renovations.evidence import router as renovation_evidence_router
from services.registry.renovations.router import router as renovations_router
from services.registry.settings import RegistrySettings
from services.registry.tenancy.router import router as tenancy_router
from shared import Database, create_service_app, database_target, load_settings, service_client
from shared.messaging import BatchConsumer, TopicSpec, consuming, outbox_router, relaying

SERVICE = "registry"


def topics(settings: RegistrySettings) -> list[TopicSpec]:
    """The topics the registry publishes."""
    return list(topic_specs((TOPIC_REGISTRY_BUILDINGS, TOPIC_REGISTRY_MOVEMENTS), settings))


def create_app(settings: RegistrySettings | None = None) -> FastAPI:
    """Build the registry app; I/O happens in its lifespan, not here."""
    settings = settings or load_settings(RegistrySettings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        database = Database.open(
            database_target(settings, SERVICE), pool_size=settings.database_pool_size
        )
        app.state.database = database
        fast_reads = FastReads.open(database, settings.database_pool_size)
        app.state.fast_reads = fast_reads
        async with database.unit_of_work() as session:
            await upsert_reference_districts(session)
        monitoring = service_client(
            settings.monitoring_url,
            service=SERVICE,
            secret=settings.internal_secret.get_secret_value(),
            timeout=30.0,
        )
        watch = CopyWatch(
            SERVICE,
            copies.sources(monitoring),
            own_tallies(database, copies.tallies),
            settle_seconds=settings.copies_settle_seconds,
            interval_seconds=settings.copies_check_seconds,
        )
        app.state.copy_watch = watch
        consumers: list[BatchConsumer] = []
        if settings.kafka_bootstrap:
            consumers = [figures_consumer(settings, database, asyncio.get_running_loop())]
        app.state.consumers = consumers
        try:
            async with (
                watch.running(),
                relaying(
                    SERVICE, database, RegistryOutbox, settings.kafka_bootstrap, topics(settings)
                ),
                consuming(consumers),
            ):
                yield
        finally:
            await fast_reads.close()
            await monitoring.aclose()
            await database.dispose()

    return create_service_app(
        name=SERVICE,
        title="苏州楼宇经济智慧平台 · Registry",
        description="Buildings, the three 名录 lists, featured designations, renovations and "
        "enterprise movements pushed by district systems.",
        settings=settings,
        lifespan=lifespan,
        routers=[
            buildings_router,
            industry_router,
            movements_router,
            tenancy_router,
            renovations_router,
            renovation_evidence_router,
            districts_router,
            map_router,
            demo_router,
            outbox_router("registry", RegistryOutbox),
            announcements_router("registry", announcements.tallies, announcements.republish),
            copies_router(SERVICE),
        ],
    )
