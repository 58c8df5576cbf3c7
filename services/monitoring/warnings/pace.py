"""落后于时序进度: a district whose share of the year's targets, by month M, is well below M/12.

The targets and what counts toward them are the evaluation's (only verified inputs count); this
module reads its score board over HTTP, as a platform service, and raises one warning per
district and month. The rule itself (`behind_pace`) is pure and tested on its own."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx
from sqlmodel.ext.asyncio.session import AsyncSession

from policy import TARGET_INDICATOR_NAMES_ZH, districts
from services.monitoring.warnings import repository
from services.monitoring.warnings.rules import RulesStore
from services.monitoring.warnings.schemas import WarningKind
from shared import SHANGHAI, Database, ServiceUnavailable, utcnow

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Pace:
    """Where a district stands against its year's targets by a month."""

    district_id: str
    share: float  # mean over its targets of min(actual / target, 1)
    expected: float  # M / 12
    lagging: tuple[tuple[str, float, int], ...]  # (indicator, actual, target) below M/12


def behind_pace(board: list[dict[str, Any]], month: int, pace_share: float) -> list[Pace]:
    """The districts of a score board whose share of their targets is below pace_share × M/12.
    Indicators without a target (or a target of 0) do not enter the share."""
    expected = month / 12
    found = []
    for district in board:
        targets = [
            (i["key"], float(i["actual"] or 0), int(i["target"]))
            for i in district["indicators"]
            if i.get("target")
        ]
        if not targets:
            continue
        share = sum(min(actual / target, 1.0) for _, actual, target in targets) / len(targets)
        if share < pace_share * expected:
            found.append(
                Pace(
                    district_id=district["district_id"],
                    share=share,
                    expected=expected,
                    lagging=tuple(t for t in targets if t[1] / t[2] < expected),
                )
            )
    return found


def message(pace: Pace, year: int, month: int, pace_share: float) -> str:
    names = {d.district_id: d.name_zh for d in districts()}
    lagging = "、".join(
        f"{TARGET_INDICATOR_NAMES_ZH.get(key, key)}{actual:g}/{target}"
        for key, actual, target in pace.lagging
    )
    return (
        f"截至{year}年{month}月，{names.get(pace.district_id, pace.district_id)}年度目标完成进度"
        f"{pace.share:.0%}，低于时序进度{pace.expected:.0%}的{pace_share:.0%}（{lagging}）"
    )


class ScoreBoards:
    """Reads the evaluation's score board (role `service`: every district)."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def districts(self, year: int) -> list[dict[str, Any]]:
        try:
            response = await self.http.get("/api/v1/evaluation/scores", params={"year": year})
        except httpx.HTTPError as exc:
            raise ServiceUnavailable(f"The evaluation could not be reached: {exc}") from exc
        if response.status_code == 404:
            return []  # the year has no targets
        if response.status_code != 200:
            raise ServiceUnavailable(f"The evaluation answered {response.status_code}.")
        board: list[dict[str, Any]] = response.json()["districts"]
        return board


async def check_pace(
    session: AsyncSession, boards: ScoreBoards, rules: RulesStore, year: int, month: int
) -> int:
    """Raise a warning for each district behind pace by the month; returns how many are."""
    pace_share = (await rules.rules(session)).pace_share
    behind = behind_pace(await boards.districts(year), month, pace_share)
    now = utcnow()
    await repository.raise_once(
        session,
        [
            {
                "district_id": pace.district_id,
                "building_id": "",
                "kind": WarningKind.behind_pace.value,
                "reference": f"{year}-{month:02d}/{pace.district_id}",
                "message": message(pace, year, month, pace_share),
                "created_at": now,
            }
            for pace in behind
        ],
    )
    return len(behind)


def _this_month(now: datetime) -> tuple[int, int]:
    local = now.astimezone(SHANGHAI)
    return local.year, local.month


async def watch_pace(
    database: Database, boards: ScoreBoards, rules: RulesStore, interval: float
) -> None:
    """Check the current month's pace every `interval` seconds, until cancelled."""
    while True:
        await asyncio.sleep(interval)
        try:
            year, month = _this_month(utcnow())
            async with database.unit_of_work() as session:
                await check_pace(session, boards, rules, year, month)
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.warning("the pace check failed; trying again later", exc_info=True)
