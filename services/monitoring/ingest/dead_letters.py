"""Dead letters: listed without their content, replayed once their cause is fixed (a building
registered late, say) through the same ingest as the feed."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from services.monitoring.buildings.service import BuildingDirectory
from services.monitoring.ingest import repository
from services.monitoring.ingest.schemas import (
    DeadLetterPage,
    DeadLetterPublic,
    ReplayRequest,
    ReplayResult,
)
from services.monitoring.ingest.service import IngestReport, RawMessage, ingest
from shared import utcnow

MAX_REPLAY = 10_000


async def replay(
    session: AsyncSession, directory: BuildingDirectory, request: ReplayRequest
) -> tuple[ReplayResult, IngestReport]:
    """Run pending dead letters through the same ingest as the feed; mark what now stores."""
    letters = await repository.pending_dead_letters(
        session,
        reason=request.reason.value if request.reason else None,
        ids=request.ids,
        limit=MAX_REPLAY,
    )
    messages = [RawMessage(d.topic, d.partition, d.offset, d.key, d.value) for d in letters]
    report = await ingest(session, messages, directory)
    still = {
        (r.message.topic, r.message.partition, r.message.offset, r.message.value): r
        for r in report.rejected
    }
    now = utcnow()
    for letter in letters:
        failed = still.get((letter.topic, letter.partition, letter.offset, letter.value))
        letter.attempts += 1
        if failed is None:
            letter.replayed_at = now
        else:
            letter.reason = failed.reason.value
            letter.detail = failed.detail
        session.add(letter)
    result = ReplayResult(
        replayed=len(letters),
        stored=len(letters) - len(report.rejected),
        still_failing=len(report.rejected),
    )
    return result, report


async def list_page(
    session: AsyncSession, *, reason: str | None, pending_only: bool, limit: int, offset: int
) -> DeadLetterPage:
    """Metadata only: a message's content may carry an enterprise's tax (税收保密)."""
    rows, total = await repository.dead_letter_page(
        session, reason=reason, pending_only=pending_only, limit=limit, offset=offset
    )
    items = [
        DeadLetterPublic.model_validate(
            {
                **row.model_dump(exclude={"value", "key", "digest"}),
                "key": row.key.decode("utf-8", "replace") if row.key else None,
            }
        )
        for row in rows
    ]
    return DeadLetterPage(items=items, total=total)
