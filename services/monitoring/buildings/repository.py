"""SQL for the monitoring service's copy of the buildings."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from policy import upsert_building_copies
from services.monitoring.buildings.models import BuildingCopy
from shared import batched


async def all_ids(session: AsyncSession) -> set[str]:
    """Every building id the service knows."""
    return set(await session.exec(select(BuildingCopy.id)))


async def upsert(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """Store snapshots; an older snapshot arriving late never overwrites a newer one."""
    await upsert_building_copies(session, BuildingCopy, rows)


async def get(session: AsyncSession, building_id: str) -> BuildingCopy | None:
    """One building."""
    return await session.get(BuildingCopy, building_id)


async def of_district(session: AsyncSession, district_id: str) -> list[BuildingCopy]:
    """The buildings the registry places in a district."""
    return list(
        await session.exec(select(BuildingCopy).where(BuildingCopy.district_id == district_id))
    )


async def districts_of(session: AsyncSession, ids: list[str]) -> dict[str, str]:
    """building id → district id."""
    table = BuildingCopy.__table__  # type: ignore[attr-defined]
    connection = await session.connection()
    found: dict[str, str] = {}
    for part in batched(ids, 5000):
        result = await connection.execute(
            sa_select(table.c.id, table.c.district_id).where(table.c.id.in_(list(part)))
        )
        for building_id, district in result:
            found[building_id] = district
    return found


async def names_of(session: AsyncSession, ids: list[str]) -> dict[str, str]:
    """building id → name, for the ids the registry announced."""
    if not ids:
        return {}
    query = select(BuildingCopy.id, BuildingCopy.name).where(col(BuildingCopy.id).in_(ids))
    return dict((await session.exec(query)).all())
