"""SQL for tenancies: the upsert that holds the tenancy rule, what reads them, and the buildings'
tenant tallies that follow them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from sqlalchemy import case, delete, func, tuple_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.registry.buildings.models import Building
from services.registry.tenancy.models import ALL_TENANTS, Tenancy, TenantTally
from shared import batched, dialect_insert, fetch_rows, is_postgres, write_rows

_CHUNK = 1000


# What a tenancy change returns: the row before and after (the tallies move by it, below).
_CHANGE = (
    "building_id",
    "active",
    "area_m2",
    "featured_industry",
    "previous_active",
    "previous_area_m2",
    "previous_featured_industry",
)


def _per_dialect(build: Callable[[AsyncSession], Any]) -> Callable[[AsyncSession], Any]:
    """A statement built once per dialect, on first use: an ON CONFLICT clause is costly to
    build per request."""
    built: dict[bool, Any] = {}

    def statement(session: AsyncSession) -> Any:
        postgres = is_postgres(session)
        if postgres not in built:
            built[postgres] = build(session)
        return built[postgres]

    return statement


@_per_dialect
def _advance(session: AsyncSession) -> Any:
    statement = dialect_insert(session, Tenancy.__table__)  # type: ignore[attr-defined]
    stored = Tenancy.__table__.c  # type: ignore[attr-defined]
    new = statement.excluded
    return statement.on_conflict_do_update(
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


# The tenant tallies, kept by differences. Every statement that changes a tenancy returns what
# the row said before and after (the tenancy keeps its previous state for that:
# `Tenancy.previous_*`, set from the row the statement locked), so a change is known exactly
# even when pushes into one building race. The tallies then move by
# the sum of those differences, in the same transaction, one additive upsert: a push costs what it
# changes, not what its building holds, and pushes into one building wait on each other only from
# that upsert to their commit. Rows are written in key order, so concurrent pushes never deadlock,
# and a row whose tenants reach none is removed.
Key = tuple[str, str]  # (building id, industry: ALL_TENANTS or a featured industry)


def area_dm2(area_m2: float | None) -> int:
    """A leased area as the tallies count it: hundredths of a square metre, unreported as 0."""
    return round((area_m2 or 0.0) * 100)


def differences(changes: Iterable[Mapping[str, Any]]) -> dict[Key, tuple[int, int]]:
    """What tenancy changes do to the tallies: (building, industry) → (tenants, leased dm²) to
    add. A change is a tenancy's `previous_active`, `previous_area_m2` and
    `previous_featured_industry` beside its `active`, `area_m2` and `featured_industry`."""
    found: dict[Key, tuple[int, int]] = {}
    for change in changes:
        for sign, state in ((-1, "previous_"), (1, "")):
            if not change[f"{state}active"]:
                continue
            area = sign * area_dm2(change[f"{state}area_m2"])
            featured = change[f"{state}featured_industry"]
            for industry in (ALL_TENANTS, featured) if featured else (ALL_TENANTS,):
                tenants, leased = found.get((change["building_id"], industry), (0, 0))
                found[(change["building_id"], industry)] = (tenants + sign, leased + area)
    return {key: moved for key, moved in found.items() if moved != (0, 0)}


@_per_dialect
def _adder(session: AsyncSession) -> Any:
    statement = dialect_insert(session, TenantTally.__table__)  # type: ignore[attr-defined]
    table = TenantTally.__table__.c  # type: ignore[attr-defined]
    return statement.on_conflict_do_update(
        index_elements=["building_id", "industry"],
        set_={
            "tenants": table.tenants + statement.excluded.tenants,
            "leased_area_dm2": table.leased_area_dm2 + statement.excluded.leased_area_dm2,
        },
    ).returning(table.building_id, table.industry, table.tenants)


async def add_to_tallies(session: AsyncSession, changes: Iterable[Mapping[str, Any]]) -> None:
    """Move the tallies by what the tenancy changes did, and remove the rows left with none."""
    moved = differences(changes)
    rows = [
        {"building_id": building, "industry": industry, "tenants": n, "leased_area_dm2": area}
        for (building, industry), (n, area) in sorted(moved.items())
    ]
    emptied: list[Key] = []
    for part in batched(rows, _CHUNK):
        written = await write_rows(session, _adder(session), part)
        emptied += [(building, industry) for building, industry, n in written if n == 0]
    for gone in batched(emptied, _CHUNK):
        await session.exec(
            delete(TenantTally).where(
                tuple_(col(TenantTally.building_id), col(TenantTally.industry)).in_(gone),
                col(TenantTally.tenants) == 0,
            )
        )


async def tallies_of(
    session: AsyncSession, building_ids: list[str]
) -> dict[str, dict[str, tuple[int, int]]]:
    """building id → industry (ALL_TENANTS for every tenant) → (tenants, leased dm²)."""
    found: dict[str, dict[str, tuple[int, int]]] = {}
    for part in batched(building_ids, _CHUNK):
        for tally in await session.exec(
            select(TenantTally).where(col(TenantTally.building_id).in_(part))
        ):
            found.setdefault(tally.building_id, {})[tally.industry] = (
                tally.tenants,
                tally.leased_area_dm2,
            )
    return found
