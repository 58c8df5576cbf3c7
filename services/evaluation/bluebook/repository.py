"""SQL for the blue book's city-wide lists and monthly trends."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from services.evaluation.bluebook.models import BookRendition
from services.evaluation.inputs.models import (
    BuildingCopy,
    BuildingYearCopy,
    DesignationCopy,
    EventCopy,
)
from shared import fetch_rows, year_bounds


async def designations(session: AsyncSession) -> Sequence[Any]:
    """(district, building, name, industry, date) of every featured designation in force."""
    b, d = BuildingCopy, DesignationCopy
    return await fetch_rows(
        session,
        sa_select(col(b.district_id), col(b.id), col(b.name), col(d.industry), col(d.designated_on))
        .join(d, col(d.building_id) == col(b.id))
        .order_by(col(d.designated_on)),
    )


async def months_of_year(session: AsyncSession, year: int) -> Sequence[Any]:
    """The monthly figures of every building for the year (JSON per building)."""
    y = BuildingYearCopy
    return await fetch_rows(session, sa_select(col(y.months)).where(col(y.year) == year))


async def events_held(session: AsyncSession, year: int) -> Sequence[Any]:
    """(start, kind, scope, district, title) of the events held in the year that count:
    verified, not voided (a publication counts only verified inputs)."""
    e = EventCopy
    start, end = year_bounds(year)
    return await fetch_rows(
        session,
        sa_select(col(e.starts_at), col(e.kind), col(e.scope), col(e.district_id), col(e.title))
        .where(
            col(e.status) == "held",
            col(e.review_state) == "verified",
            col(e.voided).is_(False),
            col(e.starts_at) >= start,
            col(e.starts_at) < end,
        )
        .order_by(col(e.starts_at)),
    )


async def city_totals(session: AsyncSession) -> tuple[int, float]:
    """(buildings, Σ gross floor area)."""
    b = BuildingCopy
    rows = await fetch_rows(
        session, sa_select(func.count(), func.coalesce(func.sum(b.gross_floor_area_m2), 0.0))
    )
    count, area = rows[0]
    return int(count), float(area)


async def rendition(
    session: AsyncSession, publication_id: int, edition: str, format: str
) -> BookRendition | None:
    """The kept rendition of a publication's book in one edition and format, if any."""
    return await session.get(BookRendition, (publication_id, edition, format))


async def keep_rendition(session: AsyncSession, kept: BookRendition) -> BookRendition:
    """Keep a rendition, replacing an older one of the same publication, edition and format."""
    kept = await session.merge(kept)
    await session.flush()
    return kept
