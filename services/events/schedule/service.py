"""Rules for events: who may record them, what is consistent, how status moves."""

from __future__ import annotations

import uuid
from typing import Any

import orjson
from sqlmodel.ext.asyncio.session import AsyncSession

from policy import (
    TOPIC_EVENTS,
    EventMessage,
    ReviewRequest,
    ReviewState,
    decide,
    is_verified,
    open_review,
    review_of,
)
from services.events.db import EventsOutbox
from services.events.schedule import repository
from services.events.schedule.models import Event, EventChange
from services.events.schedule.schemas import (
    EventChangePublic,
    EventCreate,
    EventPage,
    EventPublic,
    EventScope,
    EventStatus,
    EventUpdate,
    Outcome,
    VoidPublic,
    VoidRequest,
)
from shared import (
    Conflict,
    FieldError,
    Forbidden,
    NotFound,
    Principal,
    Role,
    ValidationFailed,
    utcnow,
)
from shared.messaging import enqueue


def counts(event: Event) -> bool:
    """An event counts (compliance, scores) once held, verified and not voided."""
    return event.status == EventStatus.held and is_verified(event) and event.voided_at is None


def awaits_review(event: Event) -> bool:
    """A held event that will count once an administrator verifies it."""
    return (
        event.status == EventStatus.held
        and event.review_state == ReviewState.pending
        and event.voided_at is None
    )


def public(event: Event) -> EventPublic:
    """An event as the API shows it."""
    has_outcome = any(
        v is not None for v in (event.attendance, event.enterprises_signed, event.notes)
    )
    return EventPublic(
        id=event.id,
        kind=event.kind,  # type: ignore[arg-type]
        scope=event.scope,  # type: ignore[arg-type]
        district_id=event.district_id,
        title=event.title,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        venue=event.venue,
        status=event.status,  # type: ignore[arg-type]
        outcome=Outcome(
            attendance=event.attendance,
            enterprises_signed=event.enterprises_signed,
            notes=event.notes,
        )
        if has_outcome
        else None,
        review=review_of(event),
        voided=VoidPublic(reason=event.void_reason, by=event.voided_by, at=event.voided_at)
        if event.voided_at is not None and event.void_reason and event.voided_by
        else None,
        counts=counts(event),
        created_at=event.created_at,
        updated_at=event.updated_at,
    )


def publish(session: AsyncSession, event: Event) -> None:
    """Announce the event's whole current state on `sbe.events.v1` (compacted by id)."""
    message = EventMessage(**public(event).model_dump())
    enqueue(session, EventsOutbox, TOPIC_EVENTS, event.id, message.model_dump(mode="json"))


def _record(
    session: AsyncSession, event: Event, principal: Principal, action: str, **detail: Any
) -> None:
    session.add(
        EventChange(
            event_id=event.id,
            action=action,
            by=principal.name,
            detail=orjson.dumps(detail, default=str).decode(),
        )
    )


def _ensure_may_change(principal: Principal, scope: str, district_id: str | None) -> None:
    if scope == EventScope.city:
        if principal.role is not Role.admin:
            raise Forbidden("Only the administrator records city-wide events.")
        return
    assert district_id is not None
    principal.ensure_write(district_id)


def _ensure_may_read(principal: Principal, event: Event) -> None:
    if event.scope == EventScope.district and event.district_id is not None:
        principal.ensure_read(event.district_id)


async def _ensure_venue_free(session: AsyncSession, event: Event) -> None:
    if event.status == EventStatus.cancelled:
        return
    other = await repository.overlapping(
        session, event.venue, event.starts_at, event.ends_at, event.id
    )
    if other is not None:
        raise Conflict(
            f"{event.venue} is taken at that time by event {other.id} ({other.title}).",
            extra={"conflicting_event": other.id},
        )


def _ensure_not_future_if_held(event: Event) -> None:
    if event.status == EventStatus.held and event.starts_at > utcnow():
        raise ValidationFailed(
            "A held event cannot lie in the future.",
            errors=[FieldError(field="status", message="the event has not started yet")],
        )


def _apply_outcome(event: Event, outcome: Outcome | None) -> None:
    if outcome is None:
        return
    for field, value in outcome.model_dump(exclude_unset=True).items():
        setattr(event, field, value)


async def create(session: AsyncSession, principal: Principal, data: EventCreate) -> EventPublic:
    """Record an event (administrator anywhere; a district for its own district events)."""
    _ensure_may_change(principal, data.scope, data.district_id)
    event = Event(
        id=uuid.uuid4().hex,
        kind=data.kind.value,
        scope=data.scope.value,
        district_id=data.district_id,
        title=data.title,
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        venue=data.venue,
        status=data.status.value,
        created_by=principal.key_id,
    )
    _apply_outcome(event, data.outcome)
    _ensure_not_future_if_held(event)
    if event.status == EventStatus.held:
        open_review(event, principal)
    await _ensure_venue_free(session, event)
    session.add(event)
    await session.flush()
    _record(session, event, principal, "recorded", status=event.status, review=event.review_state)
    publish(session, event)
    return public(event)


async def _existing(session: AsyncSession, event_id: str) -> Event:
    event = await repository.get(session, event_id)
    if event is None:
        raise NotFound(f"No event with id {event_id!r}.")
    return event


async def read(session: AsyncSession, principal: Principal, event_id: str) -> EventPublic:
    """One event, for callers who may see it."""
    event = await _existing(session, event_id)
    _ensure_may_read(principal, event)
    return public(event)


async def update(
    session: AsyncSession, principal: Principal, event_id: str, data: EventUpdate
) -> EventPublic:
    """planned → held or cancelled; held and cancelled are final (409). A planned event's details
    may change; a held event's outcome may be recorded."""
    event = await _existing(session, event_id)
    _ensure_may_change(principal, event.scope, event.district_id)
    if event.voided_at is not None:
        raise Conflict("The event was voided; it no longer changes.")
    changes = data.model_dump(exclude_unset=True, exclude={"outcome"})
    details = {k: v for k, v in changes.items() if k != "status" and v is not None}
    new_status = data.status.value if data.status is not None else event.status
    if event.status != EventStatus.planned:
        if new_status != event.status or details:
            raise Conflict(f"The event is {event.status}; that is final.")
        if data.outcome is not None and event.status != EventStatus.held:
            raise Conflict("Only a held event has an outcome.")
    elif data.outcome is not None and new_status != EventStatus.held:
        raise ValidationFailed(
            "Only a held event has an outcome.",
            errors=[FieldError(field="outcome", message="the event is not held")],
        )
    for field, value in details.items():
        setattr(event, field, value)
    if event.ends_at <= event.starts_at:
        raise ValidationFailed(
            "ends_at must be after starts_at.",
            errors=[FieldError(field="ends_at", message="is not after starts_at")],
        )
    newly = new_status != event.status
    event.status = new_status
    _apply_outcome(event, data.outcome)
    _ensure_not_future_if_held(event)
    if event.status == EventStatus.held and (
        newly or (data.outcome is not None and principal.role is not Role.admin)
    ):
        # Held, or a held event's outcome changed by its district: reviewed (again).
        open_review(event, principal)
    if {"venue", "starts_at", "ends_at"} & details.keys():
        await _ensure_venue_free(session, event)
    event.updated_at = utcnow()
    session.add(event)
    await session.flush()
    _record(
        session,
        event,
        principal,
        event.status if newly else "changed",
        **{k: str(v) for k, v in details.items()},
        **({"outcome": data.outcome.model_dump(exclude_unset=True)} if data.outcome else {}),
        review=event.review_state,
    )
    publish(session, event)
    return public(event)


async def review(
    session: AsyncSession, principal: Principal, event_id: str, data: ReviewRequest
) -> EventPublic:
    """An administrator verifies or rejects a held event (a district's own entry)."""
    event = await _existing(session, event_id)
    if event.status != EventStatus.held or event.review_state is None:
        raise Conflict(f"The event is {event.status}; only a held event is reviewed.")
    if event.voided_at is not None:
        raise Conflict("The event was voided; it is not reviewed any more.")
    decide(event, principal, data)
    event.updated_at = utcnow()
    session.add(event)
    await session.flush()
    _record(session, event, principal, "reviewed", decision=data.decision, reason=data.reason)
    publish(session, event)
    return public(event)


async def void(
    session: AsyncSession, principal: Principal, event_id: str, data: VoidRequest
) -> EventPublic:
    """An administrator voids a held event: it stops counting; the row and its history stay."""
    event = await _existing(session, event_id)
    if event.status != EventStatus.held:
        raise Conflict(f"The event is {event.status}; only a held event is voided.")
    if event.voided_at is not None:
        raise Conflict("The event is already void.")
    event.voided_at = utcnow()
    event.voided_by = principal.name
    event.void_reason = data.reason
    event.updated_at = event.voided_at
    session.add(event)
    await session.flush()
    _record(session, event, principal, "voided", reason=data.reason)
    publish(session, event)
    return public(event)


async def ensure_may_attach(session: AsyncSession, principal: Principal, event_id: str) -> None:
    """Evidence is added by those who may change the event, while it still counts or may."""
    event = await _existing(session, event_id)
    _ensure_may_change(principal, event.scope, event.district_id)
    if event.voided_at is not None:
        raise Conflict("The event was voided; it takes no more evidence.")


async def evidence_added(
    session: AsyncSession, principal: Principal, event_id: str, attachment: Any
) -> None:
    """Evidence is part of the event's history."""
    event = await _existing(session, event_id)
    _record(
        session,
        event,
        principal,
        "evidence",
        kind=attachment.kind,
        title=attachment.title,
        sha256=attachment.sha256,
        url=attachment.url,
    )


async def history(
    session: AsyncSession, principal: Principal, event_id: str
) -> list[EventChangePublic]:
    """Every step of the event's history, oldest first."""
    event = await _existing(session, event_id)
    _ensure_may_read(principal, event)
    return [
        EventChangePublic(action=c.action, by=c.by, at=c.at, detail=orjson.loads(c.detail))
        for c in await repository.changes(session, event_id)
    ]


async def visible(
    session: AsyncSession,
    principal: Principal,
    *,
    year: int | None,
    district_id: str | None,
    kind: str | None,
    status: str | None,
    limit: int,
    offset: int,
    review: str | None = None,
) -> tuple[list[Event], int]:
    """Events the caller may see: a district key sees its own district's and the city-wide."""
    only = None
    if not principal.reads_everything:
        if district_id is not None:
            principal.ensure_read(district_id)
        else:
            # A bureau, bound to no district, sees the city-wide events only.
            only = principal.district_id or ""
    return await repository.page(
        session,
        year=year,
        district_id=district_id,
        only_district_and_city=only,
        kind=kind,
        status=status,
        review=review,
        limit=limit,
        offset=offset,
    )


async def list_page(session: AsyncSession, principal: Principal, **filters: Any) -> EventPage:
    """One page of the events the caller may see."""
    events, total = await visible(session, principal, **filters)
    return EventPage(items=[public(e) for e in events], total=total)
