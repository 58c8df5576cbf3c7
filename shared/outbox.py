"""Transactional outbox: a change and the message announcing it commit together, then a relay
publishes the message. Nothing is announced that did not happen, nothing that happened is lost.

Ids are handed out at insert, not at commit, so the relay may see id 7 committed while id 6 is
still in flight. Two rules keep that harmless:
- the relay deletes exactly the rows it published, never a range, so a row committed late is
  published by a later round;
- on PostgreSQL a transaction takes a lock per message key just before it writes its messages,
  held to its commit, so two transactions announcing the same key get their ids in the order
  they commit, and the relay (reading in id order) publishes a key's messages in commit order.
  SQLite has one writer at a time, which gives the same order by itself.

A message the broker refuses for what it is (too large, say) must not hold up the ones behind
it: after `MAX_ATTEMPTS` refusals it is parked — kept, counted in `sbe_outbox_parked_total`,
listed and released again by an admin — and the relay goes on. A broker that is away parks
nothing: the relay waits for it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import threading
from collections.abc import AsyncIterator, Callable
from concurrent.futures import Future
from datetime import datetime
from typing import Any

import orjson
from kafka import KafkaProducer
from prometheus_client import Counter, Gauge
from sqlalchemy import Connection, Index, LargeBinary, delete, event, func, insert, text, update
from sqlalchemy.orm import Session
from sqlmodel import Field, SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from shared.database import PENDING_WRITES, Database
from shared.deadletters import describe_failure, is_transient
from shared.kafka import TopicSpec, create_producer, ensure_topics
from shared.types import UTCDateTime, utcnow

logger = logging.getLogger("sbe.outbox")

OUTBOX_PUBLISHED = Counter(
    "sbe_outbox_published_total", "Outbox messages published to Kafka.", ["service"]
)
OUTBOX_PARKED = Counter(
    "sbe_outbox_parked_total",
    "Outbox messages set aside after the broker refused them MAX_ATTEMPTS times.",
    ["service"],
)
OUTBOX_PRODUCED = Gauge(
    "sbe_outbox_produced_offset",
    "The offset after the last message the relay published to each partition: a consumer of "
    "the topic that has stored up to it has everything this service announced there.",
    ["service", "topic", "partition"],
)
MAX_ATTEMPTS = 3

_PENDING = "sbe_outbox_pending"
_ROWS = PENDING_WRITES  # the rows to insert at commit: a read session commits when it has them
WAKE = "sbe_outbox_wake"


def outbox_table_args() -> tuple[Index, ...]:
    """A service's outbox table's `__table_args__`: the relay takes the next batch (unparked,
    lowest ids first) from a partial index of its own. Without it, PostgreSQL planned the batch
    by `parked_at`'s statistics, taken while the table was small: a load of a million messages
    then read and sorted the whole table for every 500 (3 s a batch, about 170 messages a second,
    at the demonstration city's scale 100)."""
    waiting = text("parked_at IS NULL")
    return (Index("ix_outbox_waiting", "id", postgresql_where=waiting, sqlite_where=waiting),)


class OutboxMessageBase(SQLModel):
    """Columns of a service's `outbox` table (its `__table_args__`: `outbox_table_args()`)."""

    id: int | None = Field(default=None, primary_key=True)
    topic: str = Field(max_length=200)
    key: str = Field(max_length=200)
    payload: bytes = Field(sa_type=LargeBinary)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    attempts: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    parked_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    error: str | None = Field(default=None, max_length=500)


def enqueue(
    session: AsyncSession, table: type[OutboxMessageBase], topic: str, key: str, value: Any
) -> None:
    """Add a message to the outbox in the session's transaction (written just before commit)."""
    pending: dict[Any, list[dict[str, Any]]] = session.sync_session.info.setdefault(_ROWS, {})
    pending.setdefault(table, []).append(
        {"topic": topic, "key": key, "payload": orjson.dumps(value), "created_at": utcnow()}
    )
    session.sync_session.info[_PENDING] = True


# One statement takes the locks, in the order of the sorted array (unnest yields it in order),
# so two transactions sharing keys take them in the same order and cannot deadlock.
_HOLD_KEYS = text(
    "SELECT count(pg_advisory_xact_lock(hashtext(:space), hashtext(k)))"
    " FROM unnest(CAST(:keys AS text[])) AS k"
)


def write_messages(
    connection: Connection, table: type[OutboxMessageBase], rows: list[dict[str, Any]]
) -> None:
    """Write a transaction's messages as its last statements before commit.

    On PostgreSQL their keys are locked first, until the transaction ends: whoever announces
    one of them next waits for this commit, so its message gets the higher id. One multi-row
    Core INSERT: no ORM object, nor the ORM's bulk machinery, per message."""
    if connection.dialect.name == "postgresql":
        keys = sorted({row["key"] for row in rows})
        connection.execute(_HOLD_KEYS, {"space": table.__name__, "keys": keys})
    connection.execute(insert(table), rows)


@event.listens_for(Session, "before_commit")
def _write_pending(session: Session) -> None:
    for table, rows in session.info.pop(_ROWS, {}).items():
        write_messages(session.connection(), table, rows)


@event.listens_for(Session, "after_commit")
def _wake_relay(session: Session) -> None:
    if session.info.pop(_PENDING, False):
        wake = session.info.get(WAKE)
        if wake is not None:
            wake()


@event.listens_for(Session, "after_rollback")
def _forget_pending(session: Session) -> None:
    session.info.pop(_PENDING, None)
    session.info.pop(_ROWS, None)


class _DaemonWorker:
    """Runs blocking calls one at a time on a daemon thread and awaits their results."""

    def __init__(self, name: str) -> None:
        self._jobs: queue.SimpleQueue[tuple[Callable[..., Any], tuple[Any, ...], Future[Any]]] = (
            queue.SimpleQueue()
        )
        self._thread = threading.Thread(target=self._serve, name=name, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            call, args, future = self._jobs.get()
            if future.set_running_or_notify_cancel():
                try:
                    future.set_result(call(*args))
                except BaseException as exc:  # handed to the awaiting coroutine
                    future.set_exception(exc)

    async def run(self, call: Callable[..., Any], *args: Any) -> Any:
        future: Future[Any] = Future()
        self._jobs.put((call, args, future))
        return await asyncio.wrap_future(future)


class OutboxRelay:
    """Publishes outbox rows in id order, then deletes those rows; at least once, each key's
    messages in the order their transactions committed."""

    def __init__(
        self,
        service: str,
        database: Database,
        table: type[OutboxMessageBase],
        producer_factory: Callable[[], KafkaProducer],
        *,
        topics: list[TopicSpec] | None = None,
        bootstrap: str | None = None,
        batch_size: int = 500,
        idle_seconds: float = 1.0,
    ) -> None:
        self.service = service
        self.database = database
        self.table = table
        self.published = OUTBOX_PUBLISHED.labels(service)
        self.parked = OUTBOX_PARKED.labels(service)
        self.producer_factory = producer_factory
        self.topics = topics or []
        self.bootstrap = bootstrap
        self.batch_size = batch_size
        self.idle_seconds = idle_seconds
        self._wake = asyncio.Event()
        self._producer: KafkaProducer | None = None
        # kafka-python blocks; a daemon thread does its work, so a broker that hangs at
        # shutdown is abandoned with the process instead of holding it up.
        self._worker = _DaemonWorker(f"{service}-outbox")
        database.sessionmaker.kw.setdefault("info", {})[WAKE] = self.wake

    def wake(self) -> None:
        """Ask the relay to look at the outbox now (called after a commit that added messages)."""
        self._wake.set()

    async def run(self) -> None:
        """Relay until cancelled, backing off while the broker or the database is away."""
        backoff = 0.5
        while self.topics and self.bootstrap:
            try:
                await asyncio.to_thread(ensure_topics, self.bootstrap, self.topics)
                break
            except Exception:
                logger.warning("cannot create topics yet; retrying", exc_info=True)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 10.0)
        backoff = 0.5
        while True:
            try:
                sent = await self.relay_once()
                backoff = 0.5
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.warning("outbox relay failed; retrying", exc_info=True)
                await self._close_producer()
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 10.0)
                continue
            if sent < self.batch_size:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self.idle_seconds)
                self._wake.clear()

    async def relay_once(self) -> int:
        """Publish one batch; returns how many messages were dealt with (sent or parked)."""
        table = self.table
        async with self.database.unit_of_work() as session:
            if self.database.target.is_postgres:
                # One relay per service publishes at a time (order per key); each service has
                # its own lock, so services sharing a database do not wait for each other.
                lock = func.pg_try_advisory_xact_lock(func.hashtext(f"sbe-outbox-{self.service}"))
                if not (await session.exec(select(lock))).one():
                    return 0
            rows = (
                await session.exec(
                    select(col(table.id), col(table.topic), col(table.key), col(table.payload))
                    .where(col(table.parked_at).is_(None))
                    .order_by(col(table.id))
                    .limit(self.batch_size)
                )
            ).all()
            if not rows:
                return 0
            messages = [(topic, key, payload) for _, topic, key, payload in rows]
            try:
                await self._worker.run(self._publish, messages)
            except Exception as error:
                if is_transient(error) or _retriable(error):
                    raise
                return await self._one_by_one(session, list(rows))
            # Exactly what went out: a range would take rows committed late below its end.
            await session.exec(delete(table).where(col(table.id).in_([row[0] for row in rows])))
        self.published.inc(len(rows))
        return len(rows)

    async def _one_by_one(self, session: AsyncSession, rows: list[Any]) -> int:
        """After a refused batch: publish each message alone, count a refusal against the
        message that got it, park it after MAX_ATTEMPTS, and delete what went out."""
        table = self.table
        sent: list[int] = []
        for row_id, topic, key, payload in rows:
            try:
                await self._worker.run(self._publish, [(topic, key, payload)])
            except Exception as error:
                if is_transient(error) or _retriable(error):
                    break  # the broker went away: what was sent is deleted, the rest waits
                attempts = await session.exec(
                    update(table)
                    .where(col(table.id) == row_id)
                    .values(attempts=col(table.attempts) + 1, error=describe_failure(error)[:500])
                    .returning(col(table.attempts))
                )
                if attempts.one()[0] >= MAX_ATTEMPTS:
                    await session.exec(
                        update(table).where(col(table.id) == row_id).values(parked_at=utcnow())
                    )
                    self.parked.inc()
                    logger.error(
                        "%s outbox: parked message %d for %s after %d refusals: %s",
                        self.service,
                        row_id,
                        topic,
                        MAX_ATTEMPTS,
                        describe_failure(error),
                    )
                continue
            sent.append(row_id)
        if sent:
            await session.exec(delete(table).where(col(table.id).in_(sent)))
            self.published.inc(len(sent))
        return len(rows)

    def _publish(self, messages: list[tuple[str, str, bytes]]) -> None:
        if self._producer is None:
            self._producer = self.producer_factory()
        futures = [
            self._producer.send(topic, key=key.encode(), value=payload)
            for topic, key, payload in messages
        ]
        self._producer.flush(timeout=15)
        ends: dict[tuple[str, int], int] = {}
        for future in futures:
            sent = future.get(timeout=15)
            ends[(sent.topic, sent.partition)] = sent.offset + 1
        for (topic, partition), end in ends.items():
            OUTBOX_PRODUCED.labels(self.service, topic, str(partition)).set(end)

    async def _close_producer(self) -> None:
        producer, self._producer = self._producer, None
        if producer is not None:
            try:
                await asyncio.wait_for(self._worker.run(producer.close, 2), 5)
            except TimeoutError:
                logger.warning("the outbox producer did not close in time; abandoning it")

    async def close(self) -> None:
        """Close the producer (after the run task has been cancelled)."""
        await self._close_producer()


def _retriable(error: BaseException) -> bool:
    """A broker that is away or busy, not a refusal of the message: kafka-python marks the
    errors worth retrying (timeouts, lost connections, leaders moving) as retriable."""
    return bool(getattr(error, "retriable", False))


@contextlib.asynccontextmanager
async def relaying(
    service: str,
    database: Database,
    table: type[OutboxMessageBase],
    bootstrap: str | None,
    topics: list[TopicSpec] | None = None,
) -> AsyncIterator[OutboxRelay | None]:
    """A relay publishing `table`'s messages while the block runs (none without a broker)."""
    if not bootstrap:
        yield None
        return
    relay = OutboxRelay(
        service,
        database,
        table,
        lambda: create_producer(bootstrap),
        topics=topics,
        bootstrap=bootstrap,
    )
    task = asyncio.create_task(relay.run(), name=f"{service}-outbox")
    try:
        yield relay
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await relay.close()
