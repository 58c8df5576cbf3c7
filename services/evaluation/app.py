"""The evaluation service: targets, actuals and the district scores the supervision office reads,
the key tasks, publications and the annual blue book."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from policy import CopyWatch, copies_router, own_tallies
from services.evaluation.bluebook.pdf import Printer
from services.evaluation.bluebook.peers import Peers
from services.evaluation.bluebook.router import router as bluebook_router
from services.evaluation.consumer import inputs_consumer
from services.evaluation.copies import service as copies
from services.evaluation.coverage.router import router as coverage_router
from services.evaluation.history.router import router as history_router
from services.evaluation.metrics import refresh as refresh_metrics
from services.evaluation.publications.router import router as publications_router
from services.evaluation.scoring.keeper import FiguresKeeper
from services.evaluation.scoring.router import router as scoring_router
from services.evaluation.scoring.service import seed_default_scheme
from services.evaluation.settings import EvaluationSettings
from services.evaluation.targets.router import router as targets_router
from services.evaluation.targets.service import seed_2023
from services.evaluation.tasks.admin import seed_key_tasks
from services.evaluation.tasks.evidence import router as report_evidence_router
from services.evaluation.tasks.router import router as tasks_router
from shared import Database, create_service_app, database_target, load_settings, service_client
from shared.messaging import BatchConsumer, consuming, every

SERVICE = "evaluation"


def create_app(settings: EvaluationSettings | None = None) -> FastAPI:
    """Build the evaluation app; I/O happens in its lifespan, not here."""
    settings = settings or load_settings(EvaluationSettings)
    secret = settings.internal_secret.get_secret_value()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        database = Database.open(
            database_target(settings, SERVICE), pool_size=settings.database_pool_size
        )
        app.state.database = database
        peers = Peers(
            registry=service_client(
                settings.registry_url, service=SERVICE, secret=secret, timeout=30.0
            ),
            monitoring=service_client(
                settings.monitoring_url, service=SERVICE, secret=secret, timeout=30.0
            ),
        )
        app.state.peers = peers
        events = service_client(settings.events_url, service=SERVICE, secret=secret, timeout=30.0)
        watch = CopyWatch(
            SERVICE,
            copies.sources(peers.registry, events, peers.monitoring),
            own_tallies(database, copies.tallies),
            settle_seconds=settings.copies_settle_seconds,
            interval_seconds=settings.copies_check_seconds,
        )
        app.state.copy_watch = watch
        app.state.printer = Printer(settings.chromium_path)
        async with database.unit_of_work() as session:
            await seed_2023(session)
            await seed_default_scheme(session)
            await seed_key_tasks(session)
        consumers: list[BatchConsumer] = []
        if settings.kafka_bootstrap:
            consumers = [inputs_consumer(settings, database, asyncio.get_running_loop())]
        app.state.consumers = consumers
        try:
            keeper = FiguresKeeper(database)
            async with (
                consuming(consumers),
                watch.running(),
                every(
                    settings.district_figures_interval_seconds,
                    keeper.refresh_once,
                    name="district-figures",
                ),
            ):
                yield
        finally:
            await events.aclose()
            await peers.aclose()
            await database.dispose()

    return create_service_app(
        name=SERVICE,
        title="苏州楼宇经济智慧平台 · Evaluation",
        description="Yearly targets per district (Annex 1 for 2023), actuals kept from the other "
        "services' topics, district scores by a published method, key tasks, publications and "
        "the annual blue book.",
        settings=settings,
        lifespan=lifespan,
        routers=[
            targets_router,
            scoring_router,
            publications_router,
            tasks_router,
            report_evidence_router,
            bluebook_router,
            coverage_router,
            history_router,
            copies_router(SERVICE),
        ],
        metrics_refreshers=(refresh_metrics,),
    )
