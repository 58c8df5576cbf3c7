"""The blue book's charts read as officials expect: round ticks, gaps where months lack data."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from services.evaluation.bluebook.charts import line_chart, round_ticks


class TestRoundTicks:
    def test_a_tax_axis_steps_on_round_numbers(self) -> None:
        assert round_ticks(0, 334_822.62) == [0, 100_000, 200_000, 300_000, 400_000]

    def test_small_and_negative_ranges_too(self) -> None:
        assert round_ticks(0, 1.5) == [0, 0.5, 1.0, 1.5]
        assert round_ticks(-120, 380) == [-200, 0, 200, 400]

    @given(
        bottom=st.floats(-1e9, 0, allow_nan=False), height=st.floats(0.01, 1e10, allow_nan=False)
    )
    def test_the_ticks_cover_the_values_in_a_few_equal_steps(
        self, bottom: float, height: float
    ) -> None:
        ticks = round_ticks(bottom, bottom + height)
        assert ticks[0] <= bottom and ticks[-1] >= bottom + height
        assert 2 <= len(ticks) <= 12


class TestLineChart:
    def test_labels_are_the_round_ticks_and_missing_months_are_gaps(self) -> None:
        svg = line_chart(
            "全市月度税收", ["1月", "2月", "3月"], [334_822.62, None, 120_000.0], "万元"
        )
        assert ">300,000<" in svg and ">334,822.62<" not in svg.split("<circle")[0]
        assert svg.count("<polyline") == 0  # two points apart, nothing to join
