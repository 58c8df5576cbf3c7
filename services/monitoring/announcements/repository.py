"""SQL for the building-years' tallies and their re-announcement."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from policy import building_year_versions_in
from services.monitoring.buildings.models import BuildingCopy
from services.monitoring.figures.models import BuildingMonth, BuildingYear
from shared import fetch_rows


async def building_year_versions(session: AsyncSession) -> Sequence[Any]:
    """(district, building, year, tax, occupancy month) of the years of known buildings."""
    return await building_year_versions_in(session, BuildingYear, BuildingCopy)


async def building_months(
    session: AsyncSession, after: str, buildings: int
) -> tuple[list[str], set[tuple[str, str]]]:
    """The next `buildings` building ids after `after` that have months, and their months."""
    m = BuildingMonth
    ids = [
        row[0]
        for row in await fetch_rows(
            session,
            sa_select(col(m.building_id))
            .where(col(m.building_id) > after)
            .group_by(col(m.building_id))
            .order_by(col(m.building_id))
            .limit(buildings),
        )
    ]
    if not ids:
        return [], set()
    pairs = await fetch_rows(
        session,
        sa_select(col(m.building_id), col(m.period)).where(col(m.building_id).in_(ids)),
    )
    return ids, {(b, p) for b, p in pairs}


async def building_versions(session: AsyncSession) -> Sequence[Any]:
    """(district, building id, when the registry last changed it) of monitoring's copy."""
    b = BuildingCopy
    return await fetch_rows(
        session, sa_select(col(b.district_id), col(b.id), col(b.registry_updated_at))
    )
