"""Replicas that start together (`sbe serve --migrate` in each pod) migrate one at a time."""

from __future__ import annotations

import asyncio
import secrets
import subprocess
import sys

import asyncpg

REPLICAS = 6
MIGRATE = """
import sys
from shared.ops import DatabaseTarget, upgrade
upgrade("services.registry", DatabaseTarget(sys.argv[1], sys.argv[2]))
"""


async def _inspect(dsn: str, schema: str) -> tuple[int, int]:
    """(rows in the schema's alembic_version, tables in the schema); drops the schema."""
    conn = await asyncpg.connect(dsn)
    try:
        heads = await conn.fetchval(f'SELECT count(*) FROM "{schema}".alembic_version')
        tables = await conn.fetchval(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = $1", schema
        )
    finally:
        await conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        await conn.close()
    return heads, tables


def test_replicas_migrating_at_once_all_succeed_and_leave_one_head(database_url: str) -> None:
    schema = f"replicas_{secrets.token_hex(3)}"
    replicas = [
        subprocess.Popen(
            [sys.executable, "-c", MIGRATE, database_url, schema], stderr=subprocess.PIPE, text=True
        )
        for _ in range(REPLICAS)
    ]
    outcomes = [(p.wait(120), p.stderr.read() if p.stderr else "") for p in replicas]
    dsn = database_url.replace("postgresql+asyncpg", "postgresql")
    heads, tables = asyncio.run(_inspect(dsn, schema))
    assert [code for code, _ in outcomes] == [0] * REPLICAS, [e[-2000:] for _, e in outcomes]
    assert heads == 1
    assert tables > 1
