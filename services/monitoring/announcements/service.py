"""Monitoring's side of reconciliation, both ways: a tally of the building-years it announces
(the evaluation copies them), every one announced again when an administrator asks, and a tally
of its own copy of the registry's buildings."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from policy import Tallies, tally, tally_building_years
from services.monitoring.announcements import repository
from services.monitoring.ingest import repository as ingest
from shared import Database, utcnow

KINDS = ("building-years",)
_BUILDINGS_PER_CHUNK = 200


async def tallies(session: AsyncSession) -> Tallies:
    """Building-years by their tax and occupancy month."""
    rows = await repository.building_year_versions(session)
    return {"building-years": tally_building_years(rows)}


async def republish(database: Database) -> dict[str, int]:
    """Announce every building-year again: its months are marked changed, and the figures
    worker announces their years as it does after any change (the same message, the same
    code)."""
    marked, after = 0, ""
    while True:
        async with database.unit_of_work() as session:
            ids, months = await repository.building_months(session, after, _BUILDINGS_PER_CHUNK)
            await ingest.mark_changed(session, months, utcnow())
        if not ids:
            return {"building-months": marked}
        marked += len(months)
        after = ids[-1]


async def copy_tallies(session: AsyncSession) -> Tallies:
    """Monitoring's copy of the registry's buildings, tallied as the registry tallies them."""
    return {"buildings": tally(await repository.building_versions(session))}
