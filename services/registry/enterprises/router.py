"""HTTP routes for movement pushes, tenants and featured-industry candidates."""

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query

from services.registry.enterprises import candidates, service, structure, tenancy
from services.registry.enterprises.schemas import (
    CandidatePage,
    FeaturedShares,
    IndustryGroup,
    IndustryLevel,
    MonthFlow,
    MovementBatch,
    MovementCorrection,
    MovementHistory,
    MovementKind,
    MovementPage,
    MovementPublic,
    MovementResult,
    MovementWithdrawal,
    TenantPublic,
)
from services.registry.settings import SettingsDep
from shared import (
    ID_ASCII_PATTERN,
    MAX_ID_CHARS,
    BuildingIdFilter,
    DistrictFilter,
    Limit,
    Line,
    Offset,
    PrincipalDep,
    SessionDep,
    TextId,
    WriterDep,
    problem_responses,
)

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
    year: Annotated[int, Query(ge=2000, le=2100, description="Calendar year.")],
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


@router.post(
    "/enterprise-movements",
    response_model=MovementResult,
    responses=problem_responses(409),
    summary="Push a batch of enterprise movements",
)
async def push_movements(
    session: SessionDep, principal: WriterDep, body: MovementBatch
) -> MovementResult:
    """All or nothing, at most 5,000 records; a resent record_id with the same content is a
    duplicate, with other content a 409. District keys only for their own buildings."""
    return await service.push(session, principal, body)


@router.post(
    "/enterprise-movements/corrections",
    response_model=MovementPublic,
    responses=problem_responses(403, 404, 409),
    summary="Correct a movement record (a new version)",
)
async def correct_movement(
    session: SessionDep, principal: WriterDep, body: MovementCorrection
) -> MovementPublic:
    """更正: the record says something else from now on; what it said before is kept with the
    reason. A district corrects its own records (within its own buildings); the administrator
    names the district."""
    return await service.correct(session, principal, body)


@router.post(
    "/enterprise-movements/withdrawals",
    response_model=MovementPublic,
    responses=problem_responses(403, 404, 409),
    summary="Withdraw a movement record",
)
async def withdraw_movement(
    session: SessionDep, principal: WriterDep, body: MovementWithdrawal
) -> MovementPublic:
    """撤回: the record stays, marked withdrawn with the reason, and no longer counts."""
    return await service.withdraw(session, principal, body)


@router.get(
    "/enterprise-movements/versions",
    response_model=MovementHistory,
    responses=problem_responses(403, 404),
    summary="Every version of a movement record",
)
async def movement_versions(
    session: SessionDep,
    principal: PrincipalDep,
    record_id: Annotated[Line, Query(min_length=1, max_length=100, description="The record.")],
    district_id: DistrictFilter = None,
) -> MovementHistory:
    """Oldest first; the last is what the record says now (none when it was withdrawn)."""
    return await service.history(session, principal, record_id, district_id)


@router.get("/enterprise-movements", response_model=MovementPage, summary="List movements")
async def list_movements(
    session: SessionDep,
    principal: PrincipalDep,
    district_id: DistrictFilter = None,
    building_id: Annotated[
        str | None,
        Query(max_length=MAX_ID_CHARS, pattern=ID_ASCII_PATTERN, description="Only this building."),
    ] = None,
    kind: Annotated[MovementKind | None, Query(description="move_in or move_out.")] = None,
    date_from: Annotated[dt.date | None, Query(alias="from", description="On or after.")] = None,
    date_to: Annotated[dt.date | None, Query(alias="to", description="On or before.")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> MovementPage:
    return await service.list_page(
        session,
        principal,
        district_id=district_id,
        building_id=building_id,
        kind=kind.value if kind else None,
        date_from=date_from,
        date_to=date_to,
        limit=limit,
        offset=offset,
    )


@router.get(
    "/buildings/{building_id}/tenants",
    response_model=list[TenantPublic],
    responses=problem_responses(404),
    summary="Enterprises in a building now",
)
async def building_tenants(
    session: SessionDep, principal: PrincipalDep, building_id: TextId
) -> list[TenantPublic]:
    return await tenancy.tenants(session, principal, building_id)


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
