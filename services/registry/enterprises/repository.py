"""SQL for enterprises, movements and tenancies."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Float, case, delete, func, insert, literal, or_, tuple_
from sqlalchemy import select as sa_select
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.registry.buildings.models import Building, FeaturedDesignation
from services.registry.enterprises.models import (
    ALL_TENANTS,
    Movement,
    MovementVersion,
    Tenancy,
    TenantTally,
)
from shared import (
    batched,
    dialect_insert,
    fetch_rows,
    is_postgres,
    page_of,
    write_rows,
)

_CHUNK = 1000


async def districts_and_hashes(
    session: AsyncSession, pairs: Iterable[tuple[str, str]]
) -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    """For (building id, record id) pairs of a push: building id → district id for the buildings
    that exist, and (district id, record id) → content hash for the records already stored. One
    statement per chunk: each building beside the stored records of its district that bear one
    of the chunk's record ids (a record id belongs to its district, whichever building)."""
    b, m = Building, Movement
    districts: dict[str, str] = {}
    stored: dict[tuple[str, str], str] = {}
    for part in batched(sorted(set(pairs)), _CHUNK):
        rows = await fetch_rows(
            session,
            sa_select(col(b.id), col(b.district_id), col(m.record_id), col(m.content_hash))
            .outerjoin(
                m,
                (col(m.district_id) == col(b.district_id))
                & col(m.record_id).in_({record_id for _, record_id in part}),
            )
            .where(col(b.id).in_({building_id for building_id, _ in part})),
        )
        for building_id, district_id, record_id, digest in rows:
            districts[building_id] = district_id
            if record_id is not None:
                stored[(district_id, record_id)] = digest
    return districts, stored


class RecordsTaken(Exception):
    """Another push stored some of the same record ids at the same moment."""


async def insert_movements(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """Insert new movements in one round of multi-row statements (RecordsTaken when a
    concurrent push won the race for one of the ids)."""
    if not rows:
        return
    try:
        await write_rows(session, insert(Movement.__table__), rows)  # type: ignore[attr-defined]
    except IntegrityError as exc:
        raise RecordsTaken from exc


# What a tenancy change returns: the row before and after (see `tallies/repository.py`).
_CHANGE = (
    "building_id",
    "active",
    "area_m2",
    "featured_industry",
    "previous_active",
    "previous_area_m2",
    "previous_featured_industry",
)
# The upsert, built once per dialect: an ON CONFLICT clause is costly to build per request.
_ADVANCES: dict[bool, Any] = {}


def _advance(session: AsyncSession) -> Any:
    postgres = is_postgres(session)
    if postgres not in _ADVANCES:
        statement = dialect_insert(session, Tenancy.__table__)  # type: ignore[attr-defined]
        stored = Tenancy.__table__.c  # type: ignore[attr-defined]
        new = statement.excluded
        _ADVANCES[postgres] = statement.on_conflict_do_update(
            index_elements=["building_id", "uscc"],
            set_={
                "active": new.active,
                "area_m2": new.area_m2,
                "since": new.since,
                "last_movement_on": new.last_movement_on,
                "enterprise_name": new.enterprise_name,
                # A movement that names no industry keeps the stored one, and so its featured one.
                "industry_code": func.coalesce(new.industry_code, stored.industry_code),
                "featured_industry": case(
                    (new.industry_code.is_(None), stored.featured_industry),
                    else_=new.featured_industry,
                ),
                "previous_active": stored.active,
                "previous_area_m2": stored.area_m2,
                "previous_featured_industry": stored.featured_industry,
            },
            # An older movement arriving late changes nothing (and returns nothing).
            where=stored.last_movement_on <= new.last_movement_on,
        ).returning(*(stored[name] for name in _CHANGE))
    return _ADVANCES[postgres]


def _pair(row: dict[str, Any]) -> tuple[str, str]:
    """The order tenancies are written in: concurrent pushes lock their rows in one order."""
    return row["building_id"], row["uscc"]


async def advance_tenancies(
    session: AsyncSession, rows: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Move each pair (at most once in `rows`) to the state its new movement gives, in the
    statement that writes it, deciding against what is stored: unless a newer movement is stored
    already, and keeping the stored industry where the movement names none. Returns each change
    made, the row before and after."""
    changes: list[dict[str, Any]] = []
    for part in batched(sorted(rows, key=_pair), _CHUNK):
        written = await write_rows(session, _advance(session), part)
        changes += [dict(row._mapping) for row in written]
    return changes


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
    """Movements matching the filters (withdrawn ones too, marked), newest first (an index's
    order read backwards)."""
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
        col(Movement.district_id).desc(),
        col(Movement.record_id).desc(),
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


async def featured_candidates(
    session: AsyncSession,
    district_id: str | None,
    threshold: float,
    include_designated: bool,
    *,
    limit: int,
    offset: int,
) -> tuple[list[str], int]:
    """One page of the buildings where a featured industry holds at least `threshold` of the
    current tenants by count or by leased area (an industry the building is designated for does
    not count unless `include_designated`), strongest share first, and how many there are."""
    industry = sa_select(TenantTally).where(col(TenantTally.industry) != ALL_TENANTS).subquery()
    everyone = sa_select(TenantTally).where(col(TenantTally.industry) == ALL_TENANTS).subquery()
    by_count = industry.c.tenants * 1.0 / everyone.c.tenants
    by_area = case(
        (
            everyone.c.leased_area_dm2 > 0,
            industry.c.leased_area_dm2 * 1.0 / everyone.c.leased_area_dm2,
        ),
        else_=0.0,
    )
    share = literal(threshold, Float)
    # The share against the threshold as `candidates.reaches` tests it: a product, not a quotient.
    hits = (
        sa_select(industry.c.building_id)
        .join(everyone, everyone.c.building_id == industry.c.building_id)
        .where(
            or_(
                industry.c.tenants >= share * everyone.c.tenants,
                (everyone.c.leased_area_dm2 > 0)
                & (industry.c.leased_area_dm2 >= share * everyone.c.leased_area_dm2),
            )
        )
    )
    if district_id is not None:
        hits = hits.join(Building, col(Building.id) == industry.c.building_id).where(
            col(Building.district_id) == district_id
        )
    if not include_designated:
        designated = sa_select(col(FeaturedDesignation.id)).where(
            col(FeaturedDesignation.building_id) == industry.c.building_id,
            col(FeaturedDesignation.industry) == industry.c.industry,
        )
        hits = hits.where(~designated.exists())
    strongest = func.max(case((by_count > by_area, by_count), else_=by_area))
    grouped = hits.group_by(industry.c.building_id).subquery()
    total = await session.scalar(sa_select(func.count()).select_from(grouped))
    rows = await fetch_rows(
        session,
        hits.group_by(industry.c.building_id)
        .order_by(strongest.desc(), industry.c.building_id)
        .limit(limit)
        .offset(offset),
    )
    return [row[0] for row in rows], int(total or 0)


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


async def delete_tenancies(
    session: AsyncSession, pairs: set[tuple[str, str]]
) -> list[dict[str, Any]]:
    """Forget the pairs' tenancies; returns each change made, the row before and none after."""
    changes: list[dict[str, Any]] = []
    t = Tenancy
    for part in batched(sorted(pairs), _CHUNK):
        removed = await fetch_rows(
            session,
            delete(t)
            .where(tuple_(col(t.building_id), col(t.uscc)).in_(part))
            .returning(col(t.building_id), col(t.active), col(t.area_m2), col(t.featured_industry)),
        )
        changes += [
            {
                "building_id": building_id,
                "previous_active": active,
                "previous_area_m2": area,
                "previous_featured_industry": featured,
                "active": False,
            }
            for building_id, active, area, featured in removed
        ]
    return changes
