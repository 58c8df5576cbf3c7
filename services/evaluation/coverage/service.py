"""Coverage: each district's registered office buildings of 10,000 m² or more against Annex 1's
2022 count, so that the 督查室 sees whether the figures cover the buildings the plan is about."""

from __future__ import annotations

from collections import defaultdict

from sqlmodel.ext.asyncio.session import AsyncSession

from policy import districts
from services.evaluation.coverage import repository
from services.evaluation.coverage.schemas import Coverage, DistrictCoverage
from shared import Principal

MIN_FLOOR_AREA_M2 = 10_000.0  # Annex 1 counts 万㎡以上商务楼宇
STANDING = ("operating", "renovating")


async def registered(session: AsyncSession) -> dict[str, dict[bool, int]]:
    """district → {standing?: count} of registered buildings of at least 10,000 m²."""
    counts: dict[str, dict[bool, int]] = defaultdict(lambda: {True: 0, False: 0})
    for district_id, status, count in await repository.large_buildings(session, MIN_FLOOR_AREA_M2):
        counts[district_id][status in STANDING] += count
    return counts


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


async def coverage(session: AsyncSession, principal: Principal | None) -> Coverage:
    """The coverage; a district key sees its own line beside the city's totals."""
    counts = await registered(session)
    lines = [
        DistrictCoverage(
            district_id=d.district_id,
            name=d.name_zh,
            annex_1_count=d.office_buildings_over_10k_m2_2022,
            registered=counts[d.district_id][True],
            registered_in_pipeline=counts[d.district_id][False],
            share=_share(counts[d.district_id][True], d.office_buildings_over_10k_m2_2022),
            missing=max(d.office_buildings_over_10k_m2_2022 - counts[d.district_id][True], 0),
        )
        for d in districts()
    ]
    annex = sum(line.annex_1_count for line in lines)
    standing = sum(line.registered for line in lines)
    if principal is not None and not principal.reads_everything:
        lines = [line for line in lines if line.district_id == principal.district_id]
    return Coverage(
        min_floor_area_m2=MIN_FLOOR_AREA_M2,
        districts=lines,
        annex_1_count=annex,
        registered=standing,
        share=_share(standing, annex),
    )
