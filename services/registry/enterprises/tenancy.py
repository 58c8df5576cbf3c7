"""Tenancies: whether an enterprise is in a building now, worked out from its movements (the
latest-dated wins, an older one arriving late changes nothing, an unnamed industry keeps the one
reported before), and each building's tenants counted again with every change."""

from __future__ import annotations

from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from services.registry.buildings import repository as buildings
from services.registry.enterprises import repository
from services.registry.enterprises.models import Tenancy
from services.registry.enterprises.schemas import MovementKind, MovementRecord, TenantPublic
from services.registry.enterprises.tallies import keeper as tallies
from shared import NotFound, Principal, featured_industry_of


def advance(state: dict[tuple[str, str], dict[str, Any]], records: list[Any]) -> None:
    """Move each (building, enterprise) pair of `state` to what the records, taken by date, give
    (pure; records are pushed records or stored movements)."""
    # A stable sort keeps arrival order among movements of the same day.
    for record in sorted(records, key=lambda r: r.date):
        key = (record.building_id, record.uscc)
        previous = state.get(key)
        if previous is not None and record.date < previous["last_movement_on"]:
            continue  # an older movement arriving late does not undo a newer one
        moving_in = record.kind == MovementKind.move_in
        # A movement that names no industry keeps the one reported before.
        code = record.industry_code or (previous["industry_code"] if previous else None)
        featured = featured_industry_of(code) if code else None
        state[key] = {
            "building_id": record.building_id,
            "uscc": record.uscc,
            "active": moving_in,
            "area_m2": record.area_m2 if moving_in else None,
            "since": record.date if moving_in else None,
            "last_movement_on": record.date,
            "enterprise_name": record.enterprise_name,
            "industry_code": code,
            "featured_industry": featured,
        }


async def apply(session: AsyncSession, records: list[MovementRecord]) -> None:
    """Move each (building, enterprise) pair to the state its latest-dated movement gives, and
    mark the buildings for their tenants to be counted again."""
    pairs = {(r.building_id, r.uscc) for r in records}
    state: dict[tuple[str, str], dict[str, Any]] = {}
    if len(pairs) == len(records):
        # One movement per pair (a single-record push, most batches): the upsert itself decides
        # against what is stored, with no read first.
        advance(state, records)
        await repository.advance_tenancies(session, list(state.values()))
    else:
        current = await repository.tenancies(session, pairs)
        state = {key: tenancy.model_dump() for key, tenancy in current.items()}
        advance(state, records)
        await repository.upsert_tenancies(session, list(state.values()))
    await tallies.mark(session, {building_id for building_id, _ in pairs})


async def rebuild(session: AsyncSession, pairs: set[tuple[str, str]]) -> None:
    """Work the pairs' tenancies out again from their standing movements (after a correction
    or a withdrawal changed what they rest on)."""
    state: dict[tuple[str, str], dict[str, Any]] = {}
    advance(state, await repository.standing_movements_of(session, pairs))
    await repository.delete_tenancies(session, pairs - state.keys())
    await repository.upsert_tenancies(session, list(state.values()))
    await tallies.mark(session, {building_id for building_id, _ in pairs})


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
