"""HTTP routes for dead letters: inspect (admin, supervision) and replay (admin)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from services.monitoring.buildings.service import BuildingDirectory
from services.monitoring.ingest import dead_letters
from services.monitoring.ingest.schemas import (
    DeadLetterPage,
    DeadLetterReason,
    ReplayRequest,
    ReplayResult,
)
from services.monitoring.metrics import INGEST_RECORDS
from shared import AdminDep, OverseerDep, SessionDep
from shared.params import Limit, Offset

router = APIRouter(prefix="/api/v1/monitoring/dead-letters", tags=["monitoring"])


async def _directory(request: Request) -> BuildingDirectory:
    directory: BuildingDirectory = request.app.state.directory
    return directory


DirectoryDep = Annotated[BuildingDirectory, Depends(_directory)]


@router.get("", response_model=DeadLetterPage, summary="Messages set aside")
async def list_dead_letters(
    session: SessionDep,
    principal: OverseerDep,
    reason: Annotated[DeadLetterReason | None, Query(description="Only this reason.")] = None,
    pending: Annotated[bool, Query(description="Only those not replayed yet.")] = False,
    limit: Limit = 50,
    offset: Offset = 0,
) -> DeadLetterPage:
    """Metadata only: a message's content may carry an enterprise's tax (税收保密)."""
    return await dead_letters.list_page(
        session,
        reason=reason.value if reason else None,
        pending_only=pending,
        limit=limit,
        offset=offset,
    )


@router.post("/replay", response_model=ReplayResult, summary="Try dead letters again")
async def replay_dead_letters(
    session: SessionDep, principal: AdminDep, body: ReplayRequest, directory: DirectoryDep
) -> ReplayResult:
    """Once the cause is fixed: all pending, those of one reason, or given ids."""
    result, report = await dead_letters.replay(session, directory, body)
    for (topic, outcome), count in report.outcomes.items():
        if outcome != "deadletter":
            INGEST_RECORDS.labels(topic, outcome).inc(count)
    return result
