"""HTTP routes for early warnings."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from services.monitoring.warnings import pace, service
from services.monitoring.warnings.pace import ScoreBoards
from services.monitoring.warnings.rules import RulesStore
from services.monitoring.warnings.schemas import (
    PaceCheck,
    PaceCheckResult,
    WarningAssign,
    WarningClose,
    WarningComment,
    WarningKind,
    WarningPage,
    WarningPublic,
    WarningSettingsPublic,
    WarningSettingsUpdate,
    WarningStepPublic,
)
from shared import AdminDep, OverseerDep, PrincipalDep, SessionDep, WriterDep, problem_responses
from shared.params import DistrictFilter, Limit, Offset, RowId

router = APIRouter(prefix="/api/v1/monitoring/warnings", tags=["monitoring"])


async def _rules(request: Request) -> RulesStore:
    store: RulesStore = request.app.state.warning_rules
    return store


RulesDep = Annotated[RulesStore, Depends(_rules)]


@router.get(
    "/settings", response_model=WarningSettingsPublic, summary="The warning thresholds in force"
)
async def warning_settings(
    session: SessionDep, principal: OverseerDep, rules: RulesDep
) -> WarningSettingsPublic:
    """For the administrator and the supervision office."""
    return await rules.current(session)


@router.put(
    "/settings",
    response_model=WarningSettingsPublic,
    summary="Change the warning thresholds (administrator)",
)
async def change_warning_settings(
    session: SessionDep, principal: AdminDep, rules: RulesDep, body: WarningSettingsUpdate
) -> WarningSettingsPublic:
    """They apply to the figures worked out from now on; each version is kept with its reason."""
    return await rules.change(session, principal, body)


@router.get(
    "/settings/history",
    response_model=list[WarningSettingsPublic],
    summary="Every version of the warning thresholds",
)
async def warning_settings_history(
    session: SessionDep, principal: OverseerDep, rules: RulesDep
) -> list[WarningSettingsPublic]:
    """Version 0 is the service's settings; then each administrator's change, oldest first."""
    return await rules.history(session)


async def _boards(request: Request) -> ScoreBoards:
    boards: ScoreBoards = request.app.state.score_boards
    return boards


@router.post(
    "/pace-checks",
    response_model=PaceCheckResult,
    responses=problem_responses(503),
    summary="Check every district's pace against its targets now (administrator)",
)
async def pace_check(
    session: SessionDep,
    principal: AdminDep,
    rules: RulesDep,
    boards: Annotated[ScoreBoards, Depends(_boards)],
    body: PaceCheck,
) -> PaceCheckResult:
    """落后于时序进度: the service checks the current month every hour by itself; this runs the
    check now, for any month. 503 when the evaluation cannot be read."""
    behind = await pace.check_pace(session, boards, rules, body.year, body.month)
    return PaceCheckResult(
        year=body.year,
        month=body.month,
        pace_share=(await rules.current(session)).pace_share,
        behind=behind,
    )


@router.get("", response_model=WarningPage, summary="Early warnings")
async def list_warnings(
    session: SessionDep,
    principal: PrincipalDep,
    district_id: DistrictFilter = None,
    kind: Annotated[WarningKind | None, Query(description="Only this kind.")] = None,
    acknowledged: Annotated[bool | None, Query(description="Only (un)acknowledged.")] = None,
    closed: Annotated[bool | None, Query(description="Only closed (or open) ones.")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> WarningPage:
    """A district key sees its own district's warnings."""
    return await service.list_page(
        session,
        principal,
        district_id=district_id,
        kind=kind.value if kind else None,
        acknowledged=acknowledged,
        closed=closed,
        limit=limit,
        offset=offset,
    )


@router.post(
    "/{warning_id}/acknowledge",
    response_model=WarningPublic,
    responses=problem_responses(404),
    summary="Acknowledge a warning",
)
async def acknowledge_warning(
    session: SessionDep, principal: WriterDep, warning_id: RowId
) -> WarningPublic:
    """The administrator or the warning's own district."""
    return await service.acknowledge(session, principal, warning_id)


@router.post(
    "/{warning_id}/assign",
    response_model=WarningPublic,
    responses=problem_responses(404, 409),
    summary="Name who follows a warning up",
)
async def assign_warning(
    session: SessionDep, principal: WriterDep, warning_id: RowId, body: WarningAssign
) -> WarningPublic:
    """The administrator or the warning's own district; kept in its trail."""
    return await service.assign(session, principal, warning_id, body.assignee)


@router.post(
    "/{warning_id}/comments",
    status_code=201,
    response_model=WarningStepPublic,
    responses=problem_responses(404),
    summary="Comment on a warning",
)
async def comment_warning(
    session: SessionDep, principal: WriterDep, warning_id: RowId, body: WarningComment
) -> WarningStepPublic:
    return await service.comment(session, principal, warning_id, body.text)


@router.post(
    "/{warning_id}/close",
    response_model=WarningPublic,
    responses=problem_responses(404, 409),
    summary="Close a warning, saying what was done",
)
async def close_warning(
    session: SessionDep, principal: WriterDep, warning_id: RowId, body: WarningClose
) -> WarningPublic:
    return await service.close(session, principal, warning_id, body.note, reopen=False)


@router.post(
    "/{warning_id}/reopen",
    response_model=WarningPublic,
    responses=problem_responses(404, 409),
    summary="Reopen a closed warning",
)
async def reopen_warning(
    session: SessionDep, principal: WriterDep, warning_id: RowId, body: WarningClose
) -> WarningPublic:
    return await service.close(session, principal, warning_id, body.note, reopen=True)


@router.get(
    "/{warning_id}/trail",
    response_model=list[WarningStepPublic],
    responses=problem_responses(404),
    summary="A warning's trail",
)
async def warning_trail(
    session: SessionDep, principal: PrincipalDep, warning_id: RowId
) -> list[WarningStepPublic]:
    """Acknowledged, assigned, commented, closed, reopened: who and when, oldest first."""
    return await service.trail(session, principal, warning_id)
