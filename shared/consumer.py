"""A Kafka consumer whose poll loop runs in its own thread and whose batches are stored on an
asyncio loop; offsets are committed only after the batch handler has returned (durably stored).
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable, Coroutine
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

from kafka import KafkaConsumer, TopicPartition
from kafka.consumer.fetcher import ConsumerRecord
from kafka.errors import CommitFailedError, KafkaError
from kafka.structs import OffsetAndMetadata

from shared.kafka import bootstrap_servers

logger = logging.getLogger("sbe.consumer")

BatchHandler = Callable[[list[ConsumerRecord]], Coroutine[Any, Any, None]]
Polled = dict[TopicPartition, list[ConsumerRecord]]
LagReporter = Callable[[str, int, int], None]


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
        name: str = "consumer",
    ) -> None:
        self.config = config
        self.handler = handler
        self.loop = loop
        self.on_lag = on_lag
        self.name = name
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.batches = 0
        self.failures = 0
        # time.monotonic() when the latest poll that found nothing began: a poll that began after
        # a message was produced and found nothing means the message has been consumed.
        self.caught_up_at = 0.0

    def start(self) -> None:
        """Start the poll thread."""
        self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
        self._thread.start()

    async def stop(self, wait_seconds: float = 30.0) -> None:
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
            **c.extra,
        )

    def _run(self) -> None:
        consumer: KafkaConsumer | None = None
        while not self._stop.is_set():
            try:
                consumer = self._consumer()
                consumer.subscribe(list(self.config.topics))
                self._loop(consumer)
            except KafkaError:
                logger.warning(
                    "consumer %s lost the broker; reconnecting", self.name, exc_info=True
                )
                self._stop.wait(2.0)
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
        in_flight: tuple[Future[None], Polled] | None = None
        while not self._stop.is_set():
            began = time.monotonic()
            polled: Polled = consumer.poll(
                timeout_ms=self.config.poll_timeout_ms, max_records=self.config.max_records
            )
            self._report_lag(consumer)
            if not polled and in_flight is None:
                self.caught_up_at = began
            if in_flight is not None:
                stored = self._settle(consumer, *in_flight)
                if not stored:
                    self._rewind(consumer, in_flight[1], polled)
                    self._stop.wait(backoff)
                    backoff = min(backoff * 2, 15.0)
                    in_flight = None
                    continue
                backoff = 0.5
            in_flight = (self._submit(polled), polled) if polled else None
        if in_flight is not None:
            self._settle(consumer, *in_flight)

    def _submit(self, polled: Polled) -> Future[None]:
        batch = [record for records in polled.values() for record in records]
        return asyncio.run_coroutine_threadsafe(self.handler(batch), self.loop)

    def _settle(self, consumer: KafkaConsumer, future: Future[None], polled: Polled) -> bool:
        """Wait for a stored batch; commit its offsets, or report failure (nothing committed)."""
        try:
            future.result()
        except Exception:
            self.failures += 1
            logger.warning(
                "a batch failed; it will be retried from its first offsets", exc_info=True
            )
            return False
        self.batches += 1
        self._commit(consumer, polled)
        return True

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

    def _report_lag(self, consumer: KafkaConsumer) -> None:
        if self.on_lag is None:
            return
        for tp in consumer.assignment():
            highwater = consumer.highwater(tp)
            if highwater is None:
                continue
            try:
                position = consumer.position(tp, timeout_ms=100)
            except KafkaError:
                continue
            if position is not None:
                self.on_lag(tp.topic, tp.partition, max(highwater - position, 0))
