"""Request and response models for the rotation planner."""

from __future__ import annotations

from datetime import date

from pydantic import model_validator
from sqlmodel import Field, SQLModel

from policy import district_ids
from services.events.schedule.schemas import EventPublic
from shared import RequestModel


class PlanRequest(RequestModel):
    """What to plan: a year, optionally other targets than the evaluation's, and a first day."""

    year: int = Field(ge=2000, le=2100, description="Calendar year to plan.")
    targets: dict[str, int] | None = Field(
        default=None,
        description="district id → promotion events, instead of the year's targets in force.",
    )
    starting: date | None = Field(
        default=None, description="First day to plan from (default: 1 January, or tomorrow)."
    )

    @model_validator(mode="after")
    def _known_districts(self) -> PlanRequest:
        if self.targets is not None:
            unknown = sorted(set(self.targets) - set(district_ids()))
            if unknown:
                raise ValueError(f"unknown districts: {', '.join(unknown)}")
            if any(not 0 <= n <= 100 for n in self.targets.values()):
                raise ValueError("targets are between 0 and 100 events")
        if self.starting is not None and self.starting.year != self.year:
            raise ValueError("starting lies in another year")
        return self


class AcceptRequest(PlanRequest):
    """Accept a proposal: the same request, and the digest of the proposal that was reviewed."""

    digest: str = Field(min_length=64, max_length=64, description="The proposal's digest.")


class ProposedEvent(SQLModel):
    """An event the planner proposes."""

    kind: str = Field(description="promotion, conference or joint_meeting.")
    scope: str = Field(description="city or district.")
    district_id: str | None = Field(description="Organising district, or the city event's host.")
    title: str = Field(description="Title.")
    starts_at: str = Field(description="Start (+08:00).")
    ends_at: str = Field(description="End (+08:00).")
    venue: str = Field(description="Venue, to be confirmed (待定).")


class Proposal(SQLModel):
    """A calendar meeting every rule, not stored until accepted."""

    year: int = Field(description="The year planned.")
    digest: str = Field(description="Identifies this proposal; accepting it needs the digest.")
    events: list[ProposedEvent] = Field(description="Events to add, by start.")
    warnings: list[str] = Field(description="What the planner could not do, or assumed.")


class Accepted(SQLModel):
    """What accepting a proposal created."""

    created: int = Field(description="Planned events created.")
    events: list[EventPublic] = Field(description="The events created.")
