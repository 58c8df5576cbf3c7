"""Reading the audit trail (its writing is writer.py's, off the request path)."""

from __future__ import annotations

from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from gateway.audit import repository


async def audit_page(session: AsyncSession, **filters: Any) -> tuple[list[Any], int]:
    """One page of the audit trail, newest first."""
    entries, total = await repository.audit_page(session, **filters)
    return list(entries), total
