"""HTTP routes for API keys and the audit trail (admin only)."""

from functools import partial
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response
from pydantic import AwareDatetime

from gateway.deps import AuthenticatorDep
from gateway.keys import service
from gateway.keys.schemas import (
    ApiKeyCreate,
    ApiKeyIssued,
    ApiKeyPublic,
    AuditEntryPublic,
    AuditPage,
    FeedTokenCreate,
    FeedTokenIssued,
    FeedTokenPublic,
)
from shared import (
    AdminDep,
    Limit,
    Offset,
    Principal,
    Role,
    SessionDep,
    after_commit,
    problem_responses,
    require_roles,
)

router = APIRouter(prefix="/api/v1/auth", tags=["identity"])


@router.post("/keys", status_code=201, response_model=ApiKeyIssued, summary="Issue an API key")
async def issue_key(session: SessionDep, principal: AdminDep, body: ApiKeyCreate) -> ApiKeyIssued:
    """The key is in this answer only; the platform keeps its hash."""
    return await service.issue(session, principal, body)


@router.get("/keys", response_model=list[ApiKeyPublic], summary="List API keys")
async def list_keys(session: SessionDep, principal: AdminDep) -> list[ApiKeyPublic]:
    return await service.list_keys(session)


@router.delete(
    "/keys/{key_id}", status_code=204, responses=problem_responses(404), summary="Revoke an API key"
)
async def revoke_key(
    session: SessionDep,
    principal: AdminDep,
    key_id: Annotated[str, Path(max_length=40)],
    authenticator: AuthenticatorDep,
) -> Response:
    """Revocation takes effect at once, on every gateway replica."""
    for key_hash in await service.revoke(session, key_id):
        after_commit(session, partial(authenticator.forget, key_hash))
    return Response(status_code=204)


PersonDep = Annotated[
    Principal, Depends(require_roles(Role.admin, Role.supervision, Role.district))
]


@router.post(
    "/feed-tokens",
    status_code=201,
    response_model=FeedTokenIssued,
    summary="Make a calendar subscription token",
)
async def issue_feed_token(
    session: SessionDep, principal: PersonDep, body: FeedTokenCreate
) -> FeedTokenIssued:
    """For calendar applications, which cannot send headers: the token goes in the URL and
    reads `GET /api/v1/events/calendar.ics` (with the caller's role and district) and nothing
    else. Shown once; revoke it when a device is lost."""
    return await service.issue_feed_token(session, principal, body)


@router.get(
    "/feed-tokens", response_model=list[FeedTokenPublic], summary="List calendar subscriptions"
)
async def list_feed_tokens(session: SessionDep, principal: PersonDep) -> list[FeedTokenPublic]:
    """The caller's own; an admin sees everyone's."""
    return await service.list_feed_tokens(session, principal)


@router.delete(
    "/feed-tokens/{token_id}",
    status_code=204,
    responses=problem_responses(404),
    summary="Revoke a calendar subscription",
)
async def revoke_feed_token(
    session: SessionDep,
    principal: PersonDep,
    token_id: Annotated[str, Path(max_length=40)],
    authenticator: AuthenticatorDep,
) -> Response:
    """Takes effect at once, on every gateway replica."""
    token_hash = await service.revoke_feed_token(session, principal, token_id)
    after_commit(session, partial(authenticator.forget, token_hash))
    return Response(status_code=204)


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
