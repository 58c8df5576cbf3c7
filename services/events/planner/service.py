"""The rotation planner: a year's calendar that meets every rule of the plan, spreads each
district's promotion events evenly, keeps a city-wide promotion in every two-month window with
its hosting rotating among the districts, and avoids weekends and Chinese public holidays.

A proposal is not stored; accepting it (with its digest, so what was reviewed is what is created)
creates the planned events in one transaction."""

from __future__ import annotations

import calendar as month_calendar
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import orjson
from sqlmodel.ext.asyncio.session import AsyncSession

from policy import districts
from services.events.compliance.service import local_month
from services.events.planner.schemas import (
    Accepted,
    AcceptRequest,
    PlanRequest,
    Proposal,
    ProposedEvent,
)
from services.events.planner.workdays import holiday_data_covers, nearest_event_day
from services.events.schedule import repository
from services.events.schedule import service as schedule
from services.events.schedule.models import Event
from services.events.schedule.schemas import EventCreate, EventKind, EventScope
from services.events.targets import TargetsClient
from shared import SHANGHAI, Conflict, Principal, beijing_today

CITY = "苏州市"
PROMOTION_HOURS = (time(9, 30), time(11, 30))
CONFERENCE_HOURS = (time(9, 0), time(17, 0))
MEETING_HOURS = (time(14, 30), time(16, 30))


@dataclass
class _Calendar:
    """The proposal being built, and which days each venue and organiser already has."""

    year: int
    first: date
    last: date
    proposed: list[ProposedEvent] = field(default_factory=list)
    venue_days: dict[str, set[date]] = field(default_factory=lambda: defaultdict(set))
    organiser_days: dict[str, set[date]] = field(default_factory=lambda: defaultdict(set))
    warnings: list[str] = field(default_factory=list)

    def occupy(self, venue: str, organiser: str, day: date) -> None:
        self.venue_days[venue].add(day)
        self.organiser_days[organiser].add(day)

    def place(
        self,
        *,
        kind: EventKind,
        scope: EventScope,
        district_id: str | None,
        title: str,
        venue: str,
        hours: tuple[time, time],
        around: date,
        within: tuple[date, date],
    ) -> bool:
        """Put an event on the event day nearest `around` that its venue and organiser have free."""
        organiser = district_id or CITY
        taken = self.venue_days[venue] | self.organiser_days[organiser]
        day = nearest_event_day(around, taken, max(within[0], self.first), within[1])
        if day is None:
            return False
        self.occupy(venue, organiser, day)
        self.proposed.append(
            ProposedEvent(
                kind=kind.value,
                scope=scope.value,
                district_id=district_id,
                title=title,
                starts_at=datetime.combine(day, hours[0], SHANGHAI).isoformat(),
                ends_at=datetime.combine(day, hours[1], SHANGHAI).isoformat(),
                venue=venue,
            )
        )
        return True


def _midpoint(first: date, last: date) -> date:
    return first + (last - first) / 2


def _month_end(year: int, month: int) -> date:
    return date(year, month, month_calendar.monthrange(year, month)[1])


def _city_promotions(plan: _Calendar, live: list[Event]) -> None:
    order = [d.district_id for d in districts()]
    names = {d.district_id: d.name_zh for d in districts()}
    # Rotation: six hosts a year, continuing next year where this year stopped.
    offset = (plan.year * 6) % len(order)
    for window in range(6):
        months = (2 * window + 1, 2 * window + 2)
        if any(
            e.kind == "promotion" and e.scope == "city" and local_month(e) in months for e in live
        ):
            continue
        first, last = date(plan.year, months[0], 1), _month_end(plan.year, months[1])
        if plan.first > last:
            plan.warnings.append(f"{months[0]}–{months[1]}月已过，无法再安排全市推介活动")
            continue
        host = order[(offset + window) % len(order)]
        placed = plan.place(
            kind=EventKind.promotion,
            scope=EventScope.city,
            district_id=host,
            title=f"{plan.year}年苏州市楼宇招商推介会（{months[0]}–{months[1]}月，{names[host]}承办）",
            venue=f"{names[host]}（会场待定）",
            hours=PROMOTION_HOURS,
            around=_midpoint(max(first, plan.first), last),
            within=(first, last),
        )
        if not placed:
            plan.warnings.append(f"{months[0]}–{months[1]}月没有可用的工作日安排全市推介活动")


def _conference_and_meetings(plan: _Calendar, live: list[Event]) -> None:
    if not any(e.kind == "conference" and e.scope == "city" for e in live):
        placed = plan.place(
            kind=EventKind.conference,
            scope=EventScope.city,
            district_id=None,
            title=f"{plan.year}年苏州市楼宇经济发展大会",
            venue=f"{CITY}（会场待定）",
            hours=CONFERENCE_HOURS,
            around=max(date(plan.year, 6, 15), plan.first),
            within=(date(plan.year, 1, 1), plan.last),
        )
        if not placed:
            plan.warnings.append("没有可用的工作日安排年度楼宇发展大会")
    for half, (first, last) in enumerate(
        ((date(plan.year, 1, 1), date(plan.year, 6, 30)), (date(plan.year, 7, 1), plan.last)),
        start=1,
    ):
        if any(
            e.kind == "joint_meeting"
            and e.scope == "city"
            and first.month <= local_month(e) <= last.month
            for e in live
        ):
            continue
        if plan.first > last:
            plan.warnings.append(f"{'上' if half == 1 else '下'}半年已过，无法再安排联席会议")
            continue
        placed = plan.place(
            kind=EventKind.joint_meeting,
            scope=EventScope.city,
            district_id=None,
            title=f"{plan.year}年{'上' if half == 1 else '下'}半年楼宇经济相关部门联席会议",
            venue="苏州市发展和改革委员会会议室",
            hours=MEETING_HOURS,
            around=_midpoint(max(first, plan.first), last),
            within=(first, last),
        )
        if not placed:
            plan.warnings.append(f"{'上' if half == 1 else '下'}半年没有可用的工作日安排联席会议")


def _district_promotions(plan: _Calendar, live: list[Event], targets: dict[str, int]) -> None:
    span = (plan.last - plan.first).days + 1
    for district in districts():
        existing = sum(
            1
            for e in live
            if e.kind == "promotion"
            and e.scope == "district"
            and e.district_id == district.district_id
        )
        need = targets.get(district.district_id, 0) - existing
        venue = f"{district.name_zh}（会场待定）"
        for i in range(max(need, 0)):
            # Evenly: the i-th of `need` events at the middle of its share of the days left.
            around = plan.first + timedelta(days=int((i + 0.5) * span / need))
            placed = plan.place(
                kind=EventKind.promotion,
                scope=EventScope.district,
                district_id=district.district_id,
                title=f"{plan.year}年{district.name_zh}楼宇招商推介会（第{existing + i + 1}场）",
                venue=venue,
                hours=PROMOTION_HOURS,
                around=around,
                within=(plan.first, plan.last),
            )
            if not placed:
                plan.warnings.append(f"{district.name_zh}没有足够的工作日安排{need}场推介活动")
                break


def propose(
    year: int, targets: dict[str, int], existing: list[Event], first: date
) -> tuple[list[ProposedEvent], list[str]]:
    """The events to add to `existing` so that the year meets every rule (pure)."""
    plan = _Calendar(year=year, first=first, last=date(year, 12, 31))
    if not holiday_data_covers(year):
        plan.warnings.append(f"节假日数据尚未覆盖{year}年：只避开了周末，请核对法定节假日")
    # A voided or rejected held event did not happen as recorded: the plan fills its place.
    live = [
        e
        for e in existing
        if e.status != "cancelled" and e.voided_at is None and e.review_state != "rejected"
    ]
    for event in live:
        day = event.starts_at.astimezone(SHANGHAI).date()
        plan.occupy(event.venue, event.district_id or CITY, day)
    _city_promotions(plan, live)
    _conference_and_meetings(plan, live)
    _district_promotions(plan, live, targets)
    plan.proposed.sort(key=lambda e: (e.starts_at, e.district_id or "", e.kind))
    return plan.proposed, plan.warnings


def digest(year: int, events: list[ProposedEvent]) -> str:
    """What identifies a proposal: accepting it needs the same digest."""
    body = orjson.dumps([year, [e.model_dump() for e in events]], option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(body).hexdigest()


def _first_day(request: PlanRequest) -> date:
    if request.starting is not None:
        return request.starting
    today = beijing_today()
    if request.year == today.year:
        return min(today + timedelta(days=1), date(request.year, 12, 31))
    return date(request.year, 1, 1)


async def plan(session: AsyncSession, request: PlanRequest, targets: TargetsClient) -> Proposal:
    """Propose the events the year still needs."""
    warnings = []
    wanted = request.targets
    if wanted is None:
        wanted = await targets.promotion_events(request.year)
        if wanted is None:
            warnings.append(f"{request.year}年尚未设定各地推介活动目标：未安排区县推介活动")
            wanted = {}
    first = _first_day(request)
    if first < beijing_today():
        warnings.append("所安排的日期有的已经过去")
    existing = await repository.of_year(session, request.year)
    events, more = propose(request.year, wanted, existing, first)
    return Proposal(
        year=request.year,
        digest=digest(request.year, events),
        events=events,
        warnings=warnings + more,
    )


async def accept(
    session: AsyncSession, principal: Principal, request: AcceptRequest, targets: TargetsClient
) -> Accepted:
    """Create the proposal's events as planned, all or none, if it is the one that was reviewed."""
    proposal = await plan(session, request, targets)
    if proposal.digest != request.digest:
        raise Conflict(
            "The proposal changed since it was reviewed (events or targets moved on); "
            "ask for a new one.",
            extra={"digest": proposal.digest},
        )
    created = [
        await schedule.create(
            session,
            principal,
            EventCreate(
                kind=EventKind(e.kind),
                scope=EventScope(e.scope),
                district_id=e.district_id,
                title=e.title,
                starts_at=datetime.fromisoformat(e.starts_at),
                ends_at=datetime.fromisoformat(e.ends_at),
                venue=e.venue,
            ),
        )
        for e in proposal.events
    ]
    return Accepted(created=len(created), events=created)
