"""Faults: while a stream of records with known sums is ingested, the monitoring process is
killed with SIGKILL several times and its database connections are terminated. Afterwards
every record is stored exactly once and every sum matches, to the fen.

Runs the real `sbe serve monitoring` process against its own database and broker."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import subprocess
import sys
import threading
from collections import defaultdict
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import asyncpg
import httpx
import orjson
import pytest

from launcher.broker import start_broker
from shared import batched
from shared.messaging import TopicSpec, create_producer, ensure_topics
from shared.ops import DatabaseTarget, upgrade
from tests.support import TcpProxy, free_port, pg_dsn, pg_url, scratch_database

pytestmark = pytest.mark.slow

BUILDINGS = [f"fault-{n:03d}" for n in range(120)]


@dataclass
class Stream:
    """The messages to send and what the platform must end up with."""

    messages: list[tuple[bytes, bytes]] = field(default_factory=list)
    final: dict[str, tuple[str, str, int]] = field(default_factory=dict)  # id → (b, p, cents)

    def sums(self) -> dict[tuple[str, str], int]:
        totals: dict[tuple[str, str], int] = defaultdict(int)
        for building, period, cents in self.final.values():
            totals[(building, period)] += cents
        return dict(totals)


def make_stream(records: int, seed: int = 11) -> Stream:
    """Records, ~10% sent twice, ~5% corrected later (some to another month), refunds too."""
    rng = random.Random(seed)
    stream = Stream()
    base = datetime(2024, 3, 1, tzinfo=UTC)
    for n in range(records):
        record_id = f"f{n:07d}"
        building = rng.choice(BUILDINGS)
        period = f"2023-{rng.randrange(1, 13):02d}"
        cents = rng.randrange(-20_000, 3_000_000)
        message = _tax(record_id, building, period, cents, base)
        stream.messages.append((building.encode(), message))
        stream.final[record_id] = (building, period, cents)
        if rng.random() < 0.10:
            stream.messages.append((building.encode(), message))  # redelivered as is
        if rng.random() < 0.05:
            period = f"2023-{rng.randrange(1, 13):02d}"
            cents = rng.randrange(0, 1_000_000)
            later = base + timedelta(days=1 + rng.randrange(5))
            stream.messages.append(
                (building.encode(), _tax(record_id, building, period, cents, later))
            )
            stream.final[record_id] = (building, period, cents)
    return stream


def _tax(record_id: str, building: str, period: str, cents: int, at: datetime) -> bytes:
    sign, whole, fraction = ("-" if cents < 0 else ""), abs(cents) // 100, abs(cents) % 100
    return orjson.dumps(
        {
            "record_id": record_id,
            "building_id": building,
            "period": period,
            "amount_cny": f"{sign}{whole}.{fraction:02d}",
            "reported_at": at.isoformat(),
        }
    )


@pytest.fixture
def fault_broker() -> Iterator[str]:
    port = free_port()
    process = start_broker(port)
    yield f"127.0.0.1:{port}"
    process.kill()
    process.wait(5)


@pytest.fixture
async def fault_database() -> AsyncIterator[tuple[str, str]]:
    """Its own database with the monitoring schema and the buildings already known."""
    async with scratch_database("sbe_fault") as name:
        url, dsn = pg_url(name), pg_dsn(name)
        await asyncio.to_thread(upgrade, "services.monitoring", DatabaseTarget(url, "monitoring"))
        conn = await asyncpg.connect(dsn, server_settings={"search_path": "monitoring"})
        await conn.copy_records_to_table(
            "building",
            records=[(b, b, "sip", 10_000.0, datetime(2024, 1, 1, tzinfo=UTC)) for b in BUILDINGS],
            columns=["id", "name", "district_id", "gross_floor_area_m2", "registry_updated_at"],
        )
        await conn.close()
        yield url, dsn


def start_monitoring(url: str, bootstrap: str, port: int | None = None) -> subprocess.Popen[bytes]:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("SBE_")},
        "SBE_DATABASE_URL": url,
        "SBE_KAFKA_BOOTSTRAP": bootstrap,
        "SBE_INTERNAL_SECRET": "fault-test-secret-" + "x" * 16,
        "SBE_MONITORING_PORT": str(port or free_port()),
        "SBE_REGISTRY_URL": f"http://127.0.0.1:{free_port()}",
        "SBE_CONSUMER_GROUP": "fault-test",
        "SBE_CONSUMER_SESSION_TIMEOUT_MS": "3000",
        "SBE_CONSUMER_HEARTBEAT_MS": "500",
        "SBE_CONSUMER_MAX_RECORDS": "2000",
        "SBE_LOG_LEVEL": os.environ.get("FAULT_LOG_LEVEL", "ERROR"),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "launcher", "serve", "monitoring"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=None if os.environ.get("FAULT_LOG_LEVEL") else subprocess.DEVNULL,
    )


def produce_slowly(
    bootstrap: str, messages: list[tuple[bytes, bytes]], done: threading.Event
) -> None:
    producer = create_producer(bootstrap)
    for part in batched(messages, 500):
        for key, value in part:
            producer.send("sbe.tax.v1", key=key, value=value)
        producer.flush()
        done.wait(0.2)  # a stream over ~15 s, not one burst: the kills land mid-way
    producer.close()
    done.set()


async def stored_so_far(dsn: str) -> int:
    conn = await asyncpg.connect(dsn, server_settings={"search_path": "monitoring"})
    try:
        return int(await conn.fetchval("SELECT count(*) FROM tax_record"))
    finally:
        await conn.close()


async def progress_beyond(dsn: str, seen: int) -> int:
    """The stored count once it exceeds `seen` (or after a minute without progress)."""
    for _ in range(600):
        stored = await stored_so_far(dsn)
        if stored > seen:
            return stored
        await asyncio.sleep(0.1)
    return seen


async def terminate_connections(dsn: str) -> int:
    conn = await asyncpg.connect(dsn)
    try:
        return int(
            await conn.fetchval(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                " AND application_name = 'sbe-monitoring'"
            )
        )
    finally:
        await conn.close()


async def test_kills_and_lost_connections_lose_nothing_and_double_nothing(
    fault_database: tuple[str, str], fault_broker: str
) -> None:
    url, dsn = fault_database
    stream = make_stream(30_000)
    ensure_topics(fault_broker, [TopicSpec("sbe.tax.v1", 3)])
    produced = threading.Event()
    producer = threading.Thread(
        target=produce_slowly, args=(fault_broker, stream.messages, produced), daemon=True
    )
    producer.start()
    rng = random.Random(5)
    process = start_monitoring(url, fault_broker)
    terminated = 0
    stored_at_kills = []
    try:
        seen = 0
        for _ in range(4):
            # Each kill waits for the restarted process to make progress, however slowly it
            # starts (a cold clone compiles its bytecode first), so the kills land mid-stream.
            seen = await progress_beyond(dsn, seen)
            if seen >= len(stream.final):
                break
            terminated += await terminate_connections(dsn)
            await asyncio.sleep(rng.uniform(0.2, 1.0))
            seen = await stored_so_far(dsn)
            stored_at_kills.append(seen)
            process.send_signal(signal.SIGKILL)
            process.wait()
            process = start_monitoring(url, fault_broker)
        await asyncio.to_thread(producer.join, 120)
        assert produced.is_set()
        conn = await asyncpg.connect(dsn, server_settings={"search_path": "monitoring"})
        try:
            expected = stream.sums()
            for _ in range(600):
                rows = await conn.fetch("SELECT building_id, period, tax_cents FROM building_month")
                stored = {(r["building_id"], r["period"]): r["tax_cents"] for r in rows}
                count = await conn.fetchval("SELECT count(*) FROM tax_record")
                if stored == expected and count == len(stream.final):
                    break
                await asyncio.sleep(0.2)
            assert count == len(stream.final), "every record stored exactly once"
            assert stored == expected, "every building-month sum exact"
            years = await conn.fetch(
                "SELECT building_id, tax_cents FROM building_year WHERE year = 2023"
            )
            by_building: dict[str, int] = defaultdict(int)
            for (building, _), cents in expected.items():
                by_building[building] += cents
            assert {r["building_id"]: r["tax_cents"] for r in years} == dict(by_building)
            records = await conn.fetch(
                "SELECT record_id, building_id, period, amount_cents FROM tax_record"
            )
            assert {
                r["record_id"]: (r["building_id"], r["period"], r["amount_cents"]) for r in records
            } == stream.final
        finally:
            await conn.close()
    finally:
        process.terminate()
        process.wait(30)
    assert terminated > 0, "the test did cut database connections"
    assert any(0 < n < len(stream.final) for n in stored_at_kills), (
        f"kills mid-stream: {stored_at_kills}"
    )


async def test_sigterm_stops_cleanly_mid_stream_and_nothing_is_lost(
    fault_database: tuple[str, str], fault_broker: str
) -> None:
    url, dsn = fault_database
    stream = make_stream(15_000, seed=3)
    ensure_topics(fault_broker, [TopicSpec("sbe.tax.v1", 3)])
    produced = threading.Event()
    producer = threading.Thread(
        target=produce_slowly, args=(fault_broker, stream.messages, produced), daemon=True
    )
    producer.start()
    monitoring_port = free_port()
    process = start_monitoring(url, fault_broker, monitoring_port)
    try:
        await _wait_until_ready(monitoring_port)
        await _wait_for_count(dsn, 1, at_least=True)
        process.send_signal(signal.SIGTERM)
        code = await asyncio.to_thread(process.wait, 30)
        assert code == 0, "SIGTERM finishes the current batch and exits cleanly"
        process = start_monitoring(url, fault_broker)
        await asyncio.to_thread(producer.join, 120)
        conn = await asyncpg.connect(dsn, server_settings={"search_path": "monitoring"})
        try:
            for _ in range(600):
                rows = await conn.fetch("SELECT building_id, period, tax_cents FROM building_month")
                if {(r[0], r[1]): r[2] for r in rows} == stream.sums():
                    break
                await asyncio.sleep(0.2)
            assert {(r[0], r[1]): r[2] for r in rows} == stream.sums()
            assert await conn.fetchval("SELECT count(*) FROM tax_record") == len(stream.final)
        finally:
            await conn.close()
    finally:
        process.terminate()
        process.wait(30)


async def test_a_broker_outage_is_ridden_out(fault_database: tuple[str, str]) -> None:
    """The broker goes away (connections dropped, nothing answering) and comes back with its
    data, as a restarted Kafka broker does: readiness says so meanwhile, nothing is lost after."""
    url, dsn = fault_database
    broker_port, proxy_port, monitoring_port = free_port(), free_port(), free_port()
    broker = start_broker(broker_port, advertised_port=proxy_port)
    proxy = TcpProxy(proxy_port, broker_port)
    await proxy.start()
    bootstrap = f"127.0.0.1:{proxy_port}"
    process = start_monitoring(url, bootstrap, monitoring_port)
    ready = f"http://127.0.0.1:{monitoring_port}/readyz"
    try:
        await _wait_until_ready(monitoring_port)
        first = make_stream(2_000, seed=21)
        await asyncio.to_thread(produce_slowly, bootstrap, first.messages, threading.Event())
        await _wait_for_count(dsn, len(first.final))
        await proxy.cut()
        async with httpx.AsyncClient() as client:
            response = await client.get(ready)
            assert response.status_code == 503 and response.json()["checks"]["broker"] is False
            await asyncio.sleep(4)  # longer than the consumer's session timeout
            await proxy.start()
            second = make_stream(2_000, seed=22)
            renamed = [(k, v.replace(b'"f', b'"g', 1)) for k, v in second.messages]
            await asyncio.to_thread(produce_slowly, bootstrap, renamed, threading.Event())
            await _wait_for_count(dsn, len(first.final) + len(second.final))
            assert (await client.get(ready)).status_code == 200
    finally:
        process.terminate()
        process.wait(30)
        await proxy.cut()
        broker.kill()


async def _wait_for_count(
    dsn: str, expected: int, within: float = 60, at_least: bool = False
) -> None:
    deadline = asyncio.get_running_loop().time() + within
    while asyncio.get_running_loop().time() < deadline:
        stored = await stored_so_far(dsn)
        if stored == expected or (at_least and stored >= expected):
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"stored {await stored_so_far(dsn)} of {expected}")


async def _wait_until_ready(port: int, within: float = 60) -> None:
    deadline = asyncio.get_running_loop().time() + within
    async with httpx.AsyncClient() as client:
        while asyncio.get_running_loop().time() < deadline:
            try:
                if (await client.get(f"http://127.0.0.1:{port}/readyz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError("the monitoring process did not become ready")
