"""The audit trail's route (administrator only)."""

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import AwareDatetime

from gateway.audit import service
from gateway.audit.schemas import AuditEntryPublic, AuditPage
from shared import AdminDep, SessionDep
from shared.params import Limit, Offset

# Beside the keys' routes, under the identity area: who used which key, when, for what.
router = APIRouter(prefix="/api/v1/auth", tags=["identity"])


@router.get("/audit", response_model=AuditPage, summary="Who used which key, when, for what")
async def audit(
    session: SessionDep,
    principal: AdminDep,
    key_id: Annotated[str | None, Query(max_length=40, description="Only this key.")] = None,
    user: Annotated[
        str | None, Query(max_length=64, description="Only this person (user id or username).")
    ] = None,
    event: Annotated[
        str | None,
        Query(max_length=32, description="Only this security event (login_failed, …)."),
    ] = None,
    since: Annotated[
        AwareDatetime | None, Query(alias="from", description="At or after (RFC 3339).")
    ] = None,
    until: Annotated[
        AwareDatetime | None, Query(alias="to", description="Before (RFC 3339).")
    ] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> AuditPage:
    entries, total = await service.audit_page(
        session,
        key_id=key_id,
        since=since,
        until=until,
        limit=limit,
        offset=offset,
        user=user,
        event=event,
    )
    return AuditPage(
        items=[AuditEntryPublic.model_validate(e, from_attributes=True) for e in entries],
        total=total,
    )
