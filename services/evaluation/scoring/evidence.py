"""The evidence behind a district's counts: the buildings, designations, renovations and events
each indicator counted under a scheme, and what still awaits review."""

from __future__ import annotations

from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from policy import LINE_100M_CENTS, district_ids, format_cents_grouped, format_cny_zh
from services.evaluation.scoring import repository
from services.evaluation.scoring.repository import PENDING
from services.evaluation.scoring.schemas import Evidence, EvidenceItem
from services.evaluation.scoring.service import load_scheme
from shared import SHANGHAI, NotFound, Principal


def _once_per_building(rows: list[Any], counting: str) -> list[Any]:
    """Under a scheme counting buildings (幢), a building's first row only (rows by date)."""
    if counting != "buildings":
        return rows
    seen: set[str] = set()
    kept = []
    for row in rows:
        if row[-1] not in seen:
            seen.add(row[-1])
            kept.append(row)
    return kept


def _renovation_items(rows: list[Any]) -> list[EvidenceItem]:
    return [
        EvidenceItem(id=i, name=n, detail=f"{day.isoformat()}完成改造") for i, n, day, _ in rows
    ]


def _event_items(events: list[Any]) -> list[EvidenceItem]:
    return [
        EvidenceItem(
            id=e.id, name=e.title, detail=e.starts_at.astimezone(SHANGHAI).date().isoformat()
        )
        for e in events
    ]


def _amount(cents: int) -> str:
    """A building's tax as the evidence writes it: '12.59亿元（1,259,192,567.44元' (the caller
    closes the bracket, after anything it adds)."""
    return f"{format_cny_zh(cents)}（{format_cents_grouped(cents)}元"


async def evidence(
    session: AsyncSession, principal: Principal, district_id: str, year: int, scheme_id: str
) -> Evidence:
    """The buildings, designations, renovations and events behind a district's counts under a
    scheme, and beside them what awaits review."""
    if district_id not in district_ids():
        raise NotFound(f"No district {district_id!r}.")
    principal.ensure_read(district_id)
    scheme = await load_scheme(session, scheme_id)
    over = await repository.buildings_over(session, district_id, year)
    new = [row for row in over if row[3] is None or row[3] <= LINE_100M_CENTS]
    designations = await repository.designations_of(
        session, district_id, year, first_only=scheme.counting == "buildings"
    )
    renovations = _once_per_building(
        await repository.renovations_of(session, district_id, year), scheme.counting
    )
    promotions = await repository.promotions_of(session, district_id, year)
    return Evidence(
        district_id=district_id,
        year=year,
        scheme=scheme.id,
        pending={
            "stock_renovations": _renovation_items(
                await repository.renovations_of(session, district_id, year, PENDING)
            ),
            "promotion_events": _event_items(
                await repository.promotions_of(session, district_id, year, PENDING)
            ),
        },
        indicators={
            "cumulative_100m_buildings": [
                EvidenceItem(id=i, name=n, detail=f"{year}年税收{_amount(t)}）")
                for i, n, t, _, _ in over
            ],
            "new_100m_buildings": [
                EvidenceItem(
                    id=i,
                    name=n,
                    detail=f"{year - 1}年税收"
                    + (
                        "无数据"
                        if p is None
                        else f"{_amount(p)}，未超1亿{'，导入数据' if imported else ''}）"
                    ),
                )
                for i, n, _, p, imported in new
            ],
            "new_featured_buildings": [
                EvidenceItem(id=i, name=n, detail=f"{industry}，{day.isoformat()}认定")
                for i, n, industry, day in designations
            ],
            "stock_renovations": _renovation_items(renovations),
            "promotion_events": _event_items(promotions),
        },
    )
