"""Money is exact: decimal strings in, integer fen inside, decimal strings out."""

from __future__ import annotations

from decimal import Decimal

import pytest

from policy import format_cents, format_cents_grouped, format_cny_zh, parse_cents, round_half_up


class TestMoney:
    @pytest.mark.parametrize(
        ("text", "cents"),
        [
            ("0", 0),
            ("1", 100),
            ("1.5", 150),
            ("1234.56", 123456),
            ("-20.01", -2001),
            ("100000000.00", 10_000_000_000),
        ],
    )
    def test_parses_plain_decimals(self, text: str, cents: int) -> None:
        assert parse_cents(text) == cents

    @pytest.mark.parametrize(
        "text",
        ["1.234", "1e3", "abc", "", " 1", "NaN", "Infinity", "+1", "1,000", "١٢٣", "１２.５", "2³"],
    )
    def test_refuses_anything_else(self, text: str) -> None:
        with pytest.raises(ValueError):
            parse_cents(text)

    def test_formats_with_two_decimals(self) -> None:
        assert format_cents(123450) == "1234.50"
        assert format_cents(-1) == "-0.01"
        assert format_cents(0) == "0.00"

    def test_rounds_half_up_like_a_person(self) -> None:
        assert round_half_up(Decimal("0.125")) == Decimal("0.13")
        assert round_half_up(Decimal("2.675")) == Decimal("2.68")


def test_amounts_as_officials_write_them() -> None:
    assert format_cny_zh(150_000_000_00) == "1.50亿元"
    assert format_cny_zh(100_000_000_00) == "1.00亿元"  # the line itself reads in 亿元
    assert format_cny_zh(99_999_999_99) == "10,000.00万元"  # rounded, still below the line
    assert format_cny_zh(1_234_560_00) == "123.46万元"
    assert format_cny_zh(-2_000_000_000_00) == "-20.00亿元"  # a refund
    assert format_cents_grouped(1_259_192_567_44) == "1,259,192,567.44"
    assert format_cents_grouped(-5) == "-0.05"
