"""Pydantic errors become RFC 9457 `errors` entries naming the record and field at fault."""

from __future__ import annotations

from shared import FieldError
from shared.problems import field_errors_from_pydantic


class TestFieldErrors:
    def test_batch_records_are_named_by_index(self) -> None:
        errors = field_errors_from_pydantic(
            [
                {
                    "loc": ("body", "records", 3, "uscc"),
                    "msg": "Value error, bad",
                    "type": "value_error",
                }
            ]
        )
        assert errors == [FieldError(index=3, field="uscc", message="bad")]

    def test_unknown_fields_say_so(self) -> None:
        errors = field_errors_from_pydantic(
            [
                {
                    "loc": ("body", "floors"),
                    "msg": "Extra inputs are not permitted",
                    "type": "extra_forbidden",
                }
            ]
        )
        assert errors == [FieldError(field="floors", message="unknown field")]

    def test_a_whole_record_at_fault_names_its_list(self) -> None:
        errors = field_errors_from_pydantic(
            [
                {
                    "loc": ("body", "records", 0),
                    "msg": "Input should be an object",
                    "type": "model_type",
                }
            ]
        )
        assert errors == [FieldError(index=0, field="records", message="Input should be an object")]

    def test_query_parameters_are_named(self) -> None:
        errors = field_errors_from_pydantic(
            [{"loc": ("query", "limit"), "msg": "too big", "type": "x"}]
        )
        assert errors == [FieldError(field="limit", message="too big")]
