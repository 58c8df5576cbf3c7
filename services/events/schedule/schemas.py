"""Request and response models for events."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import field_serializer, model_validator
from sqlmodel import Field, SQLModel

from policy import ReviewPublic, district_ids
from shared import SHANGHAI, Line, Paragraphs, PlatformDatetime, RequestModel


class EventKind(StrEnum):
    promotion = "promotion"  # 楼宇招商推介会议（活动）
    conference = "conference"  # 市级楼宇发展大会
    joint_meeting = "joint_meeting"  # 楼宇经济相关部门联席会议


class EventScope(StrEnum):
    city = "city"  # 全市
    district = "district"  # 县级市（区）


class EventStatus(StrEnum):
    planned = "planned"
    held = "held"
    cancelled = "cancelled"


class Outcome(RequestModel):
    """What a held event achieved."""

    attendance: int | None = Field(
        default=None, ge=0, le=1_000_000, description="People attending."
    )
    enterprises_signed: int | None = Field(
        default=None, ge=0, le=100_000, description="Enterprises that signed up (签约企业)."
    )
    notes: Paragraphs | None = Field(default=None, max_length=4000, description="Notes.")


def _check_district(district_id: str | None) -> None:
    if district_id is not None and district_id not in district_ids():
        raise ValueError(f"district_id {district_id!r} is not one of the ten districts")


class EventCreate(RequestModel):
    """A new event. A district-scope event names its district; a city event may name the
    district hosting it."""

    kind: EventKind = Field(description="promotion, conference or joint_meeting.")
    scope: EventScope = Field(description="city or district.")
    district_id: str | None = Field(default=None, description="Organising (or hosting) district.")
    title: Line = Field(min_length=1, max_length=200, description="Title.")
    starts_at: PlatformDatetime = Field(description="Start, RFC 3339 with its offset.")
    ends_at: PlatformDatetime = Field(description="End, RFC 3339 with its offset.")
    venue: Line = Field(min_length=1, max_length=200, description="Venue (会场).")
    status: EventStatus = Field(
        default=EventStatus.planned, description="planned, held or cancelled."
    )
    outcome: Outcome | None = Field(default=None, description="For a held event: what it achieved.")

    @model_validator(mode="after")
    def _consistent(self) -> EventCreate:
        if self.ends_at <= self.starts_at:
            raise ValueError("ends_at must be after starts_at")
        if self.scope is EventScope.district and self.district_id is None:
            raise ValueError("a district event names its district_id")
        _check_district(self.district_id)
        if self.outcome is not None and self.status is not EventStatus.held:
            raise ValueError("only a held event has an outcome")
        return self


class EventUpdate(RequestModel):
    """Changes to an event: planned → held or cancelled (final); a planned event's details; a held
    event's outcome."""

    status: EventStatus | None = Field(default=None, description="held or cancelled.")
    title: Line | None = Field(default=None, min_length=1, max_length=200, description="Title.")
    starts_at: PlatformDatetime | None = Field(default=None, description="New start.")
    ends_at: PlatformDatetime | None = Field(default=None, description="New end.")
    venue: Line | None = Field(default=None, min_length=1, max_length=200, description="Venue.")
    outcome: Outcome | None = Field(default=None, description="What the held event achieved.")


class VoidRequest(RequestModel):
    """Why a held event no longer counts (it was not held as recorded, or recorded twice…)."""

    reason: Line = Field(min_length=1, max_length=500, description="Why it is voided.")


class VoidPublic(SQLModel):
    """Who voided a held event, when and why."""

    reason: str = Field(description="Why.")
    by: str = Field(description="The administrator who voided it.")
    at: datetime = Field(description="When (+08:00).")

    @field_serializer("at")
    def _beijing_time(self, value: datetime) -> str:
        return value.astimezone(SHANGHAI).isoformat()


class EventChangePublic(SQLModel):
    """One step of an event's history."""

    action: str = Field(
        description="recorded, changed, held, cancelled, reviewed, voided or evidence."
    )
    by: str = Field(description="Who.")
    at: datetime = Field(description="When (+08:00).")
    detail: dict[str, object] = Field(description="What changed.")

    @field_serializer("at")
    def _beijing_time(self, value: datetime) -> str:
        return value.astimezone(SHANGHAI).isoformat()


class EventPublic(SQLModel):
    """An event as the API shows it; times in Beijing time (Asia/Shanghai)."""

    id: str = Field(description="Event id.")
    kind: EventKind = Field(description="Kind.")
    scope: EventScope = Field(description="Scope.")
    district_id: str | None = Field(description="Organising or hosting district.")
    title: str = Field(description="Title.")
    starts_at: datetime = Field(description="Start (+08:00).")
    ends_at: datetime = Field(description="End (+08:00).")
    venue: str = Field(description="Venue.")
    status: EventStatus = Field(description="planned, held or cancelled.")
    outcome: Outcome | None = Field(description="What it achieved, once held.")
    review: ReviewPublic | None = Field(
        description="A held event's review: it counts only once verified (null before it is held)."
    )
    voided: VoidPublic | None = Field(
        description="Set when an administrator voided the held event: it no longer counts."
    )
    counts: bool = Field(
        description="Whether the event counts in compliance and scores: held, verified, not voided."
    )
    created_at: datetime = Field(description="When it was recorded.")
    updated_at: datetime = Field(description="When it last changed.")

    @field_serializer("starts_at", "ends_at", "created_at", "updated_at")
    def _beijing_time(self, value: datetime) -> str:
        return value.astimezone(SHANGHAI).isoformat()


class EventPage(SQLModel):
    """Events, in order of their start."""

    items: list[EventPublic] = Field(description="Events.")
    total: int = Field(description="How many match in all.")
