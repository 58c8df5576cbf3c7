"""Query and path parameters the endpoints share, bounded so the database can represent them,
the page they ask for, and the id and period patterns the bodies use too."""

from typing import Annotated, Any

from fastapi import Path, Query
from sqlalchemy import func
from sqlmodel.ext.asyncio.session import AsyncSession

from shared.schemas import ID_ASCII_PATTERN, MAX_ID_CHARS, PERIOD_PATTERN, AsciiId, Period

# Bounded so a client cannot ask the database for an offset it cannot represent.
MAX_OFFSET = 2**31 - 1

Limit = Annotated[int, Query(ge=1, le=1000, description="Page size (1–1000).")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="How many to skip.")]

# Numeric row ids are 32-bit INTEGER columns: a larger id cannot name a row, and must not reach
# the database as a parameter it cannot hold.
MAX_ID = 2**31 - 1
RowId = Annotated[int, Path(ge=1, le=MAX_ID, description="Numeric id.")]

# Text ids in paths (buildings, events, renovations): printable ASCII, at most 64 characters.
TextId = Annotated[
    str,
    Path(min_length=1, max_length=MAX_ID_CHARS, pattern=ID_ASCII_PATTERN, description="The id."),
]

# The platform's years: its data starts this century and plans run to 2100.
YearQuery = Annotated[int, Query(ge=2000, le=2100, description="Calendar year.")]

DISTRICT_PATTERN = r"^[a-z]{1,32}$"
DistrictPath = Annotated[
    str, Path(pattern=DISTRICT_PATTERN, description="A district id, e.g. gusu.")
]
DistrictFilter = Annotated[
    str | None, Query(pattern=DISTRICT_PATTERN, description="Only this district (e.g. gusu).")
]


async def page_of(
    session: AsyncSession, query: Any, *order_by: Any, limit: int, offset: int
) -> tuple[list[Any], int]:
    """One page of a query's rows, in `order_by` order, and how many rows match in all: the
    count is the same statement with count(*) for its columns (its joins and filters kept)."""
    counting = query.with_only_columns(func.count(), maintain_column_froms=True).order_by(None)
    total = await session.scalar(counting)
    rows = await session.exec(query.order_by(*order_by).limit(limit).offset(offset))
    return list(rows), int(total or 0)


__all__ = [
    "ID_ASCII_PATTERN",
    "MAX_ID",
    "MAX_ID_CHARS",
    "PERIOD_PATTERN",
    "AsciiId",
    "DistrictFilter",
    "DistrictPath",
    "Limit",
    "Offset",
    "Period",
    "RowId",
    "TextId",
    "YearQuery",
    "page_of",
]
