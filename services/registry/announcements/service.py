"""The registry's side of reconciliation: tallies of the buildings and movements it announces,
and every one of them announced again, a chunk per transaction, when an administrator asks."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from services.registry.announcements import repository
from services.registry.buildings import service as buildings
from services.registry.enterprises import service as enterprises
from shared import Database, Tallies, tally
from shared.reconcile import movement_version

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
    announced = {"buildings": 0, "movements": 0}
    after = ""
    while True:
        async with database.unit_of_work() as session:
            ids = await repository.building_ids(session, after, _CHUNK)
            for building_id in ids:
                await buildings.publish(session, building_id)
        if not ids:
            break
        announced["buildings"] += len(ids)
        after = ids[-1]
    last = ("", "")
    while True:
        async with database.unit_of_work() as session:
            movements = await repository.movements_after(session, last, _CHUNK)
            for movement in movements:
                enterprises.announce(session, movement)
        if not movements:
            break
        announced["movements"] += len(movements)
        last = (movements[-1].district_id, movements[-1].record_id)
    return announced
