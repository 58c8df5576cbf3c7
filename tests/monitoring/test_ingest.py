"""Effectively once: duplicates, redelivery, corrections in either order, refunds,
poison messages among good ones, unknown buildings. Through the real broker and PostgreSQL."""

from __future__ import annotations

import asyncio
import base64
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

import asyncpg
import httpx
import orjson

from policy import TOPIC_OCCUPANCY, TOPIC_TAX, BuildingMessage
from shared.messaging import TOPIC_DEADLETTER
from tests.conftest import Services
from tests.fixtures import occupancy, tax
from tests.monitoring.conftest import month, series
from tests.support import Feed, eventually, read_topic

Register = Callable[..., Awaitable[str]]


def tax_of(period: str) -> Callable[[dict], bool]:
    def check(body: dict) -> bool:
        return month(body, period) is not None

    return check


async def tax_total(
    client: httpx.AsyncClient, building_id: str, period: str, expected: str
) -> dict:
    body = await eventually(
        lambda: series(client, building_id),
        lambda b: (m := month(b, period)) is not None and m["tax_total_cny"] == expected,
    )
    return body


class TestTaxFeed:
    async def test_records_are_summed_per_building_month(
        self, monitoring: httpx.AsyncClient, feed: Feed, register: Register
    ) -> None:
        building = await register()
        await feed.send_all(
            TOPIC_TAX,
            [
                tax(building, "2023-03", "1000.10"),
                tax(building, "2023-03", "2000.25"),
                tax(building, "2023-04", "5"),
            ],
        )
        body = await tax_total(monitoring, building, "2023-03", "3000.35")
        assert month(body, "2023-04")["tax_total_cny"] == "5.00"
        assert month(body, "2023-03")["occupancy_rate"] is None

    async def test_a_message_delivered_twice_is_stored_once(
        self, monitoring: httpx.AsyncClient, feed: Feed, register: Register
    ) -> None:
        building = await register()
        message = tax(building, "2023-05", "100.00")
        await feed.send_all(TOPIC_TAX, [message, message])
        await feed.send(TOPIC_TAX, message)
        marker = tax(building, "2023-06", "1")
        await feed.send(TOPIC_TAX, marker)  # once this is in, everything before it is too
        body = await tax_total(monitoring, building, "2023-06", "1.00")
        assert month(body, "2023-05")["tax_total_cny"] == "100.00"

    async def test_a_later_report_corrects_an_earlier_one(
        self, monitoring: httpx.AsyncClient, feed: Feed, register: Register
    ) -> None:
        building = await register()
        original = tax(building, "2023-07", "500.00", reported_at="2023-08-01T09:00:00+08:00")
        corrected = {**original, "amount_cny": "450.00", "reported_at": "2023-08-05T09:00:00+08:00"}
        await feed.send(TOPIC_TAX, original)
        await tax_total(monitoring, building, "2023-07", "500.00")
        await feed.send(TOPIC_TAX, corrected)
        await tax_total(monitoring, building, "2023-07", "450.00")

    async def test_a_correction_arriving_first_wins_over_the_late_original(
        self, monitoring: httpx.AsyncClient, feed: Feed, register: Register
    ) -> None:
        building = await register()
        original = tax(building, "2023-08", "500.00", reported_at="2023-09-01T09:00:00+08:00")
        corrected = {**original, "amount_cny": "450.00", "reported_at": "2023-09-05T09:00:00+08:00"}
        await feed.send_all(TOPIC_TAX, [corrected, original, tax(building, "2023-09", "1")])
        body = await tax_total(monitoring, building, "2023-09", "1.00")
        assert month(body, "2023-08")["tax_total_cny"] == "450.00"

    async def test_a_correction_may_move_a_record_to_another_month(
        self, monitoring: httpx.AsyncClient, feed: Feed, register: Register
    ) -> None:
        building = await register()
        original = tax(building, "2023-01", "300.00", reported_at="2023-02-01T00:00:00Z")
        moved = {**original, "period": "2023-02", "reported_at": "2023-02-02T00:00:00Z"}
        await feed.send_all(TOPIC_TAX, [original, tax(building, "2023-01", "1")])
        await tax_total(monitoring, building, "2023-01", "301.00")
        await feed.send(TOPIC_TAX, moved)
        body = await tax_total(monitoring, building, "2023-02", "300.00")
        assert month(body, "2023-01")["tax_total_cny"] == "1.00"

    async def test_refunds_are_negative_amounts(
        self, monitoring: httpx.AsyncClient, feed: Feed, register: Register
    ) -> None:
        building = await register()
        await feed.send_all(
            TOPIC_TAX, [tax(building, "2023-10", "1000.00"), tax(building, "2023-10", "-250.55")]
        )
        await tax_total(monitoring, building, "2023-10", "749.45")


class TestOccupancyFeed:
    async def test_rate_is_occupied_over_leasable(
        self, monitoring: httpx.AsyncClient, feed: Feed, register: Register
    ) -> None:
        building = await register()
        await feed.send(TOPIC_OCCUPANCY, occupancy(building, "2023-03", 10_000, 8_500))
        body = await eventually(lambda: series(monitoring, building), tax_of("2023-03"))
        entry = month(body, "2023-03")
        assert entry["occupancy_rate"] == 0.85
        assert entry["leasable_area_m2"] == 10_000 and entry["enterprise_count"] == 12
        assert entry["tax_total_cny"] == "0.00"

    async def test_the_latest_report_of_a_month_is_shown(
        self, monitoring: httpx.AsyncClient, feed: Feed, register: Register
    ) -> None:
        building = await register()
        late = occupancy(building, "2023-04", 10_000, 9_000, reported_at="2023-05-03T00:00:00Z")
        early = occupancy(building, "2023-04", 10_000, 6_000, reported_at="2023-05-01T00:00:00Z")
        await feed.send_all(TOPIC_OCCUPANCY, [late, early, occupancy(building, "2023-05", 1, 1)])
        body = await eventually(lambda: series(monitoring, building), tax_of("2023-05"))
        assert month(body, "2023-04")["occupancy_rate"] == 0.9


class TestPoisonMessages:
    async def test_bad_messages_go_to_the_dead_letters_and_the_partition_moves_on(
        self, monitoring: httpx.AsyncClient, feed: Feed, register: Register, broker: str
    ) -> None:
        building = await register()
        bad = [
            b"\xff\xfe not json",
            b'{"record_id": "x"',
            orjson.dumps({**tax(building, "2023-01", "1"), "amount_cny": 12.5}),
            orjson.dumps({**tax(building, "2023-01", "1"), "amount_cny": "1.234"}),
            orjson.dumps({**tax(building, "2023-13", "1")}),
            orjson.dumps({**tax(building, "2023-01", "1"), "uscc": "91350100M000100Y44"}),
            orjson.dumps({**tax(building, "2023-01", "1"), "surprise": True}),
            orjson.dumps({**tax(building, "2023-01", "1"), "reported_at": "2023-01-01 10:00"}),
        ]
        good = [tax(building, "2023-11", "10"), tax(building, "2023-11", "20")]
        # All on one partition (one key), poison interleaved with good records.
        for value in [good[0], *bad, good[1]]:
            await feed.send(TOPIC_TAX, value, key=building)
        await feed.send(
            TOPIC_OCCUPANCY,
            orjson.dumps(occupancy(building, "2023-01", 100, 120)),  # occupied > leasable
            key=building,
        )
        await tax_total(monitoring, building, "2023-11", "30.00")
        letters = await eventually(
            lambda: dead_letters(monitoring, building),
            lambda items: len(items) == len(bad) + 1,
        )
        reasons = sorted(letter["reason"] for letter in letters)
        assert reasons.count("unparseable") == 2
        assert reasons.count("schema_violation") == len(bad) - 2 + 1
        assert all("value" not in letter for letter in letters)  # contents are never shown
        published = await asyncio.to_thread(
            read_topic, broker, TOPIC_DEADLETTER, keys={building}, want=len(bad) + 1
        )
        envelopes = [orjson.loads(value) for _, value in published]
        assert {base64.b64decode(e["value_base64"]) for e in envelopes} >= set(bad)
        first = next(e for e in envelopes if base64.b64decode(e["value_base64"]) == bad[0])
        assert first["topic"] == TOPIC_TAX and first["reason"] == "unparseable"
        assert isinstance(first["partition"], int) and isinstance(first["offset"], int)


async def dead_letters(client: httpx.AsyncClient, building: str) -> list[dict]:
    page = (await client.get("/api/v1/monitoring/dead-letters", params={"limit": 1000})).json()
    return [item for item in page["items"] if item["key"] == building]


class TestUnknownBuildings:
    async def test_a_feed_racing_a_new_building_is_not_set_aside(
        self, monitoring: httpx.AsyncClient, feed: Feed, register: Register
    ) -> None:
        # The building exists in the registry; its announcement may not have arrived yet:
        # the monitoring service asks the registry before calling it unknown.
        building = await register()
        await feed.send(TOPIC_TAX, tax(building, "2023-02", "88.80"))
        await tax_total(monitoring, building, "2023-02", "88.80")
        assert await dead_letters(monitoring, building) == []

    async def test_unknown_building_is_set_aside_and_replayed_once_registered(
        self, monitoring: httpx.AsyncClient, feed: Feed, register: Register
    ) -> None:
        building = "late-" + uuid.uuid4().hex[:8]
        await feed.send_all(
            TOPIC_TAX, [tax(building, "2023-03", "70"), tax(building, "2023-03", "30")]
        )
        letters = await eventually(
            lambda: dead_letters(monitoring, building), lambda items: len(items) == 2
        )
        assert {letter["reason"] for letter in letters} == {"unknown_building"}
        await register(id=building)
        replay = await monitoring.post(
            "/api/v1/monitoring/dead-letters/replay", json={"reason": "unknown_building"}
        )
        assert replay.status_code == 200
        assert replay.json()["stored"] >= 2
        await tax_total(monitoring, building, "2023-03", "100.00")
        pending = (
            await monitoring.get(
                "/api/v1/monitoring/dead-letters",
                params={"pending": True, "reason": "unknown_building"},
            )
        ).json()
        assert all(item["key"] != building for item in pending["items"])


class TestRegistryCopy:
    async def test_a_batch_holding_a_building_twice_keeps_its_newest_version(
        self, services: Services, clean_database: None, pg_pool: asyncpg.Pool
    ) -> None:
        """One statement may touch a row once on PostgreSQL: a batch with a building created and
        then changed a moment later once failed whole, and was stored again record by record."""
        older = BuildingMessage(
            id="twice-1",
            name="旧名",
            district_id="gusu",
            gross_floor_area_m2=1000.0,
            updated_at=datetime(2024, 1, 1, tzinfo=UTC),
        )
        newer = older.model_copy(
            update={"name": "新名", "updated_at": datetime(2024, 1, 2, tzinfo=UTC)}
        )
        for batch in ([older, newer], [newer, older]):
            await services.apps["monitoring"].state.directory.apply(batch)
            stored = await pg_pool.fetchval(
                "SELECT name FROM monitoring.building WHERE id = 'twice-1'"
            )
            assert stored == "新名"
