"""SQL for coverage: registered buildings by district, size and status."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.evaluation.inputs.models import BuildingCopy
from shared import fetch_rows


async def large_buildings(
    session: AsyncSession, min_floor_area_m2: float
) -> list[tuple[str, str, int]]:
    """(district, status, how many) of the buildings not retired of at least that size."""
    b = BuildingCopy
    rows = await fetch_rows(
        session,
        select(b.district_id, b.status, func.count())
        .where(col(b.gross_floor_area_m2) >= min_floor_area_m2, col(b.retired_on).is_(None))
        .group_by(col(b.district_id), col(b.status)),
    )
    return [(district, status, int(count)) for district, status, count in rows]
