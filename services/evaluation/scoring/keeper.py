"""Keeps the district figures of the years people score taken, off the read path.

The figures counted over every building and movement (`repository.district_figures`) are reused
until the copies change; the first scoring after a change takes them again, which at the city's
scale costs a reader about a second. The keeper takes them instead, once the copies have been
quiet for a round: during a load it stays out of the way (the copies change every round), and a
page opened after the load finds them taken."""

from __future__ import annotations

from services.evaluation.scoring import repository
from shared import Database


class FiguresKeeper:
    """Takes the stale district figures of the years kept so far, when the copies are quiet."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self._seen: int | None = None

    async def refresh_once(self) -> list[int]:
        """One round; returns the years whose figures it took again."""
        async with self.database.unit_of_work() as session:
            generation = await repository.generation_of_copies(session)
            quiet, self._seen = generation == self._seen, generation
            if not quiet:
                return []
            years = await repository.stale_years(session, generation)
            for year in years:
                await repository.district_figures(session, year)
        return years
