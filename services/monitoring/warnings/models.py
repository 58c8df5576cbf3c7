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
    # Empty for a warning about the district as a whole (behind its targets' pace).
    building_id: str = Field(max_length=64)
    kind: str = Field(max_length=32)
    reference: str = Field(max_length=100, description="The month, year or record it is about.")
    message: str = Field(max_length=500)
    created_at: datetime = Field(sa_type=UTCDateTime)
    acknowledged_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    acknowledged_by: str | None = Field(default=None, max_length=100)
    # Who follows it up (assigned by the administrator or its district), and when it was closed.
    assigned_to: str | None = Field(default=None, max_length=100)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    closed_by: str | None = Field(default=None, max_length=100)


class WarningStep(MonitoringTable, table=True):
    """One step of a warning's trail: acknowledged, assigned, commented, closed, reopened."""

    __tablename__ = "warning_step"

    id: int | None = Field(default=None, primary_key=True)
    warning_id: int = Field(index=True)
    action: str = Field(max_length=16)
    text: str | None = Field(default=None, max_length=2000)
    by: str = Field(max_length=100)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class WarningSetting(MonitoringTable, table=True):
    """One version of the warning thresholds, as an administrator set them (the newest rules);
    before the first, the service's settings apply."""

    __tablename__ = "warning_setting"

    id: int | None = Field(default=None, primary_key=True)
    occupancy_drop_points: float
    tax_drop_share: float
    large_taxpayer_cny: int = Field(sa_column=Column(BigInteger, nullable=False))
    pace_share: float = Field(default=0.5, sa_column_kwargs={"server_default": "0.5"})
    reason: str = Field(max_length=500)
    changed_by: str = Field(max_length=100)
    changed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
