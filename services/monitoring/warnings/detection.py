"""Early-warning rules (预警), per district: occupancy falling month on month, tax falling year on
year, a building dropping below the 1亿 line, a large taxpayer moving out, a building that stopped
reporting. Each warning is raised at most once."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from policy import MovementMessage
from services.monitoring.buildings import repository as buildings
from services.monitoring.figures.periods import month_index, period_of, shift
from services.monitoring.figures.repository import MonthFigure
from services.monitoring.warnings import repository
from services.monitoring.warnings.rules import WarningRules
from services.monitoring.warnings.schemas import WarningKind
from shared import Database, utcnow

logger = logging.getLogger("sbe.monitoring.warnings")


def _rate(month: MonthFigure | None) -> float | None:
    if month is None or not month.leasable_area_m2 or month.occupied_area_m2 is None:
        return None
    return month.occupied_area_m2 / month.leasable_area_m2


Found = Iterator[tuple[WarningKind, str, str]]


class _Series:
    """A building's loaded months by month index, with the tax prefix sums the rules need."""

    def __init__(self, months: dict[str, MonthFigure]) -> None:
        self.by_index = {month_index(p): m for p, m in months.items()}
        self.first = min(self.by_index, default=0)
        last = max(self.by_index, default=-1)
        self.prefix = [0]
        for index in range(self.first, last + 1):
            month = self.by_index.get(index)
            self.prefix.append(self.prefix[-1] + (month.tax_cents if month else 0))

    def tax_between(self, first: int, last: int) -> int:
        """Σ tax of months first…last (inclusive), zero outside the loaded range."""
        lo = min(max(first - self.first, 0), len(self.prefix) - 1)
        hi = min(max(last - self.first + 1, 0), len(self.prefix) - 1)
        return self.prefix[hi] - self.prefix[lo] if hi > lo else 0


def _occupancy_drops(rules: WarningRules, changed: set[int], series: _Series) -> Found:
    for index in sorted(changed | {i + 1 for i in changed}):
        previous = _rate(series.by_index.get(index - 1))
        current = _rate(series.by_index.get(index))
        if (
            previous is not None
            and current is not None
            and (previous - current) * 100 > rules.occupancy_drop_points
        ):
            yield (
                WarningKind.occupancy_drop,
                period_of(index),
                f"出租率由{previous:.1%}降至{current:.1%}"
                f"（{period_of(index - 1)}→{period_of(index)}），"
                f"环比下降{(previous - current) * 100:.1f}个百分点",
            )


def _tax_drops(rules: WarningRules, changed: set[int], series: _Series) -> Found:
    for year in sorted({i // 12 for i in changed}):
        with_tax = [
            m for m in range(12) if (r := series.by_index.get(year * 12 + m)) and r.tax_records
        ]
        if not with_tax:
            continue
        through = max(with_tax)
        current = series.tax_between(year * 12, year * 12 + through)
        previous = series.tax_between((year - 1) * 12, (year - 1) * 12 + through)
        if previous > 0 and (previous - current) / previous > rules.tax_drop_share:
            yield (
                WarningKind.tax_drop,
                str(year),
                f"{year}年1–{through + 1}月税收同比下降{(previous - current) / previous:.0%}",
            )


def _below_line(rules: WarningRules, changed: set[int], series: _Series) -> Found:
    line = rules.line_100m_cents
    for index in sorted({i + k for i in changed for k in range(12)}):
        if index not in series.by_index:
            continue
        if (
            series.tax_between(index - 12, index - 1)
            > line
            >= series.tax_between(index - 11, index)
        ):
            yield (
                WarningKind.below_100m,
                period_of(index),
                f"截至{period_of(index)}的近12个月税收跌破1亿元",
            )


async def detect(
    session: AsyncSession,
    rules: WarningRules,
    changed: dict[str, set[str]],
    months: dict[str, dict[str, MonthFigure]],
) -> None:
    """Raise the warnings the changed building-months call for (each at most once)."""
    districts = await buildings.districts_of(session, sorted(changed))
    now = utcnow()
    rows: list[dict[str, Any]] = []
    for building_id, periods in changed.items():
        series = _Series(months.get(building_id, {}))
        indices = {month_index(p) for p in periods}
        for check in (_occupancy_drops, _tax_drops, _below_line):
            for kind, reference, message in check(rules, indices, series):
                rows.append(
                    {
                        "district_id": districts.get(building_id, ""),
                        "building_id": building_id,
                        "kind": kind.value,
                        "reference": reference,
                        "message": message,
                        "created_at": now,
                    }
                )
    await repository.raise_once(session, rows)


async def large_taxpayers_moving_out(
    session: AsyncSession, rules: WarningRules, movements: list[MovementMessage]
) -> None:
    """A move-out of an enterprise whose yearly tax in the building is above the threshold."""
    now = utcnow()
    rows = []
    for movement in movements:
        if movement.kind != "move_out" or movement.withdrawn:
            continue
        moved = movement.date
        tax = await repository.enterprise_tax(
            session, movement.building_id, movement.uscc, [moved.year, moved.year - 1]
        )
        if tax > rules.large_taxpayer_cents:
            rows.append(
                {
                    "district_id": movement.district_id,
                    "building_id": movement.building_id,
                    "kind": WarningKind.large_taxpayer_moved_out.value,
                    "reference": movement.record_id,
                    "message": f"重点纳税企业{movement.enterprise_name}（{movement.uscc}）"
                    f"于{moved.isoformat()}迁出",
                    "created_at": now,
                }
            )
    await repository.raise_once(session, rows)


FEEDS_ZH = {"tax": "税收", "occupancy": "出租"}


async def detect_missing_reports(session: AsyncSession) -> int:
    """数据中断: for the latest month other buildings reported, a warning for every building that
    reported on the feed the month before and not in it. Returns how many it found."""
    found = 0
    now = utcnow()
    for feed, feed_zh in FEEDS_ZH.items():
        period = await repository.latest_shared_period(session, feed)
        if period is None:
            continue
        previous = shift(period, -1)
        silent = await repository.stopped_reporting(session, feed, period, previous)
        found += len(silent)
        await repository.raise_once(
            session,
            [
                {
                    "district_id": district_id,
                    "building_id": building_id,
                    "kind": WarningKind.reports_missing.value,
                    "reference": f"{period}/{feed}",
                    "message": f"{name}{previous}报送了{feed_zh}数据，{period}尚未报送"
                    "（其他楼宇已报送）",
                    "created_at": now,
                }
                for building_id, district_id, name in silent
            ],
        )
    return found


async def watch_missing_reports(database: Database, interval: float) -> None:
    """Look for buildings that stopped reporting every `interval` seconds, until cancelled."""
    while True:
        await asyncio.sleep(interval)
        try:
            async with database.unit_of_work() as session:
                await detect_missing_reports(session)
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.warning("the missing-reports check failed; trying again later", exc_info=True)
