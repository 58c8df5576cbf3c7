"""One message model per topic: what the platform's Kafka topics carry, declared once.

Each producer builds its messages from these models and each consumer reads them through the
same models; `policy.TOPICS` says, per topic, which model it carries, its key, its
partitions, whether it is compacted, who writes it and who reads it. The AsyncAPI document
(`sbe asyncapi`, docs/asyncapi.json) is made from these, so the document producers build against
is the code that reads them.

The two feeds (`sbe.occupancy.v1`, `sbe.tax.v1`) come from outside the platform and are read
strictly: a message that breaks them is dead-lettered. The platform's own topics are read as
tolerant readers: a consumer takes the fields it knows and ignores the rest, so a producer may
add a field without a new topic version.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from policy.money import parse_cents
from policy.validators import uscc_problem
from shared import utcnow
from shared.params import AsciiId, Period

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


# --- the feeds (from outside the platform; strict) -------------------------------------------


class _Feed(BaseModel):
    """Fields every feed message has."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    record_id: RecordId = Field(
        description="The producer's id of the record: a record sent again with the same id is "
        "stored once; with a later reported_at it replaces the stored one (更正)."
    )
    building_id: BuildingId = Field(
        description="The registry's building id; also the message key. An unknown building is "
        "dead-lettered."
    )
    period: Annotated[Period, Strict()] = Field(description="The month reported, YYYY-MM.")
    reported_at: AwareDatetime = Field(
        description="When the producer reported it (RFC 3339 with offset; 2000-01-01 to "
        "tomorrow). The latest reported_at of a record_id wins."
    )

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

    leasable_area_m2: Area = Field(gt=0, description="Leasable area at the month's end, m².")
    occupied_area_m2: Area = Field(ge=0, description="Occupied area, at most the leasable.")
    enterprise_count: Annotated[int, Strict()] = Field(
        ge=0, le=MAX_ENTERPRISES, description="Tenant enterprises."
    )

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

    uscc: Annotated[str, Strict()] | None = Field(
        default=None,
        description="统一社会信用代码 of the paying enterprise (18 characters, check digit "
        "valid), when known; needed for the large-taxpayer warning.",
    )
    amount_cents: Annotated[
        int,
        BeforeValidator(_cents_from_decimal_string),
        WithJsonSchema(
            {
                "type": "string",
                "pattern": r"^-?[0-9]+(\.[0-9]{1,2})?$",
                "examples": ["1234.50", "-200.00"],
            }
        ),
    ] = Field(
        alias="amount_cny",
        description="Tax in CNY as a decimal string with at most 2 decimals, negative for a "
        f"refund (退税); at most ±{MAX_AMOUNT_CNY:,} per record.",
    )

    @field_validator("uscc")
    @classmethod
    def _valid_uscc(cls, value: str | None) -> str | None:
        if value is not None and (problem := uscc_problem(value)):
            raise ValueError(f"not a valid 统一社会信用代码: {problem}")
        return value


# --- the platform's own topics (tolerant readers) --------------------------------------------


class _Announcement(BaseModel):
    """A message a platform service publishes: fields a consumer does not know are ignored."""

    model_config = ConfigDict(extra="allow", frozen=True)


class DesignationNote(BaseModel):
    industry: str = Field(description="The featured industry.")
    designated_on: dt.date = Field(description="Date of the designation (认定日期).")


class RenovationNote(BaseModel):
    id: str = Field(description="Renovation id.")
    started_on: dt.date = Field(description="Start of the works.")
    completed_on: dt.date | None = Field(description="Completion, once completed.")
    review: str | None = Field(
        default=None, description="pending, verified or rejected; null for older messages."
    )


class RetirementNote(BaseModel):
    model_config = ConfigDict(extra="allow")

    retired_on: dt.date = Field(description="From when the building no longer counts.")


class BuildingMessage(_Announcement):
    """`sbe.registry.buildings.v1`, keyed by building id, compacted: the building's whole current
    state, sent whenever anything of it changes. Every other field of the registry's building view
    (`GET /api/v1/buildings/{id}`) travels along."""

    id: str = Field(description="Building id.")
    name: str = Field(description="Name.")
    district_id: str = Field(description="District.")
    gross_floor_area_m2: float = Field(description="Gross floor area.")
    status: str = Field(default="operating", description="planned, under_construction, operating…")
    retired: RetirementNote | None = Field(default=None, description="Set once retired.")
    updated_at: AwareDatetime = Field(description="When it last changed (the copy's version).")
    designations: list[DesignationNote] = Field(
        default_factory=list, description="Featured-industry designations in force."
    )
    renovations: list[RenovationNote] = Field(
        default_factory=list, description="Renovations of stock (存量楼宇改造), with their review."
    )


class MovementMessage(_Announcement):
    """`sbe.registry.movements.v1`, keyed by building id: an enterprise movement as stored, and
    each later version of it (a correction or a withdrawal)."""

    record_id: str = Field(description="The district's record id.")
    uscc: str = Field(description="统一社会信用代码 of the enterprise.")
    enterprise_name: str = Field(description="Enterprise name.")
    building_id: str = Field(description="Building.")
    district_id: str = Field(description="District whose record it is.")
    kind: Literal["move_in", "move_out"] = Field(description="Move-in or move-out.")
    date: dt.date = Field(description="Date of the movement.")
    area_m2: float | None = Field(default=None, description="Leased area, if reported.")
    industry_code: str | None = Field(default=None, description="GB/T 4754-2017 code.")
    received_at: AwareDatetime | None = Field(default=None, description="When it was pushed.")
    version: int = Field(default=1, ge=1, description="1, then one more per correction.")
    withdrawn: bool = Field(default=False, description="Withdrawn by its district.")


class ReviewNote(BaseModel):
    model_config = ConfigDict(extra="allow")

    state: str = Field(description="pending, verified or rejected.")


class EventMessage(_Announcement):
    """`sbe.events.v1`, keyed by event id, compacted: an event's whole current state. Every other
    field of `GET /api/v1/events/{id}` travels along."""

    id: str = Field(description="Event id.")
    kind: str = Field(description="promotion, conference or joint_meeting.")
    scope: str = Field(description="district or city.")
    district_id: str | None = Field(description="Organising or hosting district.")
    title: str = Field(description="Title.")
    status: str = Field(description="planned, held or cancelled.")
    review: ReviewNote | None = Field(default=None, description="Its review, once held.")
    voided: dict[str, Any] | None = Field(default=None, description="Set once voided.")
    starts_at: AwareDatetime = Field(description="Start.")
    updated_at: AwareDatetime = Field(description="When it last changed (the copy's version).")


class OccupancyNote(BaseModel):
    period: str = Field(description="YYYY-MM")
    leasable_area_m2: float | None = Field(description="Leasable area.")
    occupied_area_m2: float | None = Field(description="Occupied area.")
    enterprise_count: int | None = Field(default=None, description="Tenant enterprises.")


class MonthNote(BaseModel):
    period: str = Field(description="YYYY-MM")
    tax_total_cny: str = Field(description="The month's tax (decimal string).")
    leasable_area_m2: float | None = Field(default=None, description="Leasable area.")
    occupied_area_m2: float | None = Field(default=None, description="Occupied area.")


class BuildingYearMessage(_Announcement):
    """`sbe.monitoring.building-years.v1`, keyed `building_id|year`, compacted: a building's year
    as monitoring worked it out from the feeds, sent again whenever a month of it changes."""

    building_id: str = Field(description="Building.")
    year: int = Field(description="Calendar year.")
    tax_total_cny: str = Field(description="The year's tax (decimal string).")
    latest_occupancy: OccupancyNote | None = Field(description="The latest month with occupancy.")
    months: list[MonthNote] = Field(default_factory=list, description="The months with data.")


# --- the catalogue -----------------------------------------------------------------------------
