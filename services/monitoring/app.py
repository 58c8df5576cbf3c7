"""The monitoring service."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from services.monitoring.settings import MonitoringSettings
from shared import (
    Database,
    broker_reachable,
    create_service_app,
    database_ready,
    database_target,
    load_settings,
)

SERVICE = "monitoring"


async def broker_ready(app: FastAPI) -> dict[str, bool]:
    """Monitoring is ready only while its broker answers."""
    bootstrap = app.state.settings.kafka_bootstrap
    return {"broker": bool(bootstrap) and await broker_reachable(bootstrap)}


def create_app(settings: MonitoringSettings | None = None) -> FastAPI:
    """Build the monitoring app; I/O happens in its lifespan, not here."""
    settings = settings or load_settings(MonitoringSettings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        database = Database.open(database_target(settings, SERVICE))
        app.state.database = database
        try:
            yield
        finally:
            await database.dispose()

    return create_service_app(
        name=SERVICE,
        title="苏州楼宇经济智慧平台 · Monitoring",
        description="Occupancy and tax feeds.",
        settings=settings,
        lifespan=lifespan,
        routers=[],
        readiness=(database_ready, broker_ready),
    )
