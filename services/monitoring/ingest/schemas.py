"""The feed messages as the contract defines them (CONTRACT §6), and the dead-letter API models."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import (
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
    field_validator,
    model_validator,
)
from sqlmodel import Field as ModelField
from sqlmodel import SQLModel

from shared import MAX_ID, RequestModel, parse_cents, uscc_problem

Period = Annotated[str, StringConstraints(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]
RecordId = Annotated[str, StringConstraints(min_length=1, max_length=100), Strict()]
BuildingId = Annotated[str, StringConstraints(min_length=1, max_length=64), Strict()]
Area = Annotated[float, Strict(), Field(allow_inf_nan=False)]


class DeadLetterReason(StrEnum):
    """Why a message could not be stored (machine-readable)."""

    unparseable = "unparseable"  # not UTF-8 JSON
    schema_violation = "schema_violation"  # JSON, but not what the contract allows
    unknown_building = "unknown_building"  # the registry does not know the building


class _Feed(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    record_id: RecordId
    building_id: BuildingId
    period: Period
    reported_at: AwareDatetime


class OccupancyMessage(_Feed):
    """`sbe.occupancy.v1`: a building's occupancy for a month."""

    leasable_area_m2: Area = Field(gt=0)
    occupied_area_m2: Area = Field(ge=0)
    enterprise_count: Annotated[int, Strict()] = Field(ge=0)

    @model_validator(mode="after")
    def _occupied_within_leasable(self) -> OccupancyMessage:
        if self.occupied_area_m2 > self.leasable_area_m2:
            raise ValueError("occupied_area_m2 exceeds leasable_area_m2")
        return self


def _cents_from_decimal_string(value: object) -> int:
    if not isinstance(value, str):
        raise ValueError('must be a decimal string, e.g. "1234.50"')
    try:
        return parse_cents(value)
    except ValueError as exc:
        raise ValueError(f"not a decimal string with at most 2 decimals: {exc}") from None


class TaxMessage(_Feed):
    """`sbe.tax.v1`: one tax record; the building's monthly tax is the sum of its records.

    `amount_cny` (a decimal string, negative for refunds) is parsed once, into exact fen.
    """

    uscc: Annotated[str, Strict()] | None = None
    amount_cents: Annotated[int, BeforeValidator(_cents_from_decimal_string)] = Field(
        alias="amount_cny"
    )

    @field_validator("uscc")
    @classmethod
    def _valid_uscc(cls, value: str | None) -> str | None:
        if value is not None and (problem := uscc_problem(value)):
            raise ValueError(f"not a valid 统一社会信用代码: {problem}")
        return value


class DeadLetterPublic(SQLModel):
    """A message set aside, without its content (it may carry an enterprise's tax: 税收保密)."""

    id: int = ModelField(description="Dead letter id.")
    topic: str = ModelField(description="Source topic.")
    partition: int = ModelField(description="Source partition.")
    offset: int = ModelField(description="Offset in the partition.")
    key: str | None = ModelField(description="The message key (a building id).")
    reason: DeadLetterReason = ModelField(description="Why it was set aside.")
    detail: str = ModelField(description="What exactly was wrong.")
    received_at: dt.datetime = ModelField(description="When it was set aside.")
    replayed_at: dt.datetime | None = ModelField(description="When a replay stored it.")
    attempts: int = ModelField(description="How often storing it was tried.")


class DeadLetterPage(SQLModel):
    """One page of dead letters, newest first."""

    items: list[DeadLetterPublic] = ModelField(description="Dead letters.")
    total: int = ModelField(description="How many match in all.")


class ReplayRequest(RequestModel):
    """Which dead letters to try again: all pending, those of one reason, or given ids."""

    reason: DeadLetterReason | None = ModelField(default=None, description="Only this reason.")
    ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] | None = ModelField(
        default=None, max_length=10_000, description="Only these."
    )


class ReplayResult(SQLModel):
    """What a replay did."""

    replayed: int = ModelField(description="Dead letters tried again.")
    stored: int = ModelField(description="Now stored (or found to be duplicates).")
    still_failing: int = ModelField(description="Still not storable, with their updated reason.")
