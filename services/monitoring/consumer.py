"""The monitoring service's Kafka consumers: the occupancy and tax feeds, and the registry's
buildings and movements. Each polled batch is stored in one unit of work; offsets are committed
only after it commits (see shared.consumer)."""

from __future__ import annotations

import asyncio
import logging
import time

from kafka.consumer.fetcher import ConsumerRecord

from policy import (
    TOPIC_MONITORING_BUILDING_YEARS,
    TOPIC_OCCUPANCY,
    TOPIC_REGISTRY_BUILDINGS,
    TOPIC_REGISTRY_MOVEMENTS,
    TOPIC_TAX,
    BuildingMessage,
    MovementMessage,
    topic_specs,
)
from services.monitoring.buildings.service import BuildingDirectory
from services.monitoring.ingest.schemas import DeadLetterReason
from services.monitoring.ingest.service import RawMessage, Rejected, ingest, set_aside
from services.monitoring.metrics import (
    BATCH_DURATION,
    BATCH_FAILURES,
    BATCH_SIZE,
    CONSUMER_LAG,
    DEAD_LETTERS,
    INGEST_RECORDS,
)
from services.monitoring.settings import MonitoringSettings
from services.monitoring.warnings.detection import large_taxpayers_moving_out
from services.monitoring.warnings.rules import RulesStore
from shared import Database
from shared.messaging import (
    TOPIC_DEADLETTER,
    BatchConsumer,
    KafkaDeadLetters,
    Letter,
    TopicSpec,
    consumer_config,
)

logger = logging.getLogger("sbe.monitoring.consumer")


def topics(settings: MonitoringSettings) -> list[TopicSpec]:
    """The topics the monitoring service reads or writes, created at start when missing."""
    return list(
        topic_specs(
            (TOPIC_OCCUPANCY, TOPIC_TAX, TOPIC_DEADLETTER, TOPIC_MONITORING_BUILDING_YEARS),
            settings,
        )
    )


def report_lag(topic: str, partition: int, lag: int) -> None:
    CONSUMER_LAG.labels(topic, str(partition)).set(lag)


class FeedHandler:
    """Stores a batch of feed messages: records, rollups, change marks and dead letters."""

    def __init__(self, database: Database, directory: BuildingDirectory) -> None:
        self.database = database
        self.directory = directory

    async def __call__(self, records: list[ConsumerRecord]) -> None:
        started = time.perf_counter()
        try:
            async with self.database.unit_of_work() as session:
                # ConsumerRecords carry the fields of a RawMessage; no copy needed.
                report = await ingest(session, records, self.directory)
                if report.rejected:
                    await set_aside(session, report.rejected)
        except Exception:
            BATCH_FAILURES.inc()
            raise
        for (topic, outcome), count in report.outcomes.items():
            INGEST_RECORDS.labels(topic, outcome).inc(count)
        for rejected in report.rejected:
            DEAD_LETTERS.labels(rejected.message.topic, rejected.reason.value).inc()
        BATCH_SIZE.observe(len(records))
        BATCH_DURATION.observe(time.perf_counter() - started)

    async def dead_letter(self, letters: list[Letter]) -> None:
        """Set aside records the database refused (found by splitting a failing batch)."""
        rejected = [
            Rejected(
                RawMessage(
                    letter.topic, letter.partition, letter.offset, letter.key, letter.value or b""
                ),
                DeadLetterReason(letter.reason),
                letter.detail,
            )
            for letter in letters
        ]
        async with self.database.unit_of_work() as session:
            await set_aside(session, rejected)
        for item in rejected:
            INGEST_RECORDS.labels(item.message.topic, "deadletter").inc()
            DEAD_LETTERS.labels(item.message.topic, item.reason.value).inc()


class RegistryHandler:
    """Keeps the local copy of buildings, and watches move-outs of large taxpayers."""

    def __init__(self, database: Database, directory: BuildingDirectory, rules: RulesStore) -> None:
        self.database = database
        self.directory = directory
        self.rules = rules

    async def __call__(self, records: list[ConsumerRecord]) -> None:
        # An unreadable or malformed message raises here: the consumer splits the batch and
        # dead-letters that message alone (see shared.consumer).
        buildings: list[BuildingMessage] = []
        movements: list[MovementMessage] = []
        for record in records:
            if record.topic == TOPIC_REGISTRY_BUILDINGS:
                buildings.append(BuildingMessage.model_validate_json(record.value))
            else:
                movements.append(MovementMessage.model_validate_json(record.value))
        if buildings:
            await self.directory.apply(buildings)
        if movements:
            async with self.database.unit_of_work() as session:
                await large_taxpayers_moving_out(
                    session, await self.rules.rules(session), movements
                )


def feed_consumer(
    settings: MonitoringSettings, handler: FeedHandler, loop: asyncio.AbstractEventLoop
) -> BatchConsumer:
    """The consumer group reading the occupancy and tax feeds."""
    return BatchConsumer(
        consumer_config(
            settings,
            group_id=settings.consumer_group,
            topics=topic_specs((TOPIC_OCCUPANCY, TOPIC_TAX), settings),
            max_records=settings.consumer_max_records,
        ),
        handler,
        loop,
        on_lag=report_lag,
        dead_letters=handler.dead_letter,
        name="monitoring-feeds",
    )


def registry_consumer(
    settings: MonitoringSettings, handler: RegistryHandler, loop: asyncio.AbstractEventLoop
) -> BatchConsumer:
    """The consumer group reading the registry's buildings and movements."""
    assert settings.kafka_bootstrap is not None
    return BatchConsumer(
        consumer_config(
            settings,
            group_id=f"{settings.consumer_group}-registry",
            topics=topic_specs((TOPIC_REGISTRY_BUILDINGS, TOPIC_REGISTRY_MOVEMENTS), settings),
            max_records=1000,
        ),
        handler,
        loop,
        on_lag=report_lag,
        dead_letters=KafkaDeadLetters(settings.kafka_bootstrap, "monitoring"),
        name="monitoring-registry",
    )
