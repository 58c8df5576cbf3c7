"""Request and response models for renovations."""

from datetime import date, datetime

from pydantic import model_validator
from sqlmodel import Field, SQLModel

from policy import ReviewPublic
from shared import RequestModel


class RenovationBase(SQLModel):
    started_on: date = Field(description="Date the works started.")
    completed_on: date | None = Field(default=None, description="Date the works were completed.")

    @model_validator(mode="after")
    def _completed_after_start(self) -> "RenovationBase":
        if self.completed_on is not None and self.completed_on < self.started_on:
            raise ValueError("completed_on may not be before started_on")
        return self


class RenovationCreate(RenovationBase, RequestModel):
    """A renovation of a stock building (存量楼宇改造提升)."""

    building_id: str = Field(min_length=1, max_length=64, description="The renovated building.")


class RenovationUpdate(RequestModel):
    """Changes to a renovation: typically its completion date."""

    started_on: date | None = Field(default=None, description="Corrected start date.")
    completed_on: date | None = Field(default=None, description="Completion date.")


class RenovationPublic(RenovationBase):
    """A renovation as the API shows it."""

    id: str = Field(description="Renovation id.")
    building_id: str = Field(description="The renovated building.")
    district_id: str = Field(description="The building's district.")
    building_name: str = Field(description="The building's name.")
    review: ReviewPublic | None = Field(
        description="The completion's review: it counts once verified (null until completed)."
    )
    created_at: datetime = Field(description="When it was recorded.")
    updated_at: datetime = Field(description="When it last changed.")


class RenovationPage(SQLModel):
    """One page of renovations."""

    items: list[RenovationPublic] = Field(description="Renovations on this page.")
    total: int = Field(description="How many match in all.")
