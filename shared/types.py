"""Time as the platform keeps it: an aware UTC column type on both databases, and Beijing time
for the calendar its years and months follow."""

from __future__ import annotations

from datetime import UTC, date, datetime
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
