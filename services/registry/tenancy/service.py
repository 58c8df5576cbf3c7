"""Tenancies: whether an enterprise is in a building now, worked out from its movements (the
latest-dated wins, an older one arriving late changes nothing, an unnamed industry keeps the one
reported before), and each building's tenant tally moved by what changed.

The rule lives in one place, the upsert that writes a tenancy (`repository.advance_tenancies`),
which decides against the stored row. Movements are written in rounds, each pair at most once a
round: round n carries each pair's n-th movement by date (arrival order among the same day)."""

from __future__ import annotations

from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from policy import featured_industry_of
from services.registry.buildings import repository as buildings
from services.registry.movements import repository as movements
from services.registry.movements.models import Movement
from services.registry.movements.schemas import MovementKind, MovementRecord
from services.registry.tenancy import repository
from services.registry.tenancy.models import Tenancy
from services.registry.tenancy.schemas import TenantPublic
from shared import NotFound, Principal


def rounds(records: list[Any]) -> list[list[Any]]:
    """The records in rounds, a (building, enterprise) pair at most once a round, each pair's
    movements in date order (a stable sort keeps arrival order among the same day)."""
    by_pair: dict[tuple[str, str], list[Any]] = {}
    for record in sorted(records, key=lambda r: r.date):
        by_pair.setdefault((record.building_id, record.uscc), []).append(record)
    found: list[list[Any]] = []
    for of_pair in by_pair.values():
        for n, record in enumerate(of_pair):
            if n == len(found):
                found.append([])
            found[n].append(record)
    return found


def _written(record: MovementRecord | Movement) -> dict[str, Any]:
    """The tenancy a movement gives a pair with nothing stored (the upsert settles the rest)."""
    moving_in = record.kind == MovementKind.move_in
    code = record.industry_code
    return {
        "building_id": record.building_id,
        "uscc": record.uscc,
        "active": moving_in,
        "area_m2": record.area_m2 if moving_in else None,
        "since": record.date if moving_in else None,
        "last_movement_on": record.date,
        "enterprise_name": record.enterprise_name,
        "industry_code": code,
        "featured_industry": featured_industry_of(code) if code else None,
        "previous_active": False,
        "previous_area_m2": None,
        "previous_featured_industry": None,
    }


async def _advance(
    session: AsyncSession, records: list[Any], earlier: list[dict[str, Any]]
) -> None:
    """Write the records' tenancies round by round, then move the tallies by every change,
    the `earlier` ones of this transaction included."""
    changes = list(earlier)
    for batch in rounds(records):
        changes += await repository.advance_tenancies(session, [_written(r) for r in batch])
    await repository.add_to_tallies(session, changes)


async def apply(session: AsyncSession, records: list[MovementRecord]) -> None:
    """Move each (building, enterprise) pair to the state its latest-dated movement gives, and
    the buildings' tallies with them."""
    await _advance(session, records, [])


async def rebuild(session: AsyncSession, pairs: set[tuple[str, str]]) -> None:
    """Work the pairs' tenancies out again from their standing movements (after a correction
    or a withdrawal changed what they rest on)."""
    removed = await repository.delete_tenancies(session, pairs)
    await _advance(session, await movements.standing_movements_of(session, pairs), removed)


def view(tenancy: Tenancy) -> TenantPublic:
    """A tenant as the API shows it."""
    return TenantPublic.model_validate(tenancy, from_attributes=True)


async def tenants(
    session: AsyncSession, principal: Principal, building_id: str
) -> list[TenantPublic]:
    """The enterprises in a building now."""
    building = await buildings.get(session, building_id)
    if building is None:
        raise NotFound(f"No building with id {building_id!r}.")
    principal.ensure_read(building.district_id)
    rows = await repository.current_tenants(session, building_ids=[building_id])
    return [view(t) for t in rows]
