"""What people enter in the demonstration city: the 发改委's targets for each year, districts'
renovations and promotion events (most verified by the 发改委, some still pending), the city
conference and joint meetings, featured-industry designations where a building's tenants are
mostly of one featured trade, and the units' progress on the key tasks. Drawn from the city and
its seed like everything else, as request bodies the API takes."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from demo.city import YI, City, Tenant
from demo.places import profile
from policy import district_ids, districts, industries

# GB/T 4754-2017 classes and divisions of the six featured industries (the registry counts a
# building's tenants in them the same way).
FEATURED: dict[str, tuple[str, ...]] = {
    "legal": ("7231", "7232", "7239"),
    "accounting_audit": ("7241",),
    "intellectual_property": ("7520",),
    "finance": ("66", "67", "68", "69"),
    "tech_rnd": ("73",),
    "design": ("7484", "7485", "7491", "7492"),
}


def _name(district_id: str) -> str:
    return next(d.name_zh for d in districts() if d.district_id == district_id)


def _held(city: City, day: date) -> bool:
    return day < city.last_month + timedelta(days=28)


def targets(city: City) -> Iterator[tuple[int, dict[str, Any]]]:
    """Each year's targets after Annex 1's 2023: a little above what each district reached the
    year before, as a 发改委 sets them."""
    for year in city.years:
        if year == 2023:
            continue  # the platform holds Annex 1's
        rows = []
        for district in district_ids():
            before = sum(
                1
                for b in city.buildings
                if b.district_id == district
                and b.tax_cents.get(year - 1, b.tax_cents.get(year, 0)) > YI
            )
            rows.append(
                {
                    "district_id": district,
                    "new_100m_buildings": max(1, round(before * 0.1)),
                    "cumulative_100m_buildings": max(1, round(before * 1.05)),
                    "new_featured_buildings": 2 if district in ("sip", "wuzhong") else 1,
                    "stock_renovations": 1,
                    "promotion_events": profile(district).promotions,
                }
            )
        yield year, {"targets": rows, "reason": f"{year}年度目标：在上年实绩基础上动态调整"}


REVIEWED_WITHIN = timedelta(days=90)  # the 发改委 has reviewed what was reported before that


def _verified(rng: random.Random, city: City, on: date, share: float) -> bool:
    """Whether the 发改委 has verified a report of `on` yet: everything older than a quarter, and
    of the latest quarter's, about `share` (the rest await review, as in any working city)."""
    drawn = rng.random()
    return on < city.as_of - REVIEWED_WITHIN or drawn < share


def renovations(city: City, district: str) -> Iterator[tuple[dict[str, Any], bool]]:
    """The renovation-list buildings' works: begun in one of the city's years, completed months
    later (if by now); verified unless completed lately (`_verified`)."""
    rng = random.Random(f"renovations:{city.seed}:{district}")
    for building in city.buildings:
        if building.district_id != district or "renovation" not in building.lists:
            continue
        started = date(rng.choice(city.years), rng.randint(1, 6), rng.randint(1, 28))
        completed = started + timedelta(days=rng.randint(150, 330))
        body: dict[str, Any] = {"building_id": building.id, "started_on": started.isoformat()}
        if completed < city.last_month:
            body["completed_on"] = completed.isoformat()
        yield body, _verified(rng, city, completed, 0.5)


def events(city: City, district: str | None) -> Iterator[tuple[dict[str, Any], bool]]:
    """A district's promotion events about every other month (held, or planned ahead), verified
    unless held lately (`_verified`); for the city (`None`), its conference and the two joint
    meetings of each year."""
    rng = random.Random(f"events:{city.seed}:{district}")
    if district is None:
        for year in city.years:
            for kind, month, title in (
                ("joint_meeting", 3, f"{year}年楼宇经济工作联席会议（上半年）"),
                ("conference", 6, f"{year}年苏州市楼宇经济高质量发展大会"),
                ("joint_meeting", 9, f"{year}年楼宇经济工作联席会议（下半年）"),
            ):
                day = date(year, month, rng.randint(10, 25))
                yield _event(kind, "city", None, title, day, "苏州国际博览中心", city), True
        return
    place = profile(district).places
    count = profile(district).promotions
    for year in city.years:
        months = sorted(rng.sample(range(1, 13), min(12, count)))
        for n, month in enumerate(months, start=1):
            day = date(year, month, rng.randint(8, 26))
            title = f"{_name(district)}{rng.choice(place)}楼宇招商推介会（{year}年第{n}场）"
            venue = f"{_name(district)}{place[n % len(place)]}会议中心"
            yield (
                _event("promotion", "district", district, title, day, venue, city),
                _verified(rng, city, day, 0.5),
            )


def _event(
    kind: str, scope: str, district: str | None, title: str, day: date, venue: str, city: City
) -> dict[str, Any]:
    return {
        "kind": kind,
        "scope": scope,
        **({"district_id": district} if district else {}),
        "title": title,
        "starts_at": f"{day.isoformat()}T09:30:00+08:00",
        "ends_at": f"{day.isoformat()}T11:30:00+08:00",
        "venue": venue,
        "status": "held" if _held(city, day) else "planned",
    }


def _featured_of(code: str) -> str | None:
    industry = industries().get(code)
    if industry is None:
        return None
    for name, codes in FEATURED.items():
        if code in codes or industry.division in codes:
            return name
    return None


def designations(
    city: City, tenants: dict[str, list[Tenant]]
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Buildings whose tenants are for two fifths or more of one featured industry, designated in
    one of the city's years (a few a year in each district)."""
    rng = random.Random(f"designations:{city.seed}")
    for building in city.buildings:
        present = [t for t in tenants.get(building.id, []) if t.moved_out is None]
        area = sum(t.area_m2 for t in present)
        by: dict[str, float] = {}
        for tenant in present:
            featured = _featured_of(tenant.industry_code)
            if featured:
                by[featured] = by.get(featured, 0.0) + tenant.area_m2
        best = max(by, key=lambda k: by[k], default=None)
        if best is None or by[best] < 0.4 * area:
            continue
        day = date(rng.choice(city.years), rng.randint(1, 12), rng.randint(1, 28))
        if day <= city.last_month:
            yield building.id, {"industry": best, "designated_on": day.isoformat()}


def key_task_reports(
    city: City, tasks: list[dict[str, Any]]
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Progress reports of the first responsible unit of each of the first tasks of each year."""
    rng = random.Random(f"tasks:{city.seed}")
    for task in tasks[:12]:
        units = [u["unit"] for u in task.get("units") or []]
        if not units:
            continue
        year = task.get("year", city.first_year)
        reported = min(date(year, rng.randint(3, 11), rng.randint(1, 28)), city.last_month)
        yield (
            task["task_id"],
            {
                "status": rng.choice(("in_progress", "in_progress", "done")),
                "evidence": f"{units[0]}按计划推进，已完成阶段性工作，相关材料已归档。",
                "reported_on": reported.isoformat(),
                "unit": units[0],
            },
        )
