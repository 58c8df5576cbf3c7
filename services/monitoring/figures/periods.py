"""Month arithmetic on YYYY-MM periods."""


def shift(period: str, months: int) -> str:
    """'2023-01' shifted by -1 → '2022-12'."""
    index = int(period[:4]) * 12 + int(period[5:]) - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"
