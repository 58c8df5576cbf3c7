"""Early warnings (预警) for districts."""

from datetime import datetime

from sqlalchemy import BigInteger, Column, Index, UniqueConstraint
from sqlmodel import Field

from services.monitoring.db import MonitoringTable
from shared import UTCDateTime, utcnow


class EarlyWarning(MonitoringTable, table=True):
    """Something a district should look at; acknowledged once someone has."""

    __tablename__ = "warning"
    __table_args__ = (
        UniqueConstraint("building_id", "kind", "reference"),
        Index("ix_warning_district_created", "district_id", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    district_id: str = Field(max_length=32)
    building_id: str = Field(max_length=64)
    kind: str = Field(max_length=32)
    reference: str = Field(max_length=100, description="The month, year or record it is about.")
    message: str = Field(max_length=500)
    created_at: datetime = Field(sa_type=UTCDateTime)
    acknowledged_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    acknowledged_by: str | None = Field(default=None, max_length=100)


class WarningSetting(MonitoringTable, table=True):
    """One version of the warning thresholds, as an administrator set them (the newest rules);
    before the first, the service's settings apply."""

    __tablename__ = "warning_setting"

    id: int | None = Field(default=None, primary_key=True)
    occupancy_drop_points: float
    tax_drop_share: float
    large_taxpayer_cny: int = Field(sa_column=Column(BigInteger, nullable=False))
    reason: str = Field(max_length=500)
    changed_by: str = Field(max_length=100)
    changed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
