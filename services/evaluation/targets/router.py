"""HTTP routes for targets."""

from typing import Annotated

from fastapi import APIRouter, Path

from services.evaluation.targets import service
from services.evaluation.targets.schemas import TargetHistory, TargetsUpdate, YearTargets
from shared import AdminDep, PrincipalDep, SessionDep, problem_responses

router = APIRouter(prefix="/api/v1/evaluation/targets", tags=["evaluation"])

YearPath = Annotated[int, Path(ge=2000, le=2100, description="Calendar year.")]


@router.get(
    "/{year}",
    response_model=YearTargets,
    responses=problem_responses(404),
    summary="A year's targets",
)
async def get_targets(session: SessionDep, principal: PrincipalDep, year: YearPath) -> YearTargets:
    """The targets in force: city-wide reference data every role may read."""
    return await service.in_force(session, year)


@router.put("/{year}", response_model=YearTargets, summary="Replace a year's targets")
async def put_targets(
    session: SessionDep, principal: AdminDep, year: YearPath, body: TargetsUpdate
) -> YearTargets:
    """The administrator (发改委) sets all ten districts' targets; the former version is kept."""
    return await service.replace(session, principal, year, body)


@router.get(
    "/{year}/history",
    response_model=TargetHistory,
    responses=problem_responses(404),
    summary="Every version of a year's targets",
)
async def target_history(
    session: SessionDep, principal: PrincipalDep, year: YearPath
) -> TargetHistory:
    return await service.history(session, year)
