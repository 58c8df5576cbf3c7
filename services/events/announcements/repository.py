"""SQL for the events' tallies and their re-announcement."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.events.schedule.models import Event
from shared import fetch_rows


async def event_versions(session: AsyncSession) -> Sequence[Any]:
    """(district, event id, when it last changed) of every event."""
    e = Event
    return await fetch_rows(session, sa_select(col(e.district_id), col(e.id), col(e.updated_at)))


async def events_after(session: AsyncSession, after: str, limit: int) -> list[Event]:
    """The next `limit` events after the id `after`, in id order."""
    query = select(Event).where(col(Event.id) > after).order_by(col(Event.id)).limit(limit)
    return list(await session.exec(query))
