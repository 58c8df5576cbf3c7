"""OWASP's rule for CSV injection, for every file the platform hands out."""

from __future__ import annotations

import csv
import io

from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from shared import csv_bytes, safe_row
from shared.spreadsheets import safe_cell

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


class TestSafeCell:
    def test_text_starting_with_a_trigger_is_quoted(self) -> None:
        for trigger in TRIGGERS:
            assert safe_cell(trigger + "1+1") == "'" + trigger + "1+1"

    def test_numbers_and_plain_text_are_unchanged(self) -> None:
        assert safe_row([-5, 1.5, None, "苏州中心", "a=b"]) == [-5, 1.5, None, "苏州中心", "a=b"]

    @given(st.text(max_size=40))
    def test_no_text_survives_as_a_formula_in_xlsx(self, text: str) -> None:
        workbook = Workbook()
        sheet = workbook.active
        assert sheet is not None
        sheet.append(safe_row([text]))
        buffer = io.BytesIO()
        workbook.save(buffer)
        cell = load_workbook(io.BytesIO(buffer.getvalue())).active["A1"]
        assert cell.data_type != "f"
        assert not (isinstance(cell.value, str) and cell.value.startswith(TRIGGERS))

    @given(st.lists(st.text(max_size=20), min_size=1, max_size=5))
    def test_no_csv_cell_starts_with_a_trigger(self, row: list[str]) -> None:
        decoded = csv_bytes(["h"] * len(row), [row]).decode("utf-8-sig")
        cells = list(csv.reader(io.StringIO(decoded, newline="")))[1]
        assert not [c for c in cells if c.startswith(TRIGGERS)]
