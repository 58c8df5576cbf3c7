"""A year's district figures (sums over every building, counts of movements and events) are
kept between scorings and taken again once the copies beneath them change: kept figures are
reused as they stand (proved by altering them in place), and any change the consumer applies
makes the next scoring take them afresh; the keeper takes stale figures itself once the copies
are quiet, before anyone scores."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

import asyncpg
import orjson

from policy import BuildingMessage, BuildingYearMessage, MovementMessage
from services.evaluation.inputs import service as inputs
from services.evaluation.scoring import repository
from services.evaluation.scoring.keeper import FiguresKeeper
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


def move_in(building_id: str) -> MovementMessage:
    return MovementMessage(
        record_id=f"in-{building_id}",
        uscc="91320500MA1XXXXX0X",
        enterprise_name="苏州测试科技有限公司",
        building_id=building_id,
        district_id="huqiu",
        kind="move_in",
        date=date(2023, 3, 1),
    )


async def apply(
    services: Services,
    buildings: list[BuildingMessage] = [],  # noqa: B006 - never mutated
    years: list[BuildingYearMessage] = [],  # noqa: B006
    movements: list[MovementMessage] = [],  # noqa: B006
) -> None:
    """What the consumer does with one polled batch."""
    async with services.apps["evaluation"].state.database.unit_of_work() as session:
        await inputs.apply_batch(session, buildings, list(movements), [], years)


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
    sums["huqiu"]["buildings"] = 99
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

    # A movement counts in the figures kept (the net move-in): taken afresh after one arrives.
    await apply(services, movements=[move_in("sum-h1")])
    assert (await huqiu(services)).net_move_in == 1


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


async def test_the_keeper_takes_stale_sums_once_the_copies_are_quiet(
    services: Services, clean_database: None, pg_pool: asyncpg.Pool
) -> None:
    keeper = FiguresKeeper(services.apps["evaluation"].state.database)
    await apply(services, [building("keep-h1")])
    assert (await huqiu(services)).tax_cents == {}  # 2023's sums kept from here on
    assert await keeper.refresh_once() == []  # its first round notes the copies' generation
    assert await keeper.refresh_once() == []  # quiet, and nothing stale

    await apply(services, years=[year("keep-h1", "150000000.00")])
    assert await keeper.refresh_once() == []  # the copies just changed: not quiet yet
    await apply(services, years=[year("keep-h1", "160000000.00")])
    assert await keeper.refresh_once() == []  # changed again since the last round
    assert await keeper.refresh_once() == [2023]  # quiet for a round: taken

    kept = await pg_pool.fetchrow("SELECT generation, sums FROM evaluation.district_sums")
    assert kept is not None
    generation = await pg_pool.fetchval("SELECT generation FROM evaluation.copies_generation")
    assert kept["generation"] == generation
    assert orjson.loads(kept["sums"])["huqiu"]["tax_cents"] == {"2023": 16_000_000_000}
    assert await keeper.refresh_once() == []
