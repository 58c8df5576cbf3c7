"""The demonstration city's tax and occupancy feeds, month by month, as the tax bureau and the
property managers would send them.

Tax follows the calendar real receipts follow: enterprise income tax is prepaid in the month
after each quarter (January, April, July, October) and settled for the year in May, so those
months carry more. Each building's month is shared among the enterprises in it (by their area and
trade), each enterprise's share one record with its 统一社会信用代码. A few records are refunds (a
negative record beside a larger one), a few are first sent wrong and corrected later (the same
record id, a later `reported_at`), a few arrive months late. Whatever the path, the month's records
add up, once stored, to the building's planned month exactly: `planned_months` is that plan.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from demo.city import Building, City, Tenant
from policy import format_cents

# Each month's share of a year's tax (the tax calendar's seasonality); they add up to 1.
SEASON = (0.11, 0.05, 0.07, 0.10, 0.12, 0.07, 0.10, 0.06, 0.07, 0.10, 0.07, 0.08)


@dataclass(frozen=True, slots=True)
class TaxRecord:
    """One `sbe.tax.v1` message."""

    record_id: str
    building_id: str
    period: str
    uscc: str | None
    amount_cents: int
    reported_at: datetime

    def message(self) -> dict[str, object]:
        return {
            "record_id": self.record_id,
            "building_id": self.building_id,
            "period": self.period,
            **({"uscc": self.uscc} if self.uscc else {}),
            "amount_cny": format_cents(self.amount_cents),
            "reported_at": self.reported_at.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class OccupancyRecord:
    """One `sbe.occupancy.v1` message."""

    record_id: str
    building_id: str
    period: str
    leasable_area_m2: float
    occupied_area_m2: float
    enterprise_count: int
    reported_at: datetime

    def message(self) -> dict[str, object]:
        return {
            "record_id": self.record_id,
            "building_id": self.building_id,
            "period": self.period,
            "leasable_area_m2": self.leasable_area_m2,
            "occupied_area_m2": self.occupied_area_m2,
            "enterprise_count": self.enterprise_count,
            "reported_at": self.reported_at.isoformat(),
        }


def period_of(month: date) -> str:
    return f"{month.year}-{month.month:02d}"


def planned_months(city: City, building: Building) -> dict[str, int]:
    """The building's tax per month (fen) up to the city's latest month: each year's plan spread
    by the season, with a little noise, the rounding put in the year's last month sent."""
    rng = random.Random(f"months:{city.seed}:{building.id}")
    plan: dict[str, int] = {}
    for year, total in building.tax_cents.items():
        months = [m for m in city.months() if m.year == year]
        if not months:
            continue
        shares = [season * rng.uniform(0.85, 1.15) for season in SEASON]
        whole = sum(shares)
        amounts = [int(total * share / whole) for share in shares]
        amounts[-1] += total - sum(amounts)  # the year adds up to its plan exactly
        for month in months:  # a year under way: its months so far, as planned
            plan[period_of(month)] = amounts[month.month - 1]
    return plan


def _present(tenants: list[Tenant], month: date) -> list[Tenant]:
    end = (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return [
        t for t in tenants if t.moved_in <= end and (t.moved_out is None or t.moved_out >= month)
    ]


def _split(total: int, tenants: list[Tenant]) -> list[int]:
    """`total` shared by weight, in whole fen that add up to it exactly."""
    whole = sum(t.weight for t in tenants)
    shares = [int(total * t.weight / whole) for t in tenants]
    shares[0] += total - sum(shares)
    return shares


def _ceiling(city: City) -> datetime:
    """No report is dated after this (the feeds refuse a time in the future): the eve of the day
    the city is drawn."""
    return datetime(city.as_of.year, city.as_of.month, city.as_of.day, tzinfo=UTC) - timedelta(
        hours=1
    )


def _reported(city: City, month: date, rng: random.Random, late: bool = False) -> datetime:
    """When the bureau reports a month: the second week after it (a late one, months after), or
    just before the day the city is drawn for the latest months."""
    after = (month + timedelta(days=32)).replace(day=1)
    days = rng.randint(60, 100) if late else rng.randint(8, 14)
    natural = datetime(after.year, after.month, 1, 9, tzinfo=UTC) + timedelta(days=days)
    return min(natural, _ceiling(city) - timedelta(minutes=rng.randint(30, 600)))


def tax_records(city: City, tenants_by_building: dict[str, list[Tenant]]) -> Iterator[TaxRecord]:
    """Every tax record, month after month, in the order the bureau sends them (a late one in
    the stream a few months after its month, a correction after the record it corrects)."""
    rng = random.Random(f"tax:{city.seed}:{city.scale}")
    plans = {b.id: planned_months(city, b) for b in city.buildings}
    held: list[tuple[date, TaxRecord]] = []  # late records and corrections, and when they go
    for month in city.months():
        period = period_of(month)
        due = [record for when, record in held if when <= month]
        held = [(when, record) for when, record in held if when > month]
        yield from due
        for building in city.buildings:
            planned = plans[building.id].get(period)
            if planned is None:
                continue
            present = _present(tenants_by_building.get(building.id, []), month)
            if not present:
                yield TaxRecord(
                    f"t-{building.id}-{period}",
                    building.id,
                    period,
                    None,
                    planned,
                    _reported(city, month, rng),
                )
                continue
            for n, (tenant, amount) in enumerate(
                zip(present, _split(planned, present), strict=True)
            ):
                record_id = f"t-{building.id}-{period}-{n}"
                chance = rng.random()
                if chance < 0.01 and amount > 100_00:  # a refund beside the enterprise's payment
                    refund = -rng.randint(1, amount // 4)
                    yield TaxRecord(
                        record_id,
                        building.id,
                        period,
                        tenant.uscc,
                        amount - refund,
                        _reported(city, month, rng),
                    )
                    yield TaxRecord(
                        f"{record_id}-r",
                        building.id,
                        period,
                        tenant.uscc,
                        refund,
                        _reported(city, month, rng),
                    )
                elif chance < 0.02:  # sent wrong, corrected two months on
                    first = _reported(city, month, rng)
                    yield TaxRecord(
                        record_id, building.id, period, tenant.uscc, int(amount * 1.1) + 1, first
                    )
                    fix = TaxRecord(
                        record_id,
                        building.id,
                        period,
                        tenant.uscc,
                        amount,
                        min(first + timedelta(days=45), _ceiling(city)),  # still after `first`
                    )
                    held.append(((month + timedelta(days=70)).replace(day=1), fix))
                elif chance < 0.03:  # arrives late
                    late = TaxRecord(
                        record_id,
                        building.id,
                        period,
                        tenant.uscc,
                        amount,
                        _reported(city, month, rng, late=True),
                    )
                    held.append(((month + timedelta(days=95)).replace(day=1), late))
                else:
                    yield TaxRecord(
                        record_id,
                        building.id,
                        period,
                        tenant.uscc,
                        amount,
                        _reported(city, month, rng),
                    )
    yield from (record for _, record in held)


def occupancy_records(
    city: City, tenants_by_building: dict[str, list[Tenant]]
) -> Iterator[OccupancyRecord]:
    """Every building's monthly occupancy report: leasable area, what its tenants occupy."""
    rng = random.Random(f"occupancy:{city.seed}:{city.scale}")
    for month in city.months():
        for building in city.buildings:
            if building.status != "operating":
                continue
            present = _present(tenants_by_building.get(building.id, []), month)
            leasable = round(building.gross_floor_area_m2 * 0.75, 1)
            occupied = round(min(leasable, sum(t.area_m2 for t in present)), 1)
            yield OccupancyRecord(
                f"o-{building.id}-{period_of(month)}",
                building.id,
                period_of(month),
                leasable,
                occupied,
                len(present),
                _reported(city, month, rng),
            )
