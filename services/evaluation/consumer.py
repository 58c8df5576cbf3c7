"""The evaluation's consumer: it keeps its own copies of the registry's buildings and movements,
the events and monitoring's building-year figures, one unit of work per polled batch."""

from __future__ import annotations

import asyncio
import logging

from kafka.consumer.fetcher import ConsumerRecord

from policy import (
    TOPIC_EVENTS,
    TOPIC_MONITORING_BUILDING_YEARS,
    TOPIC_REGISTRY_BUILDINGS,
    TOPIC_REGISTRY_MOVEMENTS,
    BuildingMessage,
    BuildingYearMessage,
    EventMessage,
    MovementMessage,
    topic_specs,
)
from services.evaluation.inputs import service
from services.evaluation.settings import EvaluationSettings
from shared import Database
from shared.messaging import BatchConsumer, KafkaDeadLetters, consumer_config

logger = logging.getLogger("sbe.evaluation.consumer")

TOPICS = (
    TOPIC_REGISTRY_BUILDINGS,
    TOPIC_REGISTRY_MOVEMENTS,
    TOPIC_EVENTS,
    TOPIC_MONITORING_BUILDING_YEARS,
)


class InputsHandler:
    """Applies a batch of the four topics' messages in one transaction."""

    def __init__(self, database: Database) -> None:
        self.database = database

    async def __call__(self, records: list[ConsumerRecord]) -> None:
        # An unreadable or malformed message raises here or below: the consumer splits the
        # batch and dead-letters that message alone (see shared.consumer).
        buildings: list[BuildingMessage] = []
        movements: list[MovementMessage] = []
        events: list[EventMessage] = []
        years: list[BuildingYearMessage] = []
        for record in records:
            if record.topic == TOPIC_REGISTRY_BUILDINGS:
                buildings.append(BuildingMessage.model_validate_json(record.value))
            elif record.topic == TOPIC_REGISTRY_MOVEMENTS:
                movements.append(MovementMessage.model_validate_json(record.value))
            elif record.topic == TOPIC_EVENTS:
                events.append(EventMessage.model_validate_json(record.value))
            else:
                years.append(BuildingYearMessage.model_validate_json(record.value))
        async with self.database.unit_of_work() as session:
            await service.apply_batch(session, buildings, movements, events, years)


def inputs_consumer(
    settings: EvaluationSettings, database: Database, loop: asyncio.AbstractEventLoop
) -> BatchConsumer:
    """The consumer group reading every input of the evaluation."""
    assert settings.kafka_bootstrap is not None
    return BatchConsumer(
        consumer_config(
            settings,
            group_id=settings.consumer_group,
            topics=topic_specs(TOPICS, settings),
            max_records=5000,
        ),
        InputsHandler(database),
        loop,
        dead_letters=KafkaDeadLetters(settings.kafka_bootstrap, "evaluation"),
        name="evaluation-inputs",
    )
