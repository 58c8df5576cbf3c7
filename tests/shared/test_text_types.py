"""The text types' refusal of control characters: exactly Unicode's category Cc."""

from __future__ import annotations

import unicodedata

import pytest
from pydantic import TypeAdapter, ValidationError

from shared import Line, Paragraphs

LINE = TypeAdapter(Line)
PARAGRAPHS = TypeAdapter(Paragraphs)


def test_every_code_point_is_judged_by_its_unicode_category() -> None:
    for code_point in range(0x110000):
        if 0xD800 <= code_point <= 0xDFFF:
            continue  # surrogates never arrive in decoded JSON
        character = chr(code_point)
        control = unicodedata.category(character) == "Cc"
        for adapter, allowed in ((LINE, ""), (PARAGRAPHS, "\n\t")):
            text = f"名{character}称"
            if control and character not in allowed:
                with pytest.raises(ValidationError, match="control characters"):
                    adapter.validate_python(text)
            else:
                assert adapter.validate_python(text) == text
