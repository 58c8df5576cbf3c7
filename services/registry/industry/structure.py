"""City-wide views of enterprises: tenants by GB/T 4754-2017 section or division
(by count and leased area; never by tax, which stays confidential), and monthly flows of
move-ins and move-outs. A district key sees its own district; the others, any or all."""

from __future__ import annotations

from collections import defaultdict

from sqlmodel.ext.asyncio.session import AsyncSession

from policy import FeaturedIndustry, district_ids, featured_industry_of, industries
from services.registry.buildings import repository as buildings
from services.registry.industry.schemas import (
    FeaturedShare,
    FeaturedShares,
    IndustryGroup,
    IndustryLevel,
    MonthFlow,
)
from services.registry.movements import repository as movements
from services.registry.tenancy import repository as tenancies
from shared import NotFound, Principal


async def _tenants(
    session: AsyncSession,
    principal: Principal,
    district_id: str | None,
    building_id: str | None,
) -> list[tuple[str | None, float | None]]:
    """(code, area) of the current tenants the caller asked for and may read: of one building
    (its district must be readable), of a district, or of every district the caller reads."""
    if district_id is not None and district_id not in district_ids():
        raise NotFound(f"No district {district_id!r}.")
    if building_id is not None:
        building = await buildings.get(session, building_id)
        if building is None:
            raise NotFound(f"No building {building_id!r}.")
        principal.ensure_read(building.district_id)
        return await tenancies.active_industries(session, None, building_id)
    return await tenancies.active_industries(session, principal.visible_district(district_id))


async def industry_structure(
    session: AsyncSession,
    principal: Principal,
    district_id: str | None,
    level: IndustryLevel,
    building_id: str | None = None,
) -> list[IndustryGroup]:
    """Tenants grouped by section or division, largest group first; tenants whose industry was
    never reported (or is reported only as a section, for divisions) are left out."""
    reference = industries()
    counts: dict[str, int] = defaultdict(int)
    areas: dict[str, float] = defaultdict(float)
    for code, area in await _tenants(session, principal, district_id, building_id):
        ref = reference.get(code or "")
        group = (
            None
            if ref is None
            else (ref.section if level is IndustryLevel.section else ref.division)
        )
        if not group:
            continue
        counts[group] += 1
        areas[group] += area or 0.0
    groups = [
        IndustryGroup(
            code=code,
            name_zh=reference[code].name_zh,
            enterprises=counts[code],
            area_m2=round(areas[code], 2),
        )
        for code in counts
    ]
    return sorted(groups, key=lambda g: (-g.enterprises, g.code))


async def featured_shares(
    session: AsyncSession,
    principal: Principal,
    district_id: str | None,
    building_id: str | None = None,
) -> FeaturedShares:
    """The six featured industries' shares of the current tenants, by enterprises and by leased
    area (tenants with a reported industry code; never by tax)."""
    tenants = [
        (code, area or 0.0)
        for code, area in await _tenants(session, principal, district_id, building_id)
        if code
    ]
    enterprises = len(tenants)
    area = sum(a for _, a in tenants)
    counts: dict[FeaturedIndustry, int] = defaultdict(int)
    areas: dict[FeaturedIndustry, float] = defaultdict(float)
    for code, leased in tenants:
        industry = featured_industry_of(code)
        if industry is not None:
            counts[industry] += 1
            areas[industry] += leased
    return FeaturedShares(
        enterprises=enterprises,
        area_m2=round(area, 2),
        industries=[
            FeaturedShare(
                industry=industry,
                enterprises=counts[industry],
                enterprise_share=counts[industry] / enterprises if enterprises else None,
                area_m2=round(areas[industry], 2),
                area_share=areas[industry] / area if area else None,
            )
            for industry in FeaturedIndustry
        ],
    )


async def flows(
    session: AsyncSession,
    principal: Principal,
    year: int,
    district_id: str | None,
    section: str | None = None,
) -> list[MonthFlow]:
    """Every month of the year: move-ins, move-outs and their difference."""
    if district_id is not None and district_id not in district_ids():
        raise NotFound(f"No district {district_id!r}.")
    district = principal.visible_district(district_id)
    moves: dict[tuple[int, str], int] = defaultdict(int)
    codes = (
        None
        if section is None
        else sorted(code for code, ref in industries().items() if ref.section == section)
    )
    for day, kind, count in await movements.movements_by_day(session, year, district, codes):
        moves[(day.month, kind)] += count
    return [
        MonthFlow(
            period=f"{year}-{month:02d}",
            move_in=moves[(month, "move_in")],
            move_out=moves[(month, "move_out")],
            net=moves[(month, "move_in")] - moves[(month, "move_out")],
        )
        for month in range(1, 13)
    ]
