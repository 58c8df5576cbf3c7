"""Month arithmetic on YYYY-MM periods (and month indices, for the hot loops)."""


def month_index(period: str) -> int:
    """'2023-01' → 2023 × 12 + 0: consecutive months are consecutive integers."""
    return int(period[:4]) * 12 + int(period[5:7]) - 1


def period_of(index: int) -> str:
    """The inverse of month_index."""
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def shift(period: str, months: int) -> str:
    """'2023-01' shifted by -1 → '2022-12'."""
    return period_of(month_index(period) + months)
