"""SQL for key tasks."""

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.evaluation.tasks.models import KeyTask, TaskReport


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


async def merge_task(session: AsyncSession, task: KeyTask) -> None:
    await session.merge(task)
