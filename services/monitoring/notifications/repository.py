"""SQL for notifications and the open warnings they digest."""

from __future__ import annotations

from datetime import date

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.monitoring.notifications.models import Notification
from services.monitoring.warnings.models import EarlyWarning
from shared.params import page_of


async def open_warnings(session: AsyncSession) -> list[EarlyWarning]:
    """Every warning not closed, newest first."""
    rows = await session.exec(
        select(EarlyWarning)
        .where(col(EarlyWarning.closed_at).is_(None))
        .order_by(col(EarlyWarning.created_at).desc(), col(EarlyWarning.id).desc())
    )
    return list(rows)


async def existing(session: AsyncSession, audience: str, day: date) -> Notification | None:
    rows = await session.exec(
        select(Notification).where(Notification.audience == audience, Notification.day == day)
    )
    return rows.first()


async def save(session: AsyncSession, notification: Notification) -> Notification:
    session.add(notification)
    await session.flush()
    return notification


async def page(
    session: AsyncSession, audience: str | None, limit: int, offset: int
) -> tuple[list[Notification], int]:
    query = select(Notification)
    if audience is not None:
        query = query.where(Notification.audience == audience)
    return await page_of(
        session,
        query,
        col(Notification.day).desc(),
        col(Notification.id).desc(),
        limit=limit,
        offset=offset,
    )
