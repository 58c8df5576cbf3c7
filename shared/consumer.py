"""A Kafka consumer whose poll loop runs in its own thread and whose batches are stored on an
asyncio loop; offsets are committed only after the batch handler has returned (durably stored).

A message never holds up its partition: tombstones (null values) are skipped and counted, and a
batch that fails because of its content is split in halves until the record at fault is found;
that record is dead-lettered with its reason and the rest are stored. A passing fault (the
database or the broker away) is retried whole instead, so nothing good is set aside for it.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import AsyncIterator, Callable, Coroutine
from concurrent.futures import Future
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from kafka import KafkaConsumer, TopicPartition
from kafka.consumer.fetcher import ConsumerRecord
from kafka.errors import CommitFailedError, KafkaError
from kafka.structs import OffsetAndMetadata
from prometheus_client import Counter

from shared.consumer_watch import BrokerCameBack, BrokerWatch, LogAssignments
from shared.deadletters import Letter, describe_failure, is_transient
from shared.kafka import TopicSpec, bootstrap_servers, ensure_topics
from shared.settings import ConsumerSettings

logger = logging.getLogger("sbe.consumer")

BatchHandler = Callable[[list[ConsumerRecord]], Coroutine[Any, Any, None]]
Polled = dict[TopicPartition, list[ConsumerRecord]]
LagReporter = Callable[[str, int, int], None]
DeadLetterSink = Callable[[list[Letter]], Coroutine[Any, Any, None]]

SKIPPED = Counter(
    "sbe_consumer_skipped_total",
    "Messages a consumer skipped without storing them, by consumer, topic and reason "
    "(tombstone: a null value).",
    ["consumer", "topic", "reason"],
)
ISOLATED = Counter(
    "sbe_consumer_isolated_total",
    "Records a consumer dead-lettered after splitting a failing batch to find them.",
    ["consumer", "topic"],
)


@dataclass(frozen=True)
class ConsumerConfig:
    """How a consumer group reads its topics. Defaults suit production; tests shorten timeouts."""

    bootstrap: str
    group_id: str
    topics: tuple[str, ...]
    max_records: int = 2000
    session_timeout_ms: int = 10000
    heartbeat_interval_ms: int = 3000
    max_poll_interval_ms: int = 300000
    poll_timeout_ms: int = 500
    # Created (when missing) before every (re)subscription; the consumer itself never creates
    # topics, so a broker that came back empty does not get them with default partitions.
    topic_specs: tuple[TopicSpec, ...] = ()
    # Bounds on what one fetch may buffer keep memory flat however long the backlog is.
    fetch_max_bytes: int = 16 * 1024 * 1024
    max_partition_fetch_bytes: int = 2 * 1024 * 1024
    extra: dict[str, Any] = field(default_factory=dict)


class BatchConsumer:
    """Polls in a thread, hands each batch to an async handler, commits offset + 1 afterwards.

    A failing handler (the database away, say) commits nothing: the consumer seeks back to the
    batch's first offsets and retries with backoff, polling meanwhile so it keeps its group seat.
    On stop, the batch being stored is finished and committed before the consumer leaves.
    """

    def __init__(
        self,
        config: ConsumerConfig,
        handler: BatchHandler,
        loop: asyncio.AbstractEventLoop,
        *,
        on_lag: LagReporter | None = None,
        dead_letters: DeadLetterSink | None = None,
        name: str = "consumer",
    ) -> None:
        self.config = config
        self.handler = handler
        self.loop = loop
        self.on_lag = on_lag
        self.dead_letters = dead_letters
        self.name = name
        for topic in config.topics:  # series exist from the start, so alerts see the first one
            ISOLATED.labels(name, topic)
            SKIPPED.labels(name, topic, "tombstone")
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.batches = 0
        self.failures = 0
        # The offset after the last record stored, per (topic, partition): what a producer's
        # offsets are compared with to know that everything it sent has been stored.
        self.stored: dict[tuple[str, int], int] = {}

    def start(self) -> None:
        """Start the poll thread."""
        self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
        self._thread.start()

    async def stop(self, wait_seconds: float = 15.0) -> None:
        """Finish (or abandon) the current batch and leave the group."""
        self._stop.set()
        if self._thread is not None:
            await asyncio.to_thread(self._thread.join, wait_seconds)

    @property
    def alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _consumer(self) -> KafkaConsumer:
        c = self.config
        return KafkaConsumer(
            bootstrap_servers=bootstrap_servers(c.bootstrap),
            group_id=c.group_id,
            client_id=f"sbe-{c.group_id}",
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            session_timeout_ms=c.session_timeout_ms,
            heartbeat_interval_ms=c.heartbeat_interval_ms,
            max_poll_interval_ms=c.max_poll_interval_ms,
            max_poll_records=c.max_records,
            fetch_max_bytes=c.fetch_max_bytes,
            max_partition_fetch_bytes=c.max_partition_fetch_bytes,
            allow_auto_create_topics=False,
            **c.extra,
        )

    def _run(self) -> None:
        consumer: KafkaConsumer | None = None
        while not self._stop.is_set():
            try:
                if self.config.topic_specs:
                    ensure_topics(self.config.bootstrap, list(self.config.topic_specs))
                consumer = self._consumer()
                consumer.subscribe(list(self.config.topics), listener=LogAssignments(self.name))
                self._loop(consumer)
            except (KafkaError, BrokerCameBack, OSError) as exc:
                # Start afresh from the committed offsets: after a broker restart the positions
                # this consumer holds may not mean what they meant (a memory-only broker comes
                # back empty); what was stored but not committed is redelivered, idempotently.
                logger.warning("consumer %s lost the broker (%s); rejoining", self.name, exc)
                self._stop.wait(1.0)
            finally:
                if consumer is not None:
                    try:
                        consumer.close(autocommit=False)
                    except Exception:
                        logger.debug("closing consumer failed", exc_info=True)
                    consumer = None

    def _loop(self, consumer: KafkaConsumer) -> None:
        # Depth-one pipeline: while batch N is being stored on the event loop, this thread
        # polls (decodes) batch N+1. Offsets of N are committed only once N is stored.
        backoff = 0.5
        in_flight: tuple[Future[None], Polled, list[ConsumerRecord]] | None = None
        watch = BrokerWatch(consumer, self.config.topics, self.config.bootstrap)
        while not self._stop.is_set():
            watch.check()
            polled: Polled = consumer.poll(
                timeout_ms=self.config.poll_timeout_ms, max_records=self.config.max_records
            )
            self._check_positions(consumer)
            if in_flight is not None:
                stored = self._settle(consumer, watch, *in_flight)
                if not stored:
                    self._rewind(consumer, in_flight[1], polled)
                    self._stop.wait(backoff)
                    backoff = min(backoff * 2, 15.0)
                    in_flight = None
                    continue
                backoff = 0.5
            in_flight = self._submit(polled) if polled else None
            if in_flight is None:
                self._note_stored(consumer)
        if in_flight is not None:
            self._settle(consumer, watch, *in_flight)

    def _submit(self, polled: Polled) -> tuple[Future[None], Polled, list[ConsumerRecord]]:
        batch = []
        for records in polled.values():
            for record in records:
                if record.value is None:
                    SKIPPED.labels(self.name, record.topic, "tombstone").inc()
                else:
                    batch.append(record)
        if not batch:
            done: Future[None] = Future()
            done.set_result(None)
            return done, polled, batch
        return asyncio.run_coroutine_threadsafe(self.handler(batch), self.loop), polled, batch

    def _run_on_loop(self, coroutine: Coroutine[Any, Any, None]) -> None:
        asyncio.run_coroutine_threadsafe(coroutine, self.loop).result()

    def _settle(
        self,
        consumer: KafkaConsumer,
        watch: BrokerWatch,
        future: Future[None],
        polled: Polled,
        batch: list[ConsumerRecord],
    ) -> bool:
        """Wait for a stored batch; commit its offsets, or report failure (nothing committed)."""
        try:
            future.result()
        except Exception as error:
            if is_transient(error) or self.dead_letters is None:
                self.failures += 1
                logger.warning(
                    "a batch failed; it will be retried from its first offsets", exc_info=True
                )
                return False
            logger.warning(
                "%s: a batch of %d failed on its content (%s); isolating the records at fault",
                self.name,
                len(batch),
                describe_failure(error),
            )
            try:
                self._isolate(batch, error)
            except Exception:
                self.failures += 1
                logger.warning(
                    "isolating failed (a passing fault); the batch will be retried",
                    exc_info=True,
                )
                return False
        self.batches += 1
        for tp, records in polled.items():
            self.stored[(tp.topic, tp.partition)] = records[-1].offset + 1
        # Offsets read from a topic that has since been recreated must not be committed to the
        # new one: they would skip its first messages for good.
        watch.check_topics()
        self._commit(consumer, polled)
        return True

    def _isolate(self, records: list[ConsumerRecord], error: BaseException) -> None:
        """Store what can be stored of a failing batch; dead-letter the records at fault.

        Halves are stored in turn, each in its own unit of work; a half that fails is split
        again, down to the single record, which goes to the dead letters with the database's
        reason. A transient failure on the way raises, and the whole batch is retried.
        """
        assert self.dead_letters is not None
        if len(records) == 1:
            record = records[0]
            letter = Letter(
                record.topic,
                record.partition,
                record.offset,
                record.key,
                record.value,
                "unstorable",
                describe_failure(error),
            )
            self._run_on_loop(self.dead_letters([letter]))
            ISOLATED.labels(self.name, record.topic).inc()
            return
        middle = len(records) // 2
        for half in (records[:middle], records[middle:]):
            try:
                self._run_on_loop(self.handler(half))
            except Exception as failure:
                if is_transient(failure):
                    raise
                self._isolate(half, failure)

    def _note_stored(self, consumer: KafkaConsumer) -> None:
        """Nothing polled and nothing in flight: every record before each position is stored
        (by this consumer, or by the member whose committed offset it started from)."""
        for tp in consumer.assignment():
            try:
                position = consumer.position(tp, timeout_ms=100)
            except KafkaError:
                continue
            key = (tp.topic, tp.partition)
            if position is not None and position > self.stored.get(key, 0):
                self.stored[key] = position

    @staticmethod
    def _rewind(consumer: KafkaConsumer, failed: Polled, polled: Polled) -> None:
        """Seek back so the failed batch, and what was polled after it, is read again."""
        starts = {tp: records[0].offset for tp, records in polled.items()}
        starts.update({tp: records[0].offset for tp, records in failed.items()})
        for tp, offset in starts.items():
            consumer.seek(tp, offset)

    def _commit(self, consumer: KafkaConsumer, polled: Polled) -> None:
        offsets = {
            tp: OffsetAndMetadata(records[-1].offset + 1, "", -1) for tp, records in polled.items()
        }
        try:
            consumer.commit(offsets)
        except CommitFailedError:
            # The group rebalanced: another member will get these records again; they are
            # stored idempotently, so redelivery changes nothing.
            logger.warning("offset commit refused after a rebalance; records will be redelivered")

    def _check_positions(self, consumer: KafkaConsumer) -> None:
        """Report lag, and rewind any partition whose log is now shorter than our position.

        A position past the end means the log was reset under us (a memory-only broker that came
        back empty, a recreated topic): Kafka would answer "offset out of range", some brokers
        just answer nothing. Reading the partition again from the start loses nothing, because
        storing is idempotent.
        """
        for tp in consumer.assignment():
            highwater = consumer.highwater(tp)
            if highwater is None:
                continue
            try:
                position = consumer.position(tp, timeout_ms=100)
            except KafkaError:
                continue
            if position is None:
                continue
            if position > highwater:
                logger.warning(
                    "%s is at %d but its log ends at %d: the log was reset; reading it again",
                    tp,
                    position,
                    highwater,
                )
                consumer.seek_to_beginning(tp)
                continue
            if self.on_lag is not None:
                self.on_lag(tp.topic, tp.partition, highwater - position)


def consumer_config(
    settings: ConsumerSettings,
    *,
    group_id: str,
    topics: tuple[TopicSpec, ...],
    max_records: int,
) -> ConsumerConfig:
    """A consumer group's configuration from its service's settings; the topics (as the
    platform's catalogue declares them, `policy.topic_specs`) are created if they are missing
    (their producer normally comes first)."""
    assert settings.kafka_bootstrap is not None
    return ConsumerConfig(
        bootstrap=settings.kafka_bootstrap,
        group_id=group_id,
        topics=tuple(spec.name for spec in topics),
        max_records=max_records,
        session_timeout_ms=settings.consumer_session_timeout_ms,
        heartbeat_interval_ms=settings.consumer_heartbeat_ms,
        poll_timeout_ms=settings.consumer_poll_ms,
        topic_specs=topics,
    )


@asynccontextmanager
async def consuming(consumers: list[BatchConsumer]) -> AsyncIterator[None]:
    """The consumers polling for the block (each creates its topics first, retrying while the
    broker is away), all stopped when it ends."""
    for consumer in consumers:
        consumer.start()
    try:
        yield
    finally:
        await asyncio.gather(*(c.stop() for c in consumers))
