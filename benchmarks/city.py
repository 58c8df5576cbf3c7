"""City summary benchmark: all ten districts and the city's totals for a year
(`GET /api/v1/monitoring/city/summary`) over 100,000 buildings and 10 million tax records, from
the figures monitoring maintains, against computing the same answer from the raw records, both
in the same run on the same data.

    python -m benchmarks.city [--buildings 100000] [--records 10000000] [--repeat 7]

- maintained: the monitoring service's own function (`figures.service.city_summary`), which
  reads the building-year rollups the ingest and the figures worker keep;
- raw: the same figures summed from the stored tax and occupancy records.

Prints the median of each, their ratio, and checks that both give the same answer. The goal is
under 200 ms for the maintained path.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

import asyncpg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.generated import generated_year, year_options  # noqa: E402
from policy import LINE_100M_CENTS, TIER_LINES_CENTS, district_ids  # noqa: E402
from services.monitoring.figures import service  # noqa: E402
from shared import Database  # noqa: E402
from tests.support import ADMIN  # noqa: E402

YEAR = 2023


async def generate(conn: asyncpg.Connection, buildings: int, records: int) -> None:
    """Buildings, `records` raw tax records over 2022–2023 and one occupancy record per building
    and month, then the rollups exactly as the ingest and the figures worker maintain them."""
    districts = list(district_ids())
    await conn.execute(
        f"""
        INSERT INTO monitoring.building (id, name, district_id, gross_floor_area_m2, status,
                                         registry_updated_at)
        SELECT 'b' || lpad(g::text, 6, '0'), '楼宇' || g,
               (ARRAY{districts!r})[g % 10 + 1], 20000 + g % 50000, 'operating', now()
        FROM generate_series(0, {buildings - 1}) AS g
        """
    )
    # A few hundred buildings far above 1亿, some above 5亿 and 10亿; the rest small.
    await conn.execute(
        f"""
        INSERT INTO monitoring.tax_record (record_id, building_id, period, amount_cents,
                                           reported_at)
        SELECT 'r' || g,
               'b' || lpad((g % {buildings})::text, 6, '0'),
               (2022 + (g / {buildings}) % 2)::text || '-'
                   || lpad(((g / {buildings * 2}) % 12 + 1)::text, 2, '0'),
               CASE WHEN g % {buildings} < 30 THEN 5000000000
                    WHEN g % {buildings} < 300 THEN 1000000000
                    ELSE (g % 997) * 1000 END,
               now()
        FROM generate_series(0, {records - 1}) AS g
        """
    )
    await conn.execute(
        f"""
        INSERT INTO monitoring.occupancy_record (record_id, building_id, period, leasable_area_m2,
                                                 occupied_area_m2, enterprise_count, reported_at)
        SELECT 'o' || b || '-' || p, 'b' || lpad(b::text, 6, '0'),
               (2022 + p / 12)::text || '-' || lpad((p % 12 + 1)::text, 2, '0'),
               10000, 5000 + (b * 7 + p * 13) % 5000, 10 + b % 40, now()
        FROM generate_series(0, {buildings - 1}) AS b, generate_series(0, 23) AS p
        WHERE (b + p) % 5 <> 0  -- not every building reports every month
        """
    )
    # The rollups: what the ingest keeps as records arrive.
    await conn.execute(
        """
        INSERT INTO monitoring.building_month (building_id, period, tax_cents, tax_records)
        SELECT building_id, period, sum(amount_cents), count(*)
        FROM monitoring.tax_record GROUP BY building_id, period
        """
    )
    await conn.execute(
        """
        INSERT INTO monitoring.building_month AS m (building_id, period, leasable_area_m2,
                                                   occupied_area_m2, enterprise_count,
                                                   occupancy_reported_at)
        SELECT building_id, period, leasable_area_m2, occupied_area_m2, enterprise_count,
               reported_at
        FROM monitoring.occupancy_record
        ON CONFLICT (building_id, period) DO UPDATE
        SET leasable_area_m2 = excluded.leasable_area_m2,
            occupied_area_m2 = excluded.occupied_area_m2,
            enterprise_count = excluded.enterprise_count,
            occupancy_reported_at = excluded.occupancy_reported_at
        """
    )
    await conn.execute(
        """
        INSERT INTO monitoring.building_year (building_id, year, tax_cents)
        SELECT building_id, left(period, 4)::int, sum(tax_cents)
        FROM monitoring.building_month GROUP BY building_id, left(period, 4)
        """
    )
    await conn.execute(
        """
        UPDATE monitoring.building_year y
        SET occupancy_period = m.period, leasable_area_m2 = m.leasable_area_m2,
            occupied_area_m2 = m.occupied_area_m2
        FROM (SELECT DISTINCT ON (building_id, left(period, 4)) building_id, period,
                     leasable_area_m2, occupied_area_m2
              FROM monitoring.building_month WHERE leasable_area_m2 IS NOT NULL
              ORDER BY building_id, left(period, 4), period DESC) m
        WHERE m.building_id = y.building_id AND left(m.period, 4)::int = y.year
        """
    )
    await conn.execute("ANALYZE")


async def from_raw(
    conn: asyncpg.Connection, year: int
) -> dict[str, tuple[int, int, float | None, tuple[int, ...]]]:
    """district → (tax, previous year's tax, occupancy, counts over the tiers), from records."""
    lines = ", ".join(f"count(*) FILTER (WHERE y.tax > {n})" for n in TIER_LINES_CENTS.values())
    rows = await conn.fetch(
        f"""
        WITH yearly AS (
            SELECT building_id, left(period, 4)::int AS year, sum(amount_cents) AS tax
            FROM monitoring.tax_record WHERE period >= $1 AND period <= $2
            GROUP BY building_id, left(period, 4)
        ), latest AS (
            SELECT DISTINCT ON (building_id) building_id, leasable_area_m2, occupied_area_m2
            FROM monitoring.occupancy_record WHERE period LIKE $3
            ORDER BY building_id, period DESC, reported_at DESC
        ), occupancy AS (
            SELECT b.district_id, sum(l.occupied_area_m2) AS occupied,
                   sum(l.leasable_area_m2) AS leasable
            FROM latest l JOIN monitoring.building b ON b.id = l.building_id
            GROUP BY b.district_id
        )
        SELECT b.district_id, y.year, sum(y.tax) AS tax, {lines},
               min(o.occupied) AS occupied, min(o.leasable) AS leasable
        FROM yearly y JOIN monitoring.building b ON b.id = y.building_id
        LEFT JOIN occupancy o ON o.district_id = b.district_id
        GROUP BY b.district_id, y.year
        """,
        f"{year - 1}-01",
        f"{year}-12",
        f"{year}-%",
    )
    result: dict[str, tuple[int, int, float | None, tuple[int, ...]]] = {}
    for row in (r for r in rows if r["year"] == year):
        previous = next(
            (
                r["tax"]
                for r in rows
                if r["year"] == year - 1 and r["district_id"] == row["district_id"]
            ),
            0,
        )
        rate = row["occupied"] / row["leasable"] if row["leasable"] else None
        result[row["district_id"]] = (int(row["tax"]), int(previous), rate, tuple(row[3:6]))
    return result


async def main() -> None:
    options = year_options(__doc__.splitlines()[0], repeat=7)
    async with generated_year("monitoring", options, generate) as (database, conn):
        await measure(options, database, conn)


async def measure(args: argparse.Namespace, database: Database, conn: asyncpg.Connection) -> None:
    occupancy = await conn.fetchval("SELECT count(*) FROM monitoring.occupancy_record")
    print(f"… and {occupancy:,} occupancy records")
    maintained_times, raw_times = [], []
    summary = raw = None
    for _ in range(args.repeat):
        started = time.perf_counter()
        async with database.unit_of_work() as session:
            summary = await service.city_summary(session, ADMIN, YEAR)
        maintained_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        raw = await from_raw(conn, YEAR)
        raw_times.append(time.perf_counter() - started)
    assert summary is not None and raw is not None
    same = all(
        (
            round(float(line.tax_total_cny) * 100),
            round(float(line.tax_total_prev_cny) * 100),
            tuple(line.buildings_over_counts.model_dump().values()),
        )
        == (raw[line.district_id][0], raw[line.district_id][1], raw[line.district_id][3])
        and abs((line.occupancy_rate or 0) - (raw[line.district_id][2] or 0)) < 1e-9
        for line in summary.districts
    )
    m, r = statistics.median(maintained_times), statistics.median(raw_times)
    print(f"city summary from maintained figures : {m * 1000:8.1f} ms (median of {args.repeat})")
    print(f"the same from raw records            : {r * 1000:8.1f} ms (median of {args.repeat})")
    print(f"ratio raw / maintained               : {r / m:8.1f}×  (same answer: {same})")
    print(f"goal: under 200 ms from maintained figures: {'met' if m < 0.2 else 'NOT met'}")
    print(f"city: {summary.city.model_dump(by_alias=True)}; line {LINE_100M_CENTS // 100:,} CNY")


if __name__ == "__main__":
    asyncio.run(main())
