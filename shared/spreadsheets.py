"""Cells for the CSV and XLSX files the platform hands out, safe to open in a spreadsheet.

A district names its own buildings and events; a name such as `=HYPERLINK("http://x/","点击")`
would be a live formula in whoever opens the export. OWASP's rule for CSV injection: a text cell
that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with a single quote,
so spreadsheets show it as the text it is. Numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """A cell value that no spreadsheet will evaluate, and that XLSX can carry."""
    if not isinstance(value, str):
        return value
    # Text stored before validation tightened may hold characters XLSX cannot carry.
    text = ILLEGAL_CHARACTERS_RE.sub("", value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def safe_row(row: Iterable[object]) -> list[object]:
    """Every cell of a row made safe."""
    return [safe_cell(value) for value in row]


def csv_bytes(headers: Sequence[object], rows: Iterable[Iterable[object]]) -> bytes:
    """UTF-8 with a byte-order mark (Excel reads the Chinese right), every cell made safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(safe_row(headers))
    writer.writerows(safe_row(row) for row in rows)
    return buffer.getvalue().encode("utf-8-sig")
