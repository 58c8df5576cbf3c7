"""The outbox relay loses nothing and keeps each key's messages in commit order, however ids
and commits interleave: ids are handed out at insert, and a transaction that took a lower id may
commit after the relay has published a higher one.

The deterministic tests run the relay against PostgreSQL and the bundled broker and read what
reached the topic. The property test replays random interleavings of transactions and relay
rounds against PostgreSQL; its relay publishes to a recorder (a broker round trip per example
would make a few hundred interleavings take minutes, and what is under test is which rows the
relay takes and deletes)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import registry
from sqlmodel import SQLModel

from shared import Database, utcnow
from shared.messaging import (
    TOPIC_DEADLETTER,
    OutboxMessageBase,
    OutboxRelay,
    enqueue,
    write_messages,
)
from shared.ops import DatabaseTarget
from tests.support import eventually, pg_url, read_topic, scratch_database


class ProbeTable(SQLModel, registry=registry()):
    """Tables of this test only."""


class ProbeOutbox(ProbeTable, OutboxMessageBase, table=True):
    """An outbox like every service's."""

    __tablename__ = "probe_outbox"


class Delivered(NamedTuple):
    """What a send's future gives once the broker has the message (RecordMetadata's fields)."""

    topic: str
    partition: int
    offset: int

    def get(self, timeout: float) -> Delivered:
        return self


@dataclass
class Recorder:
    """Stands in for a KafkaProducer in the property test: keeps what was sent, in order."""

    sent: list[tuple[str, bytes]] = field(default_factory=list)

    def send(self, topic: str, *, key: bytes, value: bytes) -> Any:
        self.sent.append((key.decode(), value))
        return Delivered(topic, 0, len(self.sent) - 1)

    def flush(self, timeout: float) -> None:
        return None

    def close(self, timeout: float) -> None:
        return None


class DuringFlush:
    """Wraps a producer: runs a hook (on the relay's worker thread) once a batch is flushed and
    before the relay deletes it: the window where a transaction committing late did its harm."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.hook: Callable[[], None] | None = None

    def send(self, topic: str, *, key: bytes, value: bytes) -> Any:
        return self.inner.send(topic, key=key, value=value)

    def flush(self, timeout: float) -> None:
        self.inner.flush(timeout)
        hook, self.hook = self.hook, None
        if hook is not None:
            hook()

    def close(self, timeout: float) -> None:
        self.inner.close(timeout)


def on_loop(
    loop: asyncio.AbstractEventLoop, action: Callable[[], Awaitable[Any]]
) -> Callable[[], None]:
    """A hook for the worker thread that runs `action` on the test's event loop and waits."""
    return lambda: asyncio.run_coroutine_threadsafe(action(), loop).result(timeout=30)


@pytest.fixture(scope="module")
async def database() -> AsyncIterator[Database]:
    async with scratch_database("sbe_outbox") as name:
        database = Database.open(DatabaseTarget(pg_url(name), None), pool_size=12)
        async with database.engine.begin() as conn:
            await conn.run_sync(ProbeTable.metadata.create_all)
        yield database
        await database.engine.dispose()


def rows(key: str, value: Any) -> list[dict[str, Any]]:
    return [
        {
            "topic": TOPIC_DEADLETTER,
            "key": key,
            "payload": orjson.dumps(value),
            "created_at": utcnow(),
        }
    ]


async def open_with_message(database: Database, key: str, value: Any) -> AsyncConnection:
    """A transaction that has written its message (taken its id) and not yet committed."""
    conn = await database.engine.connect()
    await conn.begin()
    await conn.run_sync(write_messages, ProbeOutbox, rows(key, value))
    return conn


async def waits_on_a_lock(database: Database, task: asyncio.Task[Any]) -> bool:
    """True once some session of the database waits on a lock (and `task` is still blocked)."""
    async with database.engine.connect() as conn:
        waiting = (
            await conn.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
            )
        ).scalar_one()
    return bool(waiting) and not task.done()


async def outbox_size(database: Database) -> int:
    async with database.engine.connect() as conn:
        return int((await conn.execute(text("SELECT count(*) FROM probe_outbox"))).scalar_one())


class TestALowerIdCommittedLate:
    async def test_committed_while_the_relay_publishes_is_published_by_the_next_round(
        self, database: Database, broker: str
    ) -> None:
        producer = DuringFlush(_producer(broker))
        relay = OutboxRelay(
            f"probe-{uuid.uuid4().hex[:6]}", database, ProbeOutbox, lambda: producer
        )
        early, late = f"early-{uuid.uuid4().hex[:8]}", f"late-{uuid.uuid4().hex[:8]}"
        try:
            lower = await open_with_message(database, early, {"id": "lower, committed late"})
            async with database.engine.begin() as conn:
                await conn.run_sync(write_messages, ProbeOutbox, rows(late, {"id": "higher"}))

            async def commit_lower() -> None:
                await lower.commit()
                await lower.close()

            producer.hook = on_loop(asyncio.get_running_loop(), commit_lower)
            assert await relay.relay_once() == 1  # the higher id: the lower was not visible
            assert await relay.relay_once() == 1
            assert await outbox_size(database) == 0
        finally:
            await relay.close()
        published = await asyncio.to_thread(
            read_topic, broker, TOPIC_DEADLETTER, keys={early, late}, want=2
        )
        assert sorted(orjson.loads(value)["id"] for _, value in published) == [
            "higher",
            "lower, committed late",
        ]


class TestOneKeyAnnouncedByTwoTransactions:
    async def test_the_second_waits_for_the_first_to_commit(
        self, database: Database, broker: str
    ) -> None:
        relay = OutboxRelay(
            f"probe-{uuid.uuid4().hex[:6]}", database, ProbeOutbox, lambda: _producer(broker)
        )
        key = f"building-{uuid.uuid4().hex[:8]}"
        try:
            first = await open_with_message(database, key, {"n": 1})

            async def second() -> None:
                async with database.unit_of_work() as session:
                    enqueue(session, ProbeOutbox, TOPIC_DEADLETTER, key, {"n": 2})

            waiting = asyncio.create_task(second())
            await eventually(lambda: waits_on_a_lock(database, waiting), lambda w: w, within=10)
            # While the first is open, nothing of the key is visible to the relay.
            assert await relay.relay_once() == 0
            await first.commit()
            await first.close()
            await waiting
            assert await relay.relay_once() == 2
        finally:
            await relay.close()
        published = await asyncio.to_thread(
            read_topic, broker, TOPIC_DEADLETTER, keys={key}, want=2
        )
        assert [orjson.loads(value)["n"] for _, value in published] == [1, 2]


def _producer(broker: str) -> Any:
    from shared.messaging import create_producer

    return create_producer(broker, linger_ms=0)


# A step of an interleaving: write the message of transaction i (take its id), commit it, or
# let the relay run a round (a round that publishes nothing never flushes, so no commit then).
Step = tuple[str, int]
steps = st.lists(
    st.one_of(
        st.tuples(st.just("write"), st.integers(0, 5)),
        st.tuples(st.just("commit"), st.integers(0, 5)),
        # A relay round; during its publishing, transaction i commits (6: none does).
        st.tuples(st.just("relay"), st.integers(0, 6)),
    ),
    max_size=24,
)


class Interleaving:
    """Six transactions over three keys, driven step by step against PostgreSQL."""

    def __init__(self, database: Database, keys: list[str]) -> None:
        self.database = database
        self.keys = keys
        self.conns: dict[int, AsyncConnection] = {}
        self.writes: dict[int, asyncio.Task[None]] = {}
        self.committed: list[int] = []

    async def write(self, i: int) -> None:
        if i in self.writes:
            return
        conn = self.conns[i] = await self.database.engine.connect()
        await conn.begin()
        task = asyncio.create_task(
            conn.run_sync(write_messages, ProbeOutbox, rows(self.keys[i], {"tx": i}))
        )
        self.writes[i] = task
        # Settled: written, or blocked behind another transaction holding its key.
        for _ in range(2000):
            await asyncio.sleep(0.002)
            if task.done() or await waits_on_a_lock(self.database, task):
                return
        raise AssertionError(f"transaction {i} neither wrote its message nor waited on a lock")

    async def commit(self, i: int) -> bool:
        """Commit i if its message is written; False when it is not (yet) there to commit."""
        task = self.writes.get(i)
        if task is None or i in self.committed:
            return False
        if not task.done():
            # Blocked behind an open transaction: it commits once that one has.
            return False
        await task
        await self.conns[i].commit()
        await self.conns[i].close()
        self.committed.append(i)
        return True

    async def finish(self) -> None:
        """Write and commit whatever the steps left open, oldest holder first."""
        for i in range(len(self.keys)):
            await self.write(i)
        while len(self.committed) < len(self.keys):
            for i in range(len(self.keys)):
                if await self.commit(i):
                    break
            else:
                await asyncio.sleep(0.005)


@given(schedule=steps)
@settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
async def test_every_interleaving_publishes_each_message_once_in_commit_order_per_key(
    database: Database, schedule: list[Step]
) -> None:
    async with database.engine.begin() as conn:
        await conn.execute(text("DELETE FROM probe_outbox"))
    recorder = Recorder()
    producer = DuringFlush(recorder)
    relay = OutboxRelay(f"probe-{uuid.uuid4().hex[:6]}", database, ProbeOutbox, lambda: producer)
    loop = asyncio.get_running_loop()
    keys = ["a", "b", "c", "a", "b", "a"]
    run = Interleaving(database, keys)
    try:
        for action, i in schedule:
            if action == "write":
                await run.write(i)
            elif action == "commit":
                await run.commit(i)
            else:
                producer.hook = on_loop(loop, lambda i=i: run.commit(i))
                await relay.relay_once()
                producer.hook = None
        await run.finish()
        while await relay.relay_once():
            pass
    finally:
        await relay.close()
        for conn in run.conns.values():
            await conn.close()
    published = [orjson.loads(value)["tx"] for _, value in recorder.sent]
    assert sorted(published) == list(range(len(keys))), "each message exactly once"
    assert await outbox_size(database) == 0
    for key in set(keys):
        in_commit_order = [i for i in run.committed if keys[i] == key]
        assert [i for i in published if keys[i] == key] == in_commit_order
