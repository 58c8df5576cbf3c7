"""Rules for API keys: issue (shown once, stored hashed), list, revoke at once."""

import hashlib
import secrets

from sqlmodel.ext.asyncio.session import AsyncSession

from gateway.keys import repository
from gateway.keys.models import ApiKey
from gateway.keys.schemas import ApiKeyCreate, ApiKeyIssued, ApiKeyPublic
from shared import NotFound, Principal, utcnow

KEY_PREFIX = "sbe_"


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
        label=data.label,
        created_by=principal.key_id,
    )
    session.add(key)
    await session.flush()
    return ApiKeyIssued(
        id=key.id, key=secret, role=data.role, district_id=key.district_id, label=key.label
    )


async def list_keys(session: AsyncSession) -> list[ApiKeyPublic]:
    """Every key, revoked ones included, without secrets."""
    return [
        ApiKeyPublic.model_validate(k, from_attributes=True)
        for k in await repository.all_keys(session)
    ]


async def revoke(session: AsyncSession, key_id: str) -> str:
    """Revoke a key; returns its hash so caches can forget it. Revoking twice is harmless."""
    key = await repository.get(session, key_id)
    if key is None:
        raise NotFound(f"No key with id {key_id!r}.")
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        await session.flush()
    return key.key_hash
