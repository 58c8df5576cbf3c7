"""Working days in China: weekends and public holidays (with their 调休) avoided, from the
maintained `chinese_calendar` data."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import chinese_calendar


@cache
def holiday_data_covers(year: int) -> bool:
    """Whether the holiday calendar knows the year's holidays."""
    try:
        chinese_calendar.is_holiday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def is_event_day(day: date) -> bool:
    """Monday–Friday and an official working day (not a holiday; a 调休 Saturday is avoided too)."""
    if day.weekday() >= 5:
        return False
    if holiday_data_covers(day.year):
        return bool(chinese_calendar.is_workday(day))
    return True


def nearest_event_day(target: date, taken: set[date], first: date, last: date) -> date | None:
    """The event day closest to `target` within [first, last] and not taken (earlier on ties)."""
    for distance in range((last - first).days + 1):
        for candidate in (target - timedelta(days=distance), target + timedelta(days=distance)):
            if first <= candidate <= last and candidate not in taken and is_event_day(candidate):
                return candidate
    return None
