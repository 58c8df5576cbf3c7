"""The admin's view of a service's outbox: messages the broker refused and the relay parked,
and the way to put them back in line once the cause is fixed (a raised broker limit, say)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter
from pydantic import Field
from sqlalchemy import func, update
from sqlalchemy import select as sa_select
from sqlmodel import SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from shared.database import SessionDep, fetch_rows
from shared.identity import AdminDep
from shared.outbox import OutboxMessageBase
from shared.params import MAX_ID, Limit, Offset
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


async def parked_messages(
    session: AsyncSession, table: type[OutboxMessageBase], *, limit: int, offset: int
) -> tuple[list[Any], int]:
    """The parked messages (without their payloads), oldest first, and how many there are."""
    parked = col(table.parked_at).is_not(None)
    rows = await fetch_rows(
        session,
        sa_select(
            col(table.id),
            col(table.topic),
            col(table.key),
            func.length(col(table.payload)),
            col(table.attempts),
            col(table.error),
            col(table.created_at),
            col(table.parked_at),
        )
        .where(parked)
        .order_by(col(table.id))
        .limit(limit)
        .offset(offset),
    )
    total = (await session.exec(select(func.count()).select_from(table).where(parked))).one()
    return list(rows), int(total)


async def release_parked(
    session: AsyncSession, table: type[OutboxMessageBase], ids: list[int] | None
) -> int:
    """Put parked messages back in line for the relay (all, or those of `ids`)."""
    statement = update(table).where(col(table.parked_at).is_not(None))
    if ids is not None:
        statement = statement.where(col(table.id).in_(ids))
    result = await session.exec(statement.values(parked_at=None, attempts=0, error=None))
    return int(result.rowcount or 0)


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
