"""HTTP routes for API keys and calendar feed tokens."""

from functools import partial
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response

from gateway.deps import AuthenticatorDep
from gateway.keys import service
from gateway.keys.schemas import (
    ApiKeyCreate,
    ApiKeyIssued,
    ApiKeyPublic,
    FeedTokenCreate,
    FeedTokenIssued,
    FeedTokenPublic,
)
from shared import (
    AdminDep,
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
