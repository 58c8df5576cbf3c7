"""What the evaluation copies, from whom, and its own tallies of it, as the sources tally theirs."""

from __future__ import annotations

import httpx
from sqlmodel.ext.asyncio.session import AsyncSession

from policy import Source, Tallies, http_source, movement_version, tally, tally_building_years
from services.evaluation.copies import repository


def sources(
    registry: httpx.AsyncClient, events: httpx.AsyncClient, monitoring: httpx.AsyncClient
) -> list[Source]:
    """The registry's buildings and movements, the events, monitoring's building-years."""
    return [
        http_source("registry", ("buildings", "movements"), registry),
        http_source("events", ("events",), events),
        http_source("monitoring", ("building-years",), monitoring),
    ]


async def tallies(session: AsyncSession) -> Tallies:
    """The copies, tallied kind by kind."""
    movements = await repository.movement_versions(session)
    years = await repository.building_year_versions(session)
    return {
        "buildings": tally(await repository.building_versions(session)),
        "movements": tally(
            (district, record_id, movement_version(version, withdrawn))
            for district, record_id, version, withdrawn in movements
        ),
        "events": tally(await repository.event_versions(session)),
        "building-years": tally_building_years(years),
    }
