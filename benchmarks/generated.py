"""What the year benchmarks (city, evaluation) share: their options, and a service's schema in a
scratch PostgreSQL database filled with a generated year."""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import asyncpg

from shared import Database
from shared.ops import DatabaseTarget, upgrade
from tests.support import pg_dsn, pg_url, scratch_database

Generate = Callable[[asyncpg.Connection, int, int], Awaitable[None]]


def year_options(description: str, repeat: int) -> argparse.Namespace:
    """--buildings, --records and --repeat, with the benchmarks' defaults."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--buildings", type=int, default=100_000)
    parser.add_argument("--records", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=repeat)
    return parser.parse_args()


@asynccontextmanager
async def generated_year(
    service: str, options: argparse.Namespace, generate: Generate
) -> AsyncIterator[tuple[Database, asyncpg.Connection]]:
    """The service's schema, migrated and filled by `generate(conn, buildings, records)` in a
    scratch database dropped afterwards: the service's Database and a raw connection to it."""
    async with scratch_database(f"sbe_bench_{service}") as name:
        target = DatabaseTarget(pg_url(name), service)
        await asyncio.to_thread(upgrade, f"services.{service}", target)
        conn = await asyncpg.connect(pg_dsn(name))
        database = Database.open(target)
        try:
            started = time.perf_counter()
            await generate(conn, options.buildings, options.records)
            print(
                f"generated {options.buildings:,} buildings and {options.records:,} tax records "
                f"in {time.perf_counter() - started:.0f}s"
            )
            yield database, conn
        finally:
            await database.dispose()
            await conn.close()
