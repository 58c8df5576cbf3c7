"""The annual 楼宇经济高质量发展蓝皮书: the year's figures gathered once, rendered as one
self-contained HTML document (Chinese, inline CSS and SVG charts) and as an XLSX workbook."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import orjson
from sqlmodel.ext.asyncio.session import AsyncSession

from services.evaluation.bluebook import repository
from services.evaluation.coverage import service as coverage
from services.evaluation.coverage.schemas import Coverage
from services.evaluation.scoring import formula
from services.evaluation.scoring import service as scoring
from services.evaluation.scoring.formula import DEFAULT, TARGET_INDICATORS
from services.evaluation.tasks import service as tasks
from services.evaluation.tasks.schemas import TaskPublic
from shared import SHANGHAI, parse_cents
from shared.reference import districts

INDICATOR_ZH = {
    "new_100m_buildings": "新增亿元楼宇",
    "cumulative_100m_buildings": "累计亿元楼宇",
    "new_featured_buildings": "新增产业特色楼宇",
    "stock_renovations": "存量楼宇改造提升",
    "promotion_events": "招商推介活动",
}
INDUSTRY_ZH = {
    "legal": "法律服务",
    "accounting_audit": "会计审计服务",
    "intellectual_property": "知识产权服务",
    "finance": "金融服务",
    "tech_rnd": "科技研发服务",
    "design": "设计服务",
}
KIND_ZH = {"promotion": "招商推介", "conference": "楼宇发展大会", "joint_meeting": "联席会议"}
STATUS_ZH = {"not_started": "未启动", "in_progress": "推进中", "done": "已完成"}


@dataclass
class DistrictLine:
    district_id: str
    name: str
    targets: dict[str, int]
    actuals: dict[str, int]
    total: Decimal | None
    rank: int | None
    pending: dict[str, int] = field(default_factory=dict)  # indicator → inputs awaiting review


@dataclass
class BlueBook:
    """Everything the blue book shows for one year."""

    year: int
    buildings: int
    gross_floor_area_m2: float
    tax_cents: int
    occupancy_rate: float | None
    districts: list[DistrictLine]
    over_100m: list[tuple[str, str, str, int]]  # district name, building id, name, tax
    featured: list[tuple[str, str, str, str]]  # district name, building, industry, date
    months: list[str]
    monthly_tax_cents: list[int | None]
    monthly_occupancy: list[float | None]
    events: list[tuple[str, str, str, str]]  # date, kind, organiser, title
    tasks: list[TaskPublic] = field(default_factory=list)
    coverage: Coverage | None = None


def _monthly(year: int, rows: Any) -> tuple[list[str], list[int | None], list[float | None]]:
    tax: dict[str, int] = defaultdict(int)
    occupied: dict[str, float] = defaultdict(float)
    leasable: dict[str, float] = defaultdict(float)
    seen: set[str] = set()
    for (months,) in rows:
        for month in orjson.loads(months):
            period = month["period"]
            seen.add(period)
            tax[period] += parse_cents(month["tax_total_cny"])
            if month.get("leasable_area_m2"):
                occupied[period] += month.get("occupied_area_m2") or 0.0
                leasable[period] += month["leasable_area_m2"]
    periods = [f"{year}-{m:02d}" for m in range(1, 13)]
    return (
        [f"{m}月" for m in range(1, 13)],
        [tax[p] if p in seen else None for p in periods],
        [occupied[p] / leasable[p] if leasable.get(p) else None for p in periods],
    )


async def gather(session: AsyncSession, year: int) -> BlueBook:
    """The year's figures (404 when the year has no targets)."""
    names = {d.district_id: d.name_zh for d in districts()}
    _, inputs = await scoring.gather(session, year, DEFAULT)
    results = {r.district_id: r for r in formula.score(DEFAULT, inputs)}
    lines = [
        DistrictLine(
            district_id=i.district_id,
            name=names[i.district_id],
            targets={k: i.targets.get(k, 0) for k in TARGET_INDICATORS},
            actuals=i.actuals,
            total=results[i.district_id].total,
            rank=results[i.district_id].rank,
            pending=i.pending,
        )
        for i in inputs
    ]
    buildings, area = await repository.city_totals(session)
    month_rows = await repository.months_of_year(session, year)
    labels, monthly_tax, monthly_occupancy = _monthly(year, month_rows)
    over = await repository.buildings_over(session, year)
    city_rates = [r for r in monthly_occupancy if r is not None]
    return BlueBook(
        year=year,
        buildings=buildings,
        gross_floor_area_m2=area,
        tax_cents=sum(t for t in monthly_tax if t is not None),
        occupancy_rate=city_rates[-1] if city_rates else None,
        districts=lines,
        over_100m=[(names.get(d, d), b, n, int(t)) for d, b, n, t in over],
        featured=[
            (names.get(d, d), n, INDUSTRY_ZH.get(ind, ind), day.isoformat())
            for d, _, n, ind, day in await repository.designations(session)
        ],
        months=labels,
        monthly_tax_cents=monthly_tax,
        monthly_occupancy=monthly_occupancy,
        events=[
            (
                start.astimezone(SHANGHAI).date().isoformat(),
                KIND_ZH.get(kind, kind),
                _organiser(scope, district, names),
                title,
            )
            for start, kind, scope, district, title in await repository.events_held(session, year)
        ],
        tasks=await tasks.list_tasks(session, overdue=None, work_area_no=None),
        coverage=await coverage.coverage(session, None),
    )


def _organiser(scope: str, district: str | None, names: dict[str, str]) -> str:
    host = names.get(district or "")
    if scope == "district":
        return host or "苏州市"
    return f"全市（{host}承办）" if host else "全市"


def amount_yi(cents: int) -> str:
    """Fen → 亿元 with two decimals."""
    return f"{Decimal(cents) / Decimal(10**10):,.2f}"


def amount_wan(cents: int) -> str:
    """Fen → 万元 with two decimals."""
    return f"{Decimal(cents) / Decimal(10**6):,.2f}"
