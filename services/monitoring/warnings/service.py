"""Early-warning rules (预警), per district: occupancy falling month on month, tax falling year on
year, a building dropping below the 1亿 line, a large taxpayer moving out."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from services.monitoring.buildings import repository as buildings
from services.monitoring.figures.periods import month_index, period_of, shift
from services.monitoring.figures.repository import MonthFigure
from services.monitoring.warnings import repository
from services.monitoring.warnings.models import EarlyWarning, WarningSetting, WarningStep
from services.monitoring.warnings.schemas import (
    WarningKind,
    WarningPage,
    WarningPublic,
    WarningSettingsPublic,
    WarningSettingsUpdate,
    WarningStepPublic,
)
from shared import Conflict, Database, MovementMessage, NotFound, Principal, utcnow

logger = logging.getLogger("sbe.monitoring.warnings")


@dataclass(frozen=True)
class WarningRules:
    """The configurable thresholds."""

    occupancy_drop_points: float
    tax_drop_share: float
    line_100m_cents: int
    large_taxpayer_cents: int
    pace_share: float = 0.5


class RulesStore:
    """The rules in force: the newest thresholds an administrator set, else the settings'."""

    def __init__(self, defaults: WarningRules) -> None:
        self.defaults = defaults

    async def rules(self, session: AsyncSession) -> WarningRules:
        latest = await repository.latest_setting(session)
        if latest is None:
            return self.defaults
        return WarningRules(
            occupancy_drop_points=latest.occupancy_drop_points,
            tax_drop_share=latest.tax_drop_share,
            line_100m_cents=self.defaults.line_100m_cents,
            large_taxpayer_cents=latest.large_taxpayer_cny * 100,
            pace_share=latest.pace_share,
        )

    def _default_view(self) -> WarningSettingsPublic:
        return WarningSettingsPublic(
            occupancy_drop_points=self.defaults.occupancy_drop_points,
            tax_drop_share=self.defaults.tax_drop_share,
            large_taxpayer_cny=self.defaults.large_taxpayer_cents // 100,
            pace_share=self.defaults.pace_share,
            version=0,
            reason=None,
            changed_by=None,
            changed_at=None,
        )

    async def current(self, session: AsyncSession) -> WarningSettingsPublic:
        latest = await repository.latest_setting(session)
        return self._default_view() if latest is None else _setting_view(latest)

    async def change(
        self, session: AsyncSession, principal: Principal, data: WarningSettingsUpdate
    ) -> WarningSettingsPublic:
        """New thresholds from now on; earlier warnings stay as they were raised."""
        row = await repository.add_setting(
            session,
            WarningSetting(
                occupancy_drop_points=data.occupancy_drop_points,
                tax_drop_share=data.tax_drop_share,
                large_taxpayer_cny=data.large_taxpayer_cny,
                pace_share=data.pace_share,
                reason=data.reason,
                changed_by=principal.name,
            ),
        )
        return _setting_view(row)

    async def history(self, session: AsyncSession) -> list[WarningSettingsPublic]:
        """The settings' thresholds, then every administrator's version, oldest first."""
        return [self._default_view()] + [
            _setting_view(s) for s in await repository.settings_history(session)
        ]


def _setting_view(row: WarningSetting) -> WarningSettingsPublic:
    return WarningSettingsPublic(
        occupancy_drop_points=row.occupancy_drop_points,
        tax_drop_share=row.tax_drop_share,
        large_taxpayer_cny=row.large_taxpayer_cny,
        pace_share=row.pace_share,
        version=row.id or 0,
        reason=row.reason,
        changed_by=row.changed_by,
        changed_at=row.changed_at,
    )


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


# A large taxpayer's move-out rests on that enterprise's tax in the building: enterprise-level tax
# is confidential (税收保密), so these warnings go to admin and supervision only. Districts never
# see them, so a district cannot learn an enterprise's tax standing by pushing a move-out.
CONFIDENTIAL_KINDS = frozenset({WarningKind.large_taxpayer_moved_out.value})


def _hidden_from(principal: Principal) -> frozenset[str]:
    return frozenset() if principal.reads_everything else CONFIDENTIAL_KINDS


async def list_page(session: AsyncSession, principal: Principal, **filters: Any) -> WarningPage:
    """Warnings the caller may see."""
    filters["district_id"] = principal.visible_district(filters.get("district_id"))
    rows, total = await repository.page(session, hidden_kinds=_hidden_from(principal), **filters)
    names = await buildings.names_of(
        session, sorted({w.building_id for w in rows if w.building_id})
    )
    return WarningPage(items=[_view(w, names) for w in rows], total=total)


async def acknowledge(
    session: AsyncSession, principal: Principal, warning_id: int
) -> WarningPublic:
    """Mark a warning seen (admin, or the district it belongs to); repeating it changes nothing."""
    warning = await _writable(session, principal, warning_id)
    if warning.acknowledged_at is None:
        warning.acknowledged_at = utcnow()
        warning.acknowledged_by = principal.name
        await repository.save(session, warning)
        await _step(session, principal, warning, "acknowledged", None)
    return await _public(session, warning)


def _view(warning: EarlyWarning, names: dict[str, str]) -> WarningPublic:
    view = WarningPublic.model_validate(warning, from_attributes=True)
    view.building_name = names.get(warning.building_id or "")
    return view


async def _public(session: AsyncSession, warning: EarlyWarning) -> WarningPublic:
    ids = [warning.building_id] if warning.building_id else []
    return _view(warning, await buildings.names_of(session, ids))


async def _readable(session: AsyncSession, principal: Principal, warning_id: int) -> EarlyWarning:
    warning = await repository.get(session, warning_id)
    if warning is None or warning.kind in _hidden_from(principal):
        raise NotFound(f"No warning {warning_id}.")
    principal.ensure_read(warning.district_id)
    return warning


async def _writable(session: AsyncSession, principal: Principal, warning_id: int) -> EarlyWarning:
    warning = await _readable(session, principal, warning_id)
    principal.ensure_write(warning.district_id)
    return warning


async def _step(
    session: AsyncSession,
    principal: Principal,
    warning: EarlyWarning,
    action: str,
    text: str | None,
) -> None:
    assert warning.id is not None
    await repository.add_step(
        session, WarningStep(warning_id=warning.id, action=action, text=text, by=principal.name)
    )


async def assign(
    session: AsyncSession, principal: Principal, warning_id: int, assignee: str
) -> WarningPublic:
    """Name who follows the warning up (the administrator or its district)."""
    warning = await _writable(session, principal, warning_id)
    if warning.closed_at is not None:
        raise Conflict("The warning is closed; reopen it first.")
    warning.assigned_to = assignee
    await repository.save(session, warning)
    await _step(session, principal, warning, "assigned", assignee)
    return await _public(session, warning)


async def comment(
    session: AsyncSession, principal: Principal, warning_id: int, text: str
) -> WarningStepPublic:
    """Add a note to the warning's trail."""
    warning = await _writable(session, principal, warning_id)
    await _step(session, principal, warning, "commented", text)
    return WarningStepPublic(action="commented", text=text, by=principal.name, at=utcnow())


async def close(
    session: AsyncSession, principal: Principal, warning_id: int, note: str, *, reopen: bool
) -> WarningPublic:
    """Close a warning with what was done (acknowledging it if nobody had), or reopen it."""
    warning = await _writable(session, principal, warning_id)
    if reopen:
        if warning.closed_at is None:
            raise Conflict("The warning is open.")
        warning.closed_at = warning.closed_by = None
    else:
        if warning.closed_at is not None:
            raise Conflict("The warning is already closed.")
        warning.closed_at = utcnow()
        warning.closed_by = principal.name
        if warning.acknowledged_at is None:
            warning.acknowledged_at, warning.acknowledged_by = warning.closed_at, warning.closed_by
    await repository.save(session, warning)
    await _step(session, principal, warning, "reopened" if reopen else "closed", note)
    return await _public(session, warning)


async def trail(
    session: AsyncSession, principal: Principal, warning_id: int
) -> list[WarningStepPublic]:
    """Every step of the warning, oldest first."""
    await _readable(session, principal, warning_id)
    return [
        WarningStepPublic(action=s.action, text=s.text, by=s.by, at=s.at)
        for s in await repository.steps(session, warning_id)
    ]


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
