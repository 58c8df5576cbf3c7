"""The admin's view of a service's outbox: messages the broker refused and the relay parked,
and the way to put them back in line once the cause is fixed (a raised broker limit, say)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter
from pydantic import Field
from sqlmodel import SQLModel

from shared.database import SessionDep
from shared.identity import AdminDep
from shared.outbox import OutboxMessageBase, parked_messages, release_parked
from shared.pagination import MAX_ID, Limit, Offset
from shared.problems import problem_responses
from shared.schemas import RequestModel


class ParkedMessage(SQLModel):
    """A message the relay set aside, without its payload (it may carry confidential figures)."""

    id: int = Field(description="Outbox row id.")
    topic: str = Field(description="The topic it was meant for.")
    key: str = Field(description="Its key.")
    size_bytes: int = Field(description="Size of its payload.")
    attempts: int = Field(description="How often the broker refused it.")
    error: str | None = Field(description="The broker's last refusal.")
    created_at: datetime = Field(description="When the change it announces committed.")
    parked_at: datetime = Field(description="When the relay set it aside.")


class ParkedPage(SQLModel):
    """One page of parked messages, oldest first."""

    items: list[ParkedMessage] = Field(description="Parked messages.")
    total: int = Field(description="How many are parked in all.")


class ReleaseRequest(RequestModel):
    """Which parked messages to try again: all, or the given ids."""

    ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] | None = Field(
        default=None, max_length=10_000, description="Only these (default: all)."
    )


class ReleaseResult(SQLModel):
    """What a release did."""

    released: int = Field(description="Messages put back in line for the relay.")


def outbox_router(area: str, table: type[OutboxMessageBase]) -> APIRouter:
    """`GET /api/v1/<area>/outbox/parked` and `POST /api/v1/<area>/outbox/release` (admin)."""
    router = APIRouter(prefix=f"/api/v1/{area}/outbox", tags=["outbox"])

    @router.get(
        "/parked",
        response_model=ParkedPage,
        responses=problem_responses(401, 403),
        summary="Messages the broker refused, set aside",
    )
    async def parked(
        session: SessionDep, _: AdminDep, limit: Limit = 100, offset: Offset = 0
    ) -> ParkedPage:
        """Listed without payloads; `sbe_outbox_parked_total` counts them as they are parked."""
        rows, total = await parked_messages(session, table, limit=limit, offset=offset)
        items = [
            ParkedMessage(
                id=row_id,
                topic=topic,
                key=key,
                size_bytes=size or 0,
                attempts=attempts,
                error=error,
                created_at=created_at,
                parked_at=parked_at,
            )
            for row_id, topic, key, size, attempts, error, created_at, parked_at in rows
        ]
        return ParkedPage(items=items, total=total)

    @router.post(
        "/release",
        response_model=ReleaseResult,
        responses=problem_responses(401, 403),
        summary="Put parked messages back in line",
    )
    async def release(session: SessionDep, _: AdminDep, body: ReleaseRequest) -> ReleaseResult:
        """The relay tries them again (MAX_ATTEMPTS more times) in their original order."""
        return ReleaseResult(released=await release_parked(session, table, body.ids))

    return router
