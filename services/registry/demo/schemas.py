"""Request and response models of the demonstration city's state."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from shared import Line, PlatformDatetime, RequestModel


class Check(BaseModel):
    """One thing the generator compared: what it sent against what the platform shows."""

    what: Line = Field(max_length=200, description="What was compared (税收 2024 sip, 楼宇 gusu…).")
    sent: str = Field(max_length=100, description="What the generator sent.")
    shown: str = Field(max_length=100, description="What the platform shows.")
    ok: bool = Field(description="Whether the two agree.")


class Reconciliation(BaseModel):
    """Everything the generator compared, and whether all of it agrees."""

    ok: bool = Field(description="True when every check agrees.")
    checks: list[Check] = Field(max_length=5_000, description="Each comparison.")


class DemoReport(RequestModel):
    """What `sbe demo` reports: the city it loads, when, and (once done) what it found."""

    seed: int = Field(ge=0, le=2**31 - 1, description="The city's seed.")
    scale: float = Field(gt=0, le=1_000, description="The city's scale (1: Suzhou's size).")
    started_at: PlatformDatetime = Field(description="When the load began.")
    loaded_at: PlatformDatetime | None = Field(
        default=None, description="When it was done; null while loading."
    )
    reconciliation: Reconciliation | None = Field(default=None, description="Once done.")


class DemoPublic(BaseModel):
    """Whether demonstration data is present, and whether it reconciles."""

    loaded: bool = Field(description="Whether the platform holds demonstration data.")
    seed: int | None = Field(description="Its seed.")
    scale: float | None = Field(description="Its scale.")
    started_at: datetime | None = Field(description="When its load began.")
    loaded_at: datetime | None = Field(description="When its load was done (null while loading).")
    reconciliation: Reconciliation | None = Field(description="What the generator found.")


class DemoMarker(BaseModel):
    """For every page and document: whether what it shows is demonstration data (演示数据)."""

    demo: bool = Field(description="True while the platform holds demonstration data.")
