"""Targets per year and district: the 2023 ones from Annex 1, replaced (never overwritten) later."""

from __future__ import annotations

from collections import defaultdict

from sqlmodel.ext.asyncio.session import AsyncSession

from policy import district_ids
from services.evaluation.reference import targets_2023
from services.evaluation.scoring.formula import TARGET_INDICATORS
from services.evaluation.targets import files, repository
from services.evaluation.targets.models import Target, TargetVersion
from services.evaluation.targets.schemas import (
    DistrictTargets,
    ImportReport,
    TargetHistory,
    TargetsUpdate,
    YearTargets,
)
from shared import NotFound, Principal, ValidationFailed

SEED_REASON = "苏府办〔2023〕48号 附件1：2023年度各地楼宇经济发展目标"


def _views(versions: list[TargetVersion], values: list[Target]) -> list[YearTargets]:
    by_version: dict[int, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    for target in values:
        by_version[target.version_id][target.district_id][target.indicator] = target.value
    order = district_ids()
    return [
        YearTargets(
            year=v.year,
            version=v.version,
            reason=v.reason,
            created_by=v.created_by,
            created_at=v.created_at,
            targets=[
                DistrictTargets(district_id=d, **by_version[v.id or 0][d])
                for d in order
                if d in by_version[v.id or 0]
            ],
        )
        for v in versions
    ]


class TargetsMissing(NotFound):
    """A year that has no targets yet: nothing to score it against, and what to do about it."""

    slug = "targets-missing"

    def __init__(self, year: int, latest: int | None) -> None:
        start = (
            f" The targets of {latest} can serve as a start: read them with"
            f" GET /api/v1/evaluation/targets/{latest}."
            if latest is not None
            else ""
        )
        super().__init__(
            f"No targets have been set for {year}, so it cannot be scored. An administrator"
            f" sets them with PUT /api/v1/evaluation/targets/{year} (in the console: 考核评价)."
            + start,
            extra={"year": year, "latest_year_with_targets": latest},
        )


async def in_force(session: AsyncSession, year: int) -> YearTargets:
    """The targets in force for a year; `TargetsMissing` (404) when it has none."""
    version = await repository.current(session, year)
    if version is None:
        raise TargetsMissing(year, await repository.latest_year(session))
    (view,) = _views([version], await repository.values(session, [version.id or 0]))
    return view


async def history(session: AsyncSession, year: int) -> TargetHistory:
    """Every version of a year's targets, or 404 when none was ever set."""
    versions = await repository.versions(session, year)
    if not versions:
        raise NotFound(f"No targets have been set for {year}.")
    values = await repository.values(session, [v.id or 0 for v in versions])
    return TargetHistory(year=year, versions=_views(versions, values))


async def replace(
    session: AsyncSession, principal: Principal, year: int, data: TargetsUpdate
) -> YearTargets:
    """Set a year's targets; the version they replace is kept in the history."""
    previous = await repository.versions(session, year)
    version = TargetVersion(
        year=year,
        version=(previous[-1].version + 1) if previous else 1,
        reason=data.reason or "",
        created_by=principal.name,
    )
    rows = [
        Target(
            version_id=0,
            district_id=t.district_id,
            indicator=indicator,
            value=getattr(t, indicator),
        )
        for t in data.targets
        for indicator in TARGET_INDICATORS
    ]
    await repository.add_version(session, version, rows)
    return await in_force(session, year)


async def import_csv(
    session: AsyncSession,
    principal: Principal,
    year: int,
    content: bytes,
    *,
    dry_run: bool,
    reason: str | None,
) -> ImportReport:
    """Check every row before storing anything; a dry run only reports."""
    parsed, problems = files.parse(content)
    if problems and not dry_run:
        raise ValidationFailed(
            f"The file has {len(problems)} problem(s); nothing was stored.", errors=problems
        )
    report = ImportReport(
        year=year,
        dry_run=dry_run,
        valid=not problems,
        problems=problems,
        targets=parsed,
        version=None,
    )
    if not dry_run:
        stored = await replace(
            session, principal, year, TargetsUpdate(targets=parsed, reason=reason or "CSV导入")
        )
        report.version = stored.version
    return report


async def seed_2023(session: AsyncSession) -> None:
    """Annex 1's 2023 targets as version 1, unless 2023 already has targets (runs at start)."""
    if await repository.versions(session, 2023):
        return
    annex = targets_2023()
    data = TargetsUpdate(
        targets=[DistrictTargets(district_id=d, **annex[d]) for d in district_ids()],
        reason=SEED_REASON,
    )
    seeder = Principal(key_id="seed", role="admin", label="参考数据")  # type: ignore[arg-type]
    await replace(session, seeder, 2023, data)
