"""Money as the platform keeps it: integer fen (分), exact on every database, written the way a
reader expects; and the 亿元 line with the higher tiers."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

# 亿元楼宇 (全口径税收超过1亿元): a building whose tax summed over a calendar year is strictly above
# 100,000,000 CNY. The platform's one definition of the line (monitoring's tiers and evaluation's
# counts both read it), with the 5亿 and 10亿 tiers the monitoring also shows; in cents.
LINE_100M_CENTS = 100_000_000 * 100
TIER_LINES_CENTS = {"100m": LINE_100M_CENTS, "500m": 500_000_000 * 100, "1b": 1_000_000_000 * 100}


def tier_of(cents: int) -> str | None:
    """The highest tier whose line a year's tax exceeds ('100m', '500m', '1b'), else None: a
    building is an 亿元楼宇 when its tax is over the line, not at it."""
    reached = [tier for tier, line in TIER_LINES_CENTS.items() if cents > line]
    return reached[-1] if reached else None


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
