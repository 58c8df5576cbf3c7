"""Building series and district summaries from the rollups; role-scoped, amounts exact."""

from __future__ import annotations

from datetime import date

from sqlmodel.ext.asyncio.session import AsyncSession

from policy import TIER_LINES_CENTS, district_ids, format_cents, parse_cents, per_m2_cny
from services.monitoring.buildings import repository as buildings
from services.monitoring.figures import repository
from services.monitoring.figures.models import BuildingMonth
from services.monitoring.figures.periods import compared_months, months_label
from services.monitoring.figures.schemas import (
    AreaSeries,
    BuildingSeries,
    CityDistrictLine,
    CitySummary,
    CityTiers,
    CityTotals,
    ComparedMonths,
    DistrictSummary,
    KnownYears,
    MonthFigures,
    TierBuilding,
    TierBuildings,
    TierCounts,
    YearOnYear,
    YearOnYearMonth,
)
from shared import FieldError, NotFound, Principal, ValidationFailed, beijing_today

LINES = tuple(TIER_LINES_CENTS.values())


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
) -> DistrictSummary:
    """A district's occupancy, tax, tax per m² and tier buildings for a year."""
    if district_id not in district_ids():
        raise NotFound(f"No district {district_id!r}.")
    principal.ensure_read(district_id)
    figures = await repository.district_years(session, year, LINES, district_id)
    return summary_of(district_id, year, figures[district_id])


def summary_of(district_id: str, year: int, figures: repository.DistrictYear) -> DistrictSummary:
    """A district's year as the API shows it, from its figures (pure)."""
    total = figures.tax_cents
    per_m2 = per_m2_cny(total, figures.gross_floor_area_m2)

    def over(line_cents: int) -> list[str]:
        return sorted(figures.over.get(line_cents, []))

    return DistrictSummary(
        district_id=district_id,
        year=year,
        occupancy_rate=figures.occupied_m2 / figures.leasable_m2
        if figures.leasable_m2 > 0
        else None,
        tax_total_cny=format_cents(total),
        tax_per_m2_cny=per_m2,
        buildings_over=TierBuildings.model_validate(
            {tier: over(line) for tier, line in TIER_LINES_CENTS.items()}
        ),
    )


def _counts(tiers: TierBuildings) -> TierCounts:
    return TierCounts.model_validate(
        {"100m": len(tiers.over_100m), "500m": len(tiers.over_500m), "1b": len(tiers.over_1b)}
    )


async def known_years(session: AsyncSession) -> KnownYears:
    """The years with figures, the latest of them, and this year."""
    years = await repository.years_with_data(session)
    return KnownYears(
        years=years, latest_with_data=years[-1] if years else None, current=beijing_today().year
    )


def compared(months: int, year: int, on: date) -> ComparedMonths:
    """The months a 同比 of `year` covers, as the API names them."""
    complete = year < on.year
    return ComparedMonths(
        complete=complete,
        months=list(range(1, months + 1)),
        label=months_label(months, complete),
    )


async def city_summary(session: AsyncSession, principal: Principal, year: int) -> CitySummary:
    """Every district's year beside the same months of the previous one, and the city's totals;
    a district key sees its own line and the city's totals."""
    lines = []
    occupied = leasable = 0.0
    on = beijing_today()
    months = compared_months(year, await repository.latest_tax_period(session, year), on)
    years = await repository.district_years(session, year, LINES)
    # A year over is compared whole (its kept yearly figures); one in progress, month by month.
    same_months: dict[str, int] | None = None
    if months == 0:
        same_months = {}
    elif months < 12:
        same_months = await repository.district_tax_between(
            session, f"{year - 1}-01", f"{year - 1}-{months:02d}"
        )
    for district_id in district_ids():
        figures = years[district_id]
        line = summary_of(district_id, year, figures)
        occupied += figures.occupied_m2
        leasable += figures.leasable_m2
        prev = figures.tax_prev_cents if same_months is None else same_months.get(district_id, 0)
        lines.append(
            CityDistrictLine(
                **line.model_dump(),
                tax_total_prev_cny=format_cents(prev),
                buildings_over_counts=_counts(line.buildings_over),
            )
        )
    tax = sum(parse_cents(line.tax_total_cny) for line in lines)
    prev = sum(parse_cents(line.tax_total_prev_cny) for line in lines)
    counts = [line.buildings_over_counts for line in lines]
    city = CityTotals(
        tax_total_cny=format_cents(tax),
        tax_total_prev_cny=format_cents(prev),
        occupancy_rate=occupied / leasable if leasable > 0 else None,
        buildings_over_counts=TierCounts.model_validate(
            {
                "100m": sum(c.over_100m for c in counts),
                "500m": sum(c.over_500m for c in counts),
                "1b": sum(c.over_1b for c in counts),
            }
        ),
    )
    visible = [line for line in lines if principal.can_read(line.district_id)]
    return CitySummary(year=year, districts=visible, city=city, compared=compared(months, year, on))


async def area_series(
    session: AsyncSession,
    principal: Principal,
    district_id: str | None,
    first: str | None,
    last: str | None,
) -> AreaSeries:
    """A district's months (or the city's, which every caller may read), summed."""
    if first and last and first > last:
        raise ValidationFailed(
            "`from` is after `to`.", errors=[FieldError(field="from", message="is after `to`")]
        )
    if district_id is not None:
        if district_id not in district_ids():
            raise NotFound(f"No district {district_id!r}.")
        principal.ensure_read(district_id)
    rows = await repository.area_months(session, district_id, first, last)
    return AreaSeries(
        district_id=district_id,
        months=[
            MonthFigures(
                period=row.period,
                leasable_area_m2=row.leasable_area_m2,
                occupied_area_m2=row.occupied_area_m2,
                occupancy_rate=row.occupied_area_m2 / row.leasable_area_m2
                if row.leasable_area_m2 and row.occupied_area_m2 is not None
                else None,
                enterprise_count=row.enterprise_count,
                tax_total_cny=format_cents(row.tax_cents),
            )
            for row in rows
            if row.leasable_area_m2 is not None or row.tax_records > 0
        ],
    )


def _change(now: int, before: int) -> float | None:
    return (now - before) / before if before else None


def _rate(month: repository.AreaMonth | None) -> float | None:
    if month is None or not month.leasable_area_m2 or month.occupied_area_m2 is None:
        return None
    return month.occupied_area_m2 / month.leasable_area_m2


async def year_on_year(
    session: AsyncSession, principal: Principal, district_id: str | None, year: int
) -> YearOnYear:
    """Each month of the year beside the same month of the previous year, and the totals."""
    if district_id is not None:
        if district_id not in district_ids():
            raise NotFound(f"No district {district_id!r}.")
        principal.ensure_read(district_id)
    rows = await repository.area_months(session, district_id, f"{year - 1}-01", f"{year}-12")
    by_period = {row.period: row for row in rows if row.tax_records or row.leasable_area_m2}
    on = beijing_today()
    with_tax = [r.period for r in rows if r.period.startswith(f"{year}-") and r.tax_records]
    through = compared_months(year, max(with_tax, default=None), on)
    months = []
    for month in range(1, 13):
        now = by_period.get(f"{year}-{month:02d}")
        before = by_period.get(f"{year - 1}-{month:02d}")
        tax, tax_before = (now.tax_cents if now else None), (before.tax_cents if before else None)
        months.append(
            YearOnYearMonth(
                month=month,
                tax_total_cny=None if tax is None else format_cents(tax),
                tax_total_prev_cny=None if tax_before is None else format_cents(tax_before),
                tax_change=None if tax is None else _change(tax, tax_before or 0),
                occupancy_rate=_rate(now),
                occupancy_rate_prev=_rate(before),
            )
        )
    total = sum(r.tax_cents for r in rows if r.period.startswith(f"{year}-"))
    total_before = sum(
        r.tax_cents
        for r in rows
        if r.period.startswith(f"{year - 1}-") and int(r.period[5:7]) <= through
    )
    return YearOnYear(
        district_id=district_id,
        year=year,
        months=months,
        tax_total_cny=format_cents(total),
        tax_total_prev_cny=format_cents(total_before),
        tax_change=_change(total, total_before),
        compared=compared(through, year, on),
    )


async def city_tiers(session: AsyncSession, principal: Principal, year: int) -> CityTiers:
    """The buildings above each tier city-wide; a district key sees its own district's (a
    building's yearly tax is for the administrator, the supervision office and its district)."""
    district = None if principal.reads_everything else (principal.district_id or "-")
    lowest = min(TIER_LINES_CENTS.values())
    rows = await repository.buildings_above(session, year, lowest, district)

    def above(line: int) -> list[TierBuilding]:
        return [
            TierBuilding(building_id=i, name=n, district_id=d, tax_total_cny=format_cents(t))
            for i, n, d, t in rows
            if t > line
        ]

    return CityTiers.model_validate(
        {"year": year, **{tier: above(line) for tier, line in TIER_LINES_CENTS.items()}}
    )
