"""Request and response models for movement pushes, corrections, withdrawals and lists."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import field_validator
from sqlmodel import Field, SQLModel

from policy import industry_problem, uscc_problem
from shared import Line, RequestModel

MAX_BATCH = 5000


class MovementKind(StrEnum):
    move_in = "move_in"  # 入驻
    move_out = "move_out"  # 迁出


class MovementBase(SQLModel):
    record_id: Line = Field(
        min_length=1, max_length=100, description="The district system's id for this record."
    )
    uscc: str = Field(description="统一社会信用代码 (GB 32100-2015), check character verified.")
    enterprise_name: Line = Field(min_length=1, max_length=200, description="Enterprise name.")
    building_id: str = Field(min_length=1, max_length=64, description="The building.")
    kind: MovementKind = Field(description="move_in or move_out.")
    date: dt.date = Field(description="Date of the movement.")
    area_m2: float | None = Field(default=None, gt=0, le=10_000_000, description="Leased area.")
    industry_code: str | None = Field(default=None, description="GB/T 4754-2017 industry code.")


def _valid_uscc(value: str) -> str:
    problem = uscc_problem(value)
    if problem:
        raise ValueError(f"not a valid 统一社会信用代码: {problem}")
    return value


def _known_industry(value: str | None) -> str | None:
    if value is not None and industry_problem(value):
        raise ValueError(f"{value!r} is not a GB/T 4754-2017 industry code")
    return value


class MovementRecord(MovementBase, RequestModel):
    """One movement in a pushed batch."""

    _uscc = field_validator("uscc")(_valid_uscc)
    _industry = field_validator("industry_code")(_known_industry)


class MovementBatch(RequestModel):
    """A batch of movements: stored all together or not at all."""

    records: list[MovementRecord] = Field(
        max_length=MAX_BATCH, description=f"At most {MAX_BATCH} records."
    )


class MovementResult(SQLModel):
    """What a push changed."""

    accepted: int = Field(description="Records stored by this push.")
    duplicates: int = Field(description="Records already stored with the same content.")


class MovementPublic(MovementBase):
    """A stored movement."""

    district_id: str = Field(description="The building's district.")
    building_name: str | None = Field(default=None, description="The building's name (in lists).")
    received_at: dt.datetime = Field(description="When the platform stored it.")
    version: int = Field(default=1, description="1, or more once corrected.")
    withdrawn_at: dt.datetime | None = Field(
        default=None, description="When it was withdrawn (it no longer counts)."
    )


class MovementFields(RequestModel):
    """A movement record's content, as a correction restates it (its record_id stays)."""

    uscc: str = Field(description="统一社会信用代码 (GB 32100-2015), check character verified.")
    enterprise_name: Line = Field(min_length=1, max_length=200, description="Enterprise name.")
    building_id: str = Field(min_length=1, max_length=64, description="The building.")
    kind: MovementKind = Field(description="move_in or move_out.")
    date: dt.date = Field(description="Date of the movement.")
    area_m2: float | None = Field(default=None, gt=0, le=10_000_000, description="Leased area.")
    industry_code: str | None = Field(default=None, description="GB/T 4754-2017 industry code.")

    _uscc = field_validator("uscc")(_valid_uscc)
    _industry = field_validator("industry_code")(_known_industry)


class MovementWithdrawal(RequestModel):
    """A district withdraws one of its records (撤回): it stays, marked, and no longer counts."""

    record_id: Line = Field(min_length=1, max_length=100, description="The record.")
    district_id: str | None = Field(
        default=None, max_length=32, description="Its district (the administrator names it)."
    )
    reason: Line = Field(min_length=1, max_length=500, description="Why.")


class MovementCorrection(MovementWithdrawal):
    """A district corrects one of its records: a new version, with the reason (更正)."""

    record: MovementFields = Field(description="What the record says now.")


class MovementVersionPublic(SQLModel):
    """One version of a record: what it said, and how that version ended."""

    version: int = Field(description="Version number, from 1.")
    record: dict[str, object] = Field(description="What the record said.")
    ended_by: str | None = Field(description="corrected or withdrawn; null for the current one.")
    reason: str | None = Field(description="Why it was corrected or withdrawn.")
    by: str | None = Field(description="Who corrected or withdrew it.")
    at: dt.datetime | None = Field(description="When.")


class MovementHistory(SQLModel):
    """Every version of a movement record, oldest first."""

    district_id: str = Field(description="District.")
    record_id: str = Field(description="Record id.")
    withdrawn: bool = Field(description="Whether the record is withdrawn.")
    versions: list[MovementVersionPublic] = Field(description="Oldest first; the last is current.")


class MovementPage(SQLModel):
    """One page of movements."""

    items: list[MovementPublic] = Field(description="Movements, newest first.")
    total: int = Field(description="How many match in all.")
