"""Early-warning rules (预警), per district: occupancy falling month on month, tax falling year on
year, a building dropping below the 1亿 line, a large taxpayer moving out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from services.monitoring.buildings import repository as buildings
from services.monitoring.figures.models import BuildingMonth
from services.monitoring.figures.periods import shift
from services.monitoring.warnings import repository
from services.monitoring.warnings.schemas import WarningKind, WarningPage, WarningPublic
from shared import NotFound, Principal, utcnow


@dataclass(frozen=True)
class WarningRules:
    """The configurable thresholds."""

    occupancy_drop_points: float
    tax_drop_share: float
    line_100m_cents: int
    large_taxpayer_cents: int


def _rate(month: BuildingMonth | None) -> float | None:
    if month is None or not month.leasable_area_m2 or month.occupied_area_m2 is None:
        return None
    return month.occupied_area_m2 / month.leasable_area_m2


def _occupancy_drops(rules: WarningRules, periods: set[str], by_period: dict[str, BuildingMonth]):
    for period in sorted(periods | {shift(p, 1) for p in periods}):
        previous, current = _rate(by_period.get(shift(period, -1))), _rate(by_period.get(period))
        if (
            previous is not None
            and current is not None
            and (previous - current) * 100 > rules.occupancy_drop_points
        ):
            yield (
                WarningKind.occupancy_drop,
                period,
                f"出租率由{previous:.1%}降至{current:.1%}（{shift(period, -1)}→{period}），"
                f"环比下降{(previous - current) * 100:.1f}个百分点",
            )


def _tax_drops(rules: WarningRules, periods: set[str], by_period: dict[str, BuildingMonth]):
    for year in sorted({int(p[:4]) for p in periods}):
        months = [
            m for m in range(1, 13) if (r := by_period.get(f"{year}-{m:02d}")) and r.tax_records
        ]
        if not months:
            continue
        through = max(months)
        current = sum(
            by_period[p].tax_cents
            for p in by_period
            if p.startswith(f"{year}-") and int(p[5:]) <= through
        )
        previous = sum(
            by_period[p].tax_cents
            for p in by_period
            if p.startswith(f"{year - 1}-") and int(p[5:]) <= through
        )
        if previous > 0 and (previous - current) / previous > rules.tax_drop_share:
            yield (
                WarningKind.tax_drop,
                str(year),
                f"{year}年1–{through}月税收同比下降{(previous - current) / previous:.0%}",
            )


def _below_line(rules: WarningRules, periods: set[str], by_period: dict[str, BuildingMonth]):
    def rolling(end: str) -> int:
        return sum(by_period[p].tax_cents for k in range(12) if (p := shift(end, -k)) in by_period)

    checked = {shift(p, k) for p in periods for k in range(12)}
    for period in sorted(checked):
        if period not in by_period:
            continue
        if rolling(shift(period, -1)) > rules.line_100m_cents >= rolling(period):
            yield (WarningKind.below_100m, period, f"截至{period}的近12个月税收跌破1亿元")


async def detect(
    session: AsyncSession,
    rules: WarningRules,
    changed: dict[str, set[str]],
    months: dict[str, list[BuildingMonth]],
) -> None:
    """Raise the warnings the changed building-months call for (each at most once)."""
    districts = await buildings.districts_of(session, sorted(changed))
    now = utcnow()
    rows: list[dict[str, Any]] = []
    for building_id, periods in changed.items():
        by_period = {m.period: m for m in months.get(building_id, [])}
        for check in (_occupancy_drops, _tax_drops, _below_line):
            for kind, reference, message in check(rules, periods, by_period):
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
    session: AsyncSession, rules: WarningRules, movements: list[dict[str, Any]]
) -> None:
    """A move-out of an enterprise whose yearly tax in the building is above the threshold."""
    now = utcnow()
    rows = []
    for movement in movements:
        if movement.get("kind") != "move_out":
            continue
        moved = date.fromisoformat(movement["date"])
        tax = await repository.enterprise_tax(
            session, movement["building_id"], movement["uscc"], [moved.year, moved.year - 1]
        )
        if tax > rules.large_taxpayer_cents:
            rows.append(
                {
                    "district_id": movement["district_id"],
                    "building_id": movement["building_id"],
                    "kind": WarningKind.large_taxpayer_moved_out.value,
                    "reference": movement["record_id"],
                    "message": f"重点纳税企业{movement['enterprise_name']}（{movement['uscc']}）"
                    f"于{moved.isoformat()}迁出",
                    "created_at": now,
                }
            )
    await repository.raise_once(session, rows)


async def list_page(session: AsyncSession, principal: Principal, **filters: Any) -> WarningPage:
    """Warnings the caller may see."""
    filters["district_id"] = principal.visible_district(filters.get("district_id"))
    rows, total = await repository.page(session, **filters)
    return WarningPage(
        items=[WarningPublic.model_validate(w, from_attributes=True) for w in rows], total=total
    )


async def acknowledge(
    session: AsyncSession, principal: Principal, warning_id: int
) -> WarningPublic:
    """Mark a warning seen (admin, or the district it belongs to); repeating it changes nothing."""
    warning = await repository.get(session, warning_id)
    if warning is None:
        raise NotFound(f"No warning {warning_id}.")
    principal.ensure_write(warning.district_id)
    if warning.acknowledged_at is None:
        warning.acknowledged_at = utcnow()
        warning.acknowledged_by = principal.label or principal.key_id
        session.add(warning)
        await session.flush()
    return WarningPublic.model_validate(warning, from_attributes=True)
