"""The district score, computed exactly: Decimal arithmetic, rounded half up once,
at the end, so a total matches the formula worked by hand to the cent.

    completion cᵢ = min(actualᵢ / targetᵢ, cap)        for targets > 0 (others left out)
    target_component = 100 × mean(cᵢ)                  (arithmetic; geometric as a variant)
    development values min-max normalised to 0…100 across the districts having one
    development_component = mean of a district's normalised values (0 when it has none)
    total = round(w_t × target_component + w_d × development_component, 2)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from policy import round_half_up

TARGET_INDICATORS = (
    "new_100m_buildings",
    "cumulative_100m_buildings",
    "new_featured_buildings",
    "stock_renovations",
    "promotion_events",
)
DEVELOPMENT_INDICATORS = ("occupancy_rate", "tax_per_m2", "tax_growth", "net_move_in")
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Scheme:
    """A scoring scheme: versioned data, not code."""

    id: str
    name_zh: str = ""  # what people call it; the id where it has none
    target_weight: Decimal = Decimal("0.6")
    development_weight: Decimal = Decimal("0.4")
    completion_cap: Decimal = Decimal(1)
    target_indicators: tuple[str, ...] = TARGET_INDICATORS
    development_indicators: tuple[str, ...] = DEVELOPMENT_INDICATORS
    aggregation: Literal["arithmetic", "geometric"] = "arithmetic"
    description: str = ""
    # What the counts count: designation and renovation records (v1), or buildings (幢, v2).
    counting: Literal["records", "buildings"] = "records"
    # The floor area tax per m² divides by: every registered building (v1), or the operating
    # ones only (v2: planned and under-construction buildings yield no tax yet).
    tax_area: Literal["all", "operating"] = "all"


V1 = Scheme(
    id="sbe-default-v1",
    name_zh="默认评分方案（第1版）",
    description="苏州楼宇经济考核默认方案：目标完成60%（封顶100%），发展指标40%（跨地区极差标准化）。",
)
DEFAULT = Scheme(
    id="sbe-default-v2",
    name_zh="默认评分方案（第2版）",
    description="苏州楼宇经济考核默认方案（第2版）：按楼宇（幢）计数，"
    "单位面积税收只计运营中楼宇的建筑面积；权重同第1版。",
    counting="buildings",
    tax_area="operating",
)
SEEDED = (V1, DEFAULT)  # v1 stays: it reproduces every publication made under it


@dataclass
class DistrictInputs:
    """What one district's score is computed from."""

    district_id: str
    actuals: dict[str, int]
    targets: dict[str, int]
    development: dict[str, Decimal | None]  # None: no value (left out)
    # Inputs awaiting review (shown beside the score, never counted): indicator → how many.
    pending: dict[str, int] = field(default_factory=dict)


@dataclass
class IndicatorScore:
    key: str
    actual: Decimal | int | None
    target: int | None
    completion: Decimal | None
    normalized: Decimal | None
    weight: Decimal
    contribution: Decimal | None


@dataclass
class DistrictScore:
    district_id: str
    total: Decimal
    target_component: Decimal
    development_component: Decimal
    indicators: list[IndicatorScore] = field(default_factory=list)
    rank: int = 0


def _mean(values: list[Decimal]) -> Decimal:
    return sum(values, Decimal(0)) / len(values) if values else Decimal(0)


def _geometric_mean(values: list[Decimal]) -> Decimal:
    if not values:
        return Decimal(0)
    if any(v <= 0 for v in values):
        return Decimal(0)
    product = Decimal(1)
    for value in values:
        product *= value
    return product ** (Decimal(1) / len(values))


def normalise(values: dict[str, Decimal | None]) -> dict[str, Decimal | None]:
    """Min-max to 0…100 across the districts with a value; 100 for all when all are equal."""
    present = {d: v for d, v in values.items() if v is not None}
    if not present:
        return dict.fromkeys(values)
    low, high = min(present.values()), max(present.values())
    result: dict[str, Decimal | None] = dict.fromkeys(values)
    for district, value in present.items():
        result[district] = HUNDRED if high == low else (value - low) / (high - low) * HUNDRED
    return result


def score(scheme: Scheme, districts: list[DistrictInputs]) -> list[DistrictScore]:
    """Scores and ranks of every district (ranks over all of them: 1, 2, 2, 4 on ties)."""
    normalised = {
        key: normalise({d.district_id: d.development.get(key) for d in districts})
        for key in scheme.development_indicators
    }
    results = []
    for inputs in districts:
        indicators: list[IndicatorScore] = []
        completions: list[Decimal] = []
        for key in scheme.target_indicators:
            target = inputs.targets.get(key, 0)
            actual = inputs.actuals.get(key, 0)
            completion = (
                min(Decimal(actual) / target, scheme.completion_cap) if target > 0 else None
            )
            if completion is not None:
                completions.append(completion)
            indicators.append(
                IndicatorScore(key, actual, target, completion, None, Decimal(0), None)
            )
        mean = _geometric_mean if scheme.aggregation == "geometric" else _mean
        target_component = HUNDRED * mean(completions)
        developed = [
            (key, normalised[key][inputs.district_id]) for key in scheme.development_indicators
        ]
        present = [value for _, value in developed if value is not None]
        development_component = _mean(present)
        for indicator in indicators:
            if indicator.completion is not None:
                indicator.weight = scheme.target_weight / len(completions)
                if scheme.aggregation == "arithmetic":
                    indicator.contribution = indicator.weight * HUNDRED * indicator.completion
        for key, value in developed:
            weight = scheme.development_weight / len(present) if value is not None else Decimal(0)
            indicators.append(
                IndicatorScore(
                    key,
                    inputs.development.get(key),
                    None,
                    None,
                    value,
                    weight,
                    weight * value if value is not None else None,
                )
            )
        total = round_half_up(
            scheme.target_weight * target_component
            + scheme.development_weight * development_component
        )
        results.append(
            DistrictScore(
                inputs.district_id, total, target_component, development_component, indicators
            )
        )
    for result in results:
        result.rank = 1 + sum(1 for other in results if other.total > result.total)
    return results
