"""Building series and district summaries from the rollups; role-scoped, amounts exact."""

from __future__ import annotations

from decimal import Decimal

from sqlmodel.ext.asyncio.session import AsyncSession

from services.monitoring.buildings import repository as buildings
from services.monitoring.figures import repository
from services.monitoring.figures.models import BuildingMonth
from services.monitoring.figures.schemas import (
    BuildingSeries,
    DistrictSummary,
    MonthFigures,
    TierBuildings,
)
from shared import FieldError, NotFound, Principal, ValidationFailed, format_cents, round_half_up
from shared.reference import district_ids


def month_figures(month: BuildingMonth) -> MonthFigures:
    """A rollup row as the API shows it."""
    leasable, occupied = month.leasable_area_m2, month.occupied_area_m2
    return MonthFigures(
        period=month.period,
        leasable_area_m2=leasable,
        occupied_area_m2=occupied,
        occupancy_rate=occupied / leasable if leasable and occupied is not None else None,
        enterprise_count=month.enterprise_count,
        tax_total_cny=format_cents(month.tax_cents),
    )


def _has_data(month: BuildingMonth) -> bool:
    return month.leasable_area_m2 is not None or month.tax_records > 0


async def series(
    session: AsyncSession,
    principal: Principal,
    building_id: str,
    first: str | None,
    last: str | None,
) -> BuildingSeries:
    """A building's months with data, for callers who may read its district."""
    if first and last and first > last:
        raise ValidationFailed(
            "`from` is after `to`.", errors=[FieldError(field="from", message="is after `to`")]
        )
    building = await buildings.get(session, building_id)
    if building is None:
        raise NotFound(f"No building with id {building_id!r} has been announced by the registry.")
    principal.ensure_read(building.district_id)
    rows = await repository.months(session, building_id, first, last)
    return BuildingSeries(
        building_id=building_id, months=[month_figures(m) for m in rows if _has_data(m)]
    )


async def district_summary(
    session: AsyncSession,
    principal: Principal,
    district_id: str,
    year: int,
    tiers: tuple[int, int, int],
) -> DistrictSummary:
    """A district's occupancy, tax, tax per m² and tier buildings for a year."""
    if district_id not in district_ids():
        raise NotFound(f"No district {district_id!r}.")
    principal.ensure_read(district_id)
    figures = await repository.district_year(session, district_id, year)
    total = sum(figures.tax_cents_by_building.values())
    per_m2 = (
        str(round_half_up(Decimal(total) / 100 / Decimal(str(figures.gross_floor_area_m2))))
        if figures.gross_floor_area_m2 > 0
        else None
    )

    def over(threshold_cny: int) -> list[str]:
        return sorted(
            b for b, cents in figures.tax_cents_by_building.items() if cents > threshold_cny * 100
        )

    return DistrictSummary(
        district_id=district_id,
        year=year,
        occupancy_rate=figures.occupied_m2 / figures.leasable_m2
        if figures.leasable_m2 > 0
        else None,
        tax_total_cny=format_cents(total),
        tax_per_m2_cny=per_m2,
        buildings_over=TierBuildings.model_validate(
            {"100m": over(tiers[0]), "500m": over(tiers[1]), "1b": over(tiers[2])}
        ),
    )
