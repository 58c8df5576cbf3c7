"""Evaluation metrics: how long scoring takes, when each year was last published, and how many
key tasks are overdue (the last two read from the database on each scrape, so every replica
reports the same current figures)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from fastapi import FastAPI
from prometheus_client import Gauge, Histogram

from services.evaluation.publications import repository as publications
from services.evaluation.tasks import service as tasks
from shared import Database

SCORE_DURATION = Histogram(
    "sbe_evaluation_score_duration_seconds",
    "Time to compute scores from the stored inputs, by operation.",
    ["operation"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
LAST_PUBLICATION = Gauge(
    "sbe_evaluation_last_publication_timestamp_seconds",
    "When the latest assessment of a year was published (Unix time).",
    ["year"],
)
KEY_TASKS_OVERDUE = Gauge(
    "sbe_evaluation_key_tasks_overdue", "Key tasks past their deadline and not done."
)


@contextmanager
def timed(operation: str) -> Iterator[None]:
    """Observe the block's duration as one score computation."""
    started = time.perf_counter()
    try:
        yield
    finally:
        SCORE_DURATION.labels(operation).observe(time.perf_counter() - started)


async def refresh(app: FastAPI) -> None:
    """Read the publication times and the overdue count for this scrape."""
    database: Database = app.state.database
    async with database.unit_of_work() as session:
        rows = await publications.latest_by_year(session)
        overdue = await tasks.list_tasks(session, overdue=True, work_area_no=None)
    for year, published_at in rows:
        LAST_PUBLICATION.labels(str(year)).set(published_at.timestamp())
    KEY_TASKS_OVERDUE.set(len(overdue))
