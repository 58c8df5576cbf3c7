"""The evaluation service."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from services.evaluation.settings import EvaluationSettings
from shared import Database, create_service_app, database_target, load_settings

SERVICE = "evaluation"


def create_app(settings: EvaluationSettings | None = None) -> FastAPI:
    """Build the evaluation app; I/O happens in its lifespan, not here."""
    settings = settings or load_settings(EvaluationSettings)

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
        title="苏州楼宇经济智慧平台 · Evaluation",
        description="The evaluation service.",
        settings=settings,
        lifespan=lifespan,
        routers=[],
    )
