"""The events service's side of reconciliation: a tally of the events it announces, and every
event announced again, a chunk per transaction, when an administrator asks."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from policy import Tallies, announce_in_chunks, tally
from services.events.announcements import repository
from services.events.schedule import service as schedule
from shared import Database

KINDS = ("events",)
_CHUNK = 500


async def tallies(session: AsyncSession) -> Tallies:
    """Events by when they last changed."""
    return {"events": tally(await repository.event_versions(session))}


async def republish(database: Database) -> dict[str, int]:
    """Announce every event's current state again."""
    announced = await announce_in_chunks(
        database,
        lambda session, after: repository.events_after(session, after, _CHUNK),
        schedule.publish,
        lambda event: event.id,
        "",
    )
    return {"events": announced}
