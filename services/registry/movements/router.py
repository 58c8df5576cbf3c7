"""HTTP routes for movement pushes, corrections, withdrawals and lists."""

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query

from services.registry.movements import service
from services.registry.movements.schemas import (
    MovementBatch,
    MovementCorrection,
    MovementHistory,
    MovementKind,
    MovementPage,
    MovementPublic,
    MovementResult,
    MovementWithdrawal,
)
from shared import Line, PrincipalDep, SessionDep, WriterDep, problem_responses
from shared.params import ID_ASCII_PATTERN, MAX_ID_CHARS, DistrictFilter, Limit, Offset

router = APIRouter(prefix="/api/v1", tags=["enterprises"])


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
