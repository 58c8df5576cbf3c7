"""Notifications: the daily digests of open warnings, kept in the platform."""

from datetime import date, datetime

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field

from services.monitoring.db import MonitoringTable
from shared import UTCDateTime, utcnow


class Notification(MonitoringTable, table=True):
    """One digest for one audience (a district, or the 发改委 as "admin") and one day."""

    __tablename__ = "notification"
    __table_args__ = (UniqueConstraint("audience", "day"),)

    id: int | None = Field(default=None, primary_key=True)
    audience: str = Field(max_length=32, index=True)
    day: date
    subject: str = Field(max_length=200)
    body: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    emailed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    email_error: str | None = Field(default=None, max_length=500)
