"""The events as an iCalendar feed (RFC 5545), so staff can subscribe from Outlook or a phone."""

from __future__ import annotations

from icalendar import Calendar
from icalendar import Event as CalendarEvent

from policy import districts
from services.events.schedule.models import Event
from shared import SHANGHAI, utcnow

KIND_ZH = {"promotion": "楼宇招商推介", "conference": "楼宇发展大会", "joint_meeting": "联席会议"}
STATUS = {"planned": "TENTATIVE", "held": "CONFIRMED", "cancelled": "CANCELLED"}
UID_DOMAIN = "sbe.suzhou.gov.cn"


def ics(events: list[Event]) -> bytes:
    """One VCALENDAR with a VEVENT per event, times in Asia/Shanghai (VTIMEZONE included)."""
    names = {d.district_id: d.name_zh for d in districts()}
    calendar = Calendar()
    calendar.add("prodid", "-//苏州楼宇经济智慧平台//events//ZH")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "苏州楼宇经济活动日程")
    calendar.add("x-wr-timezone", "Asia/Shanghai")
    stamp = utcnow()
    for event in events:
        entry = CalendarEvent()
        entry.add("uid", f"{event.id}@{UID_DOMAIN}")
        entry.add("dtstamp", stamp)
        entry.add("dtstart", event.starts_at.astimezone(SHANGHAI))
        entry.add("dtend", event.ends_at.astimezone(SHANGHAI))
        entry.add("summary", event.title)
        entry.add("location", event.venue)
        entry.add("status", STATUS[event.status])
        entry.add("categories", [KIND_ZH[event.kind]])
        entry.add("last-modified", event.updated_at)
        organiser = names.get(event.district_id or "", "苏州市")
        scope = "全市" if event.scope == "city" else "区县"
        entry.add("description", f"{KIND_ZH[event.kind]}（{scope}）· {organiser}")
        calendar.add_component(entry)
    calendar.add_missing_timezones()
    return calendar.to_ical()
