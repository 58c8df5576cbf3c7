"""The buildings' tenant tallies: marked when tenancies change, counted again by the keeper.

A push marks the buildings it touched (an insert, never an update: pushes into one building do
not wait on each other), and the keeper counts each marked building's current tenants again a
moment later. Counting in the push itself made every push into a building wait for the one
before it, and cost more the more tenants the building had. One count runs at a time across
replicas (an advisory lock), and a count started after the lock reads every tenancy committed
before it; a mark committed later is taken by a later round, so no change goes uncounted."""

from __future__ import annotations

from services.registry.enterprises.tallies import repository
from shared import Database


class TallyKeeper:
    """Counts the marked buildings again, a batch of marks a round."""

    def __init__(self, database: Database, batch: int = 5000) -> None:
        self.database = database
        self.batch = batch

    async def count_marked(self) -> int:
        """One round; returns how many marks it took."""
        async with self.database.unit_of_work() as session:
            marks = await repository.take_marks(session, self.batch)
            if marks:
                await repository.count_again(session, {building for _, building in marks})
                await repository.clear_marks(session, [mark_id for mark_id, _ in marks])
        return len(marks)

    async def drain(self) -> None:
        """Rounds until no mark is left (a round takes at most one batch)."""
        while await self.count_marked() >= self.batch:
            pass
