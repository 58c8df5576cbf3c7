"""SQL for key tasks."""

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.evaluation.tasks.models import KeyTask, TaskChange, TaskReport


async def tasks(session: AsyncSession) -> list[KeyTask]:
    return list(await session.exec(select(KeyTask)))


async def get(session: AsyncSession, task_id: str) -> KeyTask | None:
    return await session.get(KeyTask, task_id)


async def reports(session: AsyncSession, task_ids: list[str]) -> list[TaskReport]:
    """Reports of the tasks, newest first."""
    query = (
        select(TaskReport)
        .where(col(TaskReport.task_id).in_(task_ids))
        .order_by(col(TaskReport.reported_on).desc(), col(TaskReport.id).desc())
    )
    return list(await session.exec(query))


async def report(session: AsyncSession, task_id: str, report_id: int) -> TaskReport | None:
    found = await session.get(TaskReport, report_id)
    return found if found is not None and found.task_id == task_id else None


async def add_report(session: AsyncSession, report: TaskReport) -> TaskReport:
    session.add(report)
    await session.flush()
    return report


async def add_missing_task(session: AsyncSession, task: KeyTask) -> None:
    """Seed a task unless it is there (an administrator's later edits stand)."""
    if await session.get(KeyTask, task.task_id) is None:
        session.add(task)
        await session.flush()


async def add_change(session: AsyncSession, change: TaskChange) -> None:
    session.add(change)
    await session.flush()


async def changes(session: AsyncSession, task_id: str) -> list[TaskChange]:
    result = await session.exec(
        select(TaskChange).where(TaskChange.task_id == task_id).order_by(col(TaskChange.id))
    )
    return list(result)
