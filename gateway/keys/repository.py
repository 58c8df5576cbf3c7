"""SQL for API keys and the audit trail."""

from datetime import datetime
from typing import Any

from sqlalchemy import func, insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from gateway.keys.models import ApiKey, AuditEntry


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


async def add_audit_entries(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """Append audit entries in one multi-row insert."""
    if rows:
        await session.exec(insert(AuditEntry), params=rows)


async def audit_page(
    session: AsyncSession,
    *,
    key_id: str | None,
    since: datetime | None,
    until: datetime | None,
    limit: int,
    offset: int,
) -> tuple[list[AuditEntry], int]:
    """Audit entries matching the filters, newest first."""
    query = select(AuditEntry)
    if key_id is not None:
        query = query.where(AuditEntry.key_id == key_id)
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    if until is not None:
        query = query.where(AuditEntry.at < until)
    total = (await session.exec(select(func.count()).select_from(query.subquery()))).one()
    result = await session.exec(
        query.order_by(col(AuditEntry.at).desc(), col(AuditEntry.id).desc())
        .limit(limit)
        .offset(offset)
    )
    return list(result), total
