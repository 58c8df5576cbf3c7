"""HTTP routes for events and their iCalendar feed."""

import asyncio
from typing import Annotated

from fastapi import APIRouter, Query, Response

from policy import ReviewRequest, ReviewState
from services.events.schedule import calendar, service
from services.events.schedule.schemas import (
    EventChangePublic,
    EventCreate,
    EventKind,
    EventPage,
    EventPublic,
    EventStatus,
    EventUpdate,
    VoidRequest,
)
from shared import AdminDep, PrincipalDep, SessionDep, WriterDep, problem_responses
from shared.params import DistrictFilter, Limit, Offset, TextId

router = APIRouter(prefix="/api/v1/events", tags=["events"])

Year = Annotated[int | None, Query(ge=2000, le=2100, description="Only events starting this year.")]


@router.post(
    "",
    status_code=201,
    response_model=EventPublic,
    responses=problem_responses(409),
    summary="Record an event",
)
async def create_event(session: SessionDep, principal: WriterDep, body: EventCreate) -> EventPublic:
    """Administrator for any event; a district key for district events in its own district.
    Two events may not overlap at one venue (409 names the other)."""
    return await service.create(session, principal, body)


@router.get("", response_model=EventPage, summary="List events")
async def list_events(
    session: SessionDep,
    principal: PrincipalDep,
    year: Year = None,
    district_id: DistrictFilter = None,
    kind: Annotated[EventKind | None, Query(description="Only this kind.")] = None,
    status: Annotated[EventStatus | None, Query(description="Only this status.")] = None,
    review: Annotated[
        ReviewState | None,
        Query(description="Only held events in this review state (not voided)."),
    ] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> EventPage:
    return await service.list_page(
        session,
        principal,
        year=year,
        district_id=district_id,
        kind=kind.value if kind else None,
        status=status.value if status else None,
        review=review.value if review else None,
        limit=limit,
        offset=offset,
    )


@router.get(
    "/calendar.ics",
    responses={
        200: {
            "content": {"text/calendar": {"schema": {"type": "string"}}},
            "description": "RFC 5545",
        }
    },
    response_class=Response,
    summary="The events as an iCalendar feed",
)
async def calendar_feed(
    session: SessionDep,
    principal: PrincipalDep,
    year: Year = None,
    district_id: DistrictFilter = None,
    kind: Annotated[EventKind | None, Query(description="Only this kind.")] = None,
) -> Response:
    """Subscribe from Outlook or a phone; cancelled events stay in, marked CANCELLED."""
    events, _ = await service.visible(
        session,
        principal,
        year=year,
        district_id=district_id,
        kind=kind.value if kind else None,
        status=None,
        limit=100_000,
        offset=0,
    )
    body = await asyncio.to_thread(calendar.ics, events)
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": 'inline; filename="sbe-events.ics"'},
    )


@router.get(
    "/{event_id}", response_model=EventPublic, responses=problem_responses(404), summary="One event"
)
async def get_event(session: SessionDep, principal: PrincipalDep, event_id: TextId) -> EventPublic:
    return await service.read(session, principal, event_id)


@router.patch(
    "/{event_id}",
    response_model=EventPublic,
    responses=problem_responses(404, 409),
    summary="Change an event (planned → held or cancelled)",
)
async def update_event(
    session: SessionDep, principal: WriterDep, event_id: TextId, body: EventUpdate
) -> EventPublic:
    return await service.update(session, principal, event_id, body)


@router.post(
    "/{event_id}/review",
    response_model=EventPublic,
    responses=problem_responses(404, 409),
    summary="Verify or reject a held event (administrator)",
)
async def review_event(
    session: SessionDep, principal: AdminDep, event_id: TextId, body: ReviewRequest
) -> EventPublic:
    """A held event entered by a district counts only once verified; a rejection gives the
    district its reason. The decision may be revisited; every one is kept in the history."""
    return await service.review(session, principal, event_id, body)


@router.post(
    "/{event_id}/void",
    response_model=EventPublic,
    responses=problem_responses(404, 409),
    summary="Void a held event (administrator)",
)
async def void_event(
    session: SessionDep, principal: AdminDep, event_id: TextId, body: VoidRequest
) -> EventPublic:
    """The event stops counting; it stays, with who voided it, when and why."""
    return await service.void(session, principal, event_id, body)


@router.get(
    "/{event_id}/history",
    response_model=list[EventChangePublic],
    responses=problem_responses(404),
    summary="An event's history",
)
async def event_history(
    session: SessionDep, principal: PrincipalDep, event_id: TextId
) -> list[EventChangePublic]:
    """Recorded, changed, held, cancelled, reviewed, voided: every step, oldest first."""
    return await service.history(session, principal, event_id)
