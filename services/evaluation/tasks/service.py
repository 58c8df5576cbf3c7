"""Key tasks (Annex 2): reported by the responsible units, read by the supervision office, flagged
when overdue."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import orjson
from sqlmodel.ext.asyncio.session import AsyncSession

from policy import (
    ReviewRequest,
    ReviewState,
    decide,
    districts,
    is_verified,
    open_review,
    review_of,
)
from services.evaluation.tasks import repository
from services.evaluation.tasks.models import KeyTask, TaskReport
from services.evaluation.tasks.schemas import (
    ReportCreate,
    ReportPublic,
    TaskDetail,
    TaskPublic,
    TaskStatus,
    UnitProgress,
)
from shared import FieldError, Forbidden, NotFound, Principal, Role, ValidationFailed, beijing_today

ALL_DISTRICTS = "各县级市（区）人民政府"
SIP_COMMITTEE = "苏州工业园区管委会"


def government_of(district_id: str) -> str:
    """The unit a district key reports for: its government (SIP: its administrative committee)."""
    if district_id == "sip":
        return SIP_COMMITTEE
    name = next(d.name_zh for d in districts() if d.district_id == district_id)
    return f"{name}人民政府"


def responsible_units_of(task: KeyTask) -> list[str]:
    units: list[str] = orjson.loads(task.responsible_units)
    return units


def reporting_units(task: KeyTask) -> list[str]:
    """The units that each report on a task: "各县级市（区）人民政府" stands for ten governments."""
    units: list[str] = []
    for unit in responsible_units_of(task):
        expanded = (
            [government_of(d.district_id) for d in districts()] if unit == ALL_DISTRICTS else [unit]
        )
        units.extend(u for u in expanded if u not in units)  # SIP's committee may be named too
    return units


def _report(report: TaskReport) -> ReportPublic:
    return ReportPublic.model_validate(
        {**report.model_dump(), "review": review_of(report)}, from_attributes=True
    )


def _viewer_unit(principal: Principal) -> str | None:
    """The unit whose lines a district or a bureau sees; None for those who read everything."""
    if principal.reads_everything:
        return None
    if principal.role is Role.bureau:
        return principal.unit or ""
    return government_of(principal.district_id) if principal.district_id else ""


def _view(
    task: KeyTask, reports: list[TaskReport], today: date, viewer_unit: str | None
) -> TaskPublic:
    # `reports` come newest first, so the first one seen per unit is that unit's latest. Only
    # verified reports decide a unit's status; a newer one awaiting review is shown beside it.
    latest: dict[str, TaskReport] = {}
    waiting: dict[str, TaskReport] = {}
    for report in reports:
        if is_verified(report):
            latest.setdefault(report.unit, report)
        elif report.review_state == ReviewState.pending and report.unit not in latest:
            waiting.setdefault(report.unit, report)
    units = [
        UnitProgress(
            unit=unit,
            status=TaskStatus(latest[unit].status) if unit in latest else TaskStatus.not_started,
            latest_report=_report(latest[unit]) if unit in latest else None,
            pending_report=_report(waiting[unit]) if unit in waiting else None,
        )
        for unit in reporting_units(task)
    ]
    if all(u.status is TaskStatus.done for u in units):
        status = TaskStatus.done
    elif any(u.latest_report is not None for u in units):
        status = TaskStatus.in_progress
    else:
        status = TaskStatus.not_started
    if viewer_unit is not None:
        units = [u for u in units if u.unit == viewer_unit]
        reports = [r for r in reports if r.unit == viewer_unit]
    return TaskPublic(
        task_id=task.task_id,
        year=task.year,
        work_area_no=task.work_area_no,
        work_area=task.work_area,
        task=task.task,
        deadline=task.deadline,
        responsible_units=responsible_units_of(task),
        status=status,
        overdue=task.deadline is not None and task.deadline < today and status != TaskStatus.done,
        latest_report=_report(reports[0]) if reports else None,
        units=units,
    )


def task_order(task: KeyTask) -> tuple[int, ...]:
    """By year, then by number (2.10 after 2.9)."""
    number = task.task_id.rsplit("-", 1)[-1]
    return (task.year, *(int(p) for p in number.split(".")))


async def list_tasks(
    session: AsyncSession,
    *,
    overdue: bool | None,
    work_area_no: int | None,
    viewer_unit: str | None = None,
    year: int | None = None,
) -> list[TaskPublic]:
    """Every key task with its status, in task order."""
    tasks = sorted(await repository.tasks(session), key=task_order)
    if year is not None:
        tasks = [t for t in tasks if t.year == year]
    by_task: dict[str, list[TaskReport]] = defaultdict(list)
    for report in await repository.reports(session, [t.task_id for t in tasks]):
        by_task[report.task_id].append(report)
    views = [_view(t, by_task[t.task_id], beijing_today(), viewer_unit) for t in tasks]
    return [
        v
        for v in views
        if (overdue is None or v.overdue == overdue)
        and (work_area_no is None or v.work_area_no == work_area_no)
    ]


async def tasks_for(
    session: AsyncSession,
    principal: Principal,
    *,
    overdue: bool | None,
    work_area_no: int | None,
    year: int | None = None,
) -> list[TaskPublic]:
    """The key tasks as the caller may see them (a district: its own unit's lines)."""
    return await list_tasks(
        session,
        overdue=overdue,
        work_area_no=work_area_no,
        viewer_unit=_viewer_unit(principal),
        year=year,
    )


async def detail(session: AsyncSession, principal: Principal, task_id: str) -> TaskDetail:
    """One task with the reports the caller may see (a district: its own unit's)."""
    task = await repository.get(session, task_id)
    if task is None:
        raise NotFound(f"No key task {task_id!r}.")
    reports = await repository.reports(session, [task_id])
    viewer_unit = _viewer_unit(principal)
    visible = [r for r in reports if viewer_unit is None or r.unit == viewer_unit]
    return TaskDetail(
        **_view(task, reports, beijing_today(), viewer_unit).model_dump(),
        reports=[_report(r) for r in visible],
    )


def _check_date(reported_on: date, year: int) -> None:
    """Progress is dated from the task's year on and never in the future (Beijing time)."""
    today = beijing_today()
    problem = None
    if reported_on > today:
        problem = f"must not be later than today ({today.isoformat()})"
    elif reported_on < date(year, 1, 1):
        problem = f"must not be before {year}-01-01, the year of the task"
    if problem:
        raise ValidationFailed(
            "The report's date is out of range.",
            errors=[FieldError(field="reported_on", message=problem)],
        )


async def report(
    session: AsyncSession, principal: Principal, task_id: str, data: ReportCreate
) -> TaskDetail:
    """Report progress: the administrator for any responsible unit, a district key for its own
    government on tasks the districts are responsible for."""
    task = await repository.get(session, task_id)
    if task is None:
        raise NotFound(f"No key task {task_id!r}.")
    _check_date(data.reported_on, task.year)
    units = responsible_units_of(task)
    if principal.role is Role.bureau:
        if not principal.unit or principal.unit not in reporting_units(task):
            raise Forbidden(f"Task {task_id} is not one {principal.unit} is responsible for.")
        if data.unit not in (None, principal.unit):
            raise Forbidden(f"A bureau reports for {principal.unit} only.")
        unit = principal.unit
    elif principal.role is Role.district:
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
        if unit not in reporting_units(task):
            raise ValidationFailed(
                f"{unit} is not responsible for task {task_id}.",
                errors=[
                    FieldError(
                        field="unit",
                        message="must be one of: " + "、".join(reporting_units(task)),
                    )
                ],
            )
    entry = TaskReport(
        task_id=task_id,
        unit=unit,
        status=data.status.value,
        evidence=data.evidence,
        reported_on=data.reported_on,
        reported_by=principal.name,
    )
    open_review(entry, principal)
    await repository.add_report(session, entry)
    return await detail(session, principal, task_id)


async def _report_of(session: AsyncSession, task_id: str, report_id: int) -> TaskReport:
    entry = await repository.report(session, task_id, report_id)
    if entry is None:
        raise NotFound(f"No report {report_id} on key task {task_id!r}.")
    return entry


async def ensure_may_see_report(
    session: AsyncSession, principal: Principal, task_id: str, report_id: int
) -> None:
    """A unit sees its own reports; those who read everything see all (404 otherwise: another
    unit's report is not shown to exist)."""
    entry = await _report_of(session, task_id, report_id)
    viewer = _viewer_unit(principal)
    if viewer is not None and entry.unit != viewer:
        raise NotFound(f"No report {report_id} on key task {task_id!r}.")


async def ensure_may_attach(
    session: AsyncSession, principal: Principal, task_id: str, report_id: int
) -> None:
    """Evidence is added to a report by its own unit or by the administrator."""
    entry = await _report_of(session, task_id, report_id)
    if principal.role is not Role.admin and entry.unit != _viewer_unit(principal):
        raise Forbidden(f"Report {report_id} is not your unit's.")


async def review(
    session: AsyncSession, principal: Principal, task_id: str, report_id: int, data: ReviewRequest
) -> ReportPublic:
    """An administrator verifies or rejects a unit's report."""
    entry = await _report_of(session, task_id, report_id)
    decide(entry, principal, data)
    await session.flush()
    return _report(entry)
