"""Response models for the industry structure, the monthly flows and the featured-industry
candidates."""

from __future__ import annotations

from enum import StrEnum

from sqlmodel import Field, SQLModel

from policy import FeaturedIndustry


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
