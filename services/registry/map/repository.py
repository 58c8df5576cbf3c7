"""SQL for the map: the boundaries' versions and the located buildings."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, func
from sqlalchemy import select as sa_select
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.registry.buildings.models import Building, BuildingListEntry, FeaturedDesignation
from services.registry.figures.models import BuildingYearCopy
from services.registry.map.models import BoundaryVersion
from shared import fetch_rows


async def latest(session: AsyncSession) -> BoundaryVersion | None:
    """The boundaries in force, if an administrator has replaced the shipped ones."""
    result = await session.exec(
        select(BoundaryVersion).order_by(col(BoundaryVersion.version).desc()).limit(1)
    )
    return result.first()


async def version(session: AsyncSession, number: int) -> BoundaryVersion | None:
    return await session.get(BoundaryVersion, number)


async def versions(session: AsyncSession) -> list[BoundaryVersion]:
    """Every replacement, oldest first."""
    return list(await session.exec(select(BoundaryVersion).order_by(col(BoundaryVersion.version))))


def add(session: AsyncSession, row: BoundaryVersion) -> None:
    session.add(row)


async def located(
    session: AsyncSession, district_id: str | None, year: int
) -> list[dict[str, Any]]:
    """Each standing building with a location (in `district_id`, if given), with its lists, its
    designated industries and its figures for `year`, by id."""
    # Each building's lists and industries grouped once and joined (a subquery per building
    # would run tens of thousands of times).
    lists = _joined(BuildingListEntry.building_id, BuildingListEntry.list_key)
    industries = _joined(FeaturedDesignation.building_id, FeaturedDesignation.industry)
    query = (
        sa_select(
            col(Building.id),
            col(Building.name),
            col(Building.district_id),
            col(Building.location_lng),
            col(Building.location_lat),
            col(Building.gross_floor_area_m2),
            lists.c.joined.label("list_keys"),
            industries.c.joined.label("industry_keys"),
            col(BuildingYearCopy.tax_cents),
            col(BuildingYearCopy.leasable_area_m2),
            col(BuildingYearCopy.occupied_area_m2),
        )
        .outerjoin(lists, lists.c.building_id == col(Building.id))
        .outerjoin(industries, industries.c.building_id == col(Building.id))
        .outerjoin(
            BuildingYearCopy,
            and_(
                col(BuildingYearCopy.building_id) == col(Building.id),
                col(BuildingYearCopy.year) == year,
            ),
        )
        .where(col(Building.location_lng).is_not(None), col(Building.retired_on).is_(None))
        .order_by(col(Building.id))
    )
    if district_id is not None:
        query = query.where(col(Building.district_id) == district_id)
    return [row._asdict() for row in await fetch_rows(session, query)]


def _joined(building_id: Any, value: Any) -> Any:
    """A subquery of each building's values, joined by commas: (building_id, joined)."""
    return (
        sa_select(
            col(building_id).label("building_id"),
            func.aggregate_strings(col(value), ",").label("joined"),
        )
        .group_by(col(building_id))
        .subquery()
    )
