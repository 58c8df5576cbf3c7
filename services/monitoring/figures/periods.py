"""Month arithmetic on YYYY-MM periods (and month indices, for the hot loops), and which
months a 同比 compares."""

from datetime import date


def month_index(period: str) -> int:
    """'2023-01' → 2023 × 12 + 0: consecutive months are consecutive integers."""
    return int(period[:4]) * 12 + int(period[5:7]) - 1


def period_of(index: int) -> str:
    """The inverse of month_index."""
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def shift(period: str, months: int) -> str:
    """'2023-01' shifted by -1 → '2022-12'."""
    return period_of(month_index(period) + months)


def compared_months(year: int, latest: str | None, on: date) -> int:
    """同比, like for like: how many months of `year`, from January, are compared with the same
    months of the year before. A year that is over is compared whole (12); a year in progress
    through its latest month with data (`latest`, a YYYY-MM, or None before its first data: 0).
    Eleven months against twelve would read as a fall where the city grew."""
    if year < on.year:
        return 12
    if latest is None or not latest.startswith(f"{year}-"):
        return 0
    return int(latest[5:7])


def months_label(months: int, complete: bool) -> str:
    """The compared months as officials write them: 全年, 1–11月, 1月."""
    if complete:
        return "全年"
    if months == 0:
        return "暂无数据"
    return "1月" if months == 1 else f"1–{months}月"
