"""SQL for movements and their versions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, insert, tuple_
from sqlalchemy import select as sa_select
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.registry.buildings.models import Building
from services.registry.movements.models import (
    Movement,
    MovementVersion,
)
from shared import batched, fetch_rows, write_rows
from shared.params import page_of

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
