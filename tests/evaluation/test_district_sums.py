"""The sums a year's district figures take over every building are kept between scorings and
taken again once the copies beneath them change: a kept sum is reused as it stands (proved by
altering it in place), and any change the consumer applies makes the next scoring take the sums
afresh."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import asyncpg
import orjson

from services.evaluation.inputs import service as inputs
from services.evaluation.scoring import repository
from shared import BuildingMessage, BuildingYearMessage
from tests.conftest import Services

NOW = datetime(2024, 1, 5, tzinfo=UTC)


def building(building_id: str, *, area: float = 10_000.0) -> BuildingMessage:
    return BuildingMessage(
        id=building_id,
        name=building_id,
        district_id="huqiu",
        gross_floor_area_m2=area,
        updated_at=NOW,
    )


def year(building_id: str, tax: str) -> BuildingYearMessage:
    return BuildingYearMessage(
        building_id=building_id, year=2023, tax_total_cny=tax, latest_occupancy=None
    )


async def apply(
    services: Services,
    buildings: list[BuildingMessage] = [],  # noqa: B006 - never mutated
    years: list[BuildingYearMessage] = [],  # noqa: B006
) -> None:
    """What the consumer does with one polled batch."""
    async with services.apps["evaluation"].state.database.unit_of_work() as session:
        changed = await inputs.apply_buildings(session, buildings)
        await inputs.apply_building_years(session, years)
        if changed or years:
            await inputs.copies_changed(session)


async def huqiu(services: Services) -> repository.DistrictFigures:
    async with services.apps["evaluation"].state.database.reading() as session:
        return (await repository.district_figures(session, 2023))["huqiu"]


async def test_kept_sums_are_reused_until_the_copies_change(
    services: Services, clean_database: None, pg_pool: asyncpg.Pool
) -> None:
    await apply(services, [building("sum-h1"), building("sum-h2", area=5_000.0)])
    first = await huqiu(services)
    assert (first.buildings, first.gross_floor_area_m2, first.tax_cents) == (2, 15_000.0, {})

    kept = await pg_pool.fetchrow("SELECT generation, sums FROM evaluation.district_sums")
    assert kept is not None
    generation = await pg_pool.fetchval("SELECT generation FROM evaluation.copies_generation")
    assert kept["generation"] == generation
    # Alter the kept sums: an unchanged generation reads them as they stand.
    sums = orjson.loads(kept["sums"])
    sums["huqiu"]["buildings"][0] = 99
    await pg_pool.execute(
        "UPDATE evaluation.district_sums SET sums = $1", orjson.dumps(sums).decode()
    )
    assert (await huqiu(services)).buildings == 99

    # A building-year through the consumer's path: the next scoring takes the sums afresh.
    await apply(services, years=[year("sum-h1", "150000000.00")])
    after = await huqiu(services)
    assert after.buildings == 2
    assert after.tax_cents == {2023: 15_000_000_000}
    assert (after.cumulative_100m, after.new_100m) == (1, 1)

    # A building's new snapshot (larger, later) counts too.
    later = building("sum-h2", area=8_000.0).model_copy(update={"updated_at": datetime.now(UTC)})
    await apply(services, [later])
    assert (await huqiu(services)).gross_floor_area_m2 == 18_000.0


async def test_sums_taken_while_copies_arrive_are_whole(
    services: Services, clean_database: None
) -> None:
    """The consumer stores copies while a scoring takes its sums: each district's sums come from
    one snapshot, whatever lands during the taking (sums taken in two statements once met a
    district whose buildings arrived between them, and failed the scoring)."""
    districts = ["gusu", "wuzhong", "xiangcheng", "kunshan", "changshu", "taicang"]
    stored = asyncio.Event()

    async def arrive() -> None:
        for index in range(60):
            district = districts[index % len(districts)]
            message = building(f"arr-{index}").model_copy(update={"district_id": district})
            await apply(services, [message], [year(f"arr-{index}", "120000000.00")])
            await asyncio.sleep(0)
        stored.set()

    arriving = asyncio.create_task(arrive())
    taken = 0
    while not stored.is_set():
        async with services.apps["evaluation"].state.database.reading() as session:
            figures = await repository.district_figures(session, 2023)
        for district, f in figures.items():
            assert f.cumulative_100m == f.buildings, district  # each building is over the line
        taken += 1
    await arriving
    assert taken > 1
