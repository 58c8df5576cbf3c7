"""SQL for API keys and calendar feed tokens."""

from datetime import datetime

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from gateway.keys.models import ApiKey, FeedToken


async def by_hash(session: AsyncSession, key_hash: str) -> ApiKey | None:
    """The key with this hash, revoked or not."""
    result = await session.exec(select(ApiKey).where(ApiKey.key_hash == key_hash))
    return result.one_or_none()


async def get(session: AsyncSession, key_id: str) -> ApiKey | None:
    """A key by id."""
    return await session.get(ApiKey, key_id)


async def all_keys(session: AsyncSession) -> list[ApiKey]:
    """Every key ever issued, newest first."""
    result = await session.exec(select(ApiKey).order_by(col(ApiKey.created_at).desc()))
    return list(result)


async def feed_token_by_hash(session: AsyncSession, token_hash: str) -> FeedToken | None:
    """The feed token with this hash, revoked or not."""
    result = await session.exec(select(FeedToken).where(FeedToken.token_hash == token_hash))
    return result.one_or_none()


async def feed_token(session: AsyncSession, token_id: str) -> FeedToken | None:
    """A feed token by id."""
    return await session.get(FeedToken, token_id)


async def feed_tokens(session: AsyncSession, created_by: str | None) -> list[FeedToken]:
    """Feed tokens, newest first: those one key made, or all."""
    query = select(FeedToken)
    if created_by is not None:
        query = query.where(FeedToken.created_by == created_by)
    result = await session.exec(query.order_by(col(FeedToken.created_at).desc()))
    return list(result)


async def revoke_feed_tokens_of(session: AsyncSession, key_id: str, at: datetime) -> list[str]:
    """Revoke every live feed token a key made; returns their hashes."""
    result = await session.exec(
        update(FeedToken)
        .where(col(FeedToken.created_by) == key_id, col(FeedToken.revoked_at).is_(None))
        .values(revoked_at=at)
        .returning(col(FeedToken.token_hash))
    )
    return [row[0] for row in result]
