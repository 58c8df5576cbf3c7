"""Base of request models and the text types they share."""

import re
from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, ConfigDict, StringConstraints
from sqlmodel import SQLModel


class RequestModel(SQLModel):
    """A request body: every field known, nothing extra accepted."""

    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]


# Unicode's control characters (category Cc) are exactly U+0000–U+001F and U+007F–U+009F.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_CONTROL_BUT_NEWLINE_AND_TAB = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _single_line(value: str) -> str:
    # Control characters have no place in a name or an address, and they break the XLSX and
    # CSV exports the districts download.
    if _CONTROL.search(value):
        raise ValueError("must not contain control characters")
    return value


def _multi_line(value: str) -> str:
    if _CONTROL_BUT_NEWLINE_AND_TAB.search(value):
        raise ValueError("must not contain control characters other than newlines and tabs")
    return value


Line = Annotated[str, AfterValidator(_single_line)]
"""One line of text: a name, an address, a label."""

Paragraphs = Annotated[str, AfterValidator(_multi_line)]
"""Free text that may span lines: notes, evidence."""


# Feed and path identifiers: printable ASCII, at most 64 characters, which every column, log
# line and header can hold as they are.
ID_ASCII_PATTERN = r"^[\x21-\x7e][\x20-\x7e]{0,62}[\x21-\x7e]$|^[\x21-\x7e]$"
MAX_ID_CHARS = 64

# A month the platform can hold: ASCII digits only (Unicode digits such as '２０２３' are refused),
# from 2000-01 to 2100-12.
PERIOD_PATTERN = r"^(20[0-9]{2}|2100)-(0[1-9]|1[0-2])$"

Period = Annotated[str, StringConstraints(pattern=PERIOD_PATTERN)]
"""A month, `YYYY-MM`, 2000-01 … 2100-12."""

AsciiId = Annotated[
    str, StringConstraints(min_length=1, max_length=MAX_ID_CHARS, pattern=ID_ASCII_PATTERN)
]
"""An identifier sent by another system: printable ASCII, 1–64 characters."""


_EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
_AFTER_LATEST = datetime(2101, 1, 1, tzinfo=UTC)


def _in_platform_years(value: datetime) -> datetime:
    if not _EARLIEST <= value < _AFTER_LATEST:
        raise ValueError("must fall in the years 2000 to 2100")
    return value


PlatformDatetime = Annotated[AwareDatetime, AfterValidator(_in_platform_years)]
"""An RFC 3339 instant with its offset, in the years the platform covers (2000–2100): what
people enter for events and the like (nothing earlier can be shown in Beijing time as +08:00)."""
