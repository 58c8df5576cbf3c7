"""A message the broker refuses does not hold up the outbox: it is parked after a few tries,
counted, listed for the admin and released on request; the messages behind it go out."""

from __future__ import annotations

import asyncio
import uuid

import asyncpg
import httpx
import orjson
from prometheus_client import REGISTRY

from shared.messaging import MAX_ATTEMPTS, TOPIC_DEADLETTER
from tests.support import SUPERVISION, as_, district, eventually, read_topic

PARKED = "/api/v1/monitoring/outbox/parked"
RELEASE = "/api/v1/monitoring/outbox/release"


def parked_total() -> float:
    value = REGISTRY.get_sample_value("sbe_outbox_parked_total", {"service": "monitoring"})
    return value or 0.0


async def park_one(pg_pool: asyncpg.Pool, key: str) -> None:
    """A message larger than any broker takes, then an ordinary one behind it."""
    async with pg_pool.acquire() as conn:
        await conn.executemany(
            "INSERT INTO monitoring.outbox (topic, key, payload, created_at)"
            " VALUES ($1, $2, $3, now())",
            [
                (TOPIC_DEADLETTER, key, b'"' + b"x" * 3_000_000 + b'"'),
                (TOPIC_DEADLETTER, key, orjson.dumps({"behind": "the refused one"})),
            ],
        )


class TestRefusedMessages:
    async def test_are_parked_and_the_rest_is_published(
        self, monitoring: httpx.AsyncClient, pg_pool: asyncpg.Pool, broker: str
    ) -> None:
        key = f"outbox-{uuid.uuid4().hex[:8]}"
        before = parked_total()
        await park_one(pg_pool, key)
        published = await asyncio.to_thread(
            read_topic, broker, TOPIC_DEADLETTER, keys={key}, want=1
        )
        assert orjson.loads(published[0][1]) == {"behind": "the refused one"}
        page = await eventually(
            lambda: monitoring.get(PARKED), lambda r: r.json()["total"] == 1, within=30
        )
        item = page.json()["items"][0]
        assert item["key"] == key and item["attempts"] == MAX_ATTEMPTS
        assert item["size_bytes"] > 3_000_000 and "payload" not in item
        assert "MessageSizeTooLarge" in item["error"]
        assert parked_total() == before + 1

    async def test_an_admin_releases_them_for_another_round(
        self, monitoring: httpx.AsyncClient, pg_pool: asyncpg.Pool
    ) -> None:
        key = f"outbox-{uuid.uuid4().hex[:8]}"
        await park_one(pg_pool, key)
        await eventually(lambda: monitoring.get(PARKED), lambda r: r.json()["total"] == 1)
        released = await monitoring.post(RELEASE, json={})
        assert released.status_code == 200 and released.json() == {"released": 1}
        # Still too large: tried MAX_ATTEMPTS times more and parked again.
        await eventually(
            lambda: monitoring.get(PARKED), lambda r: r.json()["total"] == 1, within=30
        )

    async def test_only_an_admin_sees_or_releases_them(self, monitoring: httpx.AsyncClient) -> None:
        for principal in (SUPERVISION, district("gusu")):
            assert (await monitoring.get(PARKED, auth=as_(principal))).status_code == 403
            refused = await monitoring.post(RELEASE, json={}, auth=as_(principal))
            assert refused.status_code == 403


class TestRelayLocks:
    async def test_another_services_relay_holding_its_lock_does_not_stop_this_one(
        self, monitoring: httpx.AsyncClient, pg_pool: asyncpg.Pool, broker: str
    ) -> None:
        key = f"lock-{uuid.uuid4().hex[:8]}"
        async with pg_pool.acquire() as holder:
            # As if the registry's relay were busy publishing on the same database.
            await holder.execute("SELECT pg_advisory_lock(hashtext('sbe-outbox-registry'))")
            try:
                async with pg_pool.acquire() as conn:
                    await conn.execute(
                        "INSERT INTO monitoring.outbox (topic, key, payload, created_at)"
                        " VALUES ($1, $2, $3, now())",
                        TOPIC_DEADLETTER,
                        key,
                        orjson.dumps({"while": "the registry's lock is held"}),
                    )
                published = await asyncio.to_thread(
                    read_topic, broker, TOPIC_DEADLETTER, keys={key}, want=1
                )
                assert len(published) == 1
            finally:
                await holder.execute("SELECT pg_advisory_unlock(hashtext('sbe-outbox-registry'))")
