"""Request and response models for movements, tenants and featured-industry candidates."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import field_validator
from sqlmodel import Field, SQLModel

from shared import FeaturedIndustry, Line, RequestModel, industry_problem, uscc_problem

MAX_BATCH = 5000


class MovementKind(StrEnum):
    move_in = "move_in"  # 入驻
    move_out = "move_out"  # 迁出


class MovementBase(SQLModel):
    record_id: Line = Field(
        min_length=1, max_length=100, description="The district system's id for this record."
    )
    uscc: str = Field(description="统一社会信用代码 (GB 32100-2015), check character verified.")
    enterprise_name: Line = Field(min_length=1, max_length=200, description="Enterprise name.")
    building_id: str = Field(min_length=1, max_length=64, description="The building.")
    kind: MovementKind = Field(description="move_in or move_out.")
    date: dt.date = Field(description="Date of the movement.")
    area_m2: float | None = Field(default=None, gt=0, le=10_000_000, description="Leased area.")
    industry_code: str | None = Field(default=None, description="GB/T 4754-2017 industry code.")


def _valid_uscc(value: str) -> str:
    problem = uscc_problem(value)
    if problem:
        raise ValueError(f"not a valid 统一社会信用代码: {problem}")
    return value


def _known_industry(value: str | None) -> str | None:
    if value is not None and industry_problem(value):
        raise ValueError(f"{value!r} is not a GB/T 4754-2017 industry code")
    return value


class MovementRecord(MovementBase, RequestModel):
    """One movement in a pushed batch."""

    _uscc = field_validator("uscc")(_valid_uscc)
    _industry = field_validator("industry_code")(_known_industry)


class MovementBatch(RequestModel):
    """A batch of movements: stored all together or not at all."""

    records: list[MovementRecord] = Field(
        max_length=MAX_BATCH, description=f"At most {MAX_BATCH} records."
    )


class MovementResult(SQLModel):
    """What a push changed."""

    accepted: int = Field(description="Records stored by this push.")
    duplicates: int = Field(description="Records already stored with the same content.")


class MovementPublic(MovementBase):
    """A stored movement."""

    district_id: str = Field(description="The building's district.")
    building_name: str | None = Field(default=None, description="The building's name (in lists).")
    received_at: dt.datetime = Field(description="When the platform stored it.")
    version: int = Field(default=1, description="1, or more once corrected.")
    withdrawn_at: dt.datetime | None = Field(
        default=None, description="When it was withdrawn (it no longer counts)."
    )


class MovementFields(RequestModel):
    """A movement record's content, as a correction restates it (its record_id stays)."""

    uscc: str = Field(description="统一社会信用代码 (GB 32100-2015), check character verified.")
    enterprise_name: Line = Field(min_length=1, max_length=200, description="Enterprise name.")
    building_id: str = Field(min_length=1, max_length=64, description="The building.")
    kind: MovementKind = Field(description="move_in or move_out.")
    date: dt.date = Field(description="Date of the movement.")
    area_m2: float | None = Field(default=None, gt=0, le=10_000_000, description="Leased area.")
    industry_code: str | None = Field(default=None, description="GB/T 4754-2017 industry code.")

    _uscc = field_validator("uscc")(_valid_uscc)
    _industry = field_validator("industry_code")(_known_industry)


class MovementWithdrawal(RequestModel):
    """A district withdraws one of its records (撤回): it stays, marked, and no longer counts."""

    record_id: Line = Field(min_length=1, max_length=100, description="The record.")
    district_id: str | None = Field(
        default=None, max_length=32, description="Its district (the administrator names it)."
    )
    reason: Line = Field(min_length=1, max_length=500, description="Why.")


class MovementCorrection(MovementWithdrawal):
    """A district corrects one of its records: a new version, with the reason (更正)."""

    record: MovementFields = Field(description="What the record says now.")


class MovementVersionPublic(SQLModel):
    """One version of a record: what it said, and how that version ended."""

    version: int = Field(description="Version number, from 1.")
    record: dict[str, object] = Field(description="What the record said.")
    ended_by: str | None = Field(description="corrected or withdrawn; null for the current one.")
    reason: str | None = Field(description="Why it was corrected or withdrawn.")
    by: str | None = Field(description="Who corrected or withdrew it.")
    at: dt.datetime | None = Field(description="When.")


class MovementHistory(SQLModel):
    """Every version of a movement record, oldest first."""

    district_id: str = Field(description="District.")
    record_id: str = Field(description="Record id.")
    withdrawn: bool = Field(description="Whether the record is withdrawn.")
    versions: list[MovementVersionPublic] = Field(description="Oldest first; the last is current.")


class MovementPage(SQLModel):
    """One page of movements."""

    items: list[MovementPublic] = Field(description="Movements, newest first.")
    total: int = Field(description="How many match in all.")


class TenantPublic(SQLModel):
    """An enterprise in a building now (no tax figures: 税收保密)."""

    uscc: str = Field(description="统一社会信用代码.")
    enterprise_name: str = Field(description="Name.")
    industry_code: str | None = Field(description="GB/T 4754-2017 code, if reported.")
    featured_industry: FeaturedIndustry | None = Field(description="Featured industry, if any.")
    area_m2: float | None = Field(description="Leased area, if reported.")
    since: dt.date | None = Field(description="Date it moved in.")


class IndustryShare(SQLModel):
    """One featured industry's share of a building's tenants."""

    industry: FeaturedIndustry = Field(description="The featured industry.")
    enterprises: int = Field(description="Tenant enterprises in the industry.")
    enterprise_share: float = Field(description="Their share of all tenant enterprises (0…1).")
    leased_area_m2: float = Field(description="Area they lease.")
    area_share: float = Field(description="Their share of all leased area (0…1).")


class FeaturedCandidate(SQLModel):
    """A building whose tenants make it a candidate for a featured designation."""

    building_id: str = Field(description="Building id.")
    building_name: str = Field(description="Building name.")
    district_id: str = Field(description="District.")
    tenant_enterprises: int = Field(description="Current tenant enterprises.")
    leased_area_m2: float = Field(description="Area leased by current tenants.")
    shares: list[IndustryShare] = Field(description="Share of every featured industry present.")
    candidate_industries: list[FeaturedIndustry] = Field(
        description="Industries at or above the threshold by enterprises or by area."
    )
    designated_industries: list[FeaturedIndustry] = Field(description="Already designated.")


class CandidatePage(SQLModel):
    """Featured-industry candidates."""

    threshold: float = Field(description="The share that makes a candidate.")
    items: list[FeaturedCandidate] = Field(description="This page of the candidate buildings.")
    total: int = Field(description="Candidate buildings in all.")


class IndustryLevel(StrEnum):
    """How finely tenants are grouped: GB/T 4754-2017 sections (门类) or divisions (大类)."""

    section = "section"
    division = "division"


class IndustryGroup(SQLModel):
    """Tenants of one industry section or division."""

    code: str = Field(description="GB/T 4754-2017 code (a section letter or a division number).")
    name_zh: str = Field(description="Its name in the standard.")
    enterprises: int = Field(description="Enterprises in a building now.")
    area_m2: float = Field(description="The area they lease.")


class MonthFlow(SQLModel):
    """One month's enterprise movements."""

    period: str = Field(description="YYYY-MM")
    move_in: int = Field(description="Move-ins dated in the month.")
    move_out: int = Field(description="Move-outs dated in the month.")
    net: int = Field(description="move_in − move_out.")


class FeaturedShare(SQLModel):
    """One featured industry among the tenants."""

    industry: FeaturedIndustry = Field(description="The featured industry.")
    enterprises: int = Field(description="Tenant enterprises in it.")
    enterprise_share: float | None = Field(description="Of the tenants with a reported code.")
    area_m2: float = Field(description="The area they lease.")
    area_share: float | None = Field(description="Of the area those tenants lease.")


class FeaturedShares(SQLModel):
    """The six featured industries' shares of the current tenants (by count and area)."""

    enterprises: int = Field(description="Tenants with a reported industry code.")
    area_m2: float = Field(description="The area they lease.")
    industries: list[FeaturedShare] = Field(description="Each featured industry, in order.")
