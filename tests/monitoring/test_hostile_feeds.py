"""A feed cannot stop ingestion (a bad message never blocks its partition): every
hostile message is skipped or dead-lettered, and the good records around it are stored exactly
once. Through the real broker and PostgreSQL."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import threading
import uuid
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any

import httpx
import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from prometheus_client import REGISTRY

from policy import MAX_AMOUNT_CNY, MAX_MESSAGE_BYTES, TOPIC_OCCUPANCY, TOPIC_TAX
from shared.messaging import ENVELOPE_VALUE_BYTES, TOPIC_DEADLETTER
from tests.fixtures import occupancy, tax
from tests.monitoring.conftest import month, series
from tests.monitoring.test_ingest import dead_letters, tax_total
from tests.support import Feed, eventually, read_topic

Register = Callable[..., Awaitable[str]]


def hostile_tax(building: str) -> dict[str, bytes | None]:
    """One message of every class that once stopped ingestion, by name."""
    good = tax(building, "2023-01", "1")
    return {
        "tombstone": None,
        "year_one": orjson.dumps({**good, "reported_at": "0001-01-01T00:00:00Z"}),
        "far_future": orjson.dumps({**good, "reported_at": "2999-01-01T00:00:00Z"}),
        "nul_in_id": orjson.dumps({**good, "record_id": "bad\u0000id"}),
        "non_ascii_id": orjson.dumps({**good, "record_id": "记录一"}),
        "id_too_long": orjson.dumps({**good, "record_id": "x" * 65}),
        "unicode_digit_period": orjson.dumps({**good, "period": "２０２３-01"}),
        "period_before_2000": orjson.dumps({**good, "period": "1999-12"}),
        "unicode_digit_amount": orjson.dumps({**good, "amount_cny": "١٢٣"}),
        "amount_too_large": orjson.dumps({**good, "amount_cny": "9" * 16}),
        "oversized": orjson.dumps({**good, "padding": "x" * 800_000}),
    }


def hostile_occupancy(building: str) -> dict[str, bytes]:
    good = occupancy(building, "2023-01", 100, 50)
    return {
        "count_beyond_int": orjson.dumps({**good, "enterprise_count": 2**31}),
        "area_beyond_max": orjson.dumps(
            {**good, "leasable_area_m2": 1e300, "occupied_area_m2": 1.0}
        ),
    }


def skipped_tombstones(topic: str) -> float:
    value = REGISTRY.get_sample_value(
        "sbe_consumer_skipped_total",
        {"consumer": "monitoring-feeds", "topic": topic, "reason": "tombstone"},
    )
    return value or 0.0


class TestHostileMessages:
    async def test_every_hostile_class_is_set_aside_and_good_records_still_arrive(
        self, monitoring: httpx.AsyncClient, feed: Feed, register: Register, broker: str
    ) -> None:
        building = await register()
        tombstones_before = skipped_tombstones(TOPIC_TAX)
        tax_messages = hostile_tax(building)
        occupancy_messages = hostile_occupancy(building)
        for value in tax_messages.values():
            await asyncio.to_thread(
                feed.producer.send(TOPIC_TAX, key=building.encode(), value=value).get, 10
            )
            await feed.send(TOPIC_TAX, tax(building, "2023-11", "10"), key=building)
        for value in occupancy_messages.values():
            await feed.send(TOPIC_OCCUPANCY, value, key=building)
        await feed.send(TOPIC_OCCUPANCY, occupancy(building, "2023-11", 100, 40), key=building)

        await tax_total(monitoring, building, "2023-11", f"{10 * len(tax_messages)}.00")
        body = await eventually(
            lambda: series(monitoring, building),
            lambda b: month(b, "2023-11")["occupancy_rate"] == 0.4,
        )
        assert month(body, "2023-01") is None  # no hostile value reached the rollups
        expected = len(tax_messages) - 1 + len(occupancy_messages)  # the tombstone is skipped
        letters = await eventually(
            lambda: dead_letters(monitoring, building), lambda items: len(items) == expected
        )
        reasons = [letter["reason"] for letter in letters]
        assert reasons.count("oversized") == 1
        assert reasons.count("schema_violation") == expected - 1
        assert skipped_tombstones(TOPIC_TAX) >= tombstones_before + 1

    async def test_an_oversized_message_is_dead_lettered_as_its_head_with_length_and_digest(
        self, monitoring: httpx.AsyncClient, feed: Feed, register: Register, broker: str
    ) -> None:
        building = await register()
        oversized = b"{" + b" " * 900_000 + b"}"
        await feed.send(TOPIC_TAX, oversized, key=building)
        await feed.send(TOPIC_TAX, tax(building, "2023-10", "5"), key=building)
        await tax_total(monitoring, building, "2023-10", "5.00")
        published = await asyncio.to_thread(
            read_topic, broker, TOPIC_DEADLETTER, keys={building}, want=1
        )
        envelope = orjson.loads(published[0][1])
        assert envelope["reason"] == "oversized"
        assert envelope["value_length"] == len(oversized) > MAX_MESSAGE_BYTES
        assert envelope["value_sha256"] == hashlib.sha256(oversized).hexdigest()
        assert envelope["value_truncated"] is True
        head = base64.b64decode(envelope["value_base64"])
        assert head == oversized[:ENVELOPE_VALUE_BYTES]


# --- The property: any interleaving of hostile and good messages ----------------------------

GOOD_AMOUNTS = st.decimals(
    min_value=Decimal(-MAX_AMOUNT_CNY), max_value=Decimal(MAX_AMOUNT_CNY), places=2
)


@st.composite
def streams(draw: st.DrawFn) -> list[tuple[str, Any]]:
    """A stream of ("good", amount) and ("bad", class name) items, in any order."""
    good = draw(st.lists(GOOD_AMOUNTS, min_size=1, max_size=6))
    classes = [(TOPIC_TAX, c) for c in sorted(hostile_tax("b"))] + [
        (TOPIC_OCCUPANCY, c) for c in sorted(hostile_occupancy("b"))
    ]
    bad = draw(st.lists(st.sampled_from(classes), min_size=1, max_size=6))
    items: list[tuple[str, Any]] = [("good", a) for a in good] + [("bad", c) for c in bad]
    return draw(st.permutations(items))


class TestAnyInterleaving:
    async def test_good_records_are_stored_once_and_bad_ones_dead_lettered(
        self, monitoring: httpx.AsyncClient, feed: Feed, register: Register
    ) -> None:
        loop = asyncio.get_running_loop()
        failures: list[BaseException] = []

        async def check(stream: list[tuple[str, Any]]) -> None:
            building = await register()
            hostile = {
                TOPIC_TAX: hostile_tax(building),
                TOPIC_OCCUPANCY: hostile_occupancy(building),
            }
            total = Decimal(0)
            for kind, item in stream:
                if kind == "good":
                    total += item
                    message = tax(building, "2023-06", f"{item:.2f}")
                    # delivered twice: stored once
                    await feed.send(TOPIC_TAX, message, key=building)
                    await feed.send(TOPIC_TAX, message, key=building)
                else:
                    topic, name = item
                    value = hostile[topic][name]
                    await asyncio.to_thread(
                        feed.producer.send(topic, key=building.encode(), value=value).get, 10
                    )
            marker = tax(building, "2023-07", "1")
            await feed.send(TOPIC_TAX, marker, key=building)  # ingestion has not stalled
            await tax_total(monitoring, building, "2023-07", "1.00")
            body = await series(monitoring, building)
            assert month(body, "2023-06")["tax_total_cny"] == f"{total:.2f}"
            bad = sum(1 for kind, item in stream if kind == "bad" and item[1] != "tombstone")
            await eventually(
                lambda: dead_letters(monitoring, building), lambda items: len(items) == bad
            )

        @settings(
            max_examples=8,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        )
        @given(streams())
        def property_holds(stream: list[tuple[str, Any]]) -> None:
            asyncio.run_coroutine_threadsafe(check(stream), loop).result(120)

        # Hypothesis drives synchronous functions: it runs on a thread while each example is
        # checked on this loop, where the services live.
        def run() -> None:
            try:
                property_holds()
            except BaseException as exc:
                failures.append(exc)

        thread = threading.Thread(target=run, name=f"property-{uuid.uuid4().hex[:6]}")
        thread.start()
        await asyncio.to_thread(thread.join)
        if failures:
            raise failures[0]
