"""HTTP route for the compliance check."""

from fastapi import APIRouter

from services.events.compliance import service
from services.events.compliance.schemas import Compliance
from services.events.targets import TargetsDep
from shared import PrincipalDep, SessionDep, problem_responses
from shared.params import YearQuery

router = APIRouter(prefix="/api/v1/events", tags=["events"])


@router.get(
    "/compliance",
    response_model=Compliance,
    responses=problem_responses(503),
    summary="The year's events against the plan's rules",
)
async def compliance(
    session: SessionDep,
    principal: PrincipalDep,
    year: YearQuery,
    targets: TargetsDep,
) -> Compliance:
    """Windows, conference, joint meetings and each district against its target, with what is
    missing spelled out. A district key sees its own district's line."""
    return await service.compliance(session, principal, year, targets)
