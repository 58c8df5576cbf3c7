"""SQL for buildings, their list entries and designations."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import and_, bindparam, delete, func, or_
from sqlalchemy import select as sa_select
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.registry.buildings.models import Building, BuildingListEntry, FeaturedDesignation
from services.registry.buildings.schemas import BuildingFilter, BuildingOrder, BuildingSort
from services.registry.figures.models import BuildingYearCopy
from services.registry.reading import FastReads, Prepared
from shared import batched

SelectT = TypeVar("SelectT", bound=Any)


def _filtered(query: SelectT, f: BuildingFilter) -> SelectT:
    if f.text is not None:
        query = query.where(
            or_(
                *(
                    col(column).icontains(f.text, autoescape=True)
                    for column in (Building.name, Building.address, Building.id)
                )
            )
        )
    if f.standing:
        query = query.where(col(Building.retired_on).is_(None))
    if f.district_id is not None:
        query = query.where(col(Building.district_id) == f.district_id)
    if f.ids is not None:
        query = query.where(col(Building.id).in_(f.ids))
    if f.list_key is not None:
        query = query.where(
            col(Building.id).in_(
                select(BuildingListEntry.building_id).where(
                    BuildingListEntry.list_key == f.list_key
                )
            )
        )
    if f.featured_industry is not None:
        query = query.where(
            col(Building.id).in_(
                select(FeaturedDesignation.building_id).where(
                    FeaturedDesignation.industry == f.featured_industry
                )
            )
        )
    return query


async def get(session: AsyncSession, building_id: str) -> Building | None:
    """One building by id."""
    return await session.get(Building, building_id)


# One building with its list keys and its designated industries, in one statement: the two
# lists are comma-joined aggregates of correlated subqueries. The hottest read of all: prepared
# once, and run on PostgreSQL as the driver's own prepared statement (reading.Prepared).
_WITH_LISTS = Prepared(
    sa_select(
        *Building.__table__.columns,  # type: ignore[attr-defined]
        select(func.aggregate_strings(col(BuildingListEntry.list_key), ","))
        .where(col(BuildingListEntry.building_id) == col(Building.id))
        .scalar_subquery()
        .label("list_keys"),
        select(func.aggregate_strings(col(FeaturedDesignation.industry), ","))
        .where(col(FeaturedDesignation.building_id) == col(Building.id))
        .scalar_subquery()
        .label("industry_keys"),
    ).where(col(Building.id) == bindparam("building_id"))
)


class BuildingWithLists(NamedTuple):
    """A building's columns (by name), its list keys and its designated industries."""

    columns: dict[str, Any]
    lists: list[str]
    industries: list[str]


async def with_lists(reads: FastReads, building_id: str) -> BuildingWithLists | None:
    """One building's columns with its list keys and its designated industries (one round
    trip, outside any transaction)."""
    building = await _WITH_LISTS.first(reads, building_id=building_id)
    if building is None:
        return None
    list_keys, industry_keys = building.pop("list_keys"), building.pop("industry_keys")
    return BuildingWithLists(building, _split(list_keys), _split(industry_keys))


def _split(joined: str | None) -> list[str]:
    return joined.split(",") if joined else []


async def names_and_districts(
    session: AsyncSession, building_ids: Iterable[str]
) -> dict[str, tuple[str, str]]:
    """building id → (name, district id), for the ids that exist."""
    ids = list(set(building_ids))
    found: dict[str, tuple[str, str]] = {}
    for part in batched(ids, 1000):
        result = await session.exec(
            select(Building.id, Building.name, Building.district_id).where(
                col(Building.id).in_(list(part))
            )
        )
        found.update({id_: (name, district) for id_, name, district in result})
    return found


async def page(
    session: AsyncSession, f: BuildingFilter, limit: int | None, offset: int
) -> tuple[list[Building], int]:
    """Buildings matching `f` ordered by id, and how many match in all."""
    total = await count(session, f)
    query = _filtered(select(Building), f).order_by(col(Building.id)).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    result = await session.exec(query)
    return list(result), total


async def count(session: AsyncSession, f: BuildingFilter) -> int:
    """How many buildings match `f`."""
    return (await session.exec(_filtered(select(func.count()).select_from(Building), f))).one()


def _sort_key(order: BuildingOrder) -> Any:
    y = BuildingYearCopy
    match order.sort:
        case BuildingSort.name:
            return col(Building.name)
        case BuildingSort.area:
            return col(Building.gross_floor_area_m2)
        case BuildingSort.tax:
            return func.coalesce(col(y.tax_cents), 0)
        case BuildingSort.occupancy:
            return col(y.occupied_area_m2) / func.nullif(col(y.leasable_area_m2), 0)
        case _:
            return col(Building.id)


async def figured_page(
    session: AsyncSession, f: BuildingFilter, order: BuildingOrder, limit: int, offset: int
) -> list[tuple[Building, BuildingYearCopy | None]]:
    """One page of the buildings matching `f`, each with its copy of the year's figures, in
    `order` (unknown values last either way, ties by id)."""
    key = _sort_key(order)
    key = (key.desc() if order.descending else key.asc()).nulls_last()
    query = (
        _filtered(select(Building, BuildingYearCopy), f)
        .outerjoin(
            BuildingYearCopy,
            and_(
                col(BuildingYearCopy.building_id) == col(Building.id),
                col(BuildingYearCopy.year) == order.year,
            ),
        )
        .order_by(key, col(Building.id))
        .offset(offset)
        .limit(limit)
    )
    return [(building, figures) for building, figures in await session.exec(query)]


async def lists_of(session: AsyncSession, building_ids: list[str]) -> dict[str, list[str]]:
    """building id → its list keys."""
    found: dict[str, list[str]] = defaultdict(list)
    for part in batched(building_ids, 1000):
        result = await session.exec(
            select(BuildingListEntry.building_id, BuildingListEntry.list_key).where(
                col(BuildingListEntry.building_id).in_(list(part))
            )
        )
        for building_id, list_key in result:
            found[building_id].append(list_key)
    return found


async def designations_of(
    session: AsyncSession, building_ids: list[str]
) -> dict[str, list[FeaturedDesignation]]:
    """building id → its featured designations, oldest first."""
    found: dict[str, list[FeaturedDesignation]] = defaultdict(list)
    for part in batched(building_ids, 1000):
        result = await session.exec(
            select(FeaturedDesignation)
            .where(col(FeaturedDesignation.building_id).in_(list(part)))
            .order_by(col(FeaturedDesignation.designated_on), col(FeaturedDesignation.id))
        )
        for designation in result:
            found[designation.building_id].append(designation)
    return found


async def replace_lists(session: AsyncSession, building_id: str, list_keys: list[str]) -> None:
    """Put the building on exactly these lists, keeping the date it joined the ones it stays on."""
    current = set((await lists_of(session, [building_id])).get(building_id, []))
    wanted = set(list_keys)
    if current - wanted:
        await session.exec(
            delete(BuildingListEntry).where(
                col(BuildingListEntry.building_id) == building_id,
                col(BuildingListEntry.list_key).in_(current - wanted),
            )
        )
    for key in sorted(wanted - current):
        session.add(BuildingListEntry(building_id=building_id, list_key=key))


async def add_designation(session: AsyncSession, designation: FeaturedDesignation) -> None:
    """Store a designation; flushes so the unique constraint speaks now."""
    session.add(designation)
    await session.flush()


async def designation(
    session: AsyncSession, building_id: str, industry: str
) -> FeaturedDesignation | None:
    """A building's designation for one industry."""
    result = await session.exec(
        select(FeaturedDesignation).where(
            FeaturedDesignation.building_id == building_id, FeaturedDesignation.industry == industry
        )
    )
    return result.one_or_none()


async def delete_designation(session: AsyncSession, designation: FeaturedDesignation) -> None:
    """Withdraw a designation."""
    await session.delete(designation)
