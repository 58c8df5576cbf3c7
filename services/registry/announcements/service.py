"""The registry's side of reconciliation: tallies of the buildings and movements it announces,
and every one of them announced again, a chunk per transaction, when an administrator asks."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from policy import Tallies, announce_in_chunks, movement_version, tally
from services.registry.announcements import repository
from services.registry.buildings import service as buildings
from services.registry.movements import service as movements
from shared import Database

KINDS = ("buildings", "movements")
_CHUNK = 500


async def tallies(session: AsyncSession) -> Tallies:
    """Buildings by when they last changed; movements by version and withdrawal."""
    return {
        "buildings": tally(await repository.building_versions(session)),
        "movements": tally(
            (district, record_id, movement_version(version, withdrawn is not None))
            for district, record_id, version, withdrawn in await repository.movement_versions(
                session
            )
        ),
    }


async def republish(database: Database) -> dict[str, int]:
    """Announce every building's and every movement's current state again."""
    return {
        "buildings": await announce_in_chunks(
            database,
            lambda session, after: repository.building_ids(session, after, _CHUNK),
            buildings.publish,
            lambda building_id: building_id,
            "",
        ),
        "movements": await announce_in_chunks(
            database,
            lambda session, after: repository.movements_after(session, after, _CHUNK),
            movements.announce,
            lambda movement: (movement.district_id, movement.record_id),
            ("", ""),
        ),
    }
