"""Scores from the maintained figures: actuals per district, the scheme's formula, ranks; the
evidence behind every count; ranks under method variations."""

from __future__ import annotations

import dataclasses
import hashlib
import statistics
from decimal import Decimal

import orjson
from sqlmodel.ext.asyncio.session import AsyncSession

from policy import district_ids
from services.evaluation.metrics import timed
from services.evaluation.scoring import formula, repository
from services.evaluation.scoring.formula import SEEDED, DistrictInputs, DistrictScore, Scheme
from services.evaluation.scoring.models import ScoringScheme
from services.evaluation.scoring.repository import DistrictFigures
from services.evaluation.scoring.schemas import (
    DistrictScorePublic,
    IndicatorPublic,
    RankRange,
    Robustness,
    SchemeDefinition,
    ScoreBoard,
)
from services.evaluation.targets import service as targets
from shared import Conflict, NotFound, Principal


def scheme_from_definition(definition: SchemeDefinition) -> Scheme:
    return Scheme(
        id=definition.id,
        name_zh=definition.name_zh,
        target_weight=definition.target_weight,
        development_weight=definition.development_weight,
        completion_cap=definition.completion_cap,
        target_indicators=tuple(definition.target_indicators),
        development_indicators=tuple(definition.development_indicators),
        aggregation=definition.aggregation,
        description=definition.description,
        counting=definition.counting,
        tax_area=definition.tax_area,
    )


def definition_of(scheme: Scheme) -> SchemeDefinition:
    return SchemeDefinition(
        id=scheme.id,
        name_zh=scheme.name_zh,
        description=scheme.description,
        target_weight=scheme.target_weight,
        development_weight=scheme.development_weight,
        completion_cap=scheme.completion_cap,
        target_indicators=list(scheme.target_indicators),
        development_indicators=list(scheme.development_indicators),
        aggregation=scheme.aggregation,
        counting=scheme.counting,
        tax_area=scheme.tax_area,
    )


def name_of(scheme: Scheme) -> str:
    """The scheme's Chinese name: its own, the platform's for the schemes it seeds (stored before
    they had names), else its id."""
    seeded = {s.id: s.name_zh for s in SEEDED}
    return scheme.name_zh or seeded.get(scheme.id) or scheme.id


async def seed_default_scheme(session: AsyncSession) -> None:
    """The platform's schemes (v1 and the default, v2) are data like any other (runs at start)."""
    for scheme in SEEDED:
        if await repository.scheme(session, scheme.id) is None:
            await _store(session, definition_of(scheme), "参考数据")


async def _store(session: AsyncSession, definition: SchemeDefinition, by: str) -> None:
    await repository.add_scheme(
        session,
        ScoringScheme(id=definition.id, definition=definition.model_dump_json(), created_by=by),
    )


async def add_scheme(
    session: AsyncSession, principal: Principal, definition: SchemeDefinition
) -> SchemeDefinition:
    """Add a scheme (never change one: a new idea is a new id)."""
    if await repository.scheme(session, definition.id) is not None:
        raise Conflict(f"A scheme {definition.id!r} exists; schemes are never changed.")
    await _store(session, definition, principal.name)
    return definition


async def list_schemes(session: AsyncSession) -> list[SchemeDefinition]:
    return [
        SchemeDefinition.model_validate_json(s.definition)
        for s in await repository.schemes(session)
    ]


async def load_scheme(session: AsyncSession, scheme_id: str) -> Scheme:
    row = await repository.scheme(session, scheme_id)
    if row is None:
        raise NotFound(f"No scoring scheme {scheme_id!r}.")
    return scheme_from_definition(SchemeDefinition.model_validate_json(row.definition))


def _decimal(value: float) -> Decimal:
    return Decimal(str(value))


def district_inputs(
    year: int,
    figures: dict[str, DistrictFigures],
    year_targets: dict[str, dict[str, int]],
    scheme: Scheme,
) -> list[DistrictInputs]:
    """Actuals and development values of the ten districts (docs/assessment.md) under a scheme's
    way of counting: records or buildings; every building's floor area or the operating ones'."""
    inputs = []
    by_building = scheme.counting == "buildings"
    for district_id in district_ids():
        f = figures.get(district_id, DistrictFigures())
        this_year, last_year = f.tax_cents.get(year, 0), f.tax_cents.get(year - 1, 0)
        area = (
            f.operating_floor_area_m2 if scheme.tax_area == "operating" else f.gross_floor_area_m2
        )
        development: dict[str, Decimal | None] = {
            "occupancy_rate": _decimal(f.occupied_m2) / _decimal(f.leasable_m2)
            if f.leasable_m2 > 0
            else None,
            "tax_per_m2": Decimal(this_year) / 100 / _decimal(area)
            if f.buildings and area > 0
            else None,
            "tax_growth": Decimal(this_year - last_year) / Decimal(last_year)
            if f.buildings and last_year != 0
            else None,
            "net_move_in": Decimal(f.net_move_in) if f.buildings else None,
        }
        inputs.append(
            DistrictInputs(
                district_id=district_id,
                actuals={
                    "new_100m_buildings": f.new_100m,
                    "cumulative_100m_buildings": f.cumulative_100m,
                    "new_featured_buildings": f.new_featured_buildings
                    if by_building
                    else f.new_featured,
                    "stock_renovations": f.renovated_buildings if by_building else f.renovations,
                    "promotion_events": f.promotions,
                },
                targets=year_targets.get(district_id, {}),
                development=development,
                pending=dict(f.pending),
            )
        )
    return inputs


async def gather(
    session: AsyncSession, year: int, scheme: Scheme
) -> tuple[int, list[DistrictInputs]]:
    """The year's inputs and the target version they use (404 when the year has no targets)."""
    in_force = await targets.in_force(session, year)
    by_district = {t.district_id: t.model_dump(exclude={"district_id"}) for t in in_force.targets}
    figures = await repository.district_figures(session, year)
    return in_force.version, district_inputs(year, figures, by_district, scheme)


def _number(value: Decimal | int | None) -> float | int | None:
    if value is None or isinstance(value, int):
        return value
    return float(value)


def board(
    year: int, scheme: Scheme, results: list[DistrictScore], inputs: list[DistrictInputs]
) -> ScoreBoard:
    """Scores as the API shows them, by rank then by the districts' order."""
    order = {d: i for i, d in enumerate(district_ids())}
    ranked = sorted(results, key=lambda r: (r.rank, order[r.district_id]))
    return ScoreBoard(
        year=year,
        scheme=scheme.id,
        scheme_name=name_of(scheme),
        pending={i.district_id: i.pending for i in inputs if i.pending},
        districts=[
            DistrictScorePublic(
                district_id=r.district_id,
                rank=r.rank,
                total=float(r.total),
                target_component=float(r.target_component),
                development_component=float(r.development_component),
                indicators=[
                    IndicatorPublic(
                        key=i.key,
                        actual=_number(i.actual),
                        target=i.target,
                        completion=_number(i.completion),
                        normalized=_number(i.normalized),
                        weight=float(i.weight),
                        contribution=_number(i.contribution),
                    )
                    for i in r.indicators
                ],
            )
            for r in ranked
        ],
    )


def visible_to(principal: Principal, scores: ScoreBoard) -> ScoreBoard:
    """A district key sees its own line (ranked among all)."""
    if not principal.reads_everything:
        scores.districts = [d for d in scores.districts if d.district_id == principal.district_id]
        scores.pending = {d: p for d, p in scores.pending.items() if d == principal.district_id}
    return scores


async def scores(
    session: AsyncSession, principal: Principal, year: int, scheme_id: str
) -> ScoreBoard:
    """The year's scores under a scheme, role-scoped."""
    with timed("scores"):
        scheme = await load_scheme(session, scheme_id)
        _, inputs = await gather(session, year, scheme)
        return visible_to(principal, board(year, scheme, formula.score(scheme, inputs), inputs))


def variations(scheme: Scheme) -> dict[str, Scheme]:
    """Reasonable variations of a method: weights moved, geometric mean, no development part."""
    found = {"as published": scheme}
    for shift in (Decimal("-0.1"), Decimal("0.1")):
        weight = scheme.target_weight + shift
        if 0 <= weight <= 1:
            found[f"target weight {weight}"] = dataclasses.replace(
                scheme, target_weight=weight, development_weight=1 - weight
            )
    geometric = dataclasses.replace(scheme, aggregation="geometric")
    found["geometric mean of completions"] = geometric
    found["targets only"] = dataclasses.replace(
        scheme, target_weight=Decimal(1), development_weight=Decimal(0)
    )
    found["geometric, targets only"] = dataclasses.replace(
        geometric, target_weight=Decimal(1), development_weight=Decimal(0)
    )
    return found


async def robustness(
    session: AsyncSession, principal: Principal, year: int, scheme_id: str
) -> Robustness:
    """Each district's median rank and rank range over the method's variations."""
    with timed("robustness"):
        scheme = await load_scheme(session, scheme_id)
        _, inputs = await gather(session, year, scheme)
        ranks: dict[str, list[int]] = {d: [] for d in district_ids()}
        runs = variations(scheme)
        for variant in runs.values():
            for result in formula.score(variant, inputs):
                ranks[result.district_id].append(result.rank)
    ranges = [
        RankRange(
            district_id=d,
            rank=r[0],
            median_rank=statistics.median(r),
            best_rank=min(r),
            worst_rank=max(r),
            stable=max(r) - min(r) <= 1,
        )
        for d, r in ranks.items()
    ]
    ranges.sort(key=lambda x: (x.rank, x.median_rank))
    if not principal.reads_everything:
        ranges = [x for x in ranges if x.district_id == principal.district_id]
    return Robustness(year=year, scheme=scheme.id, variations=list(runs), districts=ranges)


def inputs_digest(year: int, target_version: int, inputs: list[DistrictInputs]) -> str:
    """A digest of everything a year's scores were computed from."""
    body = orjson.dumps(
        {
            "year": year,
            "targets_version": target_version,
            "inputs": [
                {
                    "district_id": i.district_id,
                    "actuals": i.actuals,
                    "targets": i.targets,
                    "development": {
                        k: str(v) if v is not None else None for k, v in i.development.items()
                    },
                }
                for i in inputs
            ],
        },
        option=orjson.OPT_SORT_KEYS,
    )
    return hashlib.sha256(body).hexdigest()
