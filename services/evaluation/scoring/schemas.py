"""Request and response models for schemes, scores, evidence and robustness."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import StringConstraints, model_validator
from sqlmodel import Field, SQLModel

from services.evaluation.scoring.formula import DEVELOPMENT_INDICATORS, TARGET_INDICATORS
from shared import Line, RequestModel

SCHEME_ID_PATTERN = r"^[a-z0-9][a-z0-9.-]{2,63}$"


class SchemeDefinition(RequestModel):
    """A scoring scheme. Weights add up to 1; indicators come from the contract's lists."""

    id: Annotated[str, StringConstraints(pattern=SCHEME_ID_PATTERN)] = Field(
        description="Stable id, e.g. sbe-balanced-v2."
    )
    name_zh: Line = Field(default="", max_length=100, description="Its name in Chinese.")
    description: Line = Field(default="", max_length=500, description="What it is for.")
    target_weight: Decimal = Field(ge=0, le=1, description="Weight of the target component.")
    development_weight: Decimal = Field(ge=0, le=1, description="Weight of the development one.")
    completion_cap: Decimal = Field(
        default=Decimal(1), gt=0, le=10, description="Cap on actual/target."
    )
    target_indicators: list[str] = Field(description="Target indicators scored.")
    development_indicators: list[str] = Field(description="Development indicators scored.")
    aggregation: Literal["arithmetic", "geometric"] = Field(
        default="arithmetic", description="How target completions are averaged."
    )
    counting: Literal["records", "buildings"] = Field(
        default="records",
        description="new_featured_buildings and stock_renovations count records (v1) or distinct "
        "buildings, 幢 (v2).",
    )
    tax_area: Literal["all", "operating"] = Field(
        default="all",
        description="Tax per m² divides by every building's floor area (v1) or by the operating "
        "buildings' only (v2).",
    )

    @model_validator(mode="after")
    def _consistent(self) -> SchemeDefinition:
        if self.target_weight + self.development_weight != 1:
            raise ValueError("target_weight and development_weight must add up to 1")
        unknown = set(self.target_indicators) - set(TARGET_INDICATORS)
        unknown |= set(self.development_indicators) - set(DEVELOPMENT_INDICATORS)
        if unknown:
            raise ValueError(f"unknown indicators: {', '.join(sorted(unknown))}")
        if len(set(self.target_indicators)) != len(self.target_indicators) or len(
            set(self.development_indicators)
        ) != len(self.development_indicators):
            raise ValueError("an indicator is listed twice")
        return self


class IndicatorPublic(SQLModel):
    """One indicator of a district's score."""

    key: str = Field(description="Indicator.")
    actual: float | None = Field(description="What the district achieved (None: no value).")
    target: int | None = Field(description="Its target (target indicators only).")
    completion: float | None = Field(description="min(actual/target, cap); None when left out.")
    normalized: float | None = Field(description="0…100 across districts (development only).")
    weight: float = Field(description="Its weight in the total (0 when left out).")
    contribution: float | None = Field(description="weight × value: what it adds to the total.")


class DistrictScorePublic(SQLModel):
    """A district's score."""

    district_id: str = Field(description="District.")
    rank: int = Field(description="1 is the highest total; equal totals share a rank.")
    total: float = Field(description="0.6 × target + 0.4 × development, rounded to 2 decimals.")
    target_component: float = Field(description="100 × mean completion.")
    development_component: float = Field(description="Mean of the normalised development values.")
    indicators: list[IndicatorPublic] = Field(description="Every indicator.")


class ScoreBoard(SQLModel):
    """The districts' scores for a year under a scheme."""

    year: int = Field(description="Calendar year.")
    scheme: str = Field(description="Scheme id.")
    scheme_name: str = Field(default="", description="The scheme's name in Chinese (else its id).")
    districts: list[DistrictScorePublic] = Field(description="By rank.")
    pending: dict[str, dict[str, int]] = Field(
        default_factory=dict,
        description="Beside the scores, never in them: district → indicator → inputs the "
        "district entered that await the administrator's review (districts with any).",
    )


class RankRange(SQLModel):
    """How a district's rank moves under reasonable variations of the method."""

    district_id: str = Field(description="District.")
    rank: int = Field(description="Rank under the scheme asked for.")
    median_rank: float = Field(description="Median rank over the variations.")
    best_rank: int = Field(description="Best rank in any variation.")
    worst_rank: int = Field(description="Worst rank in any variation.")
    stable: bool = Field(description="The rank moves by at most one place.")


class Robustness(SQLModel):
    """Ranks under method variations (OECD/JRC composite-indicator practice)."""

    year: int = Field(description="Calendar year.")
    scheme: str = Field(description="The scheme the variations start from.")
    variations: list[str] = Field(description="The variations computed.")
    districts: list[RankRange] = Field(description="Each district, by rank.")


class EvidenceItem(SQLModel):
    """One building, designation, renovation or event counted for an indicator."""

    id: str = Field(description="Building, renovation or event id.")
    name: str = Field(description="Its name or title.")
    detail: str = Field(description="Why it counts (a date, a tax total, an industry).")


class Evidence(SQLModel):
    """What is behind each count of a district's year."""

    district_id: str = Field(description="District.")
    year: int = Field(description="Calendar year.")
    scheme: str = Field(description="The scheme whose way of counting the lists follow.")
    indicators: dict[str, list[EvidenceItem]] = Field(description="Indicator → what it counts.")
    pending: dict[str, list[EvidenceItem]] = Field(
        description="Indicator → what the district entered that awaits review (not counted)."
    )
