"""SQL for events."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.events.schedule.models import Event, EventChange
from shared import year_bounds
from shared.params import page_of


async def get(session: AsyncSession, event_id: str) -> Event | None:
    return await session.get(Event, event_id)


async def overlapping(
    session: AsyncSession, venue: str, starts_at: datetime, ends_at: datetime, exclude: str | None
) -> Event | None:
    """A planned or held event at the venue whose time overlaps [starts_at, ends_at)."""
    query = select(Event).where(
        Event.venue == venue,
        Event.status != "cancelled",
        col(Event.starts_at) < ends_at,
        col(Event.ends_at) > starts_at,
    )
    if exclude is not None:
        query = query.where(Event.id != exclude)
    return (await session.exec(query.order_by(col(Event.starts_at)).limit(1))).first()


async def page(
    session: AsyncSession,
    *,
    year: int | None,
    district_id: str | None,
    only_district_and_city: str | None,
    kind: str | None,
    status: str | None,
    limit: int,
    offset: int,
    review: str | None = None,
) -> tuple[list[Event], int]:
    """Events matching the filters, by start."""
    query = select(Event)
    if year is not None:
        start, end = year_bounds(year)
        query = query.where(col(Event.starts_at) >= start, col(Event.starts_at) < end)
    if district_id is not None:
        query = query.where(Event.district_id == district_id)
    if only_district_and_city is not None:
        query = query.where(
            or_(col(Event.district_id) == only_district_and_city, col(Event.scope) == "city")
        )
    if kind is not None:
        query = query.where(Event.kind == kind)
    if status is not None:
        query = query.where(Event.status == status)
    if review is not None:
        query = query.where(Event.review_state == review, col(Event.voided_at).is_(None))
    return await page_of(
        session, query, col(Event.starts_at), col(Event.id), limit=limit, offset=offset
    )


async def of_year(session: AsyncSession, year: int) -> list[Event]:
    """Every event starting in the year (Beijing time), cancelled ones included."""
    start, end = year_bounds(year)
    rows = await session.exec(
        select(Event)
        .where(col(Event.starts_at) >= start, col(Event.starts_at) < end)
        .order_by(col(Event.starts_at))
    )
    return list(rows)


async def changes(session: AsyncSession, event_id: str) -> list[EventChange]:
    """An event's history, oldest first."""
    rows = await session.exec(
        select(EventChange).where(EventChange.event_id == event_id).order_by(col(EventChange.id))
    )
    return list(rows)
