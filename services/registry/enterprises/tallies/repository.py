"""SQL for the tenant tallies and their marks (see keeper.py for how they are kept)."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import delete, func, insert, literal, text, union_all
from sqlalchemy import select as sa_select
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.registry.enterprises.models import ALL_TENANTS, TallyMark, Tenancy, TenantTally
from shared import batched, is_postgres, write_rows

_CHUNK = 1000
# One count at a time across replicas (see keeper.py).
_COUNTING = text("SELECT pg_advisory_xact_lock(hashtext('sbe.registry.tenant_tally'))")


async def mark(session: AsyncSession, building_ids: Collection[str]) -> None:
    """Mark buildings whose tenancies this transaction changes."""
    if building_ids:
        rows = [{"building_id": b} for b in sorted(building_ids)]
        await write_rows(session, insert(TallyMark), rows)


async def count_again(session: AsyncSession, building_ids: Collection[str]) -> None:
    """Count the buildings' current tenants again, all and per featured industry."""
    t = Tenancy
    for part in batched(sorted(building_ids), _CHUNK):
        await session.exec(delete(TenantTally).where(col(TenantTally.building_id).in_(part)))
        area = func.sum(func.coalesce(col(t.area_m2), 0.0))
        current = (col(t.active).is_(True), col(t.building_id).in_(part))
        everyone = (
            sa_select(col(t.building_id), literal(ALL_TENANTS), func.count(), area)
            .where(*current)
            .group_by(col(t.building_id))
        )
        featured = (
            sa_select(col(t.building_id), col(t.featured_industry), func.count(), area)
            .where(*current, col(t.featured_industry).is_not(None))
            .group_by(col(t.building_id), col(t.featured_industry))
        )
        await session.exec(
            insert(TenantTally).from_select(
                ["building_id", "industry", "tenants", "leased_area_m2"],
                union_all(everyone, featured),
            )
        )


async def tallies_of(
    session: AsyncSession, building_ids: list[str]
) -> dict[str, dict[str, tuple[int, float]]]:
    """building id → industry (ALL_TENANTS for every tenant) → (tenants, leased area)."""
    found: dict[str, dict[str, tuple[int, float]]] = {}
    for part in batched(building_ids, _CHUNK):
        for tally in await session.exec(
            select(TenantTally).where(col(TenantTally.building_id).in_(part))
        ):
            found.setdefault(tally.building_id, {})[tally.industry] = (
                tally.tenants,
                tally.leased_area_m2,
            )
    return found


async def take_marks(session: AsyncSession, limit: int) -> list[tuple[int, str]]:
    """The oldest marks, as (id, building), once this transaction holds the counting lock."""
    if is_postgres(session):
        await session.exec(_COUNTING)  # type: ignore[call-overload]
    query = select(TallyMark.id, TallyMark.building_id).order_by(col(TallyMark.id)).limit(limit)
    return [(int(mark_id or 0), building_id) for mark_id, building_id in await session.exec(query)]


async def clear_marks(session: AsyncSession, ids: list[int]) -> None:
    """Remove the marks taken (by id: one committed after they were read stays)."""
    for part in batched(ids, _CHUNK):
        await session.exec(delete(TallyMark).where(col(TallyMark.id).in_(part)))
