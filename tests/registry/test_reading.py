"""The registry's fast read (`services/registry/reading.py`): a prepared statement on the
driver's own pool on PostgreSQL, Core on SQLite, the same answer either way."""

from __future__ import annotations

import uuid
from pathlib import Path

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel, col

from services.registry.reading import FastReads, Prepared
from shared import Database
from shared.ops import DatabaseTarget


class _Base(SQLModel, registry=registry()):
    pass


class Note(_Base, table=True):
    id: int = Field(primary_key=True)
    text: str


async def test_a_prepared_read_gives_what_core_gives_on_either_database(
    tmp_path: Path, database_url: str
) -> None:
    """On PostgreSQL the driver's prepared statement on its own pool, on SQLite Core: the same
    row either way, the statement's own constants (a separator) written in."""
    statement = Prepared(
        select(
            col(Note.id),
            func.aggregate_strings(col(Note.text), "|").label("texts"),
        )
        .where(col(Note.id) >= bindparam("least"))
        .group_by(col(Note.id))
    )
    targets = [
        DatabaseTarget(f"sqlite+aiosqlite:///{tmp_path}/p.db", None),
        DatabaseTarget(database_url, f"prepared_{uuid.uuid4().hex[:8]}"),
    ]
    for target in targets:
        database = Database.open(target)
        reads = FastReads.open(database, pool_size=4)
        try:
            async with database.engine.begin() as connection:
                if target.schema:
                    await connection.exec_driver_sql(f'CREATE SCHEMA "{target.schema}"')
                    await connection.exec_driver_sql(f'SET search_path TO "{target.schema}"')
                await connection.run_sync(_Base.metadata.create_all)
            async with database.unit_of_work() as session:
                session.add(Note(id=7, text="七"))
            assert await statement.first(reads, least=7) == {"id": 7, "texts": "七"}
            assert await statement.first(reads, least=8) is None
            async with database.unit_of_work() as session:
                session.add(Note(id=8, text="八"))
            # The driver's statement is prepared once, and sees each commit.
            assert await statement.first(reads, least=8) == {"id": 8, "texts": "八"}
        finally:
            if target.schema:
                async with database.engine.begin() as connection:
                    await connection.exec_driver_sql(f'DROP SCHEMA "{target.schema}" CASCADE')
            await reads.close()
            await database.dispose()
