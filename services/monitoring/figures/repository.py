"""SQL for reading the rollups and for the figures worker's change marks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import and_, delete, func, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.monitoring.buildings.models import KnownBuilding
from services.monitoring.figures.models import BuildingMonth, BuildingYear, FigureChange


async def months(
    session: AsyncSession, building_id: str, first: str | None, last: str | None
) -> list[BuildingMonth]:
    """A building's months with data between `first` and `last` (YYYY-MM, inclusive)."""
    query = select(BuildingMonth).where(BuildingMonth.building_id == building_id)
    if first is not None:
        query = query.where(col(BuildingMonth.period) >= first)
    if last is not None:
        query = query.where(col(BuildingMonth.period) <= last)
    return list(await session.exec(query.order_by(col(BuildingMonth.period))))


async def months_of_buildings(
    session: AsyncSession, building_ids: Sequence[str], first: str, last: str
) -> list[BuildingMonth]:
    """Months of several buildings within a range (the worker's view)."""
    found: list[BuildingMonth] = []
    for start in range(0, len(building_ids), 2000):
        query = select(BuildingMonth).where(
            col(BuildingMonth.building_id).in_(building_ids[start : start + 2000]),
            col(BuildingMonth.period) >= first,
            col(BuildingMonth.period) <= last,
        )
        found.extend(await session.exec(query))
    return found


@dataclass(frozen=True, slots=True)
class DistrictYear:
    """What a district summary is computed from."""

    gross_floor_area_m2: float
    tax_cents_by_building: dict[str, int]
    occupied_m2: float
    leasable_m2: float


async def district_year(session: AsyncSession, district_id: str, year: int) -> DistrictYear:
    """Tax per building, floor area and latest-month occupancy of a district's year."""
    in_district = select(KnownBuilding.id).where(KnownBuilding.district_id == district_id)
    area = (
        await session.exec(
            select(func.coalesce(func.sum(KnownBuilding.gross_floor_area_m2), 0.0)).where(
                KnownBuilding.district_id == district_id
            )
        )
    ).one()
    taxes = await session.exec(
        select(BuildingYear.building_id, BuildingYear.tax_cents).where(
            BuildingYear.year == year, col(BuildingYear.building_id).in_(in_district)
        )
    )
    # Each building's latest month of the year that has an occupancy report.
    latest = (
        select(BuildingMonth.building_id, func.max(BuildingMonth.period).label("period"))
        .where(
            col(BuildingMonth.building_id).in_(in_district),
            col(BuildingMonth.period).like(f"{year}-%"),
            col(BuildingMonth.leasable_area_m2).is_not(None),
        )
        .group_by(col(BuildingMonth.building_id))
        .subquery()
    )
    occupied, leasable = (
        await session.exec(
            select(
                func.coalesce(func.sum(BuildingMonth.occupied_area_m2), 0.0),
                func.coalesce(func.sum(BuildingMonth.leasable_area_m2), 0.0),
            ).join(
                latest,
                and_(
                    col(BuildingMonth.building_id) == latest.c.building_id,
                    col(BuildingMonth.period) == latest.c.period,
                ),
            )
        )
    ).one()
    return DistrictYear(
        float(area or 0), dict(taxes.all()), float(occupied or 0), float(leasable or 0)
    )


async def take_changes(session: AsyncSession, limit: int) -> list[FigureChange]:
    """The oldest change marks."""
    query = select(FigureChange).order_by(col(FigureChange.changed_at)).limit(limit)
    return list(await session.exec(query))


async def clear_changes(session: AsyncSession, changes: Sequence[FigureChange]) -> None:
    """Remove marks that were not changed again since they were read."""
    for start in range(0, len(changes), 1000):
        part = changes[start : start + 1000]
        await session.exec(
            delete(FigureChange).where(
                or_(
                    *(
                        and_(
                            col(FigureChange.building_id) == c.building_id,
                            col(FigureChange.period) == c.period,
                            col(FigureChange.seq) == c.seq,
                        )
                        for c in part
                    )
                )
            )
        )
