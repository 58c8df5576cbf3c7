"""Key tasks (Annex 2): reported by the responsible units, read by the supervision office, flagged
when overdue."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import orjson
from sqlmodel.ext.asyncio.session import AsyncSession

from services.evaluation.tasks import repository
from services.evaluation.tasks.models import KeyTask, TaskReport
from services.evaluation.tasks.schemas import (
    ReportCreate,
    ReportPublic,
    TaskDetail,
    TaskPublic,
    TaskStatus,
)
from shared import (
    SHANGHAI,
    FieldError,
    Forbidden,
    NotFound,
    Principal,
    Role,
    ValidationFailed,
    utcnow,
)
from shared.reference import districts, key_tasks_2023

ALL_DISTRICTS = "各县级市（区）人民政府"
SIP_COMMITTEE = "苏州工业园区管委会"


def government_of(district_id: str) -> str:
    """The unit a district key reports for: its government (SIP: its administrative committee)."""
    if district_id == "sip":
        return SIP_COMMITTEE
    name = next(d.name_zh for d in districts() if d.district_id == district_id)
    return f"{name}人民政府"


def _units(task: KeyTask) -> list[str]:
    units: list[str] = orjson.loads(task.responsible_units)
    return units


def _report(report: TaskReport) -> ReportPublic:
    return ReportPublic.model_validate(report, from_attributes=True)


def _view(task: KeyTask, reports: list[TaskReport], today: date) -> TaskPublic:
    latest = reports[0] if reports else None
    status = TaskStatus(latest.status) if latest else TaskStatus.not_started
    return TaskPublic(
        task_id=task.task_id,
        work_area_no=task.work_area_no,
        work_area=task.work_area,
        task=task.task,
        deadline=task.deadline,
        responsible_units=_units(task),
        status=status,
        overdue=task.deadline is not None and task.deadline < today and status != TaskStatus.done,
        latest_report=_report(latest) if latest else None,
    )


def _today() -> date:
    return utcnow().astimezone(SHANGHAI).date()


async def list_tasks(
    session: AsyncSession, *, overdue: bool | None, work_area_no: int | None
) -> list[TaskPublic]:
    """Every key task with its status, in task order."""
    tasks = sorted(
        await repository.tasks(session),
        key=lambda t: tuple(int(p) for p in t.task_id.split(".")),
    )
    by_task: dict[str, list[TaskReport]] = defaultdict(list)
    for report in await repository.reports(session, [t.task_id for t in tasks]):
        by_task[report.task_id].append(report)
    views = [_view(t, by_task[t.task_id], _today()) for t in tasks]
    return [
        v
        for v in views
        if (overdue is None or v.overdue == overdue)
        and (work_area_no is None or v.work_area_no == work_area_no)
    ]


async def detail(session: AsyncSession, task_id: str) -> TaskDetail:
    task = await repository.get(session, task_id)
    if task is None:
        raise NotFound(f"No key task {task_id!r}.")
    reports = await repository.reports(session, [task_id])
    return TaskDetail(
        **_view(task, reports, _today()).model_dump(), reports=[_report(r) for r in reports]
    )


async def report(
    session: AsyncSession, principal: Principal, task_id: str, data: ReportCreate
) -> TaskDetail:
    """Report progress: the administrator for any responsible unit, a district key for its own
    government on tasks the districts are responsible for."""
    task = await repository.get(session, task_id)
    if task is None:
        raise NotFound(f"No key task {task_id!r}.")
    units = _units(task)
    if principal.role is Role.district:
        assert principal.district_id is not None
        own = government_of(principal.district_id)
        if ALL_DISTRICTS not in units and own not in units:
            raise Forbidden(f"Task {task_id} is not one the districts are responsible for.")
        if data.unit not in (None, own):
            raise Forbidden(f"A district key reports for {own} only.")
        unit = own
    else:
        if data.unit is None:
            raise ValidationFailed(
                "Name the reporting unit.",
                errors=[FieldError(field="unit", message="required for the administrator")],
            )
        unit = data.unit
    await repository.add_report(
        session,
        TaskReport(
            task_id=task_id,
            unit=unit,
            status=data.status.value,
            evidence=data.evidence,
            reported_on=data.reported_on,
            reported_by=principal.label or principal.key_id,
        ),
    )
    return await detail(session, task_id)


async def seed_key_tasks(session: AsyncSession) -> None:
    """Annex 2's key tasks (idempotent; runs at start)."""
    for ref in key_tasks_2023():
        await repository.merge_task(
            session,
            KeyTask(
                task_id=ref.task_id,
                work_area_no=ref.work_area_no,
                work_area=ref.work_area,
                task=ref.task,
                deadline=None if ref.deadline == "ongoing" else date.fromisoformat(ref.deadline),
                responsible_units=orjson.dumps(list(ref.responsible_units)).decode(),
            ),
        )
