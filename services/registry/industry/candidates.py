"""Featured-industry candidates: buildings where one featured industry holds at least the
threshold share of tenant enterprises or of their leased area (产业特色楼宇候选)."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from policy import FeaturedIndustry
from services.registry.buildings import repository as buildings
from services.registry.industry import repository
from services.registry.industry.schemas import CandidatePage, FeaturedCandidate, IndustryShare
from services.registry.tenancy import repository as tenancies
from services.registry.tenancy.models import ALL_TENANTS
from shared import Principal


def shares(tally: dict[str, tuple[int, int]]) -> list[IndustryShare]:
    """Each featured industry's share of a building's tenants, by count and by leased area, from
    its tally (industry → tenants and their leased dm²; ALL_TENANTS for every tenant)."""
    total_count, total_area = tally.get(ALL_TENANTS, (0, 0))
    found = []
    for industry in FeaturedIndustry:
        count, area = tally.get(industry, (0, 0))
        if count:
            found.append(
                IndustryShare(
                    industry=industry,
                    enterprises=count,
                    enterprise_share=count / total_count if total_count else 0.0,
                    leased_area_m2=area / 100,
                    area_share=area / total_area if total_area else 0.0,
                )
            )
    return found


def reaches(part: int, whole: int, threshold: float) -> bool:
    """Whether `part` of `whole` is at least the threshold share (as the query tests it)."""
    return whole > 0 and part >= threshold * whole


async def candidates(
    session: AsyncSession,
    principal: Principal,
    *,
    district_id: str | None,
    threshold: float,
    include_designated: bool,
    limit: int,
    offset: int,
) -> CandidatePage:
    """A page of the buildings at or above `threshold` in some featured industry, by enterprises
    or by area, strongest first: found in the tenant tallies, a row per building and industry."""
    district = principal.visible_district(district_id)
    ids, total = await repository.featured_candidates(
        session, district, threshold, include_designated, limit=limit, offset=offset
    )
    tallies = await tenancies.tallies_of(session, ids)
    designated = await buildings.designations_of(session, ids)
    summaries = await buildings.names_and_districts(session, ids)
    items = []
    for building_id in ids:
        tally = tallies[building_id]
        tenants, leased = tally[ALL_TENANTS]
        industry_shares = shares(tally)
        already = sorted({FeaturedIndustry(d.industry) for d in designated.get(building_id, [])})
        hits = [
            s.industry
            for s in industry_shares
            if (
                reaches(s.enterprises, tenants, threshold)
                or reaches(tally[s.industry][1], leased, threshold)
            )
            and (include_designated or s.industry not in already)
        ]
        items.append(
            FeaturedCandidate(
                building_id=building_id,
                building_name=summaries[building_id][0],
                district_id=summaries[building_id][1],
                tenant_enterprises=tenants,
                leased_area_m2=leased / 100,
                shares=industry_shares,
                candidate_industries=hits,
                designated_industries=already,
            )
        )
    return CandidatePage(threshold=threshold, items=items, total=total)
