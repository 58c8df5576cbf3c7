"""The evaluation's consumer: it keeps its own copies of the registry's buildings and movements,
the events and monitoring's building-year figures, one unit of work per polled batch."""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from typing import Any

import orjson
from kafka.consumer.fetcher import ConsumerRecord

from services.evaluation.inputs import service
from services.evaluation.settings import EvaluationSettings
from shared import (
    TOPIC_EVENTS,
    TOPIC_MONITORING_BUILDING_YEARS,
    TOPIC_REGISTRY_BUILDINGS,
    TOPIC_REGISTRY_MOVEMENTS,
    BatchConsumer,
    ConsumerConfig,
    Database,
    KafkaDeadLetters,
    TopicSpec,
)

logger = logging.getLogger("sbe.evaluation.consumer")

TOPICS = (
    TOPIC_REGISTRY_BUILDINGS,
    TOPIC_REGISTRY_MOVEMENTS,
    TOPIC_EVENTS,
    TOPIC_MONITORING_BUILDING_YEARS,
)
# The publishers create their topics; these only matter if the evaluation starts first.
FALLBACK_SPECS = (
    TopicSpec(TOPIC_REGISTRY_BUILDINGS, 3, compacted=True),
    TopicSpec(TOPIC_REGISTRY_MOVEMENTS, 3),
    TopicSpec(TOPIC_EVENTS, 3, compacted=True),
    TopicSpec(TOPIC_MONITORING_BUILDING_YEARS, 6, compacted=True),
)


class InputsHandler:
    """Applies a batch of the four topics' messages in one transaction."""

    def __init__(self, database: Database) -> None:
        self.database = database

    async def __call__(self, records: list[ConsumerRecord]) -> None:
        # An unreadable or malformed message raises here or below: the consumer splits the
        # batch and dead-letters that message alone (see shared.consumer).
        by_topic: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for record in records:
            by_topic[record.topic].append(orjson.loads(record.value))
        async with self.database.unit_of_work() as session:
            await service.apply_buildings(session, by_topic[TOPIC_REGISTRY_BUILDINGS])
            await service.apply_movements(session, by_topic[TOPIC_REGISTRY_MOVEMENTS])
            await service.apply_events(session, by_topic[TOPIC_EVENTS])
            await service.apply_building_years(session, by_topic[TOPIC_MONITORING_BUILDING_YEARS])


def inputs_consumer(
    settings: EvaluationSettings, database: Database, loop: asyncio.AbstractEventLoop
) -> BatchConsumer:
    """The consumer group reading every input of the evaluation."""
    assert settings.kafka_bootstrap is not None
    config = ConsumerConfig(
        bootstrap=settings.kafka_bootstrap,
        group_id=settings.consumer_group,
        topics=TOPICS,
        max_records=5000,
        session_timeout_ms=settings.consumer_session_timeout_ms,
        heartbeat_interval_ms=settings.consumer_heartbeat_ms,
        poll_timeout_ms=settings.consumer_poll_ms,
        topic_specs=FALLBACK_SPECS,
    )
    return BatchConsumer(
        config,
        InputsHandler(database),
        loop,
        dead_letters=KafkaDeadLetters(settings.kafka_bootstrap, "evaluation"),
        name="evaluation-inputs",
    )
