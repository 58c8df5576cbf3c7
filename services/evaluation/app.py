"""The evaluation service: targets, actuals and the district scores the supervision office reads."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from services.evaluation.settings import EvaluationSettings
from services.evaluation.targets.router import router as targets_router
from services.evaluation.targets.service import seed_2023
from shared import Database, create_service_app, database_target, load_settings

SERVICE = "evaluation"


def create_app(settings: EvaluationSettings | None = None) -> FastAPI:
    """Build the evaluation app; I/O happens in its lifespan, not here."""
    settings = settings or load_settings(EvaluationSettings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        database = Database.open(database_target(settings, SERVICE))
        app.state.database = database
        async with database.unit_of_work() as session:
            await seed_2023(session)
        try:
            yield
        finally:
            await database.dispose()

    return create_service_app(
        name=SERVICE,
        title="苏州楼宇经济智慧平台 · Evaluation",
        description="Yearly targets per district (Annex 1 for 2023), actuals and district scores.",
        settings=settings,
        lifespan=lifespan,
        routers=[targets_router],
    )
