"""HTTP routes for the industry structure, the monthly flows and the featured-industry
candidates."""

from typing import Annotated

from fastapi import APIRouter, Query

from services.registry.industry import candidates, structure
from services.registry.industry.schemas import (
    CandidatePage,
    FeaturedShares,
    IndustryGroup,
    IndustryLevel,
    MonthFlow,
)
from services.registry.settings import SettingsDep
from shared import PrincipalDep, SessionDep, problem_responses
from shared.params import ID_ASCII_PATTERN, MAX_ID_CHARS, DistrictFilter, Limit, Offset, YearQuery

BuildingIdFilter = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=MAX_ID_CHARS,
        pattern=ID_ASCII_PATTERN,
        description="Only this building.",
    ),
]

router = APIRouter(prefix="/api/v1", tags=["enterprises"])


@router.get(
    "/enterprise-movements/flows",
    response_model=list[MonthFlow],
    responses=problem_responses(404),
    summary="Move-ins, move-outs and net per month",
)
async def movement_flows(
    session: SessionDep,
    principal: PrincipalDep,
    year: YearQuery,
    district_id: DistrictFilter = None,
    section: Annotated[
        str | None,
        Query(pattern=r"^[A-T]$", description="Only enterprises of this GB/T 4754 section (A–T)."),
    ] = None,
) -> list[MonthFlow]:
    """Every month of the year; a district key sees its own district. With `section`, the
    movements whose industry code falls in that section (门类)."""
    return await structure.flows(session, principal, year, district_id, section)


@router.get(
    "/industry-structure",
    response_model=list[IndustryGroup],
    responses=problem_responses(404),
    summary="Tenants by GB/T 4754-2017 section or division",
)
async def industry_structure(
    session: SessionDep,
    principal: PrincipalDep,
    district_id: DistrictFilter = None,
    level: Annotated[
        IndustryLevel, Query(description="section (门类) or division (大类).")
    ] = IndustryLevel.section,
    building_id: BuildingIdFilter = None,
) -> list[IndustryGroup]:
    """By enterprises and leased area, never by tax; a district key sees its own district (and
    its own buildings)."""
    return await structure.industry_structure(session, principal, district_id, level, building_id)


@router.get(
    "/industry-structure/featured",
    response_model=FeaturedShares,
    responses=problem_responses(403, 404),
    summary="The featured industries' shares of the tenants",
)
async def featured_industry_shares(
    session: SessionDep,
    principal: PrincipalDep,
    district_id: DistrictFilter = None,
    building_id: BuildingIdFilter = None,
) -> FeaturedShares:
    """法律、会计审计、知识产权、金融、科技研发、设计: each one's share of the tenants with a
    reported GB/T 4754 code, by enterprises and by leased area, in a building, a district or the
    city."""
    return await structure.featured_shares(session, principal, district_id, building_id)


@router.get(
    "/featured-candidates",
    response_model=CandidatePage,
    summary="Buildings whose tenants make them featured-industry candidates",
)
async def featured_candidates(
    settings: SettingsDep,
    session: SessionDep,
    principal: PrincipalDep,
    district_id: DistrictFilter = None,
    threshold: Annotated[
        float | None, Query(gt=0, le=1, description="Share that makes a candidate (default 0.5).")
    ] = None,
    include_designated: Annotated[
        bool, Query(description="Also list industries a building is already designated for.")
    ] = False,
    limit: Limit = 50,
    offset: Offset = 0,
) -> CandidatePage:
    """Strongest share first (by enterprises or by leased area, whichever is higher)."""
    return await candidates.candidates(
        session,
        principal,
        district_id=district_id,
        threshold=threshold or settings.featured_candidate_threshold,
        include_designated=include_designated,
        limit=limit,
        offset=offset,
    )
