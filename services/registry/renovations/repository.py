"""SQL for renovations."""

from collections import defaultdict

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.registry.buildings.models import Building
from services.registry.renovations.models import Renovation
from shared import page_of


async def get(session: AsyncSession, renovation_id: str) -> tuple[Renovation, str] | None:
    """A renovation and its building's district."""
    result = await session.exec(
        select(Renovation, Building.district_id)
        .join(Building, col(Building.id) == col(Renovation.building_id))
        .where(Renovation.id == renovation_id)
    )
    row = result.first()
    return (row[0], row[1]) if row else None


async def of_buildings(
    session: AsyncSession, building_ids: list[str]
) -> dict[str, list[Renovation]]:
    """building id → its renovations, oldest first."""
    found: dict[str, list[Renovation]] = defaultdict(list)
    result = await session.exec(
        select(Renovation)
        .where(col(Renovation.building_id).in_(building_ids))
        .order_by(col(Renovation.started_on), col(Renovation.id))
    )
    for renovation in result:
        found[renovation.building_id].append(renovation)
    return found


async def page(
    session: AsyncSession,
    *,
    district_id: str | None,
    building_id: str | None,
    limit: int,
    offset: int,
    review: str | None = None,
) -> tuple[list[tuple[Renovation, str]], int]:
    """Renovations with their building's district, newest start first."""
    query = select(Renovation, Building.district_id).join(
        Building, col(Building.id) == col(Renovation.building_id)
    )
    if district_id is not None:
        query = query.where(Building.district_id == district_id)
    if building_id is not None:
        query = query.where(Renovation.building_id == building_id)
    if review is not None:
        query = query.where(Renovation.review_state == review)
    rows, total = await page_of(
        session,
        query,
        col(Renovation.started_on).desc(),
        col(Renovation.id),
        limit=limit,
        offset=offset,
    )
    return [(row[0], row[1]) for row in rows], total
