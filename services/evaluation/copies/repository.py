"""SQL for the tallies of the evaluation's copies."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from policy import building_year_versions_in
from services.evaluation.inputs.models import (
    BuildingCopy,
    BuildingYearCopy,
    EventCopy,
    MovementCopy,
)
from shared import fetch_rows


async def building_versions(session: AsyncSession) -> Sequence[Any]:
    """(district, building id, when the registry last changed it)."""
    b = BuildingCopy
    return await fetch_rows(
        session, sa_select(col(b.district_id), col(b.id), col(b.registry_updated_at))
    )


async def movement_versions(session: AsyncSession) -> Sequence[Any]:
    """(district, record id, version, withdrawn)."""
    m = MovementCopy
    return await fetch_rows(
        session,
        sa_select(col(m.district_id), col(m.record_id), col(m.version), col(m.withdrawn)),
    )


async def event_versions(session: AsyncSession) -> Sequence[Any]:
    """(district, event id, when it last changed)."""
    e = EventCopy
    return await fetch_rows(session, sa_select(col(e.district_id), col(e.id), col(e.updated_at)))


async def building_year_versions(session: AsyncSession) -> Sequence[Any]:
    """(district, building, year, tax, occupancy month) of the years of known buildings."""
    return await building_year_versions_in(session, BuildingYearCopy, BuildingCopy)
