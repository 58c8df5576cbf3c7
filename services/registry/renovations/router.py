"""HTTP routes for renovations."""

from typing import Annotated

from fastapi import APIRouter, Query

from policy import ReviewRequest, ReviewState
from services.registry.renovations import service
from services.registry.renovations.schemas import (
    RenovationCreate,
    RenovationPage,
    RenovationPublic,
    RenovationUpdate,
)
from shared import AdminDep, PrincipalDep, SessionDep, WriterDep, problem_responses
from shared.params import ID_ASCII_PATTERN, MAX_ID_CHARS, DistrictFilter, Limit, Offset, TextId

router = APIRouter(prefix="/api/v1/renovations", tags=["renovations"])


@router.post("", status_code=201, response_model=RenovationPublic, summary="Record a renovation")
async def create_renovation(
    session: SessionDep, principal: WriterDep, body: RenovationCreate
) -> RenovationPublic:
    """Admin for any building; a district key for its own district's buildings."""
    return await service.create(session, principal, body)


@router.get("", response_model=RenovationPage, summary="List renovations")
async def list_renovations(
    session: SessionDep,
    principal: PrincipalDep,
    district_id: DistrictFilter = None,
    building_id: Annotated[
        str | None,
        Query(max_length=MAX_ID_CHARS, pattern=ID_ASCII_PATTERN, description="Only this building."),
    ] = None,
    review: Annotated[
        ReviewState | None, Query(description="Only completions in this review state.")
    ] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> RenovationPage:
    return await service.list_page(
        session,
        principal,
        district_id=district_id,
        building_id=building_id,
        review=review.value if review else None,
        limit=limit,
        offset=offset,
    )


@router.get(
    "/{renovation_id}",
    response_model=RenovationPublic,
    responses=problem_responses(404),
    summary="One renovation",
)
async def get_renovation(
    session: SessionDep, principal: PrincipalDep, renovation_id: TextId
) -> RenovationPublic:
    return await service.read(session, principal, renovation_id)


@router.patch(
    "/{renovation_id}",
    response_model=RenovationPublic,
    responses=problem_responses(404),
    summary="Change a renovation (e.g. record its completion)",
)
async def update_renovation(
    session: SessionDep, principal: WriterDep, renovation_id: TextId, body: RenovationUpdate
) -> RenovationPublic:
    return await service.update(session, principal, renovation_id, body)


@router.post(
    "/{renovation_id}/review",
    response_model=RenovationPublic,
    responses=problem_responses(404, 409),
    summary="Verify or reject a completed renovation (administrator)",
)
async def review_renovation(
    session: SessionDep, principal: AdminDep, renovation_id: TextId, body: ReviewRequest
) -> RenovationPublic:
    """A completion entered by a district counts only once verified; a rejection gives the
    district its reason."""
    return await service.review(session, principal, renovation_id, body)
