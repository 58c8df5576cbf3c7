"""The event table."""

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field

from policy import ReviewColumns
from services.events.db import EventsTable
from shared import UTCDateTime, utcnow


class Event(EventsTable, ReviewColumns, table=True):
    """A promotion event (招商推介), the city conference (楼宇发展大会) or a joint meeting.

    A held event carries its review (`ReviewColumns`): it counts once verified, and stops
    counting when an administrator voids it (the row stays, with the reason).
    """

    __table_args__ = (
        Index("ix_event_starts_at", "starts_at"),
        Index("ix_event_venue_starts", "venue", "starts_at"),
    )

    id: str = Field(primary_key=True, max_length=40)
    kind: str = Field(max_length=16)
    scope: str = Field(max_length=16)
    district_id: str | None = Field(default=None, max_length=32, index=True)
    title: str = Field(max_length=200)
    starts_at: datetime = Field(sa_type=UTCDateTime)
    ends_at: datetime = Field(sa_type=UTCDateTime)
    venue: str = Field(max_length=200)
    status: str = Field(max_length=16)
    attendance: int | None = None
    enterprises_signed: int | None = None
    notes: str | None = Field(default=None, max_length=4000)
    voided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    voided_by: str | None = Field(default=None, max_length=100)
    void_reason: str | None = Field(default=None, max_length=500)
    created_by: str = Field(max_length=100)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class EventChange(EventsTable, table=True):
    """One step of an event's history: recorded, changed, held, cancelled, reviewed, voided."""

    __tablename__ = "event_change"

    id: int | None = Field(default=None, primary_key=True)
    event_id: str = Field(max_length=40, index=True)
    action: str = Field(max_length=16)
    by: str = Field(max_length=100)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    detail: str = Field(default="{}", max_length=8000, description="JSON of what changed.")
