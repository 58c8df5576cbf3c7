"""Featured-industry candidates: buildings where one featured industry holds at least the
threshold share of tenant enterprises or of their leased area (产业特色楼宇候选)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from services.registry.buildings import repository as buildings
from services.registry.enterprises import repository
from services.registry.enterprises.schemas import CandidatePage, FeaturedCandidate, IndustryShare
from shared import FeaturedIndustry, Principal


def shares(tallied: Sequence[Any]) -> list[IndustryShare]:
    """Each featured industry's share of a building's tenants, by count and by leased area, from
    its row of `repository.featured_tallies`."""
    _, total_count, total_area, *per_industry = tallied
    found = []
    for index, industry in enumerate(FeaturedIndustry):
        count, area = per_industry[2 * index], float(per_industry[2 * index + 1])
        if count:
            found.append(
                IndustryShare(
                    industry=industry,
                    enterprises=count,
                    enterprise_share=count / total_count if total_count else 0.0,
                    leased_area_m2=area,
                    area_share=area / total_area if total_area else 0.0,
                )
            )
    return found


async def candidates(
    session: AsyncSession,
    principal: Principal,
    *,
    district_id: str | None,
    threshold: float,
    include_designated: bool,
) -> CandidatePage:
    """Buildings at or above `threshold` in some featured industry, by enterprises or by area:
    summed and narrowed by the database, so a city of tenants never comes to Python."""
    district = principal.visible_district(district_id)
    rows = await repository.featured_tallies(session, district, threshold)
    ids = [row[0] for row in rows]
    designated = await buildings.designations_of(session, ids)
    summaries = await buildings.names_and_districts(session, ids)
    items = []
    for row in rows:
        building_id, tenants, leased = row[0], row[1], float(row[2])
        industry_shares = shares(row)
        hits = [
            s.industry
            for s in industry_shares
            if s.enterprise_share >= threshold or s.area_share >= threshold
        ]
        already = sorted({FeaturedIndustry(d.industry) for d in designated.get(building_id, [])})
        if not include_designated:
            hits = [h for h in hits if h not in already]
        if hits:
            items.append(
                FeaturedCandidate(
                    building_id=building_id,
                    building_name=summaries[building_id][0],
                    district_id=summaries[building_id][1],
                    tenant_enterprises=tenants,
                    leased_area_m2=leased,
                    shares=industry_shares,
                    candidate_industries=hits,
                    designated_industries=already,
                )
            )
    return CandidatePage(threshold=threshold, items=items)
