"""The default scheme, worked by hand: the code must agree to the cent."""

from __future__ import annotations

from decimal import Decimal

import pytest

from services.evaluation.scoring.formula import DEFAULT, DistrictInputs, normalise, score

TARGETS = {
    "new_100m_buildings": 2,
    "cumulative_100m_buildings": 4,
    "new_featured_buildings": 2,
    "stock_renovations": 0,
    "promotion_events": 4,
}
NONE = dict.fromkeys(("occupancy_rate", "tax_per_m2", "tax_growth", "net_move_in"))


def district(
    name: str, actuals: dict[str, int], development: dict, targets: dict | None = None
) -> DistrictInputs:
    return DistrictInputs(
        name, actuals, TARGETS if targets is None else targets, {**NONE, **development}
    )


X = district(
    "x",
    {
        "new_100m_buildings": 1,
        "cumulative_100m_buildings": 5,
        "new_featured_buildings": 1,
        "stock_renovations": 3,
        "promotion_events": 2,
    },
    {"occupancy_rate": Decimal("0.8"), "tax_per_m2": Decimal(1000), "net_move_in": Decimal(10)},
)
Y = district(
    "y",
    {
        "new_100m_buildings": 2,
        "cumulative_100m_buildings": 2,
        "new_featured_buildings": 0,
        "stock_renovations": 0,
        "promotion_events": 4,
    },
    {
        "occupancy_rate": Decimal("0.6"),
        "tax_per_m2": Decimal(500),
        "tax_growth": Decimal("0.1"),
        "net_move_in": Decimal(10),
    },
)
EMPTY = district("z", {}, {}, dict.fromkeys(TARGETS, 0))


class TestDefaultScheme:
    def test_target_component_caps_and_leaves_out_zero_targets(self) -> None:
        (x,) = [s for s in score(DEFAULT, [X, Y]) if s.district_id == "x"]
        # 0.5, min(5/4, 1) = 1, 0.5, (target 0: left out), 0.5 → mean 0.625
        assert x.target_component == Decimal("62.5")
        completions = {i.key: i.completion for i in x.indicators}
        assert completions["stock_renovations"] is None
        assert completions["cumulative_100m_buildings"] == 1

    def test_development_is_min_max_normalised_across_districts_with_a_value(self) -> None:
        scores = {s.district_id: s for s in score(DEFAULT, [X, Y])}
        # occupancy x 100 y 0; tax/m² x 100 y 0; growth only y → 100; move-in equal → 100 both
        assert scores["x"].development_component == 100
        assert scores["y"].development_component == 50

    def test_totals_to_the_cent_and_ranks(self) -> None:
        scores = {s.district_id: s for s in score(DEFAULT, [X, Y, EMPTY])}
        assert scores["x"].total == Decimal("77.50")  # 0.6 × 62.5 + 0.4 × 100
        assert scores["y"].total == Decimal("57.50")  # 0.6 × 62.5 + 0.4 × 50
        assert scores["z"].total == Decimal("0.00")
        assert [scores[d].rank for d in "xyz"] == [1, 2, 3]

    def test_a_district_without_data_scores_zero_in_both_parts(self) -> None:
        (z,) = [s for s in score(DEFAULT, [X, Y, EMPTY]) if s.district_id == "z"]
        assert (z.target_component, z.development_component) == (0, 0)
        assert all(i.weight == 0 for i in z.indicators)

    def test_equal_totals_share_a_rank(self) -> None:
        twin = DistrictInputs("w", Y.actuals, Y.targets, Y.development)
        ranks = {s.district_id: s.rank for s in score(DEFAULT, [X, Y, twin, EMPTY])}
        assert ranks == {"x": 1, "y": 2, "w": 2, "z": 4}

    def test_rounding_is_half_up_not_bankers_nor_float(self) -> None:
        # one target: 823 of 4000 → completion 0.20575 → 0.6 × 20.575 = 12.345 → 12.35
        only = {"new_100m_buildings": 4000}
        d = district("r", {"new_100m_buildings": 823}, {}, only)
        (result,) = score(DEFAULT, [d])
        assert result.total == Decimal("12.35")

    def test_contributions_add_up_to_the_total(self) -> None:
        for result in score(DEFAULT, [X, Y]):
            contributions = sum(
                i.contribution for i in result.indicators if i.contribution is not None
            )
            assert contributions.quantize(Decimal("0.01")) == result.total

    def test_weights_are_shared_by_the_indicators_present(self) -> None:
        (x,) = [s for s in score(DEFAULT, [X, Y]) if s.district_id == "x"]
        weights = {i.key: i.weight for i in x.indicators}
        assert weights["new_100m_buildings"] == Decimal("0.15")  # 0.6 / 4 targets scored
        assert weights["stock_renovations"] == 0
        assert weights["tax_growth"] == 0  # x has no growth value
        assert weights["occupancy_rate"] == Decimal("0.4") / 3


class TestNormalise:
    def test_all_equal_is_a_hundred_for_all(self) -> None:
        assert normalise({"a": Decimal(3), "b": Decimal(3), "c": None}) == {
            "a": 100,
            "b": 100,
            "c": None,
        }

    @pytest.mark.parametrize(
        ("value", "expected"), [(Decimal(0), 0), (Decimal(5), 50), (Decimal(10), 100)]
    )
    def test_min_max(self, value: Decimal, expected: int) -> None:
        result = normalise({"low": Decimal(0), "mid": value, "high": Decimal(10)})
        assert result["mid"] == expected
