"""The annual 楼宇经济高质量发展蓝皮书: assembled once, when a year is published, from the
published scores, the evaluation's own inputs and the peers' figures; rendered later from that
frozen content, so the book always agrees with the publication it belongs to."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import orjson
from sqlmodel.ext.asyncio.session import AsyncSession

from policy import FEATURED_INDUSTRY_ZH, districts, parse_cents
from services.evaluation.bluebook import repository
from services.evaluation.bluebook.peers import PeerFigures
from services.evaluation.bluebook.schemas import (
    BlueBook,
    CoverageLine,
    DistrictLine,
    EventLine,
    Featured,
    Flow,
    IndustryLine,
    Overview,
    TaskLine,
    TierBuilding,
)
from services.evaluation.coverage import service as coverage
from services.evaluation.publications import repository as publications
from services.evaluation.publications.models import Publication
from services.evaluation.scoring.formula import TARGET_INDICATORS
from services.evaluation.scoring.schemas import ScoreBoard
from services.evaluation.tasks import service as tasks
from shared import SHANGHAI, NotFound

KIND_ZH = {"promotion": "招商推介", "conference": "楼宇发展大会", "joint_meeting": "联席会议"}
STATUS_ZH = {"not_started": "未启动", "in_progress": "推进中", "done": "已完成"}
TIERS = ("100m", "500m", "1b")


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


def _organiser(scope: str, district: str | None, names: dict[str, str]) -> str:
    host = names.get(district or "")
    if scope == "district":
        return host or "苏州市"
    return f"全市（{host}承办）" if host else "全市"


def _district_lines(
    board: ScoreBoard, summary: dict[str, Any], names: dict[str, str]
) -> list[DistrictLine]:
    """The published scores, in the plan's district order, beside each district's year."""
    scored = {d.district_id: d for d in board.districts}
    figures = {d["district_id"]: d for d in summary["districts"]}
    lines = []
    for district_id, name in names.items():
        score = scored.get(district_id)
        indicators = {i.key: i for i in score.indicators} if score else {}
        year = figures.get(district_id, {})
        lines.append(
            DistrictLine(
                district_id=district_id,
                name=name,
                targets={
                    k: indicators[k].target or 0 for k in TARGET_INDICATORS if k in indicators
                },
                actuals={k: indicators[k].actual for k in TARGET_INDICATORS if k in indicators},
                total=score.total if score else None,
                rank=score.rank if score else None,
                pending=board.pending.get(district_id, {}),
                tax_cents=parse_cents(year.get("tax_total_cny", "0")),
                tax_prev_cents=parse_cents(year.get("tax_total_prev_cny", "0")),
                occupancy_rate=year.get("occupancy_rate"),
                over_counts=year.get("buildings_over_counts", {}),
            )
        )
    return lines


def _flows(rows: Sequence[dict[str, Any]]) -> list[Flow]:
    return [Flow.model_validate(r) for r in rows]


def _industries(rows: Sequence[dict[str, Any]]) -> list[IndustryLine]:
    return [IndustryLine.model_validate(r) for r in rows]


async def assemble(session: AsyncSession, board: ScoreBoard, peers: PeerFigures) -> BlueBook:
    """The year's blue book from the scores being published and today's other figures."""
    year = board.year
    names = {d.district_id: d.name_zh for d in districts()}
    buildings, area = await repository.city_totals(session)
    labels, monthly_tax, monthly_occupancy = _monthly(
        year, await repository.months_of_year(session, year)
    )
    city = peers.summary["city"]
    task_list = await tasks.list_tasks(session, overdue=None, work_area_no=None, year=year)
    cover = await coverage.coverage(session, None)
    return BlueBook(
        year=year,
        scheme=board.scheme,
        overview=Overview(
            buildings=buildings,
            gross_floor_area_m2=area,
            tax_cents=parse_cents(city["tax_total_cny"]),
            tax_prev_cents=parse_cents(city["tax_total_prev_cny"]),
            compared=peers.summary.get("compared", {}).get("label", "全年"),
            occupancy_rate=city["occupancy_rate"],
            over_counts=city["buildings_over_counts"],
        ),
        districts=_district_lines(board, peers.summary, names),
        tiers={
            tier: [
                TierBuilding(
                    district=names.get(b["district_id"], b["district_id"]),
                    building_id=b["building_id"],
                    name=b["name"],
                    tax_cents=parse_cents(b["tax_total_cny"]),
                )
                for b in peers.tiers[tier]
            ]
            for tier in TIERS
        },
        featured=[
            Featured(
                district=names.get(d, d),
                building=n,
                industry=FEATURED_INDUSTRY_ZH.get(ind, ind),
                designated_on=day,
            )
            for d, _, n, ind, day in await repository.designations(session)
        ],
        industries=_industries(peers.industries),
        district_industries={d: _industries(r) for d, r in peers.district_industries.items()},
        flows=_flows(peers.flows),
        district_flows={d: _flows(r) for d, r in peers.district_flows.items()},
        months=labels,
        monthly_tax_cents=monthly_tax,
        monthly_occupancy=monthly_occupancy,
        events=[
            EventLine(
                day=start.astimezone(SHANGHAI).date(),
                kind=KIND_ZH.get(kind, kind),
                organiser=_organiser(scope, district, names),
                title=title,
            )
            for start, kind, scope, district, title in await repository.events_held(session, year)
        ],
        tasks=[
            TaskLine(
                task_id=t.task_id,
                task=t.task,
                deadline=t.deadline,
                status=STATUS_ZH[t.status.value],
                overdue=t.overdue,
            )
            for t in task_list
        ],
        coverage=[
            CoverageLine(
                name=c.name,
                annex_1_count=c.annex_1_count,
                registered=c.registered,
                registered_in_pipeline=c.registered_in_pipeline,
                share=c.share,
            )
            for c in cover.districts
        ],
    )


def frozen(publication: Publication) -> BlueBook:
    """The blue book a publication froze."""
    content = orjson.loads(publication.snapshot).get("bluebook")
    if content is None:
        raise NotFound(
            f"Publication {publication.id} was made before blue books were frozen with "
            "publications; publish the year again to have one."
        )
    book = BlueBook.model_validate(content)
    return book.model_copy(
        update={
            "publication_id": publication.id or 0,
            "published_at": publication.published_at.astimezone(SHANGHAI).strftime("%Y年%m月%d日"),
        }
    )


async def of_publication(session: AsyncSession, publication_id: int) -> BlueBook:
    publication = await publications.get(session, publication_id)
    if publication is None:
        raise NotFound(f"No publication {publication_id}.")
    return frozen(publication)


async def of_year(session: AsyncSession, year: int) -> BlueBook:
    """The blue book of the year's latest publication."""
    latest = await publications.of_year(session, year)
    if not latest:
        raise NotFound(
            f"{year} has not been published: the blue book is made from a publication "
            "(POST /api/v1/evaluation/publications)."
        )
    return frozen(latest[0])


async def preface_of(session: AsyncSession, publication_id: int) -> str | None:
    """The preface the administrator wrote for the publication (Markdown), if any."""
    preface = await publications.preface(session, publication_id)
    return preface.markdown if preface else None


def amount_yi(cents: int) -> str:
    """Fen → 亿元 with two decimals."""
    return f"{Decimal(cents) / Decimal(10**10):,.2f}"


def amount_wan(cents: int) -> str:
    """Fen → 万元 with two decimals."""
    return f"{Decimal(cents) / Decimal(10**6):,.2f}"


def growth(now: int, before: int) -> float | None:
    """Year-on-year change as a fraction; None when there was nothing the year before."""
    return (now - before) / before if before else None
