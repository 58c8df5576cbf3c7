"""The administrators' list of key tasks: seeded from Annex 2, added to and changed with a reason,
each change kept with what the task was before and after."""

from __future__ import annotations

from datetime import date

import orjson
from sqlmodel.ext.asyncio.session import AsyncSession

from services.evaluation.reference import key_tasks_2023
from services.evaluation.tasks import repository
from services.evaluation.tasks.models import KeyTask, TaskChange
from services.evaluation.tasks.schemas import TaskChangePublic, TaskCreate, TaskDetail, TaskUpdate
from services.evaluation.tasks.service import detail, responsible_units_of
from shared import Conflict, NotFound, Principal


def _snapshot(task: KeyTask) -> dict[str, object]:
    return {
        "task_id": task.task_id,
        "year": task.year,
        "work_area_no": task.work_area_no,
        "work_area": task.work_area,
        "task": task.task,
        "deadline": task.deadline.isoformat() if task.deadline else None,
        "responsible_units": responsible_units_of(task),
    }


async def add_task(session: AsyncSession, principal: Principal, data: TaskCreate) -> TaskDetail:
    """The administrator adds a task to a year's list (with its reason, in its history)."""
    if await repository.get(session, data.task_id) is not None:
        raise Conflict(f"Task {data.task_id} exists; change it instead.")
    task = KeyTask(
        task_id=data.task_id,
        year=data.year,
        work_area_no=data.work_area_no,
        work_area=data.work_area,
        task=data.task,
        deadline=data.deadline,
        responsible_units=orjson.dumps(_distinct(data.responsible_units)).decode(),
    )
    session.add(task)
    await session.flush()
    await repository.add_change(
        session,
        TaskChange(
            task_id=task.task_id,
            action="added",
            after=orjson.dumps(_snapshot(task)).decode(),
            reason=data.reason,
            by=principal.name,
        ),
    )
    return await detail(session, principal, task.task_id)


def _distinct(units: list[str]) -> list[str]:
    return list(dict.fromkeys(units))


async def change_task(
    session: AsyncSession, principal: Principal, task_id: str, data: TaskUpdate
) -> TaskDetail:
    """The administrator changes a task's text, deadline or units; before and after are kept.
    Reports stay with their unit: a unit taken off the task no longer counts toward it."""
    task = await repository.get(session, task_id)
    if task is None:
        raise NotFound(f"No key task {task_id!r}.")
    before = _snapshot(task)
    changes = data.model_dump(exclude_unset=True, exclude={"reason"})
    if "work_area" in changes and changes["work_area"] is not None:
        task.work_area = changes["work_area"]
    if "task" in changes and changes["task"] is not None:
        task.task = changes["task"]
    if "deadline" in changes:
        task.deadline = changes["deadline"]
    if changes.get("responsible_units") is not None:
        task.responsible_units = orjson.dumps(_distinct(changes["responsible_units"])).decode()
    after = _snapshot(task)
    if after == before:
        raise Conflict("The change changes nothing.")
    await session.flush()
    await repository.add_change(
        session,
        TaskChange(
            task_id=task_id,
            action="changed",
            before=orjson.dumps(before).decode(),
            after=orjson.dumps(after).decode(),
            reason=data.reason,
            by=principal.name,
        ),
    )
    return await detail(session, principal, task_id)


async def task_history(session: AsyncSession, task_id: str) -> list[TaskChangePublic]:
    """Every change the administrators made to a task, oldest first."""
    if await repository.get(session, task_id) is None:
        raise NotFound(f"No key task {task_id!r}.")
    return [
        TaskChangePublic(
            action=c.action,
            before=orjson.loads(c.before) if c.before else None,
            after=orjson.loads(c.after),
            reason=c.reason,
            by=c.by,
            at=c.at,
        )
        for c in await repository.changes(session, task_id)
    ]


async def seed_key_tasks(session: AsyncSession) -> None:
    """Annex 2's key tasks (idempotent; runs at start)."""
    for ref in key_tasks_2023():
        await repository.add_missing_task(
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
