"""The events service: promotion events, the city conference and joint meetings, checked
against the plan and published for the evaluation."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from policy import TOPIC_EVENTS, announcements_router, topic_specs
from services.events.announcements import service as announcements
from services.events.compliance.router import router as compliance_router
from services.events.db import EventsOutbox
from services.events.planner.router import router as planner_router
from services.events.schedule.evidence import router as evidence_router
from services.events.schedule.router import router as schedule_router
from services.events.settings import EventsSettings
from services.events.targets import TargetsClient
from shared import Database, create_service_app, database_target, load_settings, service_client
from shared.messaging import outbox_router, relaying

SERVICE = "events"


def create_app(settings: EventsSettings | None = None) -> FastAPI:
    """Build the events app; I/O happens in its lifespan, not here."""
    settings = settings or load_settings(EventsSettings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        database = Database.open(
            database_target(settings, SERVICE), pool_size=settings.database_pool_size
        )
        http = service_client(
            settings.evaluation_url,
            service=SERVICE,
            secret=settings.internal_secret.get_secret_value(),
        )
        app.state.database = database
        app.state.targets = TargetsClient(http)
        topics = list(topic_specs((TOPIC_EVENTS,), settings))
        try:
            async with relaying(SERVICE, database, EventsOutbox, settings.kafka_bootstrap, topics):
                yield
        finally:
            await http.aclose()
            await database.dispose()

    return create_service_app(
        name=SERVICE,
        title="苏州楼宇经济智慧平台 · Events",
        description="Promotion events, the city conference and joint meetings: recorded, checked "
        "against the plan, planned by rotation, and published as an iCalendar feed.",
        settings=settings,
        lifespan=lifespan,
        # The fixed paths (compliance, plans, calendar.ics) before /events/{event_id}.
        routers=[
            # Before the schedule's /api/v1/events/{event_id}, which would take these paths.
            announcements_router("events", announcements.tallies, announcements.republish),
            compliance_router,
            planner_router,
            schedule_router,
            evidence_router,
            outbox_router("events", EventsOutbox),
        ],
    )
