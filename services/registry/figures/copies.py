"""The registry's copy of building-years against its source, tallied as monitoring tallies it."""

from __future__ import annotations

import httpx
from sqlmodel.ext.asyncio.session import AsyncSession

from policy import Source, Tallies, http_source, tally_building_years
from services.registry.figures import repository


def sources(monitoring: httpx.AsyncClient) -> list[Source]:
    """Monitoring's building-years."""
    return [http_source("monitoring", ("building-years",), monitoring)]


async def tallies(session: AsyncSession) -> Tallies:
    """The building-years of the registry's buildings, by tax and occupancy month."""
    return {
        "building-years": tally_building_years(await repository.building_year_versions(session))
    }
