"""SQL for early warnings."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.monitoring.buildings.models import BuildingCopy
from services.monitoring.figures.models import BuildingMonth, EnterpriseBuildingYear
from services.monitoring.warnings.models import EarlyWarning, WarningSetting, WarningStep
from shared import dialect_insert
from shared.params import page_of


async def raise_once(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """Insert warnings; one already raised for the same building, kind and reference stays."""
    if not rows:
        return
    statement = dialect_insert(session, EarlyWarning).on_conflict_do_nothing(
        index_elements=["building_id", "kind", "reference"]
    )
    await session.exec(statement, params=rows)


async def page(
    session: AsyncSession,
    *,
    district_id: str | None,
    kind: str | None,
    acknowledged: bool | None,
    limit: int,
    offset: int,
    closed: bool | None = None,
    hidden_kinds: frozenset[str] = frozenset(),
) -> tuple[list[EarlyWarning], int]:
    """Warnings, newest first (none of `hidden_kinds`)."""
    query = select(EarlyWarning)
    if hidden_kinds:
        query = query.where(col(EarlyWarning.kind).not_in(sorted(hidden_kinds)))
    if district_id is not None:
        query = query.where(EarlyWarning.district_id == district_id)
    if kind is not None:
        query = query.where(EarlyWarning.kind == kind)
    if acknowledged is not None:
        acked = col(EarlyWarning.acknowledged_at)
        query = query.where(acked.is_not(None) if acknowledged else acked.is_(None))
    if closed is not None:
        shut = col(EarlyWarning.closed_at)
        query = query.where(shut.is_not(None) if closed else shut.is_(None))
    return await page_of(
        session,
        query,
        col(EarlyWarning.created_at).desc(),
        col(EarlyWarning.id).desc(),
        limit=limit,
        offset=offset,
    )


async def get(session: AsyncSession, warning_id: int) -> EarlyWarning | None:
    return await session.get(EarlyWarning, warning_id)


async def enterprise_tax(
    session: AsyncSession, building_id: str, uscc: str, years: list[int]
) -> int:
    """The enterprise's largest yearly tax in the building over `years`, in fen (internal only)."""
    result = await session.exec(
        select(func.max(EnterpriseBuildingYear.tax_cents)).where(
            EnterpriseBuildingYear.building_id == building_id,
            EnterpriseBuildingYear.uscc == uscc,
            col(EnterpriseBuildingYear.year).in_(years),
        )
    )
    return int(result.one() or 0)


async def latest_setting(session: AsyncSession) -> WarningSetting | None:
    newest = select(WarningSetting).order_by(col(WarningSetting.id).desc()).limit(1)
    rows = await session.exec(newest)
    return rows.first()


async def add_setting(session: AsyncSession, setting: WarningSetting) -> WarningSetting:
    session.add(setting)
    await session.flush()
    return setting


async def settings_history(session: AsyncSession) -> list[WarningSetting]:
    return list(await session.exec(select(WarningSetting).order_by(col(WarningSetting.id))))


async def add_step(session: AsyncSession, step: WarningStep) -> None:
    session.add(step)
    await session.flush()


async def save(session: AsyncSession, warning: EarlyWarning) -> None:
    session.add(warning)
    await session.flush()


async def steps(session: AsyncSession, warning_id: int) -> list[WarningStep]:
    rows = await session.exec(
        select(WarningStep)
        .where(WarningStep.warning_id == warning_id)
        .order_by(col(WarningStep.id))
    )
    return list(rows)


def _reported(feed: str) -> Any:
    m = BuildingMonth
    return col(m.tax_records) > 0 if feed == "tax" else col(m.occupancy_reported_at).is_not(None)


async def latest_shared_period(session: AsyncSession, feed: str) -> str | None:
    """The latest month at least two buildings reported on the feed (tax or occupancy)."""
    m = BuildingMonth
    row = await session.exec(
        select(m.period)
        .where(_reported(feed))
        .group_by(col(m.period))
        .having(func.count() >= 2)
        .order_by(col(m.period).desc())
        .limit(1)
    )
    return row.first()


async def stopped_reporting(
    session: AsyncSession, feed: str, period: str, previous: str
) -> list[tuple[str, str, str]]:
    """(building, district, name) of the buildings that reported on the feed in `previous` and
    not in `period`."""
    m, b = BuildingMonth, BuildingCopy
    later = select(m.building_id).where(col(m.period) == period, _reported(feed))
    rows = await session.exec(
        select(b.id, b.district_id, b.name)
        .join(m, col(m.building_id) == col(b.id))
        .where(col(m.period) == previous, _reported(feed), col(b.id).not_in(later))
        .order_by(col(b.id))
    )
    return [(i, d, n) for i, d, n in rows]
