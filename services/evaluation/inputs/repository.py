"""SQL that keeps the copies current."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from policy import upsert_building_copies
from services.evaluation.inputs.models import (
    BuildingCopy,
    CopiesGeneration,
    DesignationCopy,
    EventCopy,
    MovementCopy,
    RenovationCopy,
)
from shared import batched, dialect_insert

# Rows per multi-row statement (SQLite allows 32,766 parameters per statement).
_CHUNK = 1000


async def upsert_buildings(session: AsyncSession, rows: list[dict[str, Any]]) -> set[str]:
    """Store building snapshots newer than what is kept (one row per id); returns the ids that
    changed."""
    return await upsert_building_copies(session, BuildingCopy, rows)


async def replace_children(
    session: AsyncSession,
    building_id: str,
    designations: list[dict[str, Any]],
    renovations: list[dict[str, Any]],
) -> None:
    """A building's designations and renovations become exactly those of its latest snapshot."""
    await session.exec(
        delete(DesignationCopy).where(col(DesignationCopy.building_id) == building_id)
    )
    await session.exec(delete(RenovationCopy).where(col(RenovationCopy.building_id) == building_id))
    for row in designations:
        session.add(DesignationCopy(building_id=building_id, **row))
    for row in renovations:
        session.add(RenovationCopy(building_id=building_id, **row))


async def insert_movements(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """A record's later version (a correction, a withdrawal) replaces an earlier one; a
    redelivered or older version changes nothing."""
    latest: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        key = (row["district_id"], row["record_id"])
        if key not in latest or latest[key]["version"] <= row["version"]:
            latest[key] = row
    if latest:
        statement = dialect_insert(session, MovementCopy)
        statement = statement.on_conflict_do_update(
            index_elements=["district_id", "record_id"],
            set_={
                k: statement.excluded[k]
                for k in ("building_id", "kind", "date", "version", "withdrawn")
            },
            where=col(MovementCopy.version) < statement.excluded.version,
        )
        # In key order, as every batched upsert: concurrent writers lock rows in one order.
        for chunk in batched((latest[key] for key in sorted(latest)), _CHUNK):
            await session.exec(statement, params=list(chunk))


async def upsert_events(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """Store event states newer than what is kept (one row per id)."""
    for batch in batched(sorted(rows, key=lambda row: row["id"]), _CHUNK):
        chunk = list(batch)
        statement = dialect_insert(session, EventCopy).values(chunk)
        statement = statement.on_conflict_do_update(
            index_elements=["id"],
            set_={k: statement.excluded[k] for k in chunk[0] if k != "id"},
            where=col(EventCopy.updated_at) <= statement.excluded.updated_at,
        )
        await session.exec(statement)


async def raise_generation(session: AsyncSession) -> None:
    """One more change to the copies the district sums are taken from (see CopiesGeneration).
    Call it last in the transaction: the row stays locked from here until the commit."""
    statement = dialect_insert(session, CopiesGeneration).values(id=1, generation=1)
    statement = statement.on_conflict_do_update(
        index_elements=["id"], set_={"generation": col(CopiesGeneration.generation) + 1}
    )
    await session.exec(statement)
