"""SQL for enterprises, movements and tenancies."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, func, insert, tuple_
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.registry.buildings.models import Building
from services.registry.enterprises.models import Movement, MovementVersion, Tenancy
from shared import batched, dialect_insert, is_postgres, page_of

_CHUNK = 1000


async def stored_hashes(
    session: AsyncSession, keys: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], str]:
    """(district id, record id) → content hash, for the records already stored."""
    ordered = sorted(set(keys))
    found: dict[tuple[str, str], str] = {}
    for part in batched(ordered, _CHUNK):
        result = await session.exec(
            select(Movement.district_id, Movement.record_id, Movement.content_hash).where(
                tuple_(col(Movement.district_id), col(Movement.record_id)).in_(list(part))
            )
        )
        found.update({(d, r): h for d, r, h in result.all()})
    return found


class RecordsTaken(Exception):
    """Another push stored some of the same record ids at the same moment."""


async def insert_movements(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """Insert new movements in one round of multi-row statements (RecordsTaken when a
    concurrent push won the race for one of the ids)."""
    if not rows:
        return
    try:
        await session.exec(insert(Movement), params=rows)
        await session.flush()
    except IntegrityError as exc:
        raise RecordsTaken from exc


async def tenancies(
    session: AsyncSession, pairs: set[tuple[str, str]]
) -> dict[tuple[str, str], Tenancy]:
    """(building id, uscc) → tenancy, for the pairs that have one (looked up by the pair, so
    the cost follows the batch, not how many enterprises a building has ever had)."""
    ordered = sorted(pairs)
    found: dict[tuple[str, str], Tenancy] = {}
    for part in batched(ordered, _CHUNK):
        result = await session.exec(
            select(Tenancy).where(
                tuple_(col(Tenancy.building_id), col(Tenancy.uscc)).in_(list(part))
            )
        )
        for tenancy in result:
            found[(tenancy.building_id, tenancy.uscc)] = tenancy
    return found


_TENANCY_STATE = (
    "active",
    "area_m2",
    "since",
    "last_movement_on",
    "enterprise_name",
    "industry_code",
)
# The upsert, built once per dialect: its ON CONFLICT clause is costly to build per request.
_UPSERTS: dict[bool, Any] = {}


def _tenancy_upsert(session: AsyncSession) -> Any:
    postgres = is_postgres(session)
    if postgres not in _UPSERTS:
        statement = dialect_insert(session, Tenancy)
        _UPSERTS[postgres] = statement.on_conflict_do_update(
            index_elements=["building_id", "uscc"],
            set_={column: getattr(statement.excluded, column) for column in _TENANCY_STATE},
        )
    return _UPSERTS[postgres]


async def upsert_tenancies(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """Write the new state of each (building, enterprise) pair."""
    if not rows:
        return
    statement = _tenancy_upsert(session)
    for part in batched(rows, _CHUNK):
        await session.exec(statement, params=list(part))


async def movement_page(
    session: AsyncSession,
    *,
    district_id: str | None,
    building_id: str | None,
    kind: str | None,
    date_from: dt.date | None,
    date_to: dt.date | None,
    limit: int,
    offset: int,
) -> tuple[list[Movement], int]:
    """Movements matching the filters (withdrawn ones too, marked), newest first."""
    query = select(Movement)
    if district_id is not None:
        query = query.where(Movement.district_id == district_id)
    if building_id is not None:
        query = query.where(Movement.building_id == building_id)
    if kind is not None:
        query = query.where(Movement.kind == kind)
    if date_from is not None:
        query = query.where(Movement.date >= date_from)
    if date_to is not None:
        query = query.where(Movement.date <= date_to)
    return await page_of(
        session,
        query,
        col(Movement.date).desc(),
        col(Movement.district_id),
        col(Movement.record_id),
        limit=limit,
        offset=offset,
    )


async def current_tenants(
    session: AsyncSession, building_ids: list[str] | None = None, district_id: str | None = None
) -> list[Tenancy]:
    """Active tenancies, for some buildings or a whole district."""
    query = select(Tenancy).where(col(Tenancy.active).is_(True))
    if building_ids is not None:
        query = query.where(col(Tenancy.building_id).in_(building_ids))
    if district_id is not None:
        query = query.join(Building, col(Building.id) == col(Tenancy.building_id)).where(
            Building.district_id == district_id
        )
    result = await session.exec(
        query.order_by(col(Tenancy.building_id), col(Tenancy.enterprise_name))
    )
    return list(result)


async def active_industries(
    session: AsyncSession, district_id: str | None, building_id: str | None = None
) -> list[tuple[str | None, float | None]]:
    """(industry code, leased area) of every enterprise in a building now: in one building, in a
    district, or all."""
    query = select(Tenancy.industry_code, Tenancy.area_m2).where(col(Tenancy.active).is_(True))
    if building_id is not None:
        query = query.where(col(Tenancy.building_id) == building_id)
    if district_id is not None:
        query = query.join(Building, col(Building.id) == col(Tenancy.building_id)).where(
            Building.district_id == district_id
        )
    return [(code, area) for code, area in await session.exec(query)]


async def movements_by_day(
    session: AsyncSession, year: int, district_id: str | None, codes: list[str] | None = None
) -> list[tuple[dt.date, str, int]]:
    """(date, kind, how many) of the movements dated in `year`, in a district or all."""
    query = (
        select(col(Movement.date), col(Movement.kind), func.count())
        .where(
            col(Movement.date) >= dt.date(year, 1, 1),
            col(Movement.date) <= dt.date(year, 12, 31),
            col(Movement.withdrawn_at).is_(None),
        )
        .group_by(col(Movement.date), col(Movement.kind))
    )
    if district_id is not None:
        query = query.where(Movement.district_id == district_id)
    if codes is not None:
        query = query.where(col(Movement.industry_code).in_(codes))
    return [(day, kind, int(n)) for day, kind, n in await session.exec(query)]


async def movement(session: AsyncSession, district_id: str, record_id: str) -> Movement | None:
    return await session.get(Movement, (district_id, record_id))


async def add_version(session: AsyncSession, version: MovementVersion) -> None:
    session.add(version)
    await session.flush()


async def versions(
    session: AsyncSession, district_id: str, record_id: str
) -> list[MovementVersion]:
    """A record's earlier versions, oldest first."""
    result = await session.exec(
        select(MovementVersion)
        .where(MovementVersion.district_id == district_id, MovementVersion.record_id == record_id)
        .order_by(col(MovementVersion.version))
    )
    return list(result)


async def standing_movements_of(
    session: AsyncSession, pairs: set[tuple[str, str]]
) -> list[Movement]:
    """The movements (not withdrawn) of some (building, enterprise) pairs, in arrival order."""
    if not pairs:
        return []
    result = await session.exec(
        select(Movement)
        .where(
            tuple_(col(Movement.building_id), col(Movement.uscc)).in_(sorted(pairs)),
            col(Movement.withdrawn_at).is_(None),
        )
        .order_by(col(Movement.received_at), col(Movement.record_id))
    )
    return list(result)


async def delete_tenancies(session: AsyncSession, pairs: set[tuple[str, str]]) -> None:
    """Forget the tenancies of pairs no standing movement supports any more."""
    if pairs:
        await session.exec(
            delete(Tenancy).where(
                tuple_(col(Tenancy.building_id), col(Tenancy.uscc)).in_(sorted(pairs))
            )
        )
