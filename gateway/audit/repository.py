"""SQL for the audit trail: entries appended in batches, and read a page at a time."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from gateway.audit.models import AuditEntry
from shared.params import page_of


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
    user: str | None = None,
    event: str | None = None,
) -> tuple[list[AuditEntry], int]:
    """Audit entries matching the filters, newest first (`user`: a user id or a username)."""
    query = select(AuditEntry)
    if key_id is not None:
        query = query.where(AuditEntry.key_id == key_id)
    if user is not None:
        query = query.where(
            or_(col(AuditEntry.user_id) == user, col(AuditEntry.username) == user.lower())
        )
    if event is not None:
        query = query.where(AuditEntry.event == event)
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    if until is not None:
        query = query.where(AuditEntry.at < until)
    return await page_of(
        session,
        query,
        col(AuditEntry.at).desc(),
        col(AuditEntry.id).desc(),
        limit=limit,
        offset=offset,
    )
