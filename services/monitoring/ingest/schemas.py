"""Dead letters as the API shows them (the feed messages themselves are in `policy.messages`)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import Field
from sqlmodel import Field as ModelField
from sqlmodel import SQLModel

from shared import RequestModel
from shared.params import MAX_ID


class DeadLetterReason(StrEnum):
    """Why a message could not be stored (machine-readable)."""

    unparseable = "unparseable"  # not UTF-8 JSON
    schema_violation = "schema_violation"  # JSON, but not what the contract allows
    unknown_building = "unknown_building"  # the registry does not know the building
    oversized = "oversized"  # larger than MAX_MESSAGE_BYTES; kept as its first 64 KiB
    unstorable = "unstorable"  # valid, but the database refused it (found by splitting a batch)


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
