"""HTTP routes for scores, their evidence and robustness, and scoring schemes."""

from typing import Annotated

from fastapi import APIRouter, Query, Request

from services.evaluation.scoring import evidence as evidence_service
from services.evaluation.scoring import service
from services.evaluation.scoring.formula import DEFAULT
from services.evaluation.scoring.schemas import (
    SCHEME_ID_PATTERN,
    Evidence,
    Robustness,
    SchemeDefinition,
    ScoreBoard,
)
from shared import AdminDep, PrincipalDep, SessionDep, problem_responses
from shared.params import DistrictPath, YearQuery

router = APIRouter(prefix="/api/v1/evaluation", tags=["evaluation"])

SchemeId = Annotated[
    str,
    Query(
        pattern=SCHEME_ID_PATTERN,
        max_length=64,
        description=f"Scoring scheme (default {DEFAULT.id}).",
    ),
]


@router.get(
    "/scores",
    response_model=ScoreBoard,
    responses=problem_responses(404),
    summary="District scores",
)
async def scores(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    year: YearQuery,
    scheme: SchemeId = DEFAULT.id,
) -> ScoreBoard:
    """Admin and supervision see every district; a district key sees its own (ranked among all)."""
    return await service.scores(session, principal, year, scheme)


@router.get(
    "/scores/robustness",
    response_model=Robustness,
    responses=problem_responses(404),
    summary="How solid the ranking is",
)
async def robustness(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    year: YearQuery,
    scheme: SchemeId = DEFAULT.id,
) -> Robustness:
    """Median rank and rank range over weights moved, geometric aggregation, no development."""
    return await service.robustness(session, principal, year, scheme)


@router.get(
    "/scores/{district_id}/evidence",
    response_model=Evidence,
    responses=problem_responses(404),
    summary="The buildings and events behind a district's counts",
)
async def evidence(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    district_id: DistrictPath,
    year: YearQuery,
    scheme: SchemeId = DEFAULT.id,
) -> Evidence:
    """What each count of the district's year is made of, and what awaits review beside it."""
    return await evidence_service.evidence(session, principal, district_id, year, scheme)


@router.get("/schemes", response_model=list[SchemeDefinition], summary="Scoring schemes")
async def list_schemes(session: SessionDep, principal: PrincipalDep) -> list[SchemeDefinition]:
    return await service.list_schemes(session)


@router.post(
    "/schemes",
    status_code=201,
    response_model=SchemeDefinition,
    responses=problem_responses(409),
    summary="Add a scoring scheme",
)
async def add_scheme(
    session: SessionDep, principal: AdminDep, body: SchemeDefinition
) -> SchemeDefinition:
    """Schemes are versioned data: an administrator adds one; none is ever changed."""
    return await service.add_scheme(session, principal, body)
