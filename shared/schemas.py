"""Base of request models and the text types they share."""

import unicodedata
from typing import Annotated

from pydantic import AfterValidator, ConfigDict
from sqlmodel import SQLModel


class RequestModel(SQLModel):
    """A request body: every field known, nothing extra accepted."""

    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]


def _single_line(value: str) -> str:
    # Control characters have no place in a name or an address, and they break the XLSX and
    # CSV exports the districts download.
    if any(unicodedata.category(ch) == "Cc" for ch in value):
        raise ValueError("must not contain control characters")
    return value


def _multi_line(value: str) -> str:
    if any(unicodedata.category(ch) == "Cc" and ch not in "\n\t" for ch in value):
        raise ValueError("must not contain control characters other than newlines and tabs")
    return value


Line = Annotated[str, AfterValidator(_single_line)]
"""One line of text: a name, an address, a label."""

Paragraphs = Annotated[str, AfterValidator(_multi_line)]
"""Free text that may span lines: notes, evidence."""
