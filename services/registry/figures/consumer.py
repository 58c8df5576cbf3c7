"""The registry's one consumer: monitoring's building-years, into the registry's copy of them.
Each polled batch is stored in one unit of work; offsets are committed only after it commits
(see shared.consumer)."""

from __future__ import annotations

import asyncio

from kafka.consumer.fetcher import ConsumerRecord

from policy import (
    TOPIC_MONITORING_BUILDING_YEARS,
    BuildingYearMessage,
    building_year_row,
    topic_specs,
    upsert_building_year_copies,
)
from services.registry.figures.models import BuildingYearCopy
from services.registry.settings import RegistrySettings
from shared import Database
from shared.messaging import BatchConsumer, KafkaDeadLetters, consumer_config


class FiguresHandler:
    """Stores a batch of building-year messages in one transaction."""

    def __init__(self, database: Database) -> None:
        self.database = database

    async def __call__(self, records: list[ConsumerRecord]) -> None:
        # A malformed message raises here: the consumer splits the batch and dead-letters that
        # message alone (see shared.consumer).
        rows = [
            building_year_row(BuildingYearMessage.model_validate_json(record.value))
            for record in records
        ]
        async with self.database.unit_of_work() as session:
            await upsert_building_year_copies(session, BuildingYearCopy, rows)


def figures_consumer(
    settings: RegistrySettings, database: Database, loop: asyncio.AbstractEventLoop
) -> BatchConsumer:
    """The consumer group reading monitoring's building-years."""
    assert settings.kafka_bootstrap is not None
    return BatchConsumer(
        consumer_config(
            settings,
            group_id=settings.consumer_group,
            topics=topic_specs((TOPIC_MONITORING_BUILDING_YEARS,), settings),
            max_records=5000,
        ),
        FiguresHandler(database),
        loop,
        dead_letters=KafkaDeadLetters(settings.kafka_bootstrap, "registry"),
        name="registry-figures",
    )
