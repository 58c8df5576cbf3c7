"""Column types and value helpers that keep time zones and money exact on both databases."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """Timestamps stored in UTC and read back time-zone aware (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: every timestamp must carry its time zone")
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


# 亿元楼宇 (全口径税收超过1亿元): a building whose tax summed over a calendar year is strictly above
# 100,000,000 CNY. The platform's one definition of the line (monitoring's tiers and evaluation's
# counts both read it), with the 5亿 and 10亿 tiers the monitoring also shows; in cents.
LINE_100M_CENTS = 100_000_000 * 100
TIER_LINES_CENTS = {"100m": LINE_100M_CENTS, "500m": 500_000_000 * 100, "1b": 1_000_000_000 * 100}

SHANGHAI = ZoneInfo("Asia/Shanghai")  # the platform shows every time in Beijing time


def beijing_today() -> date:
    """Today in Beijing time: the calendar the platform's years and months follow."""
    return utcnow().astimezone(SHANGHAI).date()


def year_bounds(year: int) -> tuple[datetime, datetime]:
    """A calendar year in Beijing time, as a UTC interval [start, end)."""
    return (
        datetime(year, 1, 1, tzinfo=SHANGHAI).astimezone(UTC),
        datetime(year + 1, 1, 1, tzinfo=SHANGHAI).astimezone(UTC),
    )


# ASCII digits only: `\d` would also take other scripts' digits ('١٢٣'), which int() reads.
_PLAIN_DECIMAL = re.compile(r"(-?)([0-9]{1,16})(?:\.([0-9]{1,2}))?")


def parse_cents(value: str) -> int:
    """'1234.5' → 123450. Money is kept as integer fen (分): exact sums on every database.

    Raises ValueError for anything that is not a plain decimal with at most 2 decimals.
    """
    match = _PLAIN_DECIMAL.fullmatch(value)
    if match is None:
        if re.fullmatch(r"-?[0-9]+\.[0-9]{3,}", value):
            raise ValueError("at most 2 decimal places")
        raise ValueError("not a plain decimal number")
    sign, whole, fraction = match.groups()
    cents = int(whole) * 100 + int((fraction or "0").ljust(2, "0"))
    return -cents if sign else cents


def format_cents(cents: int) -> str:
    """123450 → '1234.50' (integer arithmetic: exact, and cheap on hot paths)."""
    whole, fraction = divmod(abs(cents), 100)
    return f"{'-' if cents < 0 else ''}{whole}.{fraction:02d}"


def format_cents_grouped(cents: int) -> str:
    """123456789 → '1,234,567.89': the yuan as a reader sees them, thousands separated."""
    whole, fraction = divmod(abs(cents), 100)
    return f"{'-' if cents < 0 else ''}{whole:,}.{fraction:02d}"


def format_cny_zh(cents: int) -> str:
    """An amount as officials write it: 亿元 from 1亿 (150000000.00 → '1.50亿元'), else 万元
    with grouping (12345600 → '12.35万元'), both rounded half up to two decimals."""
    yuan = Decimal(cents) / 100
    if abs(yuan) >= 100_000_000:
        return f"{round_half_up(yuan / 100_000_000):,}亿元"
    return f"{round_half_up(yuan / 10_000):,}万元"


def per_m2_cny(cents: int, area_m2: float) -> str | None:
    """An amount over an area, in yuan per m² to the fen, rounded half up ('tax_per_m2_cny');
    None for no area."""
    if area_m2 <= 0:
        return None
    return str(round_half_up(Decimal(cents) / 100 / Decimal(str(area_m2))))


def round_half_up(value: Decimal, places: int = 2) -> Decimal:
    """Round the way a person does by hand (0.125 → 0.13), not banker's rounding."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
