"""Checks a year's events against the plan: a promotion in every two-month window, the yearly
conference, a joint meeting each half year, each district's promotions against its target."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from policy import districts
from services.events.compliance.schemas import (
    Compliance,
    ConferenceCheck,
    DistrictCheck,
    JointMeetingCheck,
    PendingReview,
    WindowCheck,
)
from services.events.schedule import repository
from services.events.schedule.models import Event
from services.events.schedule.service import awaits_review, counts
from services.events.targets import TargetsClient
from shared import SHANGHAI, Principal


def local_month(event: Event) -> int:
    """The month of the event's start in Beijing time."""
    return event.starts_at.astimezone(SHANGHAI).month


def check(
    year: int, events: list[Event], targets: dict[str, int] | None, only: str | None = None
) -> Compliance:
    """The compliance of a year's events (pure: everything it needs is given).

    With `only`, the answer a district sees: the city-wide checks and its own line, with `ok`
    and `missing` drawn from those alone, never from another district's shortfall.
    """
    # Only verified, unvoided held events count; those awaiting review are shown beside them.
    held = [e for e in events if counts(e)]
    waiting = [e for e in events if awaits_review(e)]
    promotions = [e for e in held if e.kind == "promotion"]
    missing: list[str] = []
    windows = []
    for w in range(6):
        months = (2 * w + 1, 2 * w + 2)
        count = sum(1 for e in promotions if local_month(e) in months)
        windows.append(
            WindowCheck(
                start=f"{year}-{months[0]:02d}",
                end=f"{year}-{months[1]:02d}",
                held_promotions=count,
                ok=count > 0,
            )
        )
        if count == 0:
            missing.append(f"{year}年{months[0]}–{months[1]}月没有已举办的楼宇招商推介活动")
    # The conference (市级楼宇发展大会) and the joint meetings (联席会议) are the city's to hold:
    # only city-scope ones count, whatever a district records under those kinds.
    city_held = [e for e in held if e.scope == "city"]
    city_waiting = [e for e in waiting if e.scope == "city"]
    conferences = sum(1 for e in city_held if e.kind == "conference")
    if not conferences:
        missing.append(f"{year}年尚未召开市级楼宇发展大会")
    joint = [e for e in city_held if e.kind == "joint_meeting"]
    h1 = sum(1 for e in joint if local_month(e) <= 6)
    h2 = len(joint) - h1
    if not h1:
        missing.append(f"{year}年上半年尚未召开楼宇经济联席会议")
    if not h2:
        missing.append(f"{year}年下半年尚未召开楼宇经济联席会议")
    if targets is None:
        missing.append(f"{year}年尚未设定各地推介活动目标")
    checks = []
    pending_by_district: dict[str, int] = {}
    for district in districts():
        own = [
            e
            for e in events
            if e.kind == "promotion"
            and e.scope == "district"
            and e.district_id == district.district_id
        ]
        done = sum(1 for e in own if counts(e))
        pending = sum(1 for e in own if awaits_review(e))
        planned = sum(1 for e in own if e.status == "planned")
        target = targets.get(district.district_id) if targets is not None else None
        ok = target is None or done >= target
        if only is not None and district.district_id != only:
            continue
        if pending:
            pending_by_district[district.district_id] = pending
        if not ok:
            assert target is not None
            missing.append(
                f"{district.name_zh}：已举办推介活动{done}场，目标{target}场，还差{target - done}场"
                f"（已计划{planned}场{f'，待审核{pending}场' if pending else ''}）"
            )
        checks.append(
            DistrictCheck(
                district_id=district.district_id, target=target, held=done, planned=planned, ok=ok
            )
        )
    return Compliance(
        year=year,
        ok=not missing,
        windows=windows,
        conference=ConferenceCheck(held=conferences, ok=conferences > 0),
        joint_meetings=JointMeetingCheck(h1=h1, h2=h2, ok=h1 > 0 and h2 > 0),
        pending=PendingReview(
            promotions=sum(1 for e in waiting if e.kind == "promotion"),
            conferences=sum(1 for e in city_waiting if e.kind == "conference"),
            joint_meetings=sum(1 for e in city_waiting if e.kind == "joint_meeting"),
            districts=pending_by_district,
        ),
        districts=checks,
        missing=missing,
    )


async def compliance(
    session: AsyncSession, principal: Principal, year: int, targets: TargetsClient
) -> Compliance:
    """The year's compliance; a district key sees the city-wide checks and its own line."""
    return check(
        year,
        await repository.of_year(session, year),
        await targets.promotion_events(year),
        # A bureau, bound to no district, sees the city-wide checks and no district's line.
        only=None if principal.reads_everything else (principal.district_id or ""),
    )
