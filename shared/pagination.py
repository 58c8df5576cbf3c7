"""Query and path parameters the endpoints share, bounded so the database can represent them."""

from typing import Annotated

from fastapi import Path, Query

from shared.schemas import ID_ASCII_PATTERN, MAX_ID_CHARS

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

DISTRICT_PATTERN = r"^[a-z]{1,32}$"
DistrictPath = Annotated[
    str, Path(pattern=DISTRICT_PATTERN, description="A district id, e.g. gusu.")
]
DistrictFilter = Annotated[
    str | None, Query(pattern=DISTRICT_PATTERN, description="Only this district (e.g. gusu).")
]
