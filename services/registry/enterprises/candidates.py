"""Featured-industry candidates: buildings where one featured industry holds at least the
threshold share of tenant enterprises or of their leased area (产业特色楼宇候选)."""

from __future__ import annotations

from collections import defaultdict

from sqlmodel.ext.asyncio.session import AsyncSession

from services.registry.buildings import repository as buildings
from services.registry.enterprises import repository
from services.registry.enterprises.models import Tenancy
from services.registry.enterprises.schemas import CandidatePage, FeaturedCandidate, IndustryShare
from shared import FeaturedIndustry, Principal, featured_industry_of


def shares(tenants: list[Tenancy]) -> list[IndustryShare]:
    """Each featured industry's share of a building's tenants, by count and by leased area."""
    total_count = len(tenants)
    total_area = sum(t.area_m2 or 0.0 for t in tenants)
    count: dict[FeaturedIndustry, int] = defaultdict(int)
    area: dict[FeaturedIndustry, float] = defaultdict(float)
    for tenancy in tenants:
        code = tenancy.industry_code
        industry = featured_industry_of(code) if code else None
        if industry is not None:
            count[industry] += 1
            area[industry] += tenancy.area_m2 or 0.0
    return [
        IndustryShare(
            industry=industry,
            enterprises=count[industry],
            enterprise_share=count[industry] / total_count if total_count else 0.0,
            leased_area_m2=area[industry],
            area_share=area[industry] / total_area if total_area else 0.0,
        )
        for industry in FeaturedIndustry
        if count[industry]
    ]


async def candidates(
    session: AsyncSession,
    principal: Principal,
    *,
    district_id: str | None,
    threshold: float,
    include_designated: bool,
) -> CandidatePage:
    """Buildings at or above `threshold` in some featured industry, by enterprises or by area."""
    district = principal.visible_district(district_id)
    rows = await repository.current_tenants(session, district_id=district)
    by_building: dict[str, list[Tenancy]] = defaultdict(list)
    for tenancy in rows:
        by_building[tenancy.building_id].append(tenancy)
    ids = sorted(by_building)
    designated = await buildings.designations_of(session, ids)
    summaries = await buildings.names_and_districts(session, ids)
    items = []
    for building_id in ids:
        tenants = by_building[building_id]
        industry_shares = shares(tenants)
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
                    tenant_enterprises=len(tenants),
                    leased_area_m2=sum(t.area_m2 or 0.0 for t in tenants),
                    shares=industry_shares,
                    candidate_industries=hits,
                    designated_industries=already,
                )
            )
    return CandidatePage(threshold=threshold, items=items)
