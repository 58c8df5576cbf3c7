"""Review of self-reported inputs (held events, completed renovations, key-task reports).

What a district (or a bureau) enters is `pending` until an administrator verifies or rejects it,
with a reason; what an administrator enters is verified at once. Only verified inputs count in
scores, evidence, compliance and publications; pending ones are shown beside them.

The owning service keeps the review in four columns of the reviewed row (`ReviewColumns`) and
answers it as `review: {"state", "reason", "by", "at"}` (`ReviewPublic`).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import model_validator
from sqlmodel import Field, SQLModel

from shared import SHANGHAI, Conflict, Line, Principal, RequestModel, Role, UTCDateTime, utcnow


class ReviewState(StrEnum):
    pending = "pending"  # 待审核
    verified = "verified"  # 已核实
    rejected = "rejected"  # 已退回


class ReviewDecision(StrEnum):
    verified = "verified"
    rejected = "rejected"


class ReviewRequest(RequestModel):
    """An administrator's decision on a reported input; a rejection gives its reason."""

    decision: ReviewDecision = Field(description="verified or rejected.")
    reason: Line | None = Field(
        default=None,
        min_length=1,
        max_length=500,
        description="Why (required to reject; shown to the district).",
    )

    @model_validator(mode="after")
    def _rejection_has_reason(self) -> ReviewRequest:
        if self.decision is ReviewDecision.rejected and not self.reason:
            raise ValueError("a rejection gives its reason")
        return self


class ReviewPublic(SQLModel):
    """Where a reported input stands in review."""

    state: ReviewState = Field(description="pending, verified or rejected.")
    reason: str | None = Field(description="The reviewer's reason, if any.")
    by: str | None = Field(description="Who decided (null while pending).")
    at: datetime | None = Field(description="When it was decided or entered (+08:00).")


class ReviewColumns(SQLModel):
    """The review of a row, kept on the row itself (a table class mixes this in)."""

    review_state: str | None = Field(default=None, max_length=16, index=True)
    review_reason: str | None = Field(default=None, max_length=500)
    review_by: str | None = Field(default=None, max_length=100)
    review_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


def open_review(row: ReviewColumns, principal: Principal) -> None:
    """A reviewed input has been entered or changed: verified at once when the administrator
    entered it, pending otherwise (a district's change to a verified input is reviewed again)."""
    if principal.role is Role.admin:
        row.review_state = ReviewState.verified.value
        row.review_reason = None
        row.review_by = principal.name
    else:
        row.review_state = ReviewState.pending.value
        row.review_reason = None
        row.review_by = None
    row.review_at = utcnow()


def decide(row: ReviewColumns, principal: Principal, request: ReviewRequest) -> None:
    """Record an administrator's decision (only on an input that is under review)."""
    if row.review_state is None:
        raise Conflict("Nothing here is under review.")
    row.review_state = request.decision.value
    row.review_reason = request.reason
    row.review_by = principal.name
    row.review_at = utcnow()


def review_of(row: ReviewColumns) -> ReviewPublic | None:
    """The review as the API shows it; None when the row is not (yet) a reviewed input."""
    if row.review_state is None:
        return None
    return ReviewPublic(
        state=ReviewState(row.review_state),
        reason=row.review_reason,
        by=row.review_by,
        at=row.review_at.astimezone(SHANGHAI) if row.review_at is not None else None,
    )


def is_verified(row: ReviewColumns) -> bool:
    return row.review_state == ReviewState.verified.value
