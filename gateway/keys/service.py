"""Rules for API keys: issue (shown once, stored hashed), list, revoke at once."""

import hashlib
import secrets

from sqlmodel.ext.asyncio.session import AsyncSession

from gateway.keys import repository
from gateway.keys.models import ApiKey, FeedToken
from gateway.keys.schemas import (
    ApiKeyCreate,
    ApiKeyIssued,
    ApiKeyPublic,
    FeedTokenCreate,
    FeedTokenIssued,
    FeedTokenPublic,
)
from shared import Forbidden, NotFound, Principal, Role, utcnow

KEY_PREFIX = "sbe_"
FEED_PREFIX = "sbecal_"
# The one resource a feed token reads, and the query parameter that carries it.
CALENDAR_PATH = "/api/v1/events/calendar.ics"
FEED_TOKEN_PARAM = "token"  # noqa: S105 (a parameter name, not a secret)


def hash_key(key: str) -> str:
    """SHA-256 of a key: keys carry 256 random bits, so a fast hash cannot be brute-forced."""
    return hashlib.sha256(key.encode()).hexdigest()


async def issue(session: AsyncSession, principal: Principal, data: ApiKeyCreate) -> ApiKeyIssued:
    """Issue a key; its secret is in the answer and nowhere else."""
    secret = KEY_PREFIX + secrets.token_urlsafe(32)
    key = ApiKey(
        id="key_" + secrets.token_hex(8),
        key_hash=hash_key(secret),
        prefix=secret[: len(KEY_PREFIX) + 6],
        role=data.role.value,
        district_id=data.district_id,
        unit=data.unit,
        label=data.label,
        created_by=principal.key_id,
    )
    session.add(key)
    await session.flush()
    return ApiKeyIssued(
        id=key.id,
        key=secret,
        role=data.role,
        district_id=key.district_id,
        unit=key.unit,
        label=key.label,
    )


async def list_keys(session: AsyncSession) -> list[ApiKeyPublic]:
    """Every key, revoked ones included, without secrets."""
    return [
        ApiKeyPublic.model_validate(k, from_attributes=True)
        for k in await repository.all_keys(session)
    ]


async def revoke(session: AsyncSession, key_id: str) -> list[str]:
    """Revoke a key and the calendar subscriptions it made; returns the hashes caches must
    forget. Revoking twice is harmless."""
    key = await repository.get(session, key_id)
    if key is None:
        raise NotFound(f"No key with id {key_id!r}.")
    now = utcnow()
    if key.revoked_at is None:
        key.revoked_at = now
        await session.flush()
    return [key.key_hash, *await repository.revoke_feed_tokens_of(session, key_id, now)]


def _feed_public(token: FeedToken) -> FeedTokenPublic:
    return FeedTokenPublic.model_validate(token, from_attributes=True)


async def issue_feed_token(
    session: AsyncSession, principal: Principal, data: FeedTokenCreate
) -> FeedTokenIssued:
    """A calendar subscription reading with the caller's role and district; shown once."""
    if principal.role is Role.service:
        raise Forbidden("Platform services do not subscribe to calendars.")
    secret = FEED_PREFIX + secrets.token_urlsafe(32)
    token = FeedToken(
        id="feed_" + secrets.token_hex(8),
        token_hash=hash_key(secret),
        role=principal.role.value,
        district_id=principal.district_id,
        unit=principal.unit,
        label=data.label,
        created_by=principal.key_id,
    )
    session.add(token)
    await session.flush()
    return FeedTokenIssued(
        **_feed_public(token).model_dump(),
        token=secret,
        url=f"{CALENDAR_PATH}?{FEED_TOKEN_PARAM}={secret}",
    )


async def list_feed_tokens(session: AsyncSession, principal: Principal) -> list[FeedTokenPublic]:
    """The caller's own subscriptions; an admin sees everyone's."""
    created_by = None if principal.role is Role.admin else principal.key_id
    return [_feed_public(t) for t in await repository.feed_tokens(session, created_by)]


async def revoke_feed_token(session: AsyncSession, principal: Principal, token_id: str) -> str:
    """Revoke one subscription (its maker's, or any for an admin); returns its hash."""
    token = await repository.feed_token(session, token_id)
    if token is None or (principal.role is not Role.admin and token.created_by != principal.key_id):
        raise NotFound(f"No calendar subscription with id {token_id!r}.")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        await session.flush()
    return token.token_hash
