"""Request and response models for targets."""

from __future__ import annotations

from datetime import datetime

from pydantic import model_validator
from sqlmodel import Field, SQLModel

from policy import district_ids
from shared import FieldError, Paragraphs, RequestModel


class DistrictTargets(RequestModel):
    """One district's targets for a year (Annex 1's columns)."""

    district_id: str = Field(description="District.")
    new_100m_buildings: int = Field(ge=0, le=10_000, description="New 亿元楼宇 (新增).")
    cumulative_100m_buildings: int = Field(ge=0, le=10_000, description="亿元楼宇 in all (累计).")
    new_featured_buildings: int = Field(ge=0, le=10_000, description="New featured buildings.")
    stock_renovations: int = Field(ge=0, le=10_000, description="Stock buildings renovated.")
    promotion_events: int = Field(ge=0, le=10_000, description="Promotion events held.")


class TargetsUpdate(RequestModel):
    """A year's complete targets, replacing the version in force (which is kept)."""

    targets: list[DistrictTargets] = Field(description="One entry for each of the ten districts.")
    reason: Paragraphs | None = Field(
        default=None, max_length=1000, description="Why they change (e.g. 年度目标动态调整)."
    )

    @model_validator(mode="after")
    def _all_ten_once(self) -> TargetsUpdate:
        given = [t.district_id for t in self.targets]
        unknown = sorted(set(given) - set(district_ids()))
        if unknown:
            raise ValueError(f"unknown districts: {', '.join(unknown)}")
        repeated = sorted({d for d in given if given.count(d) > 1})
        if repeated:
            raise ValueError(f"districts given more than once: {', '.join(repeated)}")
        missing = [d for d in district_ids() if d not in given]
        if missing:
            raise ValueError(f"every district needs targets; missing: {', '.join(missing)}")
        return self


class YearTargets(SQLModel):
    """A year's targets in force."""

    year: int = Field(description="Calendar year.")
    version: int = Field(description="Version number (1 = first set).")
    reason: str = Field(description="Why this version was set.")
    created_by: str = Field(description="Who set it.")
    created_at: datetime = Field(description="When.")
    targets: list[DistrictTargets] = Field(description="The ten districts, in Annex 1 order.")


class TargetHistory(SQLModel):
    """Every version of a year's targets, oldest first."""

    year: int = Field(description="Calendar year.")
    versions: list[YearTargets] = Field(description="Versions, oldest first.")


class ImportReport(SQLModel):
    """What a CSV import found, and (unless a dry run) stored."""

    year: int = Field(description="Calendar year.")
    dry_run: bool = Field(description="Nothing was stored.")
    valid: bool = Field(description="The file has no problem.")
    problems: list[FieldError] = Field(
        description="Every problem, by row (index from 0) and column."
    )
    targets: list[DistrictTargets] = Field(description="The rows read without problems.")
    version: int | None = Field(description="The version stored (not on a dry run).")
