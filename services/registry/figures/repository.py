"""SQL for the registry's copy of building-years."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from services.registry.buildings.models import Building
from services.registry.figures.models import BuildingYearCopy
from shared import fetch_rows


async def building_year_versions(session: AsyncSession) -> Sequence[Any]:
    """(district, building, year, tax, occupancy month) of the years of registered buildings."""
    y, b = BuildingYearCopy, Building
    return await fetch_rows(
        session,
        sa_select(
            col(b.district_id),
            col(y.building_id),
            col(y.year),
            col(y.tax_cents),
            col(y.occupancy_period),
        ).join(b, col(b.id) == col(y.building_id)),
    )
