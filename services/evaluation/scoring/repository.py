"""SQL for the figures a year's scores are computed from (set-based, grouped by district), the
lists behind them, and scoring schemes."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import orjson
from sqlalchemy import and_, case, exists, func, literal, or_, union_all
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from policy import LINE_100M_CENTS, ReviewState
from services.evaluation.history.models import TaxHistory
from services.evaluation.inputs.models import (
    BuildingCopy,
    BuildingYearCopy,
    CopiesGeneration,
    DesignationCopy,
    EventCopy,
    MovementCopy,
    RenovationCopy,
)
from services.evaluation.scoring.models import DistrictSums, ScoringScheme
from shared import dialect_insert, fetch_rows, year_bounds

VERIFIED, PENDING = ReviewState.verified.value, ReviewState.pending.value


@dataclass
class DistrictFigures:
    """Everything a district's score needs for one year."""

    buildings: int = 0
    gross_floor_area_m2: float = 0.0
    operating_floor_area_m2: float = 0.0
    cumulative_100m: int = 0
    new_100m: int = 0
    new_featured: int = 0  # designation records dated in the year (v1)
    new_featured_buildings: int = 0  # buildings first designated in the year (v2)
    renovations: int = 0  # verified renovation records completed in the year (v1)
    renovated_buildings: int = 0  # buildings with one (v2)
    promotions: int = 0
    # Inputs a district entered that count once verified: indicator → how many await review.
    pending: dict[str, int] = field(default_factory=dict)
    tax_cents: dict[int, int] = field(default_factory=dict)  # year → Σ tax
    occupied_m2: float = 0.0
    leasable_m2: float = 0.0
    net_move_in: int = 0


def _in_year(column: Any, year: int) -> Any:
    return and_(column >= date(year, 1, 1), column <= date(year, 12, 31))


def _standing(year: int) -> Any:
    """Buildings that count in the year: not retired, or retired during it or later."""
    b = BuildingCopy
    return or_(col(b.retired_on).is_(None), col(b.retired_on) >= date(year, 1, 1))


def _previous_tax(year: int) -> Any:
    """Each building's tax over the year before `year`: the feed's figure, or where the feed has
    none, the total imported for the years before it (building_id, tax_cents, imported)."""
    y, h = BuildingYearCopy, TaxHistory
    feed: Any = sa_select(
        col(y.building_id).label("building_id"),
        col(y.tax_cents).label("tax_cents"),
        literal(False).label("imported"),
    ).where(col(y.year) == year - 1)
    history = sa_select(col(h.building_id), col(h.tax_cents), literal(True)).where(
        col(h.year) == year - 1,
        ~exists().where(col(y.building_id) == col(h.building_id), col(y.year) == year - 1),
    )
    return union_all(feed, history).subquery("previous_tax")


def _held_promotions(year: int, review: str = VERIFIED) -> Any:
    """Promotion events a district organised and held in the year (the plan's 推介活动), in a
    review state (only verified ones count), not voided."""
    start, end = year_bounds(year)
    e = EventCopy
    return and_(
        col(e.kind) == "promotion",
        col(e.scope) == "district",
        col(e.status) == "held",
        col(e.review_state) == review,
        col(e.voided).is_(False),
        col(e.starts_at) >= start,
        col(e.starts_at) < end,
    )


def _completed(year: int, review: str = VERIFIED) -> Any:
    """Renovations completed in the year, in a review state (only verified ones count)."""
    r = RenovationCopy
    return and_(_in_year(col(r.completed_on), year), col(r.review_state) == review)


async def district_figures(session: AsyncSession, year: int) -> dict[str, DistrictFigures]:
    """district id → figures, from the copies kept up to date by the consumer: as kept since
    the copies last changed, or taken again now and kept. The generation is read before the
    figures are taken, so a change committed in between makes them look older than they are
    (taken again next time), never newer."""
    generation = await generation_of_copies(session)
    query = select(DistrictSums.sums).where(
        DistrictSums.year == year, DistrictSums.generation == generation
    )
    kept = (await session.exec(query)).first()
    if kept is not None:
        return {district: _figures_of(f) for district, f in orjson.loads(kept).items()}
    figures = await _take_figures(session, year)
    whole = {d: dataclasses.asdict(f) for d, f in figures.items()}
    taken = orjson.dumps(whole, option=orjson.OPT_NON_STR_KEYS).decode()
    statement = dialect_insert(session, DistrictSums).values(
        year=year, generation=generation, sums=taken
    )
    await session.exec(
        statement.on_conflict_do_update(
            index_elements=["year"],
            set_={"generation": statement.excluded.generation, "sums": statement.excluded.sums},
            where=col(DistrictSums.generation) <= statement.excluded.generation,
        )
    )
    return figures


def _figures_of(kept: dict[str, Any]) -> DistrictFigures:
    """Kept figures as read back from JSON (whose keys are text: the years are numbers again)."""
    tax = {int(y): cents for y, cents in kept.pop("tax_cents").items()}
    return DistrictFigures(**kept, tax_cents=tax)


async def _take_figures(session: AsyncSession, year: int) -> dict[str, DistrictFigures]:
    """The figures counted from the copies: the sums over every building in one statement, the
    rest from the few records behind them."""
    figures: dict[str, DistrictFigures] = defaultdict(DistrictFigures)
    for district, sums in (await _take_district_sums(session, year)).items():
        f = figures[district]
        f.buildings, f.gross_floor_area_m2, f.operating_floor_area_m2 = sums["buildings"]
        now, before, f.cumulative_100m, f.new_100m, f.occupied_m2, f.leasable_m2 = sums["tax"]
        f.tax_cents = {
            y: cents for y, cents in ((year, now), (year - 1, before)) if cents is not None
        }
    b, d, r, m, e = BuildingCopy, DesignationCopy, RenovationCopy, MovementCopy, EventCopy
    for district, count in await fetch_rows(
        session,
        select(b.district_id, func.count())
        .join(d, col(d.building_id) == col(b.id))
        .where(_in_year(col(d.designated_on), year), _standing(year))
        .group_by(col(b.district_id)),
    ):
        figures[district].new_featured = int(count)
    # A building is a new featured building in the year of its first designation only.
    first = (
        sa_select(col(d.building_id), func.min(d.designated_on).label("first_on"))
        .group_by(col(d.building_id))
        .subquery()
    )
    for district, count in await fetch_rows(
        session,
        select(b.district_id, func.count())
        .join(first, first.c.building_id == col(b.id))
        .where(_in_year(first.c.first_on, year), _standing(year))
        .group_by(col(b.district_id)),
    ):
        figures[district].new_featured_buildings = int(count)
    for review, in_review in ((VERIFIED, False), (PENDING, True)):
        for district, count, distinct in await fetch_rows(
            session,
            select(b.district_id, func.count(), func.count(func.distinct(r.building_id)))
            .join(r, col(r.building_id) == col(b.id))
            .where(_completed(year, review), _standing(year))
            .group_by(col(b.district_id)),
        ):
            if in_review:
                figures[district].pending["stock_renovations"] = int(count)
            else:
                figures[district].renovations = int(count)
                figures[district].renovated_buildings = int(distinct)
    for district, net in await fetch_rows(
        session,
        select(b.district_id, func.sum(case((col(m.kind) == "move_in", 1), else_=-1)))
        .join(m, col(m.building_id) == col(b.id))
        .where(_in_year(col(m.date), year), col(m.withdrawn).is_(False), _standing(year))
        .group_by(col(b.district_id)),
    ):
        figures[district].net_move_in = int(net or 0)
    for review, in_review in ((VERIFIED, False), (PENDING, True)):
        for district, count in await fetch_rows(
            session,
            select(e.district_id, func.count())
            .where(_held_promotions(year, review))
            .group_by(col(e.district_id)),
        ):
            if district is None:
                continue
            if in_review:
                figures[district].pending["promotion_events"] = int(count)
            else:
                figures[district].promotions = int(count)
    return figures


async def generation_of_copies(session: AsyncSession) -> int:
    """How many changes the copies have seen (see CopiesGeneration)."""
    query = select(CopiesGeneration.generation).where(CopiesGeneration.id == 1)
    return (await session.exec(query)).first() or 0


async def stale_years(session: AsyncSession, generation: int) -> list[int]:
    """The years whose kept figures were taken before `generation`."""
    query = select(DistrictSums.year).where(col(DistrictSums.generation) < generation)
    return sorted(await session.exec(query))


async def _take_district_sums(session: AsyncSession, year: int) -> dict[str, dict[str, list[Any]]]:
    """district → {"buildings": [count, gross area, operating area], "tax": [tax of the year,
    of the year before, 亿元楼宇, new ones, occupied m², leasable m²]} over the standing
    buildings.

    One statement, so one snapshot: the consumer stores copies while this runs, and sums taken
    in two statements could count a building in one and not in the other."""
    b, y = BuildingCopy, BuildingYearCopy
    operating = case((col(b.status) == "operating", b.gross_floor_area_m2), else_=0.0)
    # A building joins at most one row of its year and one of the year before, so the sums
    # over the buildings' own columns count each building once.
    previous = _previous_tax(year)
    over = col(y.tax_cents) > LINE_100M_CENTS
    was_over = previous.c.tax_cents > LINE_100M_CENTS
    has_occupancy = col(y.leasable_area_m2).is_not(None)
    rows = await fetch_rows(
        session,
        sa_select(
            col(b.district_id),
            func.count(col(b.id)),
            func.coalesce(func.sum(b.gross_floor_area_m2), 0.0),
            func.coalesce(func.sum(operating), 0.0),
            func.sum(y.tax_cents),
            func.sum(previous.c.tax_cents),
            # 亿元楼宇, and the new ones: not over the line the year before
            func.count(case((over, 1))),
            func.count(case((and_(over, or_(previous.c.tax_cents.is_(None), ~was_over)), 1))),
            func.sum(case((has_occupancy, y.occupied_area_m2))),
            func.sum(case((has_occupancy, y.leasable_area_m2))),
        )
        .select_from(b)
        .outerjoin(y, and_(col(y.building_id) == col(b.id), col(y.year) == year))
        .outerjoin(previous, previous.c.building_id == col(b.id))
        .where(_standing(year))
        .group_by(col(b.district_id)),
    )
    sums: dict[str, dict[str, list[Any]]] = {}
    for district, count, area, operating_area, *tax in rows:
        now, before, over_line, fresh, occupied, leasable = tax
        sums[district] = {
            "buildings": [int(count), float(area), float(operating_area)],
            "tax": [
                int(now) if now is not None else None,
                int(before) if before is not None else None,
                int(over_line),
                int(fresh),
                float(occupied or 0),
                float(leasable or 0),
            ],
        }
    return sums


async def buildings_over(
    session: AsyncSession, district_id: str, year: int
) -> list[tuple[str, str, int, int | None, bool]]:
    """(id, name, tax of the year, tax of the year before, whether that was imported) of a
    district's 亿元楼宇."""
    b, y = BuildingCopy, BuildingYearCopy
    previous = _previous_tax(year)
    rows = await fetch_rows(
        session,
        sa_select(
            col(b.id), col(b.name), col(y.tax_cents), previous.c.tax_cents, previous.c.imported
        )
        .join(y, and_(col(y.building_id) == col(b.id), col(y.year) == year))
        .outerjoin(previous, previous.c.building_id == col(b.id))
        .where(col(b.district_id) == district_id, col(y.tax_cents) > LINE_100M_CENTS)
        .order_by(col(y.tax_cents).desc()),
    )
    return [
        (i, n, int(t), int(p) if p is not None else None, bool(imported))
        for i, n, t, p, imported in rows
    ]


async def designations_of(
    session: AsyncSession, district_id: str, year: int, *, first_only: bool = False
) -> list[Any]:
    """(building id, name, industry, date) designated in the year; with `first_only`, a
    building's first designation, where it falls in the year (one row per building)."""
    b, d = BuildingCopy, DesignationCopy
    query = (
        sa_select(col(b.id), col(b.name), col(d.industry), col(d.designated_on))
        .join(d, col(d.building_id) == col(b.id))
        .where(col(b.district_id) == district_id, _in_year(col(d.designated_on), year))
    )
    if first_only:
        earlier = aliased(DesignationCopy)
        query = query.where(
            ~exists().where(
                col(earlier.building_id) == col(d.building_id),
                (col(earlier.designated_on) < col(d.designated_on))
                | (
                    (col(earlier.designated_on) == col(d.designated_on))
                    & (col(earlier.industry) < col(d.industry))
                ),
            )
        )
    return list(await fetch_rows(session, query.order_by(col(d.designated_on), col(d.industry))))


async def renovations_of(
    session: AsyncSession, district_id: str, year: int, review: str = VERIFIED
) -> list[Any]:
    """(renovation id, building name, completion date) completed in the year, in a review
    state."""
    b, r = BuildingCopy, RenovationCopy
    return list(
        await fetch_rows(
            session,
            sa_select(col(r.id), col(b.name), col(r.completed_on), col(b.id))
            .join(r, col(r.building_id) == col(b.id))
            .where(col(b.district_id) == district_id, _completed(year, review))
            .order_by(col(r.completed_on), col(r.id)),
        )
    )


async def promotions_of(
    session: AsyncSession, district_id: str, year: int, review: str = VERIFIED
) -> list[EventCopy]:
    """A district's own promotion events held in the year, in a review state."""
    e = EventCopy
    return list(
        await session.exec(
            select(e)
            .where(_held_promotions(year, review), e.district_id == district_id)
            .order_by(col(e.starts_at))
        )
    )


async def schemes(session: AsyncSession) -> list[ScoringScheme]:
    return list(await session.exec(select(ScoringScheme).order_by(col(ScoringScheme.created_at))))


async def scheme(session: AsyncSession, scheme_id: str) -> ScoringScheme | None:
    return await session.get(ScoringScheme, scheme_id)


async def add_scheme(session: AsyncSession, row: ScoringScheme) -> None:
    session.add(row)
    await session.flush()
