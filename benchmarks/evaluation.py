"""Evaluation benchmark: a year's district scores over 100,000 buildings and 10 million tax
records, from the figures the platform maintains, against recomputing them from the raw records,
both in the same run on the same data.

    python -m benchmarks.evaluation [--buildings 100000] [--records 10000000] [--repeat 5]

- maintained: the evaluation service's own path (the district sums it keeps between scorings,
  the few records behind the other indicators, the default scheme's formula);
- after a change: the same path when the copies have just changed, so the sums over the building-
  year copies are taken afresh (what the first scoring after a feed batch pays);
- raw: the same scores, but the buildings' yearly tax summed from the 10 million tax records first.

Prints the median time of each, the ratios, and checks that all give the same scores.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

import asyncpg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.generated import generated_year, year_options  # noqa: E402
from policy import LINE_100M_CENTS, district_ids  # noqa: E402
from services.evaluation.inputs.service import copies_changed  # noqa: E402
from services.evaluation.scoring import formula  # noqa: E402
from services.evaluation.scoring import service as scoring  # noqa: E402
from services.evaluation.scoring.repository import DistrictFigures  # noqa: E402
from services.evaluation.scoring.service import district_inputs  # noqa: E402
from services.evaluation.targets.service import seed_2023  # noqa: E402
from shared import Database  # noqa: E402

LINE = LINE_100M_CENTS


async def generate(conn: asyncpg.Connection, buildings: int, records: int) -> None:
    """Buildings, their yearly figures (as monitoring would publish them) and the raw records
    those figures summarise, consistent with each other."""
    districts = list(district_ids())
    await conn.copy_records_to_table(
        "building",
        schema_name="evaluation",
        records=[
            (
                f"b{n:06d}",
                f"楼宇{n}",
                districts[n % 10],
                float(20_000 + n % 50_000),
                datetime(2024, 1, 1, tzinfo=UTC),
            )
            for n in range(buildings)
        ],
        columns=["id", "name", "district_id", "gross_floor_area_m2", "registry_updated_at"],
    )
    # Raw records: `records` tax records spread over 2022–2023, a few buildings far above 1亿.
    await conn.execute("CREATE SCHEMA raw")
    await conn.execute(
        "CREATE UNLOGGED TABLE raw.tax_record (record_id text, building_id text, period text, amount_cents bigint)"
    )
    await conn.execute(
        f"""
        INSERT INTO raw.tax_record
        SELECT 'r' || g,
               'b' || lpad((g % {buildings})::text, 6, '0'),
               (2022 + (g / {buildings}) % 2)::text || '-' || lpad(((g / {buildings * 2}) % 12 + 1)::text, 2, '0'),
               CASE WHEN g % {buildings} < 300 THEN 200000000 ELSE (g % 997) * 1000 END
        FROM generate_series(0, {records - 1}) AS g
        """
    )
    # The maintained figures are what monitoring's rollups hold for the same records.
    await conn.execute(
        """
        INSERT INTO evaluation.building_year (building_id, year, tax_cents, occupancy_period,
                                              leasable_area_m2, occupied_area_m2, months)
        SELECT building_id, left(period, 4)::int, sum(amount_cents), left(period, 4) || '-12',
               10000, 8000, '[]'
        FROM raw.tax_record GROUP BY building_id, left(period, 4)
        """
    )
    await conn.execute(
        """
        INSERT INTO evaluation.designation (building_id, industry, designated_on)
        SELECT id, 'finance', DATE '2023-06-01' FROM evaluation.building WHERE right(id, 3) = '007'
        """
    )
    await conn.execute("ANALYZE")


async def raw_figures(conn: asyncpg.Connection, year: int) -> dict[str, DistrictFigures]:
    """The district figures, with each building's yearly tax summed from the raw records."""
    rows = await conn.fetch(
        """
        WITH yearly AS (
            SELECT building_id, left(period, 4)::int AS year, sum(amount_cents) AS tax
            FROM raw.tax_record
            WHERE period >= $1 AND period <= $2
            GROUP BY building_id, left(period, 4)
        )
        SELECT b.district_id,
               count(*) FILTER (WHERE cur.tax > $3) AS cumulative,
               count(*) FILTER (WHERE cur.tax > $3 AND (prev.tax IS NULL OR prev.tax <= $3)) AS fresh,
               coalesce(sum(cur.tax), 0) AS tax_now,
               coalesce(sum(prev.tax), 0) AS tax_before
        FROM evaluation.building b
        LEFT JOIN yearly cur ON cur.building_id = b.id AND cur.year = $4
        LEFT JOIN yearly prev ON prev.building_id = b.id AND prev.year = $4 - 1
        GROUP BY b.district_id
        """,
        f"{year - 1}-01",
        f"{year}-12",
        LINE,
        year,
    )
    extra = await conn.fetch(
        """
        SELECT b.district_id, count(*) AS buildings, sum(b.gross_floor_area_m2) AS area,
               (SELECT count(*) FROM evaluation.designation d JOIN evaluation.building x ON x.id = d.building_id
                WHERE x.district_id = b.district_id AND d.designated_on BETWEEN $1 AND $2) AS featured,
               sum(y.occupied_area_m2) AS occupied, sum(y.leasable_area_m2) AS leasable
        FROM evaluation.building b
        LEFT JOIN evaluation.building_year y ON y.building_id = b.id AND y.year = $3
        GROUP BY b.district_id
        """,
        date(year, 1, 1),
        date(year, 12, 31),
        year,
    )
    figures = {}
    for row in extra:
        figures[row["district_id"]] = DistrictFigures(
            buildings=row["buildings"],
            gross_floor_area_m2=float(row["area"]),
            operating_floor_area_m2=float(row["area"]),  # every generated building operates
            new_featured=row["featured"],
            new_featured_buildings=row["featured"],  # one designation per building
            occupied_m2=float(row["occupied"] or 0),
            leasable_m2=float(row["leasable"] or 0),
        )
    for row in rows:
        f = figures[row["district_id"]]
        f.cumulative_100m, f.new_100m = row["cumulative"], row["fresh"]
        f.tax_cents = {year: int(row["tax_now"]), year - 1: int(row["tax_before"])}
    return figures


async def main() -> None:
    options = year_options(__doc__.splitlines()[0], repeat=5)
    async with generated_year("evaluation", options, generate) as (database, conn):
        await measure(options, database, conn)


async def measure(args: argparse.Namespace, database: Database, conn: asyncpg.Connection) -> None:
    """Both ways of scoring on the same generated year, and their ratio."""
    async with database.unit_of_work() as session:
        await seed_2023(session)
    year = 2023

    async def score() -> tuple[list[formula.DistrictScore], list[formula.DistrictInputs], float]:
        started = time.perf_counter()
        async with database.reading() as session:
            _, inputs = await scoring.gather(session, year, formula.DEFAULT)
        return formula.score(formula.DEFAULT, inputs), inputs, time.perf_counter() - started

    maintained_times, changed_times, raw_times = [], [], []
    for _ in range(args.repeat):
        async with database.unit_of_work() as session:
            await copies_changed(session)
        changed, _, elapsed = await score()
        changed_times.append(elapsed)
        maintained, inputs, elapsed = await score()
        maintained_times.append(elapsed)
        started = time.perf_counter()
        targets = dict(zip(district_ids(), [i.targets for i in inputs], strict=True))
        raw = formula.score(
            formula.DEFAULT,
            district_inputs(year, await raw_figures(conn, year), targets, formula.DEFAULT),
        )
        raw_times.append(time.perf_counter() - started)
    totals = [{(s.district_id, s.total) for s in scores} for scores in (maintained, changed, raw)]
    same = totals[0] == totals[1] == totals[2]
    m, c, r = (statistics.median(t) for t in (maintained_times, changed_times, raw_times))
    print(f"scores from maintained figures : {m * 1000:8.1f} ms (median of {args.repeat})")
    print(f"  … the first after a change   : {c * 1000:8.1f} ms (median of {args.repeat})")
    print(f"scores recomputed from raw     : {r * 1000:8.1f} ms (median of {args.repeat})")
    print(f"ratio raw / maintained         : {r / m:8.1f}×   (same scores: {same})")
    print(f"ratio raw / first after change : {r / c:8.1f}×")


if __name__ == "__main__":
    asyncio.run(main())
