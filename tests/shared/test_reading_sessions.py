"""Reads run without a transaction (GET and HEAD), yet nothing a read leaves behind is lost."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from shared import Database, DatabaseTarget


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
