"""The events service."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from services.events.settings import EventsSettings
from shared import Database, create_service_app, database_target, load_settings

SERVICE = "events"


def create_app(settings: EventsSettings | None = None) -> FastAPI:
    """Build the events app; I/O happens in its lifespan, not here."""
    settings = settings or load_settings(EventsSettings)

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
        title="苏州楼宇经济智慧平台 · Events",
        description="The events service.",
        settings=settings,
        lifespan=lifespan,
        routers=[],
    )
