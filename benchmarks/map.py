"""Map benchmark: 一张图 with a city's worth of buildings, in headless Chromium on loopback.

    python -m benchmarks.map [--buildings 34700] [--runs 3]

`sbe run` on PostgreSQL serves the built console. The registry is given `--buildings` located
buildings (placed inside their districts as the demonstration city places them, a year's figures
each, about one in forty over 1亿) straight into its tables: what is measured is the page, not
the registration. A supervision officer (who sees every district) opens the map with an empty
browser cache, `--runs` times. Printed: the time until the map is complete (every building's
point drawn; goal 1.5 s at 34,700 buildings), beside the cockpit's map panel (the districts
alone) in the same run as the baseline, and what the buildings' GeoJSON weighs.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import asyncpg
import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.console import person, signed_in  # noqa: E402
from demo import placing  # noqa: E402
from demo.city import Building  # noqa: E402
from policy import district_ids  # noqa: E402
from tests.console.conftest import BUILT, CHROMIUM  # noqa: E402
from tests.live import LiveStack, launch  # noqa: E402
from tests.support import pg_dsn, pg_url, scratch_database  # noqa: E402

YEAR = date.today().year


async def seed(database: str, boundaries: dict[str, Any], count: int) -> None:
    """`count` located buildings with this year's figures, straight into the registry."""
    areas = placing.areas_of(boundaries)
    rng = random.Random(34_700)
    now = datetime.now(UTC)
    buildings, years = [], []
    for n in range(count):
        district = district_ids()[n % len(district_ids())]
        building_id = f"bench-{n:06d}"
        where = placing.place(
            Building(building_id, district, "", "", 0.0, "operating", (), {}, 0.0), areas, 7
        )
        buildings.append(
            (
                building_id,
                f"楼宇{n}",
                district,
                f"地址{n}",
                20_000.0,
                "operating",
                where["lng"],
                where["lat"],
                now,
                now,
            )
        )
        tax = int(rng.lognormvariate(16.5, 1.3)) * 100  # fen; about one in forty over 1亿
        years.append((building_id, YEAR, tax, f"{YEAR}-06", 20_000.0, rng.uniform(9_000, 20_000)))
    connection = await asyncpg.connect(
        pg_dsn(database), server_settings={"search_path": "registry"}
    )
    try:
        await connection.copy_records_to_table(
            "building",
            records=buildings,
            columns=[
                "id",
                "name",
                "district_id",
                "address",
                "gross_floor_area_m2",
                "status",
                "location_lng",
                "location_lat",
                "created_at",
                "updated_at",
            ],
        )
        await connection.copy_records_to_table(
            "building_year",
            records=years,
            columns=[
                "building_id",
                "year",
                "tax_cents",
                "occupancy_period",
                "leasable_area_m2",
                "occupied_area_m2",
            ],
        )
        await connection.execute("ANALYZE building; ANALYZE building_year")
    finally:
        await connection.close()


async def measure(base: str, username: str, runs: int) -> dict[str, list[float]]:
    from playwright.async_api import async_playwright

    figures: dict[str, list[float]] = {"map_s": [], "cockpit_map_s": []}
    async with async_playwright() as playwright:
        for _ in range(runs):
            for path, label, key in (
                ("/", "各地区分布", "cockpit_map_s"),
                ("/map", f"{YEAR}年一张图", "map_s"),
            ):
                profile = tempfile.mkdtemp(prefix="sbe-bench-map-")
                context = await signed_in(
                    playwright, profile, base, username, **{"sbe.year": str(YEAR)}
                )
                page = await context.new_page()
                started = time.perf_counter()
                await page.goto(base + path)
                await page.locator(
                    f"[role='img'][aria-label='{label}'][data-rendered='true']"
                ).wait_for(timeout=120_000)
                figures[key].append(time.perf_counter() - started)
                await context.close()
                shutil.rmtree(profile, ignore_errors=True)
    return figures


def run_against(database: str, count: int, runs: int) -> tuple[dict[str, list[float]], int, int]:
    work = Path(tempfile.mkdtemp(prefix="sbe-bench-map-"))
    stack: LiveStack = launch(
        work / "data",
        work / "stack.log",
        {"SBE_DATABASE_URL": pg_url(database), "SBE_LOGIN_ATTEMPTS_PER_MINUTE": "1000"},
    )
    try:
        admin = {"Authorization": f"Bearer {stack.admin_key}"}
        boundaries = httpx.get(stack.gateway_url + "/api/v1/map/districts", headers=admin).json()
        asyncio.run(seed(database, boundaries, count))
        person(stack, "bench", "supervision")
        geojson = httpx.get(
            stack.gateway_url + "/api/v1/map/buildings",
            params={"year": YEAR},
            headers=admin,
            timeout=120,
        )
        assert len(geojson.json()["features"]) == count
        figures = asyncio.run(measure(stack.gateway_url, "bench", runs))
        return figures, len(geojson.content), len(gzip.compress(geojson.content))
    finally:
        stack.stop()
        shutil.rmtree(work, ignore_errors=True)


async def in_scratch_database(count: int, runs: int) -> tuple[dict[str, list[float]], int, int]:
    async with scratch_database("sbe_bench_map") as database:
        return await asyncio.to_thread(run_against, database, count, runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--buildings", type=int, default=34_700)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    if not (Path(CHROMIUM).exists() and BUILT.exists()):
        raise SystemExit("needs Chromium (make tools) and the built console (make console)")
    figures, raw, zipped = asyncio.run(in_scratch_database(options.buildings, options.runs))
    whole = statistics.median(figures["map_s"])
    baseline = statistics.median(figures["cockpit_map_s"])
    print(
        f"\n一张图 with {options.buildings:,} buildings, {options.runs} runs, empty cache, loopback"
    )
    print(f"  buildings' GeoJSON: {raw / 1e6:.1f} MB, {zipped / 1e6:.1f} MB gzip")
    print(f"  cockpit's map (districts only, baseline): median {baseline:.2f} s")
    print(
        f"  map page complete: median {whole:.2f} s, worst {max(figures['map_s']):.2f} s "
        f"(goal <= 1.5 s); {whole / baseline:.2f}x the baseline"
    )


if __name__ == "__main__":
    main()
