"""SQL for feed records, their rollups and dead letters. Written for batches: one statement per
kind of change, never one per record."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, update
from sqlalchemy import select as sa_select
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.monitoring.figures.models import (
    BuildingMonth,
    BuildingYear,
    EnterpriseBuildingYear,
    FigureChange,
)
from services.monitoring.ingest.models import DeadLetter, OccupancyRecord, TaxRecord
from shared import batched, dialect_insert, driver_connection, is_postgres
from shared.params import page_of

_CHUNK = 5000


@dataclass(frozen=True, slots=True)
class StoredTax:
    """What a stored tax record says (to tell duplicates from corrections and undo the old)."""

    building_id: str
    period: str
    uscc: str | None
    amount_cents: int
    reported_at: datetime


@dataclass(frozen=True, slots=True)
class StoredOccupancy:
    building_id: str
    period: str
    reported_at: datetime


def _chunks(items: Iterable[Any]) -> Iterator[list[Any]]:
    """Lists of at most _CHUNK items: one multi-row statement's parameters each."""
    return map(list, batched(items, _CHUNK))


async def stored_tax(session: AsyncSession, record_ids: Sequence[str]) -> dict[str, StoredTax]:
    """record id → what is stored, for the ids already stored."""
    if is_postgres(session):
        conn = await driver_connection(session)
        rows = await conn.fetch(
            "SELECT record_id, building_id, period, uscc, amount_cents, reported_at"
            " FROM tax_record WHERE record_id = ANY($1::text[])",
            list(record_ids),
        )
        return {r[0]: StoredTax(r[1], r[2], r[3], r[4], r[5]) for r in rows}
    table = TaxRecord.__table__  # type: ignore[attr-defined]
    connection = await session.connection()  # Core: no ORM objects on the hot path
    found: dict[str, StoredTax] = {}
    for chunk in _chunks(record_ids):
        result = await connection.execute(
            sa_select(
                table.c.record_id,
                table.c.building_id,
                table.c.period,
                table.c.uscc,
                table.c.amount_cents,
                table.c.reported_at,
            ).where(table.c.record_id.in_(chunk))
        )
        for record_id, building_id, period, uscc, cents, reported_at in result:
            found[record_id] = StoredTax(building_id, period, uscc, cents, reported_at)
    return found


async def stored_occupancy(
    session: AsyncSession, record_ids: Sequence[str]
) -> dict[str, StoredOccupancy]:
    """record id → building, month and report time, for the ids already stored."""
    found: dict[str, StoredOccupancy] = {}
    for chunk in _chunks(record_ids):
        result = await session.exec(
            select(
                OccupancyRecord.record_id,
                OccupancyRecord.building_id,
                OccupancyRecord.period,
                OccupancyRecord.reported_at,
            ).where(col(OccupancyRecord.record_id).in_(chunk))
        )
        for record_id, building_id, period, reported_at in result:
            found[record_id] = StoredOccupancy(building_id, period, reported_at)
    return found


async def insert_rows(session: AsyncSession, table: Any, rows: Sequence[Any]) -> None:
    """Insert new records (named tuples in column order): COPY on PostgreSQL, multi-row INSERTs
    elsewhere."""
    if not rows:
        return
    if is_postgres(session):
        conn = await driver_connection(session)
        await conn.copy_records_to_table(
            table.__tablename__, records=rows, columns=list(rows[0]._fields)
        )
        return
    for chunk in _chunks([row._asdict() for row in rows]):
        await session.exec(insert(table), params=chunk)


async def replace_rows(session: AsyncSession, table: Any, rows: list[dict[str, Any]]) -> None:
    """Overwrite corrected records (更正), matched by their primary key `record_id`."""
    for chunk in _chunks(sorted(rows, key=lambda row: row["record_id"])):
        await session.exec(update(table), params=chunk)


# Deltas are added in one set-based statement on PostgreSQL (unnest of arrays), sorted by key
# so that concurrent writers lock rows in the same order.
_ADD_MONTH_TAX = """
INSERT INTO building_month (building_id, period, tax_cents, tax_records)
SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::int[])
ON CONFLICT (building_id, period) DO UPDATE
SET tax_cents = building_month.tax_cents + EXCLUDED.tax_cents,
    tax_records = building_month.tax_records + EXCLUDED.tax_records
"""
_ADD_YEAR_TAX = """
INSERT INTO building_year (building_id, year, tax_cents)
SELECT * FROM unnest($1::text[], $2::int[], $3::bigint[])
ON CONFLICT (building_id, year) DO UPDATE
SET tax_cents = building_year.tax_cents + EXCLUDED.tax_cents
"""
_ADD_ENTERPRISE_TAX = """
INSERT INTO enterprise_building_year (building_id, uscc, year, tax_cents)
SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::bigint[])
ON CONFLICT (building_id, uscc, year) DO UPDATE
SET tax_cents = enterprise_building_year.tax_cents + EXCLUDED.tax_cents
"""
_MARK_CHANGED = """
INSERT INTO figure_change (building_id, period, seq, changed_at, first_changed_at)
SELECT b, p, 1, $3, $3 FROM unnest($1::text[], $2::text[]) AS t(b, p)
ON CONFLICT (building_id, period) DO UPDATE
SET seq = figure_change.seq + 1, changed_at = EXCLUDED.changed_at
"""


async def _unnest(
    session: AsyncSession, sql: str, rows: list[tuple[Any, ...]], *extra: Any
) -> None:
    """Run a set-based statement whose parameters are `rows`' columns (as arrays), then `extra`."""
    conn = await driver_connection(session)
    await conn.execute(sql, *(list(column) for column in zip(*rows, strict=True)), *extra)


async def add_month_tax(
    session: AsyncSession, deltas: dict[tuple[str, str], tuple[int, int]]
) -> None:
    """building_month.tax_cents += delta (and the record count), creating months as needed."""
    if not deltas:
        return
    items = sorted(deltas.items())
    if is_postgres(session):
        await _unnest(session, _ADD_MONTH_TAX, [(*k, *v) for k, v in items])
        return
    rows = [
        {"building_id": b, "period": p, "tax_cents": cents, "tax_records": count}
        for (b, p), (cents, count) in items
    ]
    statement = dialect_insert(session, BuildingMonth)
    statement = statement.on_conflict_do_update(
        index_elements=["building_id", "period"],
        set_={
            "tax_cents": col(BuildingMonth.tax_cents) + statement.excluded.tax_cents,
            "tax_records": col(BuildingMonth.tax_records) + statement.excluded.tax_records,
        },
    )
    for chunk in _chunks(rows):
        await session.exec(statement, params=chunk)


async def add_year_tax(session: AsyncSession, deltas: dict[tuple[str, int], int]) -> None:
    """building_year.tax_cents += delta."""
    if not deltas:
        return
    items = sorted(deltas.items())
    if is_postgres(session):
        await _unnest(session, _ADD_YEAR_TAX, [(*k, v) for k, v in items])
        return
    rows = [{"building_id": b, "year": y, "tax_cents": c} for (b, y), c in items]
    statement = dialect_insert(session, BuildingYear)
    statement = statement.on_conflict_do_update(
        index_elements=["building_id", "year"],
        set_={"tax_cents": col(BuildingYear.tax_cents) + statement.excluded.tax_cents},
    )
    for chunk in _chunks(rows):
        await session.exec(statement, params=chunk)


async def add_enterprise_tax(
    session: AsyncSession, deltas: dict[tuple[str, str, int], int]
) -> None:
    """enterprise_building_year.tax_cents += delta."""
    if not deltas:
        return
    items = sorted(deltas.items())
    if is_postgres(session):
        await _unnest(session, _ADD_ENTERPRISE_TAX, [(*k, v) for k, v in items])
        return
    rows = [{"building_id": b, "uscc": u, "year": y, "tax_cents": c} for (b, u, y), c in items]
    statement = dialect_insert(session, EnterpriseBuildingYear)
    statement = statement.on_conflict_do_update(
        index_elements=["building_id", "uscc", "year"],
        set_={"tax_cents": col(EnterpriseBuildingYear.tax_cents) + statement.excluded.tax_cents},
    )
    for chunk in _chunks(rows):
        await session.exec(statement, params=chunk)


async def offer_occupancy(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """Let each report become its month's occupancy unless a later report is already there.
    `rows` come in month order (the rollups' lock order), a month's reports oldest first."""
    statement = dialect_insert(session, BuildingMonth)
    excluded = statement.excluded
    statement = statement.on_conflict_do_update(
        index_elements=["building_id", "period"],
        set_={
            "leasable_area_m2": excluded.leasable_area_m2,
            "occupied_area_m2": excluded.occupied_area_m2,
            "enterprise_count": excluded.enterprise_count,
            "occupancy_reported_at": excluded.occupancy_reported_at,
        },
        where=(col(BuildingMonth.occupancy_reported_at).is_(None))
        | (col(BuildingMonth.occupancy_reported_at) <= excluded.occupancy_reported_at),
    )
    for chunk in _chunks(rows):
        await session.exec(statement, params=chunk)


async def recompute_occupancy(session: AsyncSession, pairs: set[tuple[str, str]]) -> None:
    """Rebuild the occupancy of months a correction moved a report away from."""
    for building_id, period in sorted(pairs):
        latest = (
            await session.exec(
                select(OccupancyRecord)
                .where(OccupancyRecord.building_id == building_id, OccupancyRecord.period == period)
                .order_by(col(OccupancyRecord.reported_at).desc())
                .limit(1)
            )
        ).first()
        month = await session.get(BuildingMonth, (building_id, period))
        if month is None:
            continue
        month.leasable_area_m2 = latest.leasable_area_m2 if latest else None
        month.occupied_area_m2 = latest.occupied_area_m2 if latest else None
        month.enterprise_count = latest.enterprise_count if latest else None
        month.occupancy_reported_at = latest.reported_at if latest else None
        session.add(month)


async def mark_changed(session: AsyncSession, pairs: set[tuple[str, str]], now: datetime) -> None:
    """Mark building-months whose figures changed, for the figures worker."""
    if not pairs:
        return
    ordered = sorted(pairs)
    if is_postgres(session):
        await _unnest(session, _MARK_CHANGED, ordered, now)
        return
    rows = [
        {"building_id": b, "period": p, "seq": 1, "changed_at": now, "first_changed_at": now}
        for b, p in ordered
    ]
    statement = dialect_insert(session, FigureChange)
    statement = statement.on_conflict_do_update(
        index_elements=["building_id", "period"],
        set_={"seq": col(FigureChange.seq) + 1, "changed_at": statement.excluded.changed_at},
    )
    for chunk in _chunks(rows):
        await session.exec(statement, params=chunk)


async def insert_dead_letters(
    session: AsyncSession, rows: list[dict[str, Any]]
) -> set[tuple[str, int, int, str]]:
    """Insert dead letters not kept yet; returns (topic, partition, offset, digest) of the new."""
    inserted: set[tuple[str, int, int, str]] = set()
    for row in rows:
        statement = (
            dialect_insert(session, DeadLetter)
            .values(**row)
            .on_conflict_do_nothing(index_elements=["topic", "partition", "offset", "digest"])
            .returning(
                col(DeadLetter.topic),
                col(DeadLetter.partition),
                col(DeadLetter.offset),
                col(DeadLetter.digest),
            )
        )
        inserted.update(tuple(r) for r in (await session.exec(statement)).all())
    return inserted


async def dead_letter_page(
    session: AsyncSession, *, reason: str | None, pending_only: bool, limit: int, offset: int
) -> tuple[list[DeadLetter], int]:
    """Dead letters, newest first."""
    query = select(DeadLetter)
    if reason is not None:
        query = query.where(DeadLetter.reason == reason)
    if pending_only:
        query = query.where(col(DeadLetter.replayed_at).is_(None))
    return await page_of(session, query, col(DeadLetter.id).desc(), limit=limit, offset=offset)


async def pending_dead_letters(
    session: AsyncSession, *, reason: str | None, ids: list[int] | None, limit: int
) -> list[DeadLetter]:
    """Dead letters not yet replayed, oldest first (the order they arrived in)."""
    query = select(DeadLetter).where(col(DeadLetter.replayed_at).is_(None))
    if reason is not None:
        query = query.where(DeadLetter.reason == reason)
    if ids is not None:
        query = query.where(col(DeadLetter.id).in_(ids))
    return list(await session.exec(query.order_by(col(DeadLetter.id)).limit(limit)))
