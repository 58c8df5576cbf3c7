"""SQL for the registry's copy of building-years."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from policy import building_year_versions_in
from services.registry.buildings.models import Building
from services.registry.figures.models import BuildingYearCopy


async def building_year_versions(session: AsyncSession) -> Sequence[Any]:
    """(district, building, year, tax, occupancy month) of the years of registered buildings."""
    return await building_year_versions_in(session, BuildingYearCopy, Building)
