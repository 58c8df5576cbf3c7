"""City-wide views of enterprises (CONTRACT §11): tenants by GB/T 4754-2017 section or division
(by count and leased area; never by tax, which stays confidential), and monthly flows of
move-ins and move-outs. A district key sees its own district; the others, any or all."""

from __future__ import annotations

from collections import defaultdict

from sqlmodel.ext.asyncio.session import AsyncSession

from services.registry.enterprises import repository
from services.registry.enterprises.schemas import IndustryGroup, IndustryLevel, MonthFlow
from shared import NotFound, Principal
from shared.reference import district_ids, industries


async def industry_structure(
    session: AsyncSession, principal: Principal, district_id: str | None, level: IndustryLevel
) -> list[IndustryGroup]:
    """Tenants grouped by section or division, largest group first; tenants whose industry was
    never reported (or is reported only as a section, for divisions) are left out."""
    if district_id is not None and district_id not in district_ids():
        raise NotFound(f"No district {district_id!r}.")
    district = principal.visible_district(district_id)
    reference = industries()
    counts: dict[str, int] = defaultdict(int)
    areas: dict[str, float] = defaultdict(float)
    for code, area in await repository.active_industries(session, district):
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
    for day, kind, count in await repository.movements_by_day(session, year, district, codes):
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
