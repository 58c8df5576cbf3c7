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
    field_validator,
    model_validator,
)
from sqlmodel import Field as ModelField
from sqlmodel import SQLModel

from shared import MAX_ID, AsciiId, Period, RequestModel, parse_cents, uscc_problem, utcnow

# The feeds' maxima, chosen so that no stored value and no monthly, yearly or city-wide sum can
# overflow its column (amounts are summed in BIGINT fen, counts in INTEGER then BIGINT):
MAX_AREA_M2 = 10_000_000.0  # 10 km² of floor space, several times the largest building on earth
MAX_ENTERPRISES = 1_000_000  # tenants in one building
MAX_AMOUNT_CNY = 100_000_000_000  # ¥100 billion in one tax record (a sign either way):
# a building-month would need over 900,000 such records before its sum left BIGINT, and the
# record that would push it over is dead-lettered rather than stored.
MAX_AMOUNT_CENTS = MAX_AMOUNT_CNY * 100
# A message is a few hundred bytes; anything over this is set aside unread.
MAX_MESSAGE_BYTES = 64 * 1024
EARLIEST_REPORT = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)

RecordId = Annotated[AsciiId, Strict()]
BuildingId = Annotated[AsciiId, Strict()]
Area = Annotated[float, Strict(), Field(allow_inf_nan=False, le=MAX_AREA_M2)]


class DeadLetterReason(StrEnum):
    """Why a message could not be stored (machine-readable)."""

    unparseable = "unparseable"  # not UTF-8 JSON
    schema_violation = "schema_violation"  # JSON, but not what the contract allows
    unknown_building = "unknown_building"  # the registry does not know the building
    oversized = "oversized"  # larger than MAX_MESSAGE_BYTES; kept as its first 64 KiB
    unstorable = "unstorable"  # valid, but the database refused it (found by splitting a batch)


class _Feed(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    record_id: RecordId
    building_id: BuildingId
    period: Annotated[Period, Strict()]
    reported_at: AwareDatetime

    @field_validator("reported_at")
    @classmethod
    def _reported_in_our_time(cls, value: dt.datetime) -> dt.datetime:
        # Not before 2000 (no feed reaches that far back) and not beyond tomorrow (clock skew
        # aside, a report from the future would outrank every correction made before it).
        if value < EARLIEST_REPORT:
            raise ValueError("must not be before 2000-01-01")
        if value > utcnow() + dt.timedelta(days=1):
            raise ValueError("must not be more than one day in the future")
        return value


class OccupancyMessage(_Feed):
    """`sbe.occupancy.v1`: a building's occupancy for a month."""

    leasable_area_m2: Area = Field(gt=0)
    occupied_area_m2: Area = Field(ge=0)
    enterprise_count: Annotated[int, Strict()] = Field(ge=0, le=MAX_ENTERPRISES)

    @model_validator(mode="after")
    def _occupied_within_leasable(self) -> OccupancyMessage:
        if self.occupied_area_m2 > self.leasable_area_m2:
            raise ValueError("occupied_area_m2 exceeds leasable_area_m2")
        return self


def _cents_from_decimal_string(value: object) -> int:
    if not isinstance(value, str):
        raise ValueError('must be a decimal string, e.g. "1234.50"')
    try:
        cents = parse_cents(value)
    except ValueError as exc:
        raise ValueError(f"not a decimal string with at most 2 decimals: {exc}") from None
    if abs(cents) > MAX_AMOUNT_CENTS:
        raise ValueError(f"beyond ±{MAX_AMOUNT_CNY} CNY")
    return cents


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
