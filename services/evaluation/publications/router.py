"""HTTP routes for publications."""

from typing import Annotated

from fastapi import APIRouter, Query, Request

from services.evaluation.bluebook.peers import PeersDep
from services.evaluation.publications import service
from services.evaluation.publications.schemas import (
    PrefacePublic,
    PrefaceWrite,
    PublicationCreate,
    PublicationDiff,
    PublicationPublic,
    PublicationSummary,
)
from shared import AdminDep, PrincipalDep, SessionDep, problem_responses
from shared.params import RowId

router = APIRouter(prefix="/api/v1/evaluation/publications", tags=["evaluation"])


@router.post(
    "",
    status_code=201,
    response_model=PublicationPublic,
    responses=problem_responses(404, 503),
    summary="Publish a year's assessment (frozen)",
)
async def publish(
    session: SessionDep, principal: AdminDep, body: PublicationCreate, peers: PeersDep
) -> PublicationPublic:
    """503 when the registry or monitoring cannot give the blue book's figures: nothing is
    published half."""
    return await service.publish(session, principal, body, peers)


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


@router.get(
    "/{publication_id}/preface",
    response_model=PrefacePublic,
    responses=problem_responses(404),
    summary="The preface of a publication's blue book",
)
async def get_preface(
    session: SessionDep, principal: PrincipalDep, publication_id: RowId
) -> PrefacePublic:
    return await service.read_preface(session, publication_id)


@router.put(
    "/{publication_id}/preface",
    response_model=PrefacePublic,
    responses=problem_responses(404),
    summary="Write the preface of a publication's blue book",
)
async def put_preface(
    session: SessionDep, principal: AdminDep, publication_id: RowId, body: PrefaceWrite
) -> PrefacePublic:
    """Markdown, rendered safely: raw HTML is shown as text, images are not loaded, and only
    http(s) and mailto links are kept."""
    return await service.write_preface(session, principal, publication_id, body)
