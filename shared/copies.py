"""The one shape of a service's copy of the registry's buildings, and how a copy is kept.

Monitoring and the evaluation each keep their own table of the buildings the registry announces
on `sbe.registry.buildings.v1` (never the registry's tables). Both tables have these columns and
are kept by `upsert_building_copies`: a snapshot replaces the row only when it is at least as
new, so a late, older message never overwrites a newer one."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlmodel import Field, SQLModel, col
from sqlmodel.ext.asyncio.session import AsyncSession

from shared.database import dialect_insert
from shared.iteration import batched, newest_by
from shared.types import UTCDateTime

# Rows per statement: 7 parameters each stays far under SQLite's and asyncpg's limits.
_ROWS_PER_STATEMENT = 2000


class BuildingCopyBase(SQLModel):
    """A building as the registry last announced it (`shared.building_row` of its message)."""

    id: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=200)
    district_id: str = Field(max_length=32, index=True)
    gross_floor_area_m2: float
    status: str = Field(
        default="operating",
        max_length=32,
        sa_column_kwargs={"server_default": "operating"},
        description="planned, under_construction, operating…",
    )
    retired_on: date | None = Field(default=None, description="Retired: counts up to that year.")
    registry_updated_at: datetime = Field(sa_type=UTCDateTime)


async def upsert_building_copies(
    session: AsyncSession, table: type[BuildingCopyBase], rows: list[dict[str, Any]]
) -> set[str]:
    """Store building rows at least as new as what is kept; returns the ids stored.

    A batch may hold a building twice (created, then designated, a moment apart), and one
    statement may touch a row only once (PostgreSQL refuses the whole statement otherwise): the
    newest row of each id is stored, the later one of two equally new."""
    newest = newest_by(rows, lambda row: row["id"], lambda row: row["registry_updated_at"])
    stored: set[str] = set()
    # In id order: two writers upserting overlapping batches lock rows in the same order.
    for chunk in batched((newest[key] for key in sorted(newest)), _ROWS_PER_STATEMENT):
        statement = dialect_insert(session, table).values(list(chunk))
        excluded = statement.excluded
        statement = statement.on_conflict_do_update(
            index_elements=["id"],
            set_={k: excluded[k] for k in chunk[0] if k != "id"},
            where=col(table.registry_updated_at) <= excluded.registry_updated_at,
        ).returning(col(table.id))
        stored.update((await session.exec(statement)).scalars().all())
    return stored
