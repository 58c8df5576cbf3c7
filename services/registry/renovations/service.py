"""Rules for renovations: a district records its own buildings' works; every change is announced."""

import uuid

from sqlmodel.ext.asyncio.session import AsyncSession

from policy import ReviewRequest, decide, open_review, review_of
from services.registry.buildings import repository as buildings
from services.registry.buildings import service as building_service
from services.registry.renovations import repository
from services.registry.renovations.models import Renovation
from services.registry.renovations.schemas import (
    RenovationCreate,
    RenovationPage,
    RenovationPublic,
    RenovationUpdate,
)
from shared import Conflict, FieldError, NotFound, Principal, ValidationFailed, utcnow


def _public(renovation: Renovation, district_id: str, building_name: str) -> RenovationPublic:
    return RenovationPublic.model_validate(
        {
            **renovation.model_dump(),
            "district_id": district_id,
            "building_name": building_name,
            "review": review_of(renovation),
        }
    )


async def create(
    session: AsyncSession, principal: Principal, data: RenovationCreate
) -> RenovationPublic:
    """Record a renovation of one of the caller's buildings."""
    building = await buildings.get(session, data.building_id)
    if building is None:
        raise ValidationFailed(
            f"Unknown building {data.building_id!r}.",
            errors=[FieldError(field="building_id", message="no such building")],
        )
    principal.ensure_write(building.district_id)
    renovation = Renovation(
        id=uuid.uuid4().hex,
        building_id=building.id,
        started_on=data.started_on,
        completed_on=data.completed_on,
    )
    if renovation.completed_on is not None:
        open_review(renovation, principal)
    session.add(renovation)
    await session.flush()
    await building_service.publish(session, building.id)
    return _public(renovation, building.district_id, building.name)


async def _existing(session: AsyncSession, renovation_id: str) -> repository.Located:
    found = await repository.get(session, renovation_id)
    if found is None:
        raise NotFound(f"No renovation with id {renovation_id!r}.")
    return found


async def read(session: AsyncSession, principal: Principal, renovation_id: str) -> RenovationPublic:
    """One renovation, for callers who may read its building's district."""
    found = await _existing(session, renovation_id)
    principal.ensure_read(found.district_id)
    return _public(*found)


async def ensure_may_change(
    session: AsyncSession, principal: Principal, renovation_id: str
) -> None:
    """403/404 unless the caller may change the renovation."""
    principal.ensure_write((await _existing(session, renovation_id)).district_id)


async def update(
    session: AsyncSession, principal: Principal, renovation_id: str, data: RenovationUpdate
) -> RenovationPublic:
    """Correct the dates or record completion; completion may not precede the start."""
    renovation, district_id, name = await _existing(session, renovation_id)
    principal.ensure_write(district_id)
    changes = data.model_dump(exclude_unset=True)
    started_on = changes.get("started_on") or renovation.started_on
    completed_on = changes.get("completed_on", renovation.completed_on)
    if completed_on is not None and completed_on < started_on:
        raise ValidationFailed(
            "A renovation cannot be completed before it started.",
            errors=[FieldError(field="completed_on", message="is before started_on")],
        )
    renovation.started_on = started_on
    if completed_on != renovation.completed_on:
        # A completion entered or changed by a district is reviewed (again); a completion taken
        # back leaves nothing to review.
        renovation.completed_on = completed_on
        if completed_on is None:
            renovation.review_state = renovation.review_reason = renovation.review_by = None
            renovation.review_at = None
        else:
            open_review(renovation, principal)
    renovation.updated_at = utcnow()
    await session.flush()
    await building_service.publish(session, renovation.building_id)
    return _public(renovation, district_id, name)


async def review(
    session: AsyncSession, principal: Principal, renovation_id: str, data: ReviewRequest
) -> RenovationPublic:
    """An administrator verifies or rejects a district's completed renovation."""
    renovation, district_id, name = await _existing(session, renovation_id)
    if renovation.completed_on is None:
        raise Conflict("The renovation is not completed; only a completion is reviewed.")
    decide(renovation, principal, data)
    renovation.updated_at = utcnow()
    await session.flush()
    await building_service.publish(session, renovation.building_id)
    return _public(renovation, district_id, name)


async def list_page(
    session: AsyncSession,
    principal: Principal,
    *,
    district_id: str | None,
    building_id: str | None,
    limit: int,
    offset: int,
    review: str | None = None,
) -> RenovationPage:
    """Renovations the caller may see."""
    rows, total = await repository.page(
        session,
        district_id=principal.visible_district(district_id),
        building_id=building_id,
        review=review,
        limit=limit,
        offset=offset,
    )
    return RenovationPage(items=[_public(*row) for row in rows], total=total)
