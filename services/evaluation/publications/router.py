"""HTTP routes for publications."""

from typing import Annotated

from fastapi import APIRouter, Query, Request

from services.evaluation.publications import service
from services.evaluation.publications.schemas import (
    PublicationCreate,
    PublicationDiff,
    PublicationPublic,
    PublicationSummary,
)
from shared import AdminDep, PrincipalDep, RowId, SessionDep, problem_responses

router = APIRouter(prefix="/api/v1/evaluation/publications", tags=["evaluation"])


@router.post(
    "",
    status_code=201,
    response_model=PublicationPublic,
    responses=problem_responses(404),
    summary="Publish a year's assessment (frozen)",
)
async def publish(
    request: Request, session: SessionDep, principal: AdminDep, body: PublicationCreate
) -> PublicationPublic:
    return await service.publish(session, principal, body)


@router.get("", response_model=list[PublicationSummary], summary="Publications")
async def list_publications(
    session: SessionDep,
    principal: PrincipalDep,
    year: Annotated[int | None, Query(ge=2000, le=2100, description="Only this year.")] = None,
) -> list[PublicationSummary]:
    return await service.list_all(session, year)


@router.get(
    "/{publication_id}",
    response_model=PublicationPublic,
    responses=problem_responses(404),
    summary="A publication with its frozen figures",
)
async def get_publication(
    session: SessionDep, principal: PrincipalDep, publication_id: RowId
) -> PublicationPublic:
    return await service.read(session, principal, publication_id)


@router.get(
    "/{publication_id}/diff",
    response_model=PublicationDiff,
    responses=problem_responses(404),
    summary="A publication against today's figures",
)
async def publication_diff(
    request: Request, session: SessionDep, principal: PrincipalDep, publication_id: RowId
) -> PublicationDiff:
    return await service.diff(session, principal, publication_id)
