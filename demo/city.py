"""The demonstration city, drawn from a seed: the same seed, scale and day give the same city.

At scale 1 each district has at least the office buildings over 10,000 m² that Annex 1 gives it
(347 in all), plus new projects and renovation candidates; about 87 of them pass the 1亿 line in
the city's first year (a few pass 5亿, one 10亿), and each year's tax grows by its district's
rate and its own. Tenants (enterprises with valid 统一社会信用代码 and GB/T 4754-2017 classes,
mixed as their district leans) move in and out over the years. What is drawn here is sent to the
platform through its public interfaces only (`demo.load`)."""

from __future__ import annotations

import math
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

from demo.places import PROFILES, SUFFIXES, DistrictProfile
from policy import districts, industries, uscc_check_character

YI = 100_000_000_00  # 1亿元 in fen


@dataclass(frozen=True, slots=True)
class Building:
    """An office building as its district registers it, and the tax it will yield."""

    id: str
    district_id: str
    name: str
    address: str
    gross_floor_area_m2: float
    status: str
    lists: tuple[str, ...]
    tax_cents: dict[int, int]  # year → the year's tax (what the feeds will add up to, before
    # the refunds and corrections they carry)
    occupancy: float


@dataclass(frozen=True, slots=True)
class Tenant:
    """An enterprise in a building from one date to another (or still there)."""

    uscc: str
    name: str
    industry_code: str
    building_id: str
    district_id: str
    area_m2: float
    moved_in: date
    moved_out: date | None
    weight: float  # its share of the building's tax, against the other tenants present


@dataclass
class City:
    """Everything the demonstration city holds."""

    seed: int
    scale: float  # 1: Suzhou's size; below 1 a smaller city (tests), above a larger (benchmarks)
    first_year: int
    last_month: date  # the first day of the latest month with figures (last month)
    as_of: date  # the day it is drawn: nothing is reported later than that
    buildings: list[Building] = field(default_factory=list)
    tenants: list[Tenant] = field(default_factory=list)

    @property
    def years(self) -> list[int]:
        return list(range(self.first_year, self.last_month.year + 1))

    def months(self) -> list[date]:
        """Every month with figures, oldest first (first days)."""
        found, month = [], date(self.first_year, 1, 1)
        while month <= self.last_month:
            found.append(month)
            month = (month + timedelta(days=32)).replace(day=1)
        return found


def build_city(seed: int = 2023, scale: float = 1, today: date | None = None) -> City:
    """The city for a seed and a scale, with three full years of figures and this year's so far."""
    today = today or date.today()
    last = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    city = City(seed=seed, scale=scale, first_year=today.year - 3, last_month=last, as_of=today)
    rng = random.Random(f"sbe-demo:{seed}:{scale}")
    annex = {d.district_id: d.office_buildings_over_10k_m2_2022 for d in districts()}
    serial = 0
    for profile in PROFILES:
        offices = max(1, round(annex[profile.district_id] * scale))
        buildings = _district_buildings(rng, profile, offices, city)
        city.buildings.extend(buildings)
        for building in buildings:
            tenants = _tenants(rng, profile, building, city, serial)
            serial += len(tenants)
            city.tenants.extend(tenants)
    return city


def _district_buildings(
    rng: random.Random, profile: DistrictProfile, offices: int, city: City
) -> list[Building]:
    """The district's operating office buildings, and a tenth more of new projects."""
    projects = max(1, round(offices * 0.1))
    areas = sorted(
        (
            min(300_000.0, max(10_500.0, rng.lognormvariate(math.log(38_000), 0.55)))
            for _ in range(offices)
        ),
        reverse=True,
    )
    # The 亿元楼宇 of the first year are the larger buildings, not strictly the largest.
    ranked = sorted(range(offices), key=lambda i: areas[i] * rng.uniform(0.6, 1.4), reverse=True)
    over = set(ranked[: max(1, round(profile.over_100m * city.scale))])
    names = _names(rng, profile, offices + projects)
    built = []
    for i in range(offices + projects):
        operating = i < offices
        area = areas[i] if operating else round(rng.uniform(15_000, 90_000), -2)
        first = _first_year_tax(
            rng, profile, i in over, area, rank=ranked.index(i) if operating else None
        )
        lists = ["key"] if operating and (i in over or area > 60_000) else []
        if not operating:
            lists.append("new_project")
        elif rng.random() < 0.08:
            lists.append("renovation")
        built.append(
            Building(
                id=f"{profile.district_id}-{i + 1:04d}",
                district_id=profile.district_id,
                name=names[i],
                address=_address(rng, profile),
                gross_floor_area_m2=round(area, 1),
                status="operating" if operating else rng.choice(("planned", "under_construction")),
                lists=tuple(lists),
                tax_cents=_yearly(rng, profile, first, city) if operating else {},
                occupancy=min(0.99, max(0.35, rng.gauss(profile.occupancy, 0.08))),
            )
        )
    return built


def _first_year_tax(
    rng: random.Random, profile: DistrictProfile, over: bool, area: float, rank: int | None
) -> int:
    """The first year's tax in fen: 1亿 to a few 亿 for the 亿元楼宇 (the very first ones of the
    finance district further still), else what the floor area yields at a few hundred to two
    thousand yuan per m²."""
    if rank is None:
        return 0
    if over:
        if profile.district_id == "sip" and rank == 0:
            return int(rng.uniform(10.5, 12.5) * YI)  # the one 10亿元楼宇
        if rank < 3 and profile.district_id in ("sip", "xiangcheng", "kunshan"):
            return int(rng.uniform(5.2, 7.5) * YI)
        return int(min(4.8, max(1.05, rng.lognormvariate(math.log(1.8), 0.45))) * YI)
    per_m2 = rng.lognormvariate(math.log(900), 0.5)
    return int(min(0.97 * YI, area * per_m2 * 100))


def _yearly(rng: random.Random, profile: DistrictProfile, first: int, city: City) -> dict[int, int]:
    taxes, amount = {}, first
    for year in city.years:
        taxes[year] = amount
        amount = int(amount * (1 + profile.growth + rng.gauss(0, 0.07)))
    return taxes


def _names(rng: random.Random, profile: DistrictProfile, count: int) -> list[str]:
    """Distinct names: a place and a kind of building, then phases where a pair repeats."""
    seen: Counter[str] = Counter()
    names = []
    for _ in range(count):
        base = f"{rng.choice(profile.places)}{rng.choice(SUFFIXES)}"
        seen[base] += 1
        phase = seen[base]
        names.append(base if phase == 1 else f"{base}{_PHASES[min(phase, len(_PHASES)) - 1]}")
    return names


_PHASES = ("", "二期", "三期", "四期", "五期", "六期", "B座", "C座", "D座", "E座")


def _address(rng: random.Random, profile: DistrictProfile) -> str:
    road, number = rng.choice(profile.roads), rng.randint(1, 999)
    return f"{_district_name(profile.district_id)}{road}{number}号"


@cache
def _district_name(district_id: str) -> str:
    return next(d.name_zh for d in districts() if d.district_id == district_id)


@cache
def _classes_by_section() -> dict[str, tuple[str, ...]]:
    """GB/T 4754-2017 classes (4 digits), by section."""
    by: dict[str, list[str]] = {}
    for code, industry in industries().items():
        if industry.level == 4:
            by.setdefault(industry.section, []).append(code)
    return {section: tuple(codes) for section, codes in by.items()}


def uscc_of(n: int) -> str:
    """A valid 统一社会信用代码 (GB 32100-2015) for the n-th enterprise of the city."""
    first17 = f"91320500MA{n:07d}"
    return first17 + uscc_check_character(first17)


_FIRMS = (
    "科技",
    "信息技术",
    "投资管理",
    "咨询",
    "贸易",
    "商务服务",
    "设计",
    "律师事务所",
    "会计师事务所",
    "供应链管理",
)


def _tenants(
    rng: random.Random, profile: DistrictProfile, building: Building, city: City, serial: int
) -> list[Tenant]:
    """The building's tenants over the years: those in it at the start, and those who come and
    go (about a tenth a year) while the building stays about as full as its district's are."""
    if building.status != "operating":
        return []
    leasable = building.gross_floor_area_m2 * 0.75
    sections = list(profile.sections)
    weights = list(profile.sections.values())
    start = date(city.first_year, 1, 1)
    end = city.last_month
    tenants: list[Tenant] = []

    def one(moved_in: date) -> Tenant:
        nonlocal serial
        serial += 1
        section = rng.choices(sections, weights)[0]
        code = rng.choice(_classes_by_section()[section])
        area = round(min(leasable * 0.3, max(120.0, rng.lognormvariate(math.log(1_600), 0.7))), 0)
        stays = rng.random() < 0.93 ** ((end - moved_in).days / 365)
        moved_out = (
            None
            if stays
            else moved_in + timedelta(days=rng.randint(180, max(181, (end - moved_in).days)))
        )
        finance = 2.5 if section in ("J", "M") else 1.0
        return Tenant(
            uscc=uscc_of(serial),
            name=f"苏州{rng.choice(profile.places)}{rng.choice(_FIRMS)}有限公司",
            industry_code=code,
            building_id=building.id,
            district_id=building.district_id,
            area_m2=area,
            moved_in=moved_in,
            moved_out=moved_out if moved_out and moved_out <= end else None,
            weight=area * finance * rng.uniform(0.5, 1.5),
        )

    occupied = 0.0
    while occupied < leasable * building.occupancy:
        tenant = one(start - timedelta(days=rng.randint(30, 1_500)))
        occupied += tenant.area_m2
        tenants.append(tenant)
    # Whoever leaves is followed by another some months later, who may leave in turn.
    leaving = [t.moved_out for t in tenants if t.moved_out is not None]
    while leaving:
        later = leaving.pop() + timedelta(days=rng.randint(30, 240))
        if later <= end:
            tenant = one(later)
            tenants.append(tenant)
            if tenant.moved_out is not None:
                leaving.append(tenant.moved_out)
    return tenants
