"""The monitoring service: occupancy and tax feeds in, effectively once; figures, warnings out."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

from fastapi import FastAPI

from policy import (
    LINE_100M_CENTS,
    CopyWatch,
    announcements_router,
    copies_router,
    http_source,
    own_tallies,
)
from services.monitoring.announcements import service as announcements
from services.monitoring.buildings.client import RegistryClient
from services.monitoring.buildings.service import BuildingDirectory
from services.monitoring.consumer import (
    FeedHandler,
    RegistryHandler,
    feed_consumer,
    registry_consumer,
)
from services.monitoring.db import MonitoringOutbox
from services.monitoring.figures.router import router as figures_router
from services.monitoring.figures.worker import FiguresWorker
from services.monitoring.ingest.router import router as dead_letters_router
from services.monitoring.notifications import service as notifications
from services.monitoring.notifications.mail import Mailer
from services.monitoring.notifications.router import router as notifications_router
from services.monitoring.notifications.service import Delivery
from services.monitoring.settings import MonitoringSettings
from services.monitoring.warnings.detection import watch_missing_reports
from services.monitoring.warnings.pace import ScoreBoards, watch_pace
from services.monitoring.warnings.router import router as warnings_router
from services.monitoring.warnings.rules import RulesStore, WarningRules
from shared import Database, create_service_app, database_target, load_settings, service_client
from shared.edge import database_ready
from shared.messaging import BatchConsumer, broker_reachable, consuming, outbox_router, relaying

SERVICE = "monitoring"
logger = logging.getLogger("sbe.monitoring")


async def broker_ready(app: FastAPI) -> dict[str, bool]:
    """Monitoring is ready only while its broker answers."""
    bootstrap = app.state.settings.kafka_bootstrap
    return {"broker": bool(bootstrap) and await broker_reachable(bootstrap)}


def rules_of(settings: MonitoringSettings) -> WarningRules:
    return WarningRules(
        occupancy_drop_points=settings.warning_occupancy_drop_points,
        tax_drop_share=settings.warning_tax_drop_share,
        line_100m_cents=LINE_100M_CENTS,
        large_taxpayer_cents=settings.large_taxpayer_cny * 100,
        pace_share=settings.warning_pace_share,
    )


def mailer_of(settings: MonitoringSettings) -> Mailer | None:
    """The SMTP server digests are e-mailed through, if one is set."""
    if not settings.smtp_host:
        return None
    return Mailer(
        host=settings.smtp_host,
        port=settings.smtp_port,
        sender=settings.smtp_sender,
        starttls=settings.smtp_starttls,
        username=settings.smtp_username,
        password=settings.smtp_password.get_secret_value() if settings.smtp_password else None,
    )


def create_app(settings: MonitoringSettings | None = None) -> FastAPI:
    """Build the monitoring app; I/O happens in its lifespan, not here."""
    settings = settings or load_settings(MonitoringSettings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        database = Database.open(
            database_target(settings, SERVICE), pool_size=settings.database_pool_size
        )
        http = service_client(
            settings.registry_url,
            service=SERVICE,
            secret=settings.internal_secret.get_secret_value(),
        )
        directory = BuildingDirectory(database, RegistryClient(http))
        evaluation_http = service_client(
            settings.evaluation_url,
            service=SERVICE,
            secret=settings.internal_secret.get_secret_value(),
            timeout=30.0,
        )
        boards = ScoreBoards(evaluation_http)
        app.state.score_boards = boards
        rules = RulesStore(rules_of(settings))
        app.state.database = database
        app.state.warning_rules = rules
        app.state.directory = directory
        tasks: list[asyncio.Task[None]] = []
        consumers: list[BatchConsumer] = []
        tasks.append(asyncio.create_task(directory.load_when_possible(), name="directory"))
        watch = CopyWatch(
            SERVICE,
            [http_source("registry", ("buildings",), http)],
            own_tallies(database, announcements.copy_tallies),
            settle_seconds=settings.copies_settle_seconds,
            interval_seconds=settings.copies_check_seconds,
        )
        app.state.copy_watch = watch
        worker = FiguresWorker(
            database,
            rules,
            interval=settings.figures_interval_seconds,
            settle_seconds=settings.figures_settle_seconds,
            max_lag_seconds=settings.figures_max_lag_seconds,
        )
        tasks.append(asyncio.create_task(worker.run(), name="figures"))
        tasks.append(
            asyncio.create_task(
                watch_missing_reports(database, settings.missing_reports_interval_seconds),
                name="missing-reports",
            )
        )
        tasks.append(
            asyncio.create_task(
                watch_pace(database, boards, rules, settings.pace_interval_seconds), name="pace"
            )
        )
        delivery = Delivery(mailer_of(settings), settings.digest_recipients)
        app.state.delivery = delivery
        tasks.append(
            asyncio.create_task(
                notifications.daily(
                    database, settings.digest_hour, delivery.mailer, delivery.recipients
                ),
                name="digests",
            )
        )
        try:
            async with (
                relaying(SERVICE, database, MonitoringOutbox, settings.kafka_bootstrap),
                watch.running(),
            ):
                if settings.kafka_bootstrap:
                    loop = asyncio.get_running_loop()
                    consumers = [
                        feed_consumer(settings, FeedHandler(database, directory), loop),
                        registry_consumer(
                            settings, RegistryHandler(database, directory, rules), loop
                        ),
                    ]
                    app.state.consumers = consumers
                async with consuming(consumers):
                    yield
        finally:
            for task in tasks:
                task.cancel()
                with suppress(asyncio.CancelledError):
                    await task
            await http.aclose()
            await evaluation_http.aclose()
            await database.dispose()

    return create_service_app(
        name=SERVICE,
        title="苏州楼宇经济智慧平台 · Monitoring",
        description="Occupancy and tax feeds from Kafka, stored effectively once; building series, "
        "district summaries, early warnings and dead letters.",
        settings=settings,
        lifespan=lifespan,
        routers=[
            figures_router,
            warnings_router,
            notifications_router,
            dead_letters_router,
            outbox_router("monitoring", MonitoringOutbox),
            announcements_router(SERVICE, announcements.tallies, announcements.republish),
            copies_router(SERVICE),
        ],
        readiness=(database_ready, broker_ready),
    )
