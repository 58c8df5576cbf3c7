"""SQL for reading the rollups and for the figures worker's change marks."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import bindparam, delete, func, insert, text
from sqlalchemy import select as sa_select
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.monitoring.buildings.models import BuildingCopy
from services.monitoring.figures.models import (
    BuildingMonth,
    BuildingYear,
    DistrictMonth,
    FigureChange,
)
from shared import batched, dialect_insert, fetch_rows, is_postgres


class MonthFigure(NamedTuple):
    """A building-month's rollup, light enough for the worker to hold thousands."""

    period: str
    tax_cents: int
    tax_records: int
    leasable_area_m2: float | None
    occupied_area_m2: float | None
    enterprise_count: int | None


async def months(
    session: AsyncSession, building_id: str, first: str | None, last: str | None
) -> list[BuildingMonth]:
    """A building's months with data between `first` and `last` (YYYY-MM, inclusive)."""
    query = select(BuildingMonth).where(BuildingMonth.building_id == building_id)
    if first is not None:
        query = query.where(col(BuildingMonth.period) >= first)
    if last is not None:
        query = query.where(col(BuildingMonth.period) <= last)
    return list(await session.exec(query.order_by(col(BuildingMonth.period))))


async def months_of_buildings(
    session: AsyncSession, building_ids: Sequence[str], first: str, last: str
) -> dict[str, dict[str, MonthFigure]]:
    """building id → period → figures, for several buildings within a range (the worker's view)."""
    table = BuildingMonth.__table__  # type: ignore[attr-defined]
    connection = await session.connection()
    found: dict[str, dict[str, MonthFigure]] = defaultdict(dict)
    for part in batched(building_ids, 2000):
        result = await connection.execute(
            sa_select(
                table.c.building_id,
                table.c.period,
                table.c.tax_cents,
                table.c.tax_records,
                table.c.leasable_area_m2,
                table.c.occupied_area_m2,
                table.c.enterprise_count,
            ).where(
                table.c.building_id.in_(list(part)),
                table.c.period >= first,
                table.c.period <= last,
            )
        )
        for building_id, *figures in result:
            found[building_id][figures[0]] = MonthFigure(*figures)
    return found


@dataclass(slots=True)
class DistrictYear:
    """What a district summary is computed from."""

    gross_floor_area_m2: float = 0.0
    tax_cents: int = 0
    tax_prev_cents: int = 0
    over: dict[int, list[str]] = field(default_factory=dict)  # line (fen) → buildings above it
    occupied_m2: float = 0.0
    leasable_m2: float = 0.0


async def district_years(
    session: AsyncSession, year: int, lines: Sequence[int], district_id: str | None = None
) -> dict[str, DistrictYear]:
    """Every district's year (or one district's), beside its previous year's tax, in three
    grouped reads of one row per building: floor area; tax and latest-month occupancy; and the
    buildings above the lowest line (an index range)."""
    b, y = BuildingCopy, BuildingYear
    found: dict[str, DistrictYear] = defaultdict(DistrictYear)
    areas = select(col(b.district_id), func.sum(b.gross_floor_area_m2)).group_by(col(b.district_id))
    totals = (
        sa_select(
            col(b.district_id),
            col(y.year),
            func.sum(y.tax_cents),
            func.sum(y.occupied_area_m2),
            func.sum(y.leasable_area_m2),
        )
        .join(y, col(y.building_id) == col(b.id))
        .where(col(y.year).in_([year, year - 1]))
        .group_by(col(b.district_id), col(y.year))
    )
    above = (
        select(col(b.district_id), col(b.id), col(y.tax_cents))
        .join(y, col(y.building_id) == col(b.id))
        .where(col(y.year) == year, col(y.tax_cents) > min(lines))
        .order_by(col(b.id))
    )
    if district_id is not None:
        areas = areas.where(col(b.district_id) == district_id)
        totals = totals.where(col(b.district_id) == district_id)
        above = above.where(col(b.district_id) == district_id)
    for district, area in await session.exec(areas):
        found[district].gross_floor_area_m2 = float(area or 0)
    for district, at, tax, occupied, leasable in await fetch_rows(session, totals):
        figures = found[district]
        if at == year:
            figures.tax_cents = int(tax or 0)
            figures.occupied_m2, figures.leasable_m2 = float(occupied or 0), float(leasable or 0)
        else:
            figures.tax_prev_cents = int(tax or 0)
    for district, building_id, tax in await session.exec(above):
        for line in lines:
            if tax > line:
                found[district].over.setdefault(line, []).append(building_id)
    return found


async def set_year_occupancy(session: AsyncSession, rows: list[dict[str, object]]) -> None:
    """Each (building, year)'s latest month with an occupancy report, as the worker found it."""
    if not rows:
        return
    statement = dialect_insert(session, BuildingYear)
    excluded = statement.excluded
    statement = statement.on_conflict_do_update(
        index_elements=["building_id", "year"],
        set_={
            "occupancy_period": excluded.occupancy_period,
            "leasable_area_m2": excluded.leasable_area_m2,
            "occupied_area_m2": excluded.occupied_area_m2,
        },
    )
    # In key order, as the ingest's rollups: the two lock building-years in one order.
    await session.exec(statement, params=sorted(rows, key=lambda r: (r["building_id"], r["year"])))


async def take_changes(
    session: AsyncSession, limit: int, quiet_since: datetime, waiting_since: datetime
) -> list[tuple[str, str, int]]:
    """Marks ready to handle, oldest first, as (building, month, seq): quiet since `quiet_since`
    or waiting since `waiting_since`. On PostgreSQL they are locked for this round and skipped
    while the ingest holds them, so the worker never waits on (or deadlocks with) the ingest."""
    query = (
        select(FigureChange.building_id, FigureChange.period, FigureChange.seq)
        .where(
            (col(FigureChange.changed_at) < quiet_since)
            | (col(FigureChange.first_changed_at) < waiting_since)
        )
        .order_by(col(FigureChange.first_changed_at))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return [(b, p, s) for b, p, s in await session.exec(query)]


async def clear_changes(session: AsyncSession, changes: Sequence[tuple[str, str, int]]) -> None:
    """Remove the marks handled, unless a change came in since they were read (seq moved on)."""
    statement = delete(FigureChange).where(
        col(FigureChange.building_id) == bindparam("b"),
        col(FigureChange.period) == bindparam("p"),
        col(FigureChange.seq) == bindparam("s"),
    )
    connection = await session.connection()
    await connection.execute(statement, [{"b": b, "p": p, "s": s} for b, p, s in changes])


class AreaMonth(NamedTuple):
    """A month summed over an area's buildings (a district, or the city)."""

    period: str
    tax_cents: int
    tax_records: int
    leasable_area_m2: float | None
    occupied_area_m2: float | None
    enterprise_count: int | None


async def area_months(
    session: AsyncSession, district_id: str | None, first: str | None, last: str | None
) -> list[AreaMonth]:
    """Months with data summed over a district's buildings (`None`: every building); occupancy
    over the buildings that reported it that month. Read from the district-months."""
    table = DistrictMonth.__table__  # type: ignore[attr-defined]
    query = sa_select(
        table.c.period,
        func.coalesce(func.sum(table.c.tax_cents), 0),
        func.coalesce(func.sum(table.c.tax_records), 0),
        func.sum(table.c.leasable_area_m2),
        func.sum(table.c.occupied_area_m2),
        func.sum(table.c.enterprise_count),
    ).group_by(table.c.period)
    if district_id is not None:
        query = query.where(table.c.district_id == district_id)
    if first is not None:
        query = query.where(table.c.period >= first)
    if last is not None:
        query = query.where(table.c.period <= last)
    result = await fetch_rows(session, query.order_by(table.c.period))
    return [
        AreaMonth(p, int(t), int(n), lease, occ, None if e is None else int(e))
        for p, t, n, lease, occ, e in result
    ]


# One roll-up at a time across replicas: a month summed again after the lock is taken reads
# every building-month committed before, so two workers never leave an older sum last.
_ROLL_UP_LOCK = text("SELECT pg_advisory_xact_lock(hashtext('sbe.monitoring.district_month'))")


async def sum_district_months(session: AsyncSession, periods: set[str]) -> None:
    """Sum the district-months of `periods` again from their buildings' months (every district:
    a building that moved leaves one district's month and joins another's)."""
    if not periods:
        return
    if is_postgres(session):
        await session.exec(_ROLL_UP_LOCK)  # type: ignore[call-overload]
    m, b = BuildingMonth.__table__, BuildingCopy.__table__  # type: ignore[attr-defined]
    target = DistrictMonth.__table__  # type: ignore[attr-defined]
    connection = await session.connection()
    for part in batched(sorted(periods), 100):
        await connection.execute(delete(target).where(target.c.period.in_(list(part))))
        sums = (
            sa_select(
                b.c.district_id,
                m.c.period,
                func.sum(m.c.tax_cents),
                func.sum(m.c.tax_records),
                func.sum(m.c.leasable_area_m2),
                func.sum(m.c.occupied_area_m2),
                func.sum(m.c.enterprise_count),
            )
            .join(b, b.c.id == m.c.building_id)
            .where(m.c.period.in_(list(part)))
            .group_by(b.c.district_id, m.c.period)
        )
        # The select's columns are the table's, in its order.
        await connection.execute(insert(target).from_select(list(target.c.keys()), sums))


async def months_of(session: AsyncSession, building_ids: Sequence[str]) -> set[tuple[str, str]]:
    """(building, month) of every month these buildings have figures for."""
    table = BuildingMonth.__table__  # type: ignore[attr-defined]
    found: set[tuple[str, str]] = set()
    for part in batched(building_ids, 2000):
        query = sa_select(table.c.building_id, table.c.period).where(
            table.c.building_id.in_(list(part))
        )
        found.update((b, p) for b, p in await fetch_rows(session, query))
    return found


async def years_with_data(session: AsyncSession) -> list[int]:
    """The years some building has figures for, oldest first."""
    year = col(BuildingYear.year)
    query = sa_select(year).distinct().order_by(year)
    return [int(year) for (year,) in await fetch_rows(session, query)]


async def latest_tax_period(session: AsyncSession, year: int) -> str | None:
    """The year's latest month with a tax record in any building, if any."""
    table = BuildingMonth.__table__  # type: ignore[attr-defined]
    query = sa_select(func.max(table.c.period)).where(
        table.c.period.between(f"{year}-01", f"{year}-12"), table.c.tax_records > 0
    )
    return (await session.exec(query)).scalar_one_or_none()  # type: ignore[call-overload]


async def district_tax_between(session: AsyncSession, first: str, last: str) -> dict[str, int]:
    """Each district's tax over the months `first`…`last` (its district-months summed)."""
    table = DistrictMonth.__table__  # type: ignore[attr-defined]
    query = (
        sa_select(table.c.district_id, func.sum(table.c.tax_cents))
        .where(table.c.period.between(first, last))
        .group_by(table.c.district_id)
    )
    return {district: int(cents or 0) for district, cents in await fetch_rows(session, query)}


async def buildings_above(
    session: AsyncSession, year: int, line_cents: int, district_id: str | None
) -> list[tuple[str, str, str, int]]:
    """(building, name, district, tax) of the buildings above the line in the year, richest
    first (in one district, or city-wide)."""
    y, b = BuildingYear, BuildingCopy
    query = (
        select(b.id, b.name, b.district_id, y.tax_cents)
        .join(y, col(y.building_id) == col(b.id))
        .where(col(y.year) == year, col(y.tax_cents) > line_cents)
        .order_by(col(y.tax_cents).desc(), col(b.id))
    )
    if district_id is not None:
        query = query.where(col(b.district_id) == district_id)
    return [(i, n, d, int(t)) for i, n, d, t in await session.exec(query)]
