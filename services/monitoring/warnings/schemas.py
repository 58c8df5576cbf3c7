"""Early warnings as the API shows them."""

import datetime as dt
from enum import StrEnum

from sqlmodel import Field, SQLModel


class WarningKind(StrEnum):
    """What a warning is about."""

    occupancy_drop = "occupancy_drop"  # 出租率环比下降
    tax_drop = "tax_drop"  # 税收同比下降
    below_100m = "below_100m"  # 跌破亿元
    large_taxpayer_moved_out = "large_taxpayer_moved_out"  # 重点纳税企业迁出


class WarningPublic(SQLModel):
    """One early warning (预警)."""

    id: int = Field(description="Warning id.")
    district_id: str = Field(description="District of the building.")
    building_id: str = Field(description="The building.")
    kind: WarningKind = Field(description="What it is about.")
    reference: str = Field(description="The month (YYYY-MM), year or movement it concerns.")
    message: str = Field(description="What happened, in Chinese (no enterprise tax amounts).")
    created_at: dt.datetime = Field(description="When it was raised.")
    acknowledged_at: dt.datetime | None = Field(description="When someone acknowledged it.")
    acknowledged_by: str | None = Field(description="Who acknowledged it.")


class WarningPage(SQLModel):
    """One page of warnings, newest first."""

    items: list[WarningPublic] = Field(description="Warnings.")
    total: int = Field(description="How many match in all.")
