"""The registry's copy of building-years against its source, tallied as monitoring tallies it."""

from __future__ import annotations

import httpx
from sqlmodel.ext.asyncio.session import AsyncSession

from services.registry.figures import repository
from shared import Source, Tallies, http_source
from shared.reconcile import tally_building_years


def sources(monitoring: httpx.AsyncClient) -> list[Source]:
    """Monitoring's building-years."""
    return [http_source("monitoring", ("building-years",), monitoring)]


async def tallies(session: AsyncSession) -> Tallies:
    """The building-years of the registry's buildings, by tax and occupancy month."""
    return {
        "building-years": tally_building_years(await repository.building_year_versions(session))
    }
