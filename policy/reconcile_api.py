"""Reconciliation over HTTP. A source service answers its tallies of what it announces and, for
the administrator, announces everything again so every copy heals (idempotent: each copy keeps
the newest version of a record, and a record it holds at that version changes nothing). A service
keeping copies shows its last comparison and compares again on request."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar

import httpx
from fastapi import APIRouter, Depends, Request
from pydantic import Field
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from policy.reconcile import CopyReport, CopyWatch, Source, SourceTallies, Tallies
from shared import (
    AdminDep,
    Database,
    DatabaseDep,
    Principal,
    Role,
    SessionDep,
    problem_responses,
    require_roles,
)

# The administrator, the supervision office, and the services keeping copies.
TallyReaderDep = Annotated[
    Principal, Depends(require_roles(Role.admin, Role.supervision, Role.service))
]


T = TypeVar("T")


async def announce_in_chunks(
    database: Database,
    next_chunk: Callable[[AsyncSession, Any], Awaitable[list[T]]],
    announce: Callable[[AsyncSession, T], Awaitable[None] | None],
    key_of: Callable[[T], Any],
    start: Any,
) -> int:
    """Announce every record again, a chunk per transaction in key order (a long table is not
    one huge transaction); returns how many."""
    announced, after = 0, start
    while True:
        async with database.unit_of_work() as session:
            chunk = await next_chunk(session, after)
            for record in chunk:
                outcome = announce(session, record)
                if inspect.isawaitable(outcome):
                    await outcome
        if not chunk:
            return announced
        announced += len(chunk)
        after = key_of(chunk[-1])


class Republished(SQLModel):
    """What a re-announcement sent."""

    service: str = Field(description="The source service.")
    announced: dict[str, int] = Field(description="kind → messages put in the outbox.")


def announcements_router(
    area: str,
    tallies: Callable[[AsyncSession], Awaitable[Tallies]],
    republish: Callable[[Database], Awaitable[dict[str, int]]],
) -> APIRouter:
    """`GET /api/v1/<area>/fingerprints` and `POST /api/v1/<area>/republish` (admin)."""
    router = APIRouter(prefix=f"/api/v1/{area}", tags=["copies"])

    @router.get(
        "/fingerprints",
        response_model=SourceTallies,
        responses=problem_responses(401, 403),
        summary="Tallies of what this service announces, per kind and district",
    )
    async def fingerprints(session: SessionDep, _: TallyReaderDep) -> SourceTallies:
        """Counts and checksums only: no record, no figure."""
        return SourceTallies(service=area, kinds=await tallies(session))

    @router.post(
        "/republish",
        response_model=Republished,
        responses=problem_responses(401, 403),
        summary="Announce every record again, so every copy heals",
    )
    async def republish_all(database: DatabaseDep, _: AdminDep) -> Republished:
        """Idempotent: copies keep the newest version of each record."""
        return Republished(service=area, announced=await republish(database))

    return router


def own_tallies(
    database: Database, tallies: Callable[[AsyncSession], Awaitable[Tallies]]
) -> Callable[[], Awaitable[Tallies]]:
    """The copy side's tallies, each time read afresh (no transaction: plain reads)."""

    async def read() -> Tallies:
        async with database.reading() as session:
            return await tallies(session)

    return read


def http_source(name: str, kinds: tuple[str, ...], client: httpx.AsyncClient) -> Source:
    """A source asked over its own port with the service's signed client."""

    async def fetch() -> Tallies:
        response = await client.get(f"/api/v1/{name}/fingerprints")
        response.raise_for_status()
        return SourceTallies.model_validate_json(response.content).kinds

    return Source(name, kinds, fetch)


async def _copy_watch(request: Request) -> CopyWatch:
    watch: CopyWatch = request.app.state.copy_watch
    return watch


CopyWatchDep = Annotated[CopyWatch, Depends(_copy_watch)]
OverseerOnlyDep = Annotated[Principal, Depends(require_roles(Role.admin, Role.supervision))]


def copies_router(area: str) -> APIRouter:
    """`GET /api/v1/<area>/copies` (admin, supervision) and `POST …/copies/check` (admin)."""
    router = APIRouter(prefix=f"/api/v1/{area}/copies", tags=["copies"])

    @router.get(
        "",
        response_model=CopyReport,
        responses=problem_responses(401, 403),
        summary="The last comparison of this service's copies with their sources",
    )
    async def report(watch: CopyWatchDep, _: OverseerOnlyDep) -> CopyReport:
        """Counts per kind and district on both sides; a line differing for longer than the
        settling time, its source unchanged, is `diverged` (and `sbe_copies_diverged` counts it)."""
        return watch.report

    @router.post(
        "/check",
        response_model=CopyReport,
        responses=problem_responses(401, 403),
        summary="Compare the copies with their sources now",
    )
    async def check(watch: CopyWatchDep, _: AdminDep) -> CopyReport:
        """What the periodic check does, at once: after a republish, say."""
        return await watch.check()

    return router
