"""Query and path parameters the endpoints share, bounded so the database can represent them."""

from typing import Annotated

from fastapi import Path, Query

# Bounded so a client cannot ask the database for an offset it cannot represent.
MAX_OFFSET = 2**31 - 1

Limit = Annotated[int, Query(ge=1, le=1000, description="Page size (1–1000).")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="How many to skip.")]

MAX_ID = 2**63 - 1
RowId = Annotated[int, Path(ge=1, le=MAX_ID, description="Numeric id.")]
