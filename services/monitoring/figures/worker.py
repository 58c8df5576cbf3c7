"""The figures worker: republishes changed building-years and checks changed months for early
warnings, off the ingest path so ingest stays fast. Works from the change marks the ingest
transaction leaves, so nothing is missed across restarts."""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from typing import Any

from services.monitoring.db import MonitoringOutbox
from services.monitoring.figures import repository
from services.monitoring.figures.models import BuildingMonth
from services.monitoring.figures.periods import shift
from services.monitoring.warnings.service import WarningRules, detect
from shared import TOPIC_MONITORING_BUILDING_YEARS, Database, enqueue, format_cents

logger = logging.getLogger("sbe.monitoring.figures")


def building_year_message(
    building_id: str, year: int, months: list[BuildingMonth]
) -> dict[str, Any]:
    """What `sbe.monitoring.building-years.v1` carries for one building and year."""
    in_year = sorted((m for m in months if m.period.startswith(f"{year}-")), key=lambda m: m.period)
    with_occupancy = [m for m in in_year if m.leasable_area_m2 is not None]
    latest = with_occupancy[-1] if with_occupancy else None
    return {
        "building_id": building_id,
        "year": year,
        "tax_total_cny": format_cents(sum(m.tax_cents for m in in_year)),
        "latest_occupancy": None
        if latest is None
        else {
            "period": latest.period,
            "leasable_area_m2": latest.leasable_area_m2,
            "occupied_area_m2": latest.occupied_area_m2,
            "enterprise_count": latest.enterprise_count,
        },
        "months": [
            {
                "period": m.period,
                "tax_total_cny": format_cents(m.tax_cents),
                "leasable_area_m2": m.leasable_area_m2,
                "occupied_area_m2": m.occupied_area_m2,
            }
            for m in in_year
        ],
    }


class FiguresWorker:
    """Turns change marks into building-year messages and warnings, in batches."""

    def __init__(
        self, database: Database, rules: WarningRules, *, interval: float, batch: int = 2000
    ) -> None:
        self.database = database
        self.rules = rules
        self.interval = interval
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
            if done < self.batch:
                await asyncio.sleep(self.interval)

    async def process_once(self) -> int:
        """One round; returns how many change marks it handled."""
        async with self.database.unit_of_work() as session:
            changes = await repository.take_changes(session, self.batch)
            if not changes:
                return 0
            by_building: dict[str, set[str]] = defaultdict(set)
            for change in changes:
                by_building[change.building_id].add(change.period)
            first = shift(min(min(p) for p in by_building.values()), -24)
            last = shift(max(max(p) for p in by_building.values()), 12)
            rows = await repository.months_of_buildings(session, sorted(by_building), first, last)
            months: dict[str, list[BuildingMonth]] = defaultdict(list)
            for row in rows:
                months[row.building_id].append(row)
            for building_id, periods in by_building.items():
                for year in sorted({int(p[:4]) for p in periods}):
                    message = building_year_message(building_id, year, months[building_id])
                    enqueue(
                        session,
                        MonitoringOutbox,
                        TOPIC_MONITORING_BUILDING_YEARS,
                        f"{building_id}|{year}",
                        message,
                    )
            await detect(session, self.rules, by_building, months)
            await repository.clear_changes(session, changes)
        return len(changes)
