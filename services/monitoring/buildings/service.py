"""The monitoring service's knowledge of buildings: its own copy, kept from the registry's
compacted topic, and a direct question to the registry before a building is called unknown."""

from __future__ import annotations

import asyncio
import logging

from policy import BuildingMessage, building_copy_row
from services.monitoring.buildings import repository
from services.monitoring.buildings.client import RegistryClient
from services.monitoring.figures import repository as figures
from services.monitoring.ingest import repository as ingest
from shared import Database, utcnow

logger = logging.getLogger("sbe.monitoring.buildings")


class BuildingDirectory:
    """Which buildings exist. The set of ids lives in memory; the rows in the local table."""

    def __init__(self, database: Database, registry: RegistryClient | None) -> None:
        self.database = database
        self.registry = registry
        self.known: set[str] = set()

    async def load(self) -> None:
        """Read the ids of the local copy (at start)."""
        async with self.database.unit_of_work() as session:
            self.known = await repository.all_ids(session)

    async def load_when_possible(self) -> None:
        """Load, retrying while the database is away: the service starts (and answers 503 on
        /readyz) rather than crash-looping through a database outage."""
        delay = 0.5
        while True:
            try:
                await self.load()
                return
            except Exception:
                logger.warning("cannot read the building copy yet; retrying", exc_info=True)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 10.0)

    async def apply(self, buildings: list[BuildingMessage]) -> None:
        """Store buildings from the registry's topic (or its API's answers)."""
        rows = [building_copy_row(b) for b in buildings]
        ids = sorted({row["id"] for row in rows})
        async with self.database.unit_of_work() as session:
            before = await repository.districts_of(session, ids)
            await repository.upsert(session, rows)
            after = await repository.districts_of(session, ids)
            moved = [i for i, district in before.items() if after.get(i) != district]
            if moved:
                # The districts' months it left and joined are summed again by the figures
                # worker, which the building's months, marked as changed, set going.
                months = await figures.months_of(session, moved)
                await ingest.mark_changed(session, months, utcnow())
        self.known.update(b.id for b in buildings)

    async def unknown_among(self, ids: set[str]) -> set[str]:
        """The ids neither the local copy nor, asked directly, the registry knows.

        Raises RegistryUnavailable when the registry cannot answer, so the caller retries
        instead of setting a record aside wrongly.
        """
        missing = ids - self.known
        if not missing or self.registry is None:
            return missing
        found = [
            BuildingMessage.model_validate(b)
            for b in await self.registry.buildings(sorted(missing))
        ]
        if found:
            await self.apply(found)
        return missing - {b.id for b in found}
