"""SQL for the registry's tallies and its re-announcements."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.registry.buildings.models import Building
from services.registry.movements.models import Movement
from shared import fetch_rows


async def building_versions(session: AsyncSession) -> Sequence[Any]:
    """(district, building id, when it last changed) of every building."""
    b = Building
    return await fetch_rows(session, sa_select(col(b.district_id), col(b.id), col(b.updated_at)))


async def movement_versions(session: AsyncSession) -> Sequence[Any]:
    """(district, record id, version, withdrawn at) of every movement record."""
    m = Movement
    return await fetch_rows(
        session,
        sa_select(col(m.district_id), col(m.record_id), col(m.version), col(m.withdrawn_at)),
    )


async def building_ids(session: AsyncSession, after: str, limit: int) -> list[str]:
    """The next `limit` building ids after `after`, in id order."""
    query = sa_select(col(Building.id)).where(col(Building.id) > after).order_by(col(Building.id))
    return [row[0] for row in await fetch_rows(session, query.limit(limit))]


async def movements_after(
    session: AsyncSession, after: tuple[str, str], limit: int
) -> list[Movement]:
    """The next `limit` movement records after (district, record id), in that order."""
    m = Movement
    later = (col(m.district_id) > after[0]) | (
        (col(m.district_id) == after[0]) & (col(m.record_id) > after[1])
    )
    query = select(m).where(later).order_by(col(m.district_id), col(m.record_id)).limit(limit)
    return list(await session.exec(query))
