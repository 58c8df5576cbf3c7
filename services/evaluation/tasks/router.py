"""HTTP routes for key tasks."""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from policy import ReviewRequest
from services.evaluation.tasks import admin, service
from services.evaluation.tasks.schemas import (
    TASK_ID_PATTERN,
    ReportCreate,
    ReportPublic,
    TaskChangePublic,
    TaskCreate,
    TaskDetail,
    TaskPublic,
    TaskUpdate,
)
from shared import (
    AdminDep,
    Principal,
    PrincipalDep,
    Role,
    SessionDep,
    problem_responses,
    require_roles,
)
from shared.params import RowId

router = APIRouter(prefix="/api/v1/evaluation/tasks", tags=["evaluation"])

ReporterDep = Annotated[Principal, Depends(require_roles(Role.admin, Role.district, Role.bureau))]
TaskId = Annotated[
    str, Path(pattern=TASK_ID_PATTERN, description="Task number, e.g. 2.1 or 2024-2.1.")
]


@router.get("", response_model=list[TaskPublic], summary="Key tasks and where they stand")
async def list_tasks(
    session: SessionDep,
    principal: PrincipalDep,
    overdue: Annotated[bool | None, Query(description="Only (not) overdue tasks.")] = None,
    work_area_no: Annotated[
        int | None, Query(ge=1, le=9, description="Only this work area.")
    ] = None,
    year: Annotated[
        int | None, Query(ge=2023, le=2100, description="Only this year's list.")
    ] = None,
) -> list[TaskPublic]:
    """A district sees the task-wide status and its own unit's lines only."""
    return await service.tasks_for(
        session, principal, overdue=overdue, work_area_no=work_area_no, year=year
    )


@router.post(
    "",
    status_code=201,
    response_model=TaskDetail,
    responses=problem_responses(409),
    summary="Add a key task to a year's list (administrator)",
)
async def add_task(session: SessionDep, principal: AdminDep, body: TaskCreate) -> TaskDetail:
    """每年动态调整: the year's tasks, deadlines and units are the administrator's to set; every
    change is kept with its reason."""
    return await admin.add_task(session, principal, body)


@router.patch(
    "/{task_id}",
    response_model=TaskDetail,
    responses=problem_responses(404, 409),
    summary="Change a key task (administrator)",
)
async def change_task(
    session: SessionDep, principal: AdminDep, task_id: TaskId, body: TaskUpdate
) -> TaskDetail:
    return await admin.change_task(session, principal, task_id, body)


@router.get(
    "/{task_id}/history",
    response_model=list[TaskChangePublic],
    responses=problem_responses(404),
    summary="A key task's changes",
)
async def task_history(
    session: SessionDep, principal: PrincipalDep, task_id: TaskId
) -> list[TaskChangePublic]:
    return await admin.task_history(session, task_id)


@router.get(
    "/{task_id}", response_model=TaskDetail, responses=problem_responses(404), summary="A key task"
)
async def get_task(session: SessionDep, principal: PrincipalDep, task_id: TaskId) -> TaskDetail:
    return await service.detail(session, principal, task_id)


@router.post(
    "/{task_id}/reports",
    status_code=201,
    response_model=TaskDetail,
    responses=problem_responses(404),
    summary="Report progress on a key task",
)
async def report_progress(
    session: SessionDep, principal: ReporterDep, task_id: TaskId, body: ReportCreate
) -> TaskDetail:
    """Districts report for their own government, bureaus for themselves; the administrator
    for any responsible unit."""
    return await service.report(session, principal, task_id, body)


@router.post(
    "/{task_id}/reports/{report_id}/review",
    response_model=ReportPublic,
    responses=problem_responses(404),
    summary="Verify or reject a unit's report (administrator)",
)
async def review_report(
    session: SessionDep, principal: AdminDep, task_id: TaskId, report_id: RowId, body: ReviewRequest
) -> ReportPublic:
    """A report by a district or a bureau moves its unit's status only once verified; a
    rejection gives the unit its reason."""
    return await service.review(session, principal, task_id, report_id, body)
