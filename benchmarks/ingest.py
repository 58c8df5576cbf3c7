"""Ingest benchmark: N tax records through the real monitoring process, against two baselines
measured in the same run on the same messages.

    python -m benchmarks.ingest [--records 200000] [--partitions 6] [--buildings 2000]

- raw:   a bare kafka-python consumer reading the messages (no parsing, no storing);
- naive: the simplest correct consumer: per record, one INSERT (its own transaction), then
         commit that record's offset (so nothing is lost);
- e2e:   `sbe serve monitoring` storing them durably (validation, dedup, rollups, commits).

Prints records/s for each, the ratios e2e/raw and e2e/naive, the monitoring process's peak
resident memory, and checks that every building-month sum is exact.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import asyncpg
import orjson
from kafka import KafkaConsumer, TopicPartition
from kafka.structs import OffsetAndMetadata

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from launcher.broker import start_broker  # noqa: E402
from shared.messaging import TopicSpec, create_producer, ensure_topics  # noqa: E402
from shared.ops import DatabaseTarget, upgrade  # noqa: E402
from tests.support import free_port, pg_dsn, pg_url, scratch_database  # noqa: E402


def make_messages(
    records: int, buildings: int, seed: int = 7
) -> tuple[list[tuple[bytes, bytes]], dict]:
    """Tax records with known building-month sums (in fen)."""
    rng = random.Random(seed)
    sums: dict[tuple[str, str], int] = defaultdict(int)
    messages = []
    for n in range(records):
        building = f"bench-{rng.randrange(buildings):05d}"
        period = f"2023-{rng.randrange(1, 13):02d}"
        cents = rng.randrange(-5_000, 5_000_000)
        sums[(building, period)] += cents
        amount = (
            f"{cents // 100}.{cents % 100:02d}"
            if cents >= 0
            else f"-{(-cents) // 100}.{(-cents) % 100:02d}"
        )
        value = {
            "record_id": f"r{n:09d}",
            "building_id": building,
            "period": period,
            "amount_cny": amount,
            "reported_at": "2024-01-10T08:00:00+08:00",
        }
        messages.append((building.encode(), orjson.dumps(value)))
    return messages, sums


def produce(bootstrap: str, topic: str, messages: list[tuple[bytes, bytes]]) -> None:
    producer = create_producer(bootstrap, linger_ms=20, batch_size=256 * 1024, acks=1)
    for key, value in messages:
        producer.send(topic, key=key, value=value)
    producer.flush()
    producer.close()


def raw_consume(bootstrap: str, topic: str, expected: int, group: str = "bench-raw") -> float:
    """Records/s of a consumer that only reads."""
    consumer = KafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=group,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        session_timeout_ms=3000,
        heartbeat_interval_ms=500,
        max_poll_records=5000,
    )
    seen, started = 0, None
    while seen < expected:
        polled = consumer.poll(timeout_ms=1000)
        for records in polled.values():
            if started is None:
                started = time.perf_counter()
            seen += len(records)
    assert started is not None
    elapsed = time.perf_counter() - started
    consumer.close()
    return seen / elapsed


async def naive_consume(bootstrap: str, topic: str, dsn: str, limit: int, seconds: float) -> float:
    """Records/s of one INSERT and one offset commit per record (on a bounded sample)."""
    conn = await asyncpg.connect(dsn)
    await conn.execute(
        "CREATE TABLE naive_tax (record_id text primary key, building_id text, period text,"
        " amount_cents bigint, reported_at timestamptz)"
    )
    consumer = KafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id="bench-naive",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        session_timeout_ms=3000,
        heartbeat_interval_ms=500,
    )
    stored, started = 0, None
    deadline = None
    while stored < limit and (deadline is None or time.perf_counter() < deadline):
        polled = await asyncio.to_thread(consumer.poll, 1000, 500)
        for records in polled.values():
            for record in records:
                if started is None:
                    started = time.perf_counter()
                    deadline = started + seconds
                value = orjson.loads(record.value)
                whole, _, frac = value["amount_cny"].lstrip("-").partition(".")
                cents = int(whole) * 100 + int((frac + "00")[:2])
                await conn.execute(
                    "INSERT INTO naive_tax VALUES ($1, $2, $3, $4, now()) ON CONFLICT DO NOTHING",
                    value["record_id"],
                    value["building_id"],
                    value["period"],
                    -cents if value["amount_cny"].startswith("-") else cents,
                )
                offset = {
                    TopicPartition(record.topic, record.partition): OffsetAndMetadata(
                        record.offset + 1, "", -1
                    )
                }
                await asyncio.to_thread(consumer.commit, offset)
                stored += 1
    assert started is not None
    elapsed = time.perf_counter() - started
    consumer.close()
    await conn.close()
    return stored / elapsed


async def seed_buildings(dsn: str, buildings: int) -> None:
    conn = await asyncpg.connect(dsn, server_settings={"search_path": "monitoring"})
    await conn.copy_records_to_table(
        "building",
        records=[
            (f"bench-{n:05d}", f"楼宇{n}", "sip", 50_000.0, _epoch()) for n in range(buildings)
        ],
        columns=["id", "name", "district_id", "gross_floor_area_m2", "registry_updated_at"],
    )
    await conn.close()


def _epoch():  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    return datetime(2024, 1, 1, tzinfo=UTC)


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def e2e(
    dsn: str, url: str, bootstrap: str, expected: int, sums: dict, partitions: int
) -> tuple[float, float]:
    env = {
        **os.environ,
        "SBE_DATABASE_URL": url,
        "SBE_KAFKA_BOOTSTRAP": bootstrap,
        "SBE_INTERNAL_SECRET": "bench-secret-" + "x" * 16,
        "SBE_MONITORING_PORT": str(free_port()),
        "SBE_REGISTRY_URL": f"http://127.0.0.1:{free_port()}",
        "SBE_CONSUMER_GROUP": "bench-e2e",
        "SBE_CONSUMER_SESSION_TIMEOUT_MS": "3000",
        "SBE_CONSUMER_HEARTBEAT_MS": "500",
        "SBE_FEED_PARTITIONS": str(partitions),
        "SBE_LOG_LEVEL": "WARNING",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "launcher", "serve", "monitoring", env=env, cwd=ROOT
    )
    conn = await asyncpg.connect(dsn, server_settings={"search_path": "monitoring"})
    try:
        started = None
        while True:
            count = await conn.fetchval("SELECT count(*) FROM tax_record")
            if count and started is None:
                started = time.perf_counter()
                first = count
            if count >= expected:
                break
            if process.returncode is not None:
                raise RuntimeError("the monitoring process exited")
            await asyncio.sleep(0.05)
        assert started is not None
        elapsed = time.perf_counter() - started
        rate = (expected - first) / elapsed if elapsed > 0 else float("inf")
        peak = peak_rss_mb(process.pid)
        rows = await conn.fetch("SELECT building_id, period, tax_cents FROM building_month")
        stored = {(r["building_id"], r["period"]): r["tax_cents"] for r in rows}
        wrong = [k for k, v in sums.items() if stored.get(k) != v]
        if wrong:
            raise AssertionError(f"{len(wrong)} building-month sums differ, e.g. {wrong[:3]}")
        return rate, peak
    finally:
        await conn.close()
        process.terminate()
        await process.wait()


def raw_consume_pure_python_crc(bootstrap: str, topic: str, expected: int) -> float:
    """The same bare consumer without the crc32c C extension: kafka-python then checks every
    record batch's CRC-32C in pure Python (what it does where the extension is missing)."""
    script = (
        "import sys; sys.modules['crc32c'] = None; "  # makes `import crc32c` fail
        f"sys.path.insert(0, {str(ROOT / 'benchmarks')!r}); import ingest; "
        f"print(ingest.raw_consume({bootstrap!r}, {topic!r}, {expected}, 'bench-raw-pure'))"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--partitions", type=int, default=6)
    parser.add_argument("--buildings", type=int, default=2000)
    parser.add_argument("--naive-seconds", type=float, default=15.0)
    args = parser.parse_args()

    port = free_port()
    broker = start_broker(port)
    bootstrap = f"127.0.0.1:{port}"
    try:
        async with scratch_database("sbe_bench_ingest") as name:
            await measure(args, bootstrap, pg_url(name), pg_dsn(name))
    finally:
        broker.terminate()


async def measure(args: argparse.Namespace, bootstrap: str, url: str, dsn: str) -> None:
    """The three consumers on the same messages, and the ratios."""
    await asyncio.to_thread(upgrade, "services.monitoring", DatabaseTarget(url, "monitoring"))
    await seed_buildings(dsn, args.buildings)
    ensure_topics(bootstrap, [TopicSpec("sbe.tax.v1", args.partitions)])
    messages, sums = make_messages(args.records, args.buildings)
    started = time.perf_counter()
    await asyncio.to_thread(produce, bootstrap, "sbe.tax.v1", messages)
    print(f"produced {args.records} tax records in {time.perf_counter() - started:.1f}s")
    del messages

    raw = await asyncio.to_thread(raw_consume, bootstrap, "sbe.tax.v1", args.records)
    print(f"raw kafka-python consume : {raw:10,.0f} records/s")
    pure = await asyncio.to_thread(
        raw_consume_pure_python_crc, bootstrap, "sbe.tax.v1", args.records
    )
    print(f"  same, pure-Python CRC  : {pure:10,.0f} records/s (without the crc32c extension)")
    naive = await naive_consume(bootstrap, "sbe.tax.v1", dsn, args.records, args.naive_seconds)
    print(f"naive INSERT per record  : {naive:10,.0f} records/s")
    rate, peak = await e2e(dsn, url, bootstrap, args.records, sums, args.partitions)
    print(f"monitoring end to end    : {rate:10,.0f} records/s (every building-month sum exact)")
    print(f"monitoring peak RSS      : {peak:10,.0f} MB")
    print(f"ratio e2e / raw          : {rate / raw:10.2f}   (target ≥ 0.6)")
    print(f"ratio e2e / raw, pure CRC: {rate / pure:10.2f}")
    print(f"ratio e2e / naive        : {rate / naive:10.1f}   (target ≥ 10)")


if __name__ == "__main__":
    asyncio.run(main())
