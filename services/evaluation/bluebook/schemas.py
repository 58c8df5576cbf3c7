"""The blue book's content: every figure it shows, frozen into the publication it comes from.

A blue book is rendered from a publication, never from live figures, so what it prints is what
was published. The full edition is for the administrator and the supervision office; the public
edition (`public()`) names no enterprise and no building's tax: taxes appear only summed over a
district or the city, and events only as counts.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

Edition = Literal["full", "public"]


class Overview(BaseModel):
    """The city's year beside the previous one."""

    buildings: int = Field(description="Buildings on the platform.")
    gross_floor_area_m2: float = Field(description="Their gross floor area.")
    tax_cents: int = Field(description="The city's tax over the year, in fen.")
    tax_prev_cents: int = Field(description="The previous year's tax over the same months.")
    compared: str = Field(
        default="全年",
        description="The months both years' tax covers: 全年 once the year is over, 1–11月 "
        "while it is in progress (what every 同比 of the book compares).",
    )
    occupancy_rate: float | None = Field(description="Latest months' Σ occupied ÷ Σ leasable.")
    over_counts: dict[str, int] = Field(
        description="Buildings above 1亿, 5亿, 10亿 (100m/500m/1b)."
    )


class DistrictLine(BaseModel):
    """A district's assessment as published, and its year beside the previous one."""

    district_id: str
    name: str
    targets: dict[str, int] = Field(description="indicator → target.")
    actuals: dict[str, float | None] = Field(description="indicator → verified actual.")
    total: float | None
    rank: int | None
    pending: dict[str, int] = Field(description="indicator → inputs awaiting review.")
    tax_cents: int = 0
    tax_prev_cents: int = 0
    occupancy_rate: float | None = None
    over_counts: dict[str, int] = Field(default_factory=dict)


class TierBuilding(BaseModel):
    district: str = Field(description="District name.")
    building_id: str
    name: str
    tax_cents: int | None = Field(description="Its tax over the year (None in the public edition).")


class Featured(BaseModel):
    district: str
    building: str
    industry: str
    designated_on: date


class IndustryLine(BaseModel):
    """Tenants of one GB/T 4754-2017 section, by enterprises and leased area (never by tax)."""

    code: str
    name_zh: str
    enterprises: int
    area_m2: float


class Flow(BaseModel):
    period: str
    move_in: int
    move_out: int
    net: int


class EventLine(BaseModel):
    day: date
    kind: str = Field(description="Kind in Chinese.")
    organiser: str
    title: str | None = Field(description="Its title (None in the public edition).")


class TaskLine(BaseModel):
    task_id: str
    task: str
    deadline: date | None
    status: str = Field(description="Status in Chinese.")
    overdue: bool


class CoverageLine(BaseModel):
    name: str
    annex_1_count: int
    registered: int
    registered_in_pipeline: int
    share: float | None


class BlueBook(BaseModel):
    """Everything the blue book shows for one publication."""

    year: int
    scheme: str
    publication_id: int = 0
    published_at: str = ""
    edition: Edition = "full"
    overview: Overview
    districts: list[DistrictLine]
    tiers: dict[str, list[TierBuilding]] = Field(description="100m/500m/1b → buildings.")
    featured: list[Featured]
    industries: list[IndustryLine] = Field(description="City-wide, by section.")
    district_industries: dict[str, list[IndustryLine]] = Field(
        description="District id → its tenants by section."
    )
    flows: list[Flow] = Field(description="The city's months.")
    district_flows: dict[str, list[Flow]] = Field(description="District id → its months.")
    months: list[str]
    monthly_tax_cents: list[int | None]
    monthly_occupancy: list[float | None]
    events: list[EventLine]
    tasks: list[TaskLine]
    coverage: list[CoverageLine]

    def public(self) -> BlueBook:
        """The edition anyone may read: no building's tax, no event titles, no review queue."""
        return self.model_copy(
            update={
                "edition": "public",
                "districts": [d.model_copy(update={"pending": {}}) for d in self.districts],
                "tiers": {
                    tier: [b.model_copy(update={"tax_cents": None}) for b in buildings]
                    for tier, buildings in self.tiers.items()
                },
                "events": [e.model_copy(update={"title": None}) for e in self.events],
            }
        )
