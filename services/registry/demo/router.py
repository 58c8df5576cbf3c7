"""GET and PUT /api/v1/demo, and the marker every page reads."""

from fastapi import APIRouter

from services.registry.demo import service
from services.registry.demo.schemas import DemoMarker, DemoPublic, DemoReport
from shared import AdminDep, OverseerDep, PrincipalDep, SessionDep, problem_responses

router = APIRouter(prefix="/api/v1/demo", tags=["demo"])


@router.get(
    "",
    response_model=DemoPublic,
    responses=problem_responses(401, 403),
    summary="Whether the platform holds the demonstration city, and whether it reconciles",
)
async def demo_state(session: SessionDep, _: OverseerDep) -> DemoPublic:
    """The administrator and the supervision office."""
    return await service.state(session)


@router.put(
    "",
    response_model=DemoPublic,
    responses=problem_responses(401, 403, 422),
    summary="Record the demonstration city's load (sbe demo)",
)
async def report_demo(session: SessionDep, _: AdminDep, body: DemoReport) -> DemoPublic:
    """Sent by `sbe demo` as it begins and when it is done."""
    return await service.report(session, body)


@router.get(
    "/marker",
    response_model=DemoMarker,
    responses=problem_responses(401),
    summary="Whether what the platform shows is demonstration data (演示数据)",
)
async def demo_marker(session: SessionDep, _: PrincipalDep) -> DemoMarker:
    """Every role: each page and document says so while it is."""
    return await service.marker(session)
