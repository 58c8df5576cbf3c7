"""Early warnings as the API shows them."""

import datetime as dt
from enum import StrEnum

from pydantic import field_validator
from sqlmodel import Field, SQLModel

from shared import Line, Paragraphs, RequestModel


class WarningKind(StrEnum):
    """What a warning is about."""

    occupancy_drop = "occupancy_drop"  # 出租率环比下降
    tax_drop = "tax_drop"  # 税收同比下降
    below_100m = "below_100m"  # 跌破亿元
    large_taxpayer_moved_out = "large_taxpayer_moved_out"  # 重点纳税企业迁出
    reports_missing = "reports_missing"  # 数据中断：上月报送、本月其他楼宇已报送而本楼宇未报
    behind_pace = "behind_pace"  # 落后于时序进度：目标完成比例明显低于已过月份的比例


class WarningPublic(SQLModel):
    """One early warning (预警)."""

    id: int = Field(description="Warning id.")
    district_id: str = Field(description="District of the building.")
    building_id: str | None = Field(
        description="The building; null when the warning is about the whole district."
    )

    @field_validator("building_id", mode="before")
    @classmethod
    def _district_wide(cls, value: str | None) -> str | None:
        return value or None  # stored empty for a warning about the whole district

    building_name: str | None = Field(
        default=None, description="The building's name, as the registry announced it."
    )
    kind: WarningKind = Field(description="What it is about.")
    reference: str = Field(description="The month (YYYY-MM), year or movement it concerns.")
    message: str = Field(description="What happened, in Chinese (no enterprise tax amounts).")
    created_at: dt.datetime = Field(description="When it was raised.")
    acknowledged_at: dt.datetime | None = Field(description="When someone acknowledged it.")
    acknowledged_by: str | None = Field(description="Who acknowledged it.")
    assigned_to: str | None = Field(default=None, description="Who follows it up.")
    closed_at: dt.datetime | None = Field(default=None, description="When it was closed.")
    closed_by: str | None = Field(default=None, description="Who closed it.")


class WarningAssign(RequestModel):
    """Who follows the warning up (a person, a team, a unit)."""

    assignee: Line = Field(min_length=1, max_length=100, description="Who follows it up.")


class WarningComment(RequestModel):
    """A note on what was found or done."""

    text: Paragraphs = Field(min_length=1, max_length=2000, description="The note.")


class WarningClose(RequestModel):
    """Close (or reopen) a warning, saying why."""

    note: Paragraphs = Field(min_length=1, max_length=2000, description="What was done, or why.")


class WarningStepPublic(SQLModel):
    """One step of a warning's trail."""

    action: str = Field(description="acknowledged, assigned, commented, closed or reopened.")
    text: str | None = Field(description="The assignee, the comment or the note.")
    by: str = Field(description="Who.")
    at: dt.datetime = Field(description="When.")


class WarningPage(SQLModel):
    """One page of warnings, newest first."""

    items: list[WarningPublic] = Field(description="Warnings.")
    total: int = Field(description="How many match in all.")


class WarningThresholds(SQLModel):
    """The thresholds the warning rules use."""

    occupancy_drop_points: float = Field(
        gt=0, le=100, description="Month-on-month fall in occupancy that warns, in points."
    )
    tax_drop_share: float = Field(
        gt=0, le=1, description="Year-on-year fall in tax (same months) that warns, as a share."
    )
    large_taxpayer_cny: int = Field(
        gt=0, le=10**12, description="Yearly tax in a building that makes a large taxpayer."
    )
    pace_share: float = Field(
        default=0.5,
        gt=0,
        le=1,
        description="By month M a district warns when its share of the year's targets is below "
        "pace_share × M/12.",
    )


class WarningSettingsUpdate(WarningThresholds, RequestModel):
    """New thresholds, with the reason (kept in their history)."""

    reason: Line = Field(min_length=1, max_length=500, description="Why they change.")


class WarningSettingsPublic(WarningThresholds):
    """The thresholds in force and where they come from."""

    version: int = Field(description="0: the service's settings; from 1: an administrator's.")
    reason: str | None = Field(description="Why they were set.")
    changed_by: str | None = Field(description="Who set them.")
    changed_at: dt.datetime | None = Field(description="When.")


class PaceCheck(RequestModel):
    """Check the districts' pace against the year's targets as of a month."""

    year: int = Field(ge=2000, le=2100, description="Calendar year.")
    month: int = Field(ge=1, le=12, description="The month reached (M).")


class PaceCheckResult(SQLModel):
    year: int = Field(description="Calendar year.")
    month: int = Field(description="The month reached.")
    pace_share: float = Field(description="The threshold used: behind below pace_share × M/12.")
    behind: int = Field(description="Districts behind pace (a warning each, raised once).")
