"""The buildings' tenant tallies: marked when tenancies change, counted again after the commit.

A push marks the buildings it touched (an insert, never an update) and, once committed and
before it answers, counts the marked buildings again, so a district sees its featured candidates
move with its push. Counting inside the push's transaction, under a lock on the building, made
every push into a building wait for the one before it for as long as counting its tenants took.
Now pushes that arrive together share a count: one count runs at a time across replicas (an
advisory lock), the one that takes the lock counts every mark committed so far and reads every
tenancy committed before it, and the others then find theirs counted. A mark committed later is
taken by a later count, and what a failed count leaves the keeper counts a moment later: no
change goes uncounted."""

from __future__ import annotations

import logging
from functools import partial

from sqlmodel.ext.asyncio.session import AsyncSession

from services.registry.enterprises.tallies import repository
from shared import Database, after_commit, own_transaction

logger = logging.getLogger("sbe.registry.tallies")

BATCH = 5000
_REGISTERED = "sbe_tally_count_registered"


async def count_marked(session: AsyncSession, batch: int = BATCH) -> int:
    """Count the buildings of up to `batch` marks again and remove the marks, in the session's
    transaction (committed by the caller); returns how many marks it took."""
    marks = await repository.take_marks(session, batch)
    if marks:
        await repository.count_again(session, {building for _, building in marks})
        await repository.clear_marks(session, [mark_id for mark_id, _ in marks])
    return len(marks)


async def _count_after(session: AsyncSession) -> None:
    try:
        async with own_transaction(session) as own:
            await count_marked(own)
    except Exception:
        # The push is stored and answers so; its marks stay for the keeper's next round.
        logger.warning("counting tenants after a push failed; the keeper will", exc_info=True)


async def mark(session: AsyncSession, building_ids: set[str]) -> None:
    """Mark buildings whose tenancies this transaction changes, to be counted again once it
    commits, before the answer goes out."""
    await repository.mark(session, building_ids)
    if not session.info.get(_REGISTERED):
        session.info[_REGISTERED] = True
        after_commit(session, partial(_count_after, session))


class TallyKeeper:
    """Counts what the pushes' own counts left, a batch of marks a round."""

    def __init__(self, database: Database) -> None:
        self.database = database

    async def drain(self) -> None:
        """Rounds until no mark is left (a round takes at most one batch)."""
        while True:
            async with self.database.unit_of_work() as session:
                taken = await count_marked(session)
            if taken < BATCH:
                return
