"""Rules for buildings, their 名录 and featured designations; every change is announced."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from policy import (
    TOPIC_REGISTRY_BUILDINGS,
    BuildingMessage,
    DesignationNote,
    RenovationNote,
    format_cents,
    per_m2_cny,
)
from services.registry.buildings import repository
from services.registry.buildings.models import (
    Building,
    FeaturedDesignation,
    columns_of,
    fields_of,
)
from services.registry.buildings.schemas import (
    BuildingBase,
    BuildingCreate,
    BuildingFigures,
    BuildingFilter,
    BuildingListItem,
    BuildingOrder,
    BuildingPage,
    BuildingPublic,
    BuildingUpdate,
    DesignationCreate,
    DesignationPublic,
    Retirement,
    RetirementKind,
    RetireRequest,
)
from services.registry.db import RegistryOutbox
from services.registry.districts import repository as districts
from services.registry.figures.models import BuildingYearCopy
from services.registry.reading import Reader
from services.registry.renovations import repository as renovations
from shared import SHANGHAI, Conflict, FieldError, NotFound, Principal, ValidationFailed, utcnow
from shared.messaging import enqueue

# The building's own fields (BuildingBase): what create stores and update may change.
_BUILDING_FIELDS = set(BuildingBase.model_fields)


def _view(
    building: Mapping[str, Any], lists: list[str], industries: Iterable[str]
) -> BuildingPublic:
    """A building's columns, lists and industries as the API shows them."""
    return BuildingPublic.model_validate(
        {
            **fields_of(building),
            "lists": sorted(lists),
            "featured_industries": sorted(set(industries)),
            "retired": Retirement(
                kind=RetirementKind(building["retired_as"]),
                reason=building["retired_reason"] or "",
                retired_on=building["retired_on"],
                by=building["retired_by"] or "",
                merged_into=building["merged_into"],
            )
            if building["retired_on"] is not None and building["retired_as"] is not None
            else None,
        }
    )


async def views(session: AsyncSession, buildings: list[Building]) -> list[BuildingPublic]:
    """Buildings with their lists and designated industries, loaded in two queries."""
    ids = [b.id for b in buildings]
    lists = await repository.lists_of(session, ids)
    designations = await repository.designations_of(session, ids)
    return [
        _view(b.model_dump(), lists.get(b.id, []), [d.industry for d in designations.get(b.id, [])])
        for b in buildings
    ]


async def publish(session: AsyncSession, building_id: str) -> None:
    """Announce the building's whole current state on the compacted buildings topic."""
    building = await repository.get(session, building_id)
    if building is None:
        return
    lists = (await repository.lists_of(session, [building_id])).get(building_id, [])
    designations = (await repository.designations_of(session, [building_id])).get(building_id, [])
    works = (await renovations.of_buildings(session, [building_id])).get(building_id, [])
    message = BuildingMessage(
        **_view(building.model_dump(), lists, [d.industry for d in designations]).model_dump(),
        designations=[
            DesignationNote(industry=d.industry, designated_on=d.designated_on)
            for d in designations
        ],
        renovations=[
            RenovationNote(
                id=r.id,
                started_on=r.started_on,
                completed_on=r.completed_on,
                review=r.review_state,
            )
            for r in works
        ],
    )
    enqueue(
        session,
        RegistryOutbox,
        TOPIC_REGISTRY_BUILDINGS,
        building_id,
        message.model_dump(mode="json"),
    )


async def district_names(session: AsyncSession) -> dict[str, tuple[str, str]]:
    """district id → (Chinese name, area code), for exports."""
    return {
        d.district_id: (d.name_zh, d.area_code) for d in await districts.list_districts(session)
    }


async def _ensure_district_exists(session: AsyncSession, district_id: str) -> None:
    if district_id not in await districts.district_ids(session):
        raise ValidationFailed(
            f"Unknown district {district_id!r}.",
            errors=[FieldError(field="district_id", message="is not one of the ten districts")],
        )


async def get_existing(session: AsyncSession, building_id: str) -> Building:
    """The building, or 404."""
    building = await repository.get(session, building_id)
    if building is None:
        raise NotFound(f"No building with id {building_id!r}.")
    return building


async def create(
    session: AsyncSession, principal: Principal, data: BuildingCreate
) -> BuildingPublic:
    """Register a building (admin anywhere, a district in its own district)."""
    principal.ensure_write(data.district_id)
    await _ensure_district_exists(session, data.district_id)
    building_id = data.id or uuid.uuid4().hex
    if await repository.get(session, building_id) is not None:
        raise Conflict(f"A building with id {building_id!r} already exists.")
    fields = data.model_dump(mode="json", include=_BUILDING_FIELDS)
    building = Building(id=building_id, **columns_of(fields))
    session.add(building)
    await session.flush()
    await repository.replace_lists(session, building_id, [k.value for k in data.lists])
    await session.flush()
    await publish(session, building_id)
    (view,) = await views(session, [building])
    return view


async def read(reader: Reader, building_id: str) -> BuildingPublic:
    """One building, for callers who may read its district (what is committed). The one read
    without a session: it is the hottest, and runs as a prepared statement (`reading.py`)."""
    found = await repository.with_lists(reader.reads, building_id)
    if found is None:
        raise NotFound(f"No building with id {building_id!r}.")
    reader.principal.ensure_read(found.columns["district_id"])
    return _view(found.columns, found.lists, found.industries)


async def list_page(
    session: AsyncSession,
    principal: Principal,
    f: BuildingFilter,
    order: BuildingOrder,
    limit: int,
    offset: int,
) -> BuildingPage:
    """Buildings matching the filter in the order asked, each with its figures for the year; a
    district key sees only its own district's."""
    scoped = dataclasses.replace(f, district_id=principal.visible_district(f.district_id))
    rows = await repository.figured_page(session, scoped, order, limit, offset)
    total = await repository.count(session, scoped)
    shown = await views(session, [building for building, _ in rows])
    return BuildingPage(
        year=order.year,
        items=[
            BuildingListItem(
                **view.model_dump(),
                figures=_figures(building, figures)
                if figures is not None and principal.can_read(building.district_id)
                else None,
            )
            for view, (building, figures) in zip(shown, rows, strict=True)
        ],
        total=total,
    )


def _figures(building: Building, figures: BuildingYearCopy) -> BuildingFigures:
    leasable, occupied = figures.leasable_area_m2, figures.occupied_area_m2
    return BuildingFigures(
        year=figures.year,
        tax_total_cny=format_cents(figures.tax_cents),
        tax_per_m2_cny=per_m2_cny(figures.tax_cents, building.gross_floor_area_m2) or "0.00",
        occupancy_rate=occupied / leasable if leasable and occupied is not None else None,
        occupancy_period=figures.occupancy_period,
    )


async def listed(
    session: AsyncSession, principal: Principal, f: BuildingFilter
) -> tuple[list[BuildingPublic], int]:
    """Every building matching the filter, by id (a 名录); a district key sees only its own."""
    scoped = dataclasses.replace(f, district_id=principal.visible_district(f.district_id))
    buildings, total = await repository.page(session, scoped, None, 0)
    return await views(session, buildings), total


async def update(
    session: AsyncSession, principal: Principal, building_id: str, data: BuildingUpdate
) -> BuildingPublic:
    """Change a building; moving it to another district needs the right to write both."""
    building = await get_existing(session, building_id)
    principal.ensure_write(building.district_id)
    if building.retired_on is not None:
        raise Conflict(
            f"Building {building_id} was retired on {building.retired_on}; it is kept as it was."
        )
    # A field left out, or sent as null, stays as it is.
    changes = {
        field: value
        for field, value in data.model_dump(mode="json", include=_BUILDING_FIELDS).items()
        if value is not None
    }
    if changes.get("district_id") not in (None, building.district_id):
        principal.ensure_write(changes["district_id"])
        await _ensure_district_exists(session, changes["district_id"])
    for column, value in columns_of(changes).items():
        setattr(building, column, value)
    if data.lists is not None:
        await repository.replace_lists(session, building_id, [k.value for k in data.lists])
    building.updated_at = utcnow()
    await session.flush()
    await publish(session, building_id)
    (view,) = await views(session, [building])
    return view


EARLIEST_RETIREMENT = date(2000, 1, 1)  # the platform's data starts this century


async def retire(
    session: AsyncSession, principal: Principal, building_id: str, data: RetireRequest
) -> BuildingPublic:
    """Retire a building (demolished, merged…): the administrator's decision, with its reason.
    The building stays, with its history; it stops counting in the years after `retired_on`."""
    building = await get_existing(session, building_id)
    if building.retired_on is not None:
        raise Conflict(f"Building {building_id} is already retired.")
    problems = []
    if data.retired_on > utcnow().astimezone(SHANGHAI).date():
        problems.append(FieldError(field="retired_on", message="must not lie in the future"))
    elif data.retired_on < EARLIEST_RETIREMENT:
        problems.append(FieldError(field="retired_on", message="must not be before 2000"))
    if (data.merged_into is not None) != (data.kind == RetirementKind.merged):
        problems.append(
            FieldError(field="merged_into", message="names the building a merger went into")
        )
    elif data.merged_into is not None:
        target = await repository.get(session, data.merged_into)
        if target is None or target.id == building_id or target.retired_on is not None:
            problems.append(
                FieldError(field="merged_into", message="is not another standing building")
            )
    if problems:
        raise ValidationFailed("The retirement is not consistent.", errors=problems)
    building.retired_on = data.retired_on
    building.retired_as = data.kind.value
    building.retired_reason = data.reason
    building.retired_by = principal.name
    building.merged_into = data.merged_into
    building.updated_at = utcnow()
    await session.flush()
    await publish(session, building_id)
    (view,) = await views(session, [building])
    return view


async def designate(
    session: AsyncSession, principal: Principal, building_id: str, data: DesignationCreate
) -> DesignationPublic:
    """Designate a featured-industry building (产业特色楼宇认定); the administrator's call."""
    building = await get_existing(session, building_id)
    if await repository.designation(session, building_id, data.industry.value) is not None:
        raise Conflict(
            f"Building {building_id!r} is already designated for {data.industry.value!r}."
        )
    designation = FeaturedDesignation(
        building_id=building.id,
        industry=data.industry.value,
        designated_on=data.designated_on,
        designated_by=principal.name,
    )
    await repository.add_designation(session, designation)
    building.updated_at = utcnow()
    await publish(session, building_id)
    return DesignationPublic.model_validate(designation, from_attributes=True)


async def withdraw_designation(session: AsyncSession, building_id: str, industry: str) -> None:
    """Withdraw a building's designation for one industry."""
    building = await get_existing(session, building_id)
    designation = await repository.designation(session, building_id, industry)
    if designation is None:
        raise NotFound(f"Building {building_id!r} is not designated for {industry!r}.")
    await repository.delete_designation(session, designation)
    building.updated_at = utcnow()
    await session.flush()
    await publish(session, building_id)
