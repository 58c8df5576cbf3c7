"""The one shape of a service's copy of what another service announces, and how a copy is kept.

- The registry's buildings (`sbe.registry.buildings.v1`): monitoring and the evaluation each keep
  their own table of them (never the registry's tables), kept by `upsert_building_copies`. A
  snapshot replaces the row only when it is at least as new, so a late, older message never
  overwrites a newer one.
- Monitoring's building-years (`sbe.monitoring.building-years.v1`): the evaluation (for scores and
  the blue book) and the registry (for its buildings list) each keep their own, kept by
  `upsert_building_year_copies`. The topic is ordered per key, so the latest message wins."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger
from sqlalchemy import select as sa_select
from sqlmodel import Field, SQLModel, col
from sqlmodel.ext.asyncio.session import AsyncSession

from policy.messages import BuildingMessage, BuildingYearMessage
from policy.money import parse_cents
from shared import UTCDateTime, batched, dialect_insert, fetch_rows, newest_by

# Rows per statement: 7 parameters each stays far under SQLite's and asyncpg's limits.
_ROWS_PER_STATEMENT = 2000


class BuildingCopyBase(SQLModel):
    """A building as the registry last announced it (`shared.building_copy_row` of its message)."""

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


def building_copy_row(message: BuildingMessage) -> dict[str, Any]:
    """A building message as a row of a service's copy of the registry's buildings."""
    return {
        "id": message.id,
        "name": message.name,
        "district_id": message.district_id,
        "gross_floor_area_m2": message.gross_floor_area_m2,
        "status": message.status,
        "retired_on": message.retired.retired_on if message.retired else None,
        "registry_updated_at": message.updated_at,
    }


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


class BuildingYearCopyBase(SQLModel):
    """A building's year as monitoring last announced it: the year's tax and its latest month with
    an occupancy report (`building_year_row` of its message)."""

    building_id: str = Field(primary_key=True, max_length=64)
    year: int = Field(primary_key=True)
    tax_cents: int = Field(sa_type=BigInteger)
    occupancy_period: str | None = Field(default=None, max_length=7)
    leasable_area_m2: float | None = None
    occupied_area_m2: float | None = None


def building_year_row(message: BuildingYearMessage) -> dict[str, Any]:
    """The `BuildingYearCopyBase` columns of a building-year message."""
    occupancy = message.latest_occupancy
    return {
        "building_id": message.building_id,
        "year": message.year,
        "tax_cents": parse_cents(message.tax_total_cny),
        "occupancy_period": occupancy.period if occupancy else None,
        "leasable_area_m2": occupancy.leasable_area_m2 if occupancy else None,
        "occupied_area_m2": occupancy.occupied_area_m2 if occupancy else None,
    }


async def upsert_building_year_copies(
    session: AsyncSession, table: type[BuildingYearCopyBase], rows: list[dict[str, Any]]
) -> None:
    """Store the latest row of each building-year (`rows` in the topic's order)."""
    latest = {(row["building_id"], row["year"]): row for row in rows}
    # In key order: two writers upserting overlapping batches lock rows in the same order.
    for chunk in batched((latest[key] for key in sorted(latest)), _ROWS_PER_STATEMENT):
        statement = dialect_insert(session, table)
        statement = statement.on_conflict_do_update(
            index_elements=["building_id", "year"],
            set_={k: statement.excluded[k] for k in chunk[0] if k not in ("building_id", "year")},
        )
        await session.exec(statement, params=list(chunk))


async def building_year_versions_in(
    session: AsyncSession, years: type[SQLModel], buildings: type[SQLModel]
) -> Sequence[Any]:
    """(district, building, year, tax, occupancy month) of every building-year in `years` whose
    building `buildings` holds: what `tally_building_years` sums, read the same way from the
    source (monitoring's) and from each copy of it."""
    y, b = years, buildings
    return await fetch_rows(
        session,
        sa_select(
            col(b.district_id),  # type: ignore[attr-defined]
            col(y.building_id),  # type: ignore[attr-defined]
            col(y.year),  # type: ignore[attr-defined]
            col(y.tax_cents),  # type: ignore[attr-defined]
            col(y.occupancy_period),  # type: ignore[attr-defined]
        ).join(b, col(b.id) == col(y.building_id)),  # type: ignore[attr-defined]
    )
