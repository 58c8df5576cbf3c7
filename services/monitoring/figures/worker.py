"""The figures worker: republishes changed building-years, checks changed months for early
warnings and sums their districts' months again, off the ingest path so ingest stays fast. It
works from the change marks the ingest transaction leaves (nothing is missed across restarts)
and waits for a month to be quiet, so a burst of batches touching one month is handled once; no
figure waits longer than the maximum lag.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from datetime import timedelta
from typing import Any

from policy import (
    TOPIC_MONITORING_BUILDING_YEARS,
    BuildingYearMessage,
    MonthNote,
    OccupancyNote,
    format_cents,
)
from services.monitoring.db import MonitoringOutbox
from services.monitoring.figures import repository
from services.monitoring.figures.periods import shift
from services.monitoring.figures.repository import MonthFigure
from services.monitoring.warnings.detection import detect
from services.monitoring.warnings.rules import RulesStore
from shared import Database, utcnow
from shared.messaging import enqueue

logger = logging.getLogger("sbe.monitoring.figures")


def building_year_message(
    building_id: str, year: int, months: dict[str, MonthFigure]
) -> dict[str, Any]:
    """What `sbe.monitoring.building-years.v1` carries for one building and year."""
    in_year = sorted(
        (m for p, m in months.items() if p.startswith(f"{year}-")), key=lambda m: m.period
    )
    with_occupancy = [m for m in in_year if m.leasable_area_m2 is not None]
    latest = with_occupancy[-1] if with_occupancy else None
    return BuildingYearMessage(
        building_id=building_id,
        year=year,
        tax_total_cny=format_cents(sum(m.tax_cents for m in in_year)),
        latest_occupancy=None
        if latest is None
        else OccupancyNote(
            period=latest.period,
            leasable_area_m2=latest.leasable_area_m2,
            occupied_area_m2=latest.occupied_area_m2,
            enterprise_count=latest.enterprise_count,
        ),
        months=[
            MonthNote(
                period=m.period,
                tax_total_cny=format_cents(m.tax_cents),
                leasable_area_m2=m.leasable_area_m2,
                occupied_area_m2=m.occupied_area_m2,
            )
            for m in in_year
        ],
    ).model_dump(mode="json")


class FiguresWorker:
    """Turns settled change marks into building-year messages and warnings, in batches."""

    def __init__(
        self,
        database: Database,
        rules: RulesStore,
        *,
        interval: float,
        settle_seconds: float = 5.0,
        max_lag_seconds: float = 60.0,
        batch: int = 2000,
    ) -> None:
        self.database = database
        self.rules = rules
        self.interval = interval
        self.settle = timedelta(seconds=settle_seconds)
        self.max_lag = timedelta(seconds=max_lag_seconds)
        self.batch = batch

    async def run(self) -> None:
        """Work until cancelled; a failing round is retried after the interval."""
        while True:
            try:
                done = await self.process_once()
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.warning("figures round failed; retrying", exc_info=True)
                done = 0
            await asyncio.sleep(0 if done >= self.batch else self.interval)

    async def process_once(self) -> int:
        """One round; returns how many change marks it handled."""
        async with self.database.unit_of_work() as session:
            now = utcnow()
            changes = await repository.take_changes(
                session, self.batch, now - self.settle, now - self.max_lag
            )
            if not changes:
                return 0
            changed: dict[str, set[str]] = defaultdict(set)
            for building_id, period, _ in changes:
                changed[building_id].add(period)
            first = shift(min(min(p) for p in changed.values()), -24)
            last = shift(max(max(p) for p in changed.values()), 12)
            months = await repository.months_of_buildings(session, sorted(changed), first, last)
            occupancy = []
            for building_id, periods in changed.items():
                for year in sorted({int(p[:4]) for p in periods}):
                    message = building_year_message(building_id, year, months.get(building_id, {}))
                    enqueue(
                        session,
                        MonitoringOutbox,
                        TOPIC_MONITORING_BUILDING_YEARS,
                        f"{building_id}|{year}",
                        message,
                    )
                    latest = message["latest_occupancy"] or {}
                    occupancy.append(
                        {
                            "building_id": building_id,
                            "year": year,
                            "occupancy_period": latest.get("period"),
                            "leasable_area_m2": latest.get("leasable_area_m2"),
                            "occupied_area_m2": latest.get("occupied_area_m2"),
                        }
                    )
            # District and city figures read the year's latest occupancy from one row.
            await repository.set_year_occupancy(session, occupancy)
            await detect(session, await self.rules.rules(session), changed, months)
            # Last in the round: the roll-up's lock is held until the round commits.
            await repository.sum_district_months(session, {p for _, p, _ in changes})
            await repository.clear_changes(session, changes)
        return len(changes)
