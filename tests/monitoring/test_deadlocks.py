"""A batch that PostgreSQL aborts in a deadlock is a passing fault: the whole batch is stored
again, never split record by record and never dead-lettered."""

from __future__ import annotations

import asyncpg
import httpx

from policy import TOPIC_TAX
from tests.conftest import Services
from tests.fixtures import tax
from tests.monitoring.test_ingest import Register, tax_total
from tests.support import Feed, eventually

LOCK_MONTH = (
    "SELECT 1 FROM monitoring.building_month WHERE building_id = $1 AND period = $2 FOR UPDATE"
)


async def blocked_by(pg_pool: asyncpg.Pool, pid: int) -> int:
    """How many sessions wait for a lock that the session `pid` holds."""
    async with pg_pool.acquire() as conn:
        return int(
            await conn.fetchval(
                "SELECT count(*) FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))", pid
            )
        )


async def pending_marks(pg_pool: asyncpg.Pool) -> int:
    async with pg_pool.acquire() as conn:
        return int(await conn.fetchval("SELECT count(*) FROM monitoring.figure_change"))


class TestABatchInADeadlock:
    async def test_is_stored_again_whole_and_nothing_is_dead_lettered(
        self,
        monitoring: httpx.AsyncClient,
        feed: Feed,
        register: Register,
        pg_pool: asyncpg.Pool,
        services: Services,
    ) -> None:
        first, second = sorted([await register(), await register()])
        period = "2024-01"
        await feed.send_all(TOPIC_TAX, [tax(first, period, "1"), tax(second, period, "2")])
        await tax_total(monitoring, first, period, "1.00")
        await tax_total(monitoring, second, period, "2.00")
        await eventually(lambda: pending_marks(pg_pool), lambda n: n == 0)
        feeds = services.apps["monitoring"].state.consumers[0]
        failures = feeds.failures

        async with pg_pool.acquire() as other:
            # This session detects deadlocks late, so PostgreSQL picks the batch as the victim.
            await other.execute("SET deadlock_timeout = '20s'")
            async with other.transaction():
                pid = other.get_server_pid()
                await other.execute(LOCK_MONTH, second, period)
                await feed.send_all(
                    TOPIC_TAX, [tax(first, period, "10"), tax(second, period, "20")]
                )
                # The batch writes months in order: it holds `first`'s and waits for `second`'s.
                await eventually(lambda: blocked_by(pg_pool, pid), lambda n: n == 1)
                await other.execute(LOCK_MONTH, first, period)  # closes the cycle

        await tax_total(monitoring, first, period, "11.00")
        await tax_total(monitoring, second, period, "22.00")
        assert feeds.failures == failures + 1
        async with pg_pool.acquire() as conn:
            assert await conn.fetchval("SELECT count(*) FROM monitoring.dead_letter") == 0
