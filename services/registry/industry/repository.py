"""SQL for the featured-industry candidates (read from the tenant tallies)."""

from __future__ import annotations

from sqlalchemy import Float, case, func, literal, or_
from sqlalchemy import select as sa_select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from services.registry.buildings.models import Building, FeaturedDesignation
from services.registry.tenancy.models import (
    ALL_TENANTS,
    TenantTally,
)
from shared import fetch_rows


async def featured_candidates(
    session: AsyncSession,
    district_id: str | None,
    threshold: float,
    include_designated: bool,
    *,
    limit: int,
    offset: int,
) -> tuple[list[str], int]:
    """One page of the buildings where a featured industry holds at least `threshold` of the
    current tenants by count or by leased area (an industry the building is designated for does
    not count unless `include_designated`), strongest share first, and how many there are."""
    industry = sa_select(TenantTally).where(col(TenantTally.industry) != ALL_TENANTS).subquery()
    everyone = sa_select(TenantTally).where(col(TenantTally.industry) == ALL_TENANTS).subquery()
    by_count = industry.c.tenants * 1.0 / everyone.c.tenants
    by_area = case(
        (
            everyone.c.leased_area_dm2 > 0,
            industry.c.leased_area_dm2 * 1.0 / everyone.c.leased_area_dm2,
        ),
        else_=0.0,
    )
    share = literal(threshold, Float)
    # The share against the threshold as `candidates.reaches` tests it: a product, not a quotient.
    hits = (
        sa_select(industry.c.building_id)
        .join(everyone, everyone.c.building_id == industry.c.building_id)
        .where(
            or_(
                industry.c.tenants >= share * everyone.c.tenants,
                (everyone.c.leased_area_dm2 > 0)
                & (industry.c.leased_area_dm2 >= share * everyone.c.leased_area_dm2),
            )
        )
    )
    if district_id is not None:
        hits = hits.join(Building, col(Building.id) == industry.c.building_id).where(
            col(Building.district_id) == district_id
        )
    if not include_designated:
        designated = sa_select(col(FeaturedDesignation.id)).where(
            col(FeaturedDesignation.building_id) == industry.c.building_id,
            col(FeaturedDesignation.industry) == industry.c.industry,
        )
        hits = hits.where(~designated.exists())
    strongest = func.max(case((by_count > by_area, by_count), else_=by_area))
    grouped = hits.group_by(industry.c.building_id).subquery()
    total = await session.scalar(sa_select(func.count()).select_from(grouped))
    rows = await fetch_rows(
        session,
        hits.group_by(industry.c.building_id)
        .order_by(strongest.desc(), industry.c.building_id)
        .limit(limit)
        .offset(offset),
    )
    return [row[0] for row in rows], int(total or 0)
