"""Query parameters every list endpoint shares."""

from typing import Annotated

from fastapi import Query

# Bounded so a client cannot ask the database for an offset it cannot represent.
MAX_OFFSET = 2**31 - 1

Limit = Annotated[int, Query(ge=1, le=1000, description="Page size (1–1000).")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="How many to skip.")]
