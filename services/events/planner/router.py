"""HTTP routes for the rotation planner."""

from fastapi import APIRouter

from services.events.planner import service
from services.events.planner.schemas import Accepted, AcceptRequest, PlanRequest, Proposal
from services.events.targets import TargetsDep
from shared import AdminDep, OverseerDep, SessionDep, problem_responses

router = APIRouter(prefix="/api/v1/events/plans", tags=["events"])


@router.post(
    "/proposals",
    response_model=Proposal,
    responses=problem_responses(503),
    summary="Propose a year's calendar (not stored)",
)
async def propose(
    session: SessionDep, principal: OverseerDep, body: PlanRequest, targets: TargetsDep
) -> Proposal:
    """What the year still needs to meet every rule, on working days, hosting rotated."""
    return await service.plan(session, body, targets)


@router.post(
    "/accept",
    status_code=201,
    response_model=Accepted,
    responses=problem_responses(409, 503),
    summary="Accept a proposal: create its events as planned",
)
async def accept(
    session: SessionDep, principal: AdminDep, body: AcceptRequest, targets: TargetsDep
) -> Accepted:
    """All of the proposal or nothing; 409 if it changed since it was reviewed."""
    return await service.accept(session, principal, body, targets)
