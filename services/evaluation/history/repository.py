"""SQL for the imported tax history."""

from __future__ import annotations

from typing import Any

from sqlalchemy import tuple_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.evaluation.history.models import TaxHistory
from services.evaluation.inputs.models import BuildingCopy, BuildingYearCopy
from shared import batched, dialect_insert

_ROWS_PER_STATEMENT = 1000


async def known_buildings(session: AsyncSession, ids: set[str]) -> set[str]:
    if not ids:
        return set()
    return set(await session.exec(select(BuildingCopy.id).where(col(BuildingCopy.id).in_(ids))))


async def fed_years(session: AsyncSession, keys: list[tuple[str, int]]) -> set[tuple[str, int]]:
    """The (building, year) pairs the feed has monthly records for."""
    if not keys:
        return set()
    y = BuildingYearCopy
    rows = await session.exec(
        select(y.building_id, y.year).where(tuple_(col(y.building_id), col(y.year)).in_(keys))
    )
    return {(b, int(year)) for b, year in rows}


async def imported_years(
    session: AsyncSession, keys: list[tuple[str, int]]
) -> set[tuple[str, int]]:
    """The (building, year) pairs imported before."""
    if not keys:
        return set()
    h = TaxHistory
    rows = await session.exec(
        select(h.building_id, h.year).where(tuple_(col(h.building_id), col(h.year)).in_(keys))
    )
    return {(b, int(year)) for b, year in rows}


async def upsert(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """Store imported totals, replacing earlier imports of the same building and year."""
    statement = dialect_insert(session, TaxHistory)
    statement = statement.on_conflict_do_update(
        index_elements=["building_id", "year"],
        set_={
            k: statement.excluded[k] for k in ("tax_cents", "source", "imported_by", "imported_at")
        },
    )
    for chunk in batched(rows, _ROWS_PER_STATEMENT):
        await session.exec(statement, params=list(chunk))


async def history(session: AsyncSession, building_id: str | None) -> list[TaxHistory]:
    query = select(TaxHistory).order_by(col(TaxHistory.building_id), col(TaxHistory.year))
    if building_id is not None:
        query = query.where(TaxHistory.building_id == building_id)
    return list(await session.exec(query))
