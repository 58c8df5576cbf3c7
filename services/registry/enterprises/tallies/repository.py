"""The buildings' tenant tallies, kept by differences.

Every statement that changes a tenancy returns what the row said before and after (the tenancy
keeps its previous state for that: `Tenancy.previous_*`, set from the row the statement locked),
so a change is known exactly even when pushes into one building race. The tallies then move by
the sum of those differences, in the same transaction, one additive upsert: a push costs what it
changes, not what its building holds, and pushes into one building wait on each other only from
that upsert to their commit. Rows are written in key order, so concurrent pushes never deadlock,
and a row whose tenants reach none is removed."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import delete, tuple_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.registry.enterprises.models import ALL_TENANTS, TenantTally
from shared import batched, dialect_insert, is_postgres, write_rows

_CHUNK = 1000
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


# The additive upsert, built once per dialect (an ON CONFLICT clause is costly to build).
_ADDERS: dict[bool, Any] = {}


def _adder(session: AsyncSession) -> Any:
    postgres = is_postgres(session)
    if postgres not in _ADDERS:
        statement = dialect_insert(session, TenantTally.__table__)  # type: ignore[attr-defined]
        table = TenantTally.__table__.c  # type: ignore[attr-defined]
        _ADDERS[postgres] = statement.on_conflict_do_update(
            index_elements=["building_id", "industry"],
            set_={
                "tenants": table.tenants + statement.excluded.tenants,
                "leased_area_dm2": table.leased_area_dm2 + statement.excluded.leased_area_dm2,
            },
        ).returning(table.building_id, table.industry, table.tenants)
    return _ADDERS[postgres]


async def add(session: AsyncSession, changes: Iterable[Mapping[str, Any]]) -> None:
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
