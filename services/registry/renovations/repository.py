"""SQL for renovations."""

from collections import defaultdict
from typing import Any, NamedTuple

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.registry.buildings.models import Building
from services.registry.renovations.models import Renovation
from shared.params import page_of


class Located(NamedTuple):
    """A renovation with its building's district and name."""

    renovation: Renovation
    district_id: str
    building_name: str


def _located() -> Any:
    return select(Renovation, Building.district_id, Building.name).join(
        Building, col(Building.id) == col(Renovation.building_id)
    )


async def get(session: AsyncSession, renovation_id: str) -> Located | None:
    """A renovation, its building's district and name."""
    row = (await session.exec(_located().where(Renovation.id == renovation_id))).first()
    return Located(*row) if row else None


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
) -> tuple[list[Located], int]:
    """Renovations with their building's district and name, newest start first."""
    query = _located()
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
    return [Located(*row) for row in rows], total
