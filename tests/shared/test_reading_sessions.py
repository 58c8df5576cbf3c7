"""Reads run without a transaction (GET and HEAD), yet nothing a read leaves behind is lost."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from shared import Database, after_commit
from shared.ops import DatabaseTarget


class _Base(SQLModel, registry=registry()):
    pass


class Note(_Base, table=True):
    id: int = Field(primary_key=True)
    text: str


async def test_a_read_session_flushes_what_it_was_given(tmp_path: Path) -> None:
    database = Database.open(DatabaseTarget(f"sqlite+aiosqlite:///{tmp_path}/r.db", None))
    try:
        async with database.engine.begin() as connection:
            await connection.run_sync(_Base.metadata.create_all)
        async with database.reading() as session:
            session.add(Note(id=1, text="left behind by a read"))
        async with database.reading() as session:
            note = await session.get(Note, 1)
        assert note is not None and note.text == "left behind by a read"
    finally:
        await database.dispose()


async def test_after_commit_runs_once_committed_and_never_after_a_rollback(
    tmp_path: Path,
) -> None:
    database = Database.open(DatabaseTarget(f"sqlite+aiosqlite:///{tmp_path}/a.db", None))
    seen: list[str] = []
    try:
        async with database.engine.begin() as connection:
            await connection.run_sync(_Base.metadata.create_all)

        async def committed() -> None:
            # The action sees the data durable: another session reads it.
            async with database.reading() as other:
                note = await other.get(Note, 2)
            seen.append(note.text if note else "not yet")

        async with database.unit_of_work() as session:
            session.add(Note(id=2, text="kept"))
            after_commit(session, committed)
            assert seen == []
        assert seen == ["kept"]

        async def rolled_back() -> None:
            seen.append("ran after a rollback")

        with pytest.raises(RuntimeError):
            async with database.unit_of_work() as session:
                session.add(Note(id=3, text="dropped"))
                after_commit(session, rolled_back)
                raise RuntimeError("the route failed")
        assert seen == ["kept"]
    finally:
        await database.dispose()
