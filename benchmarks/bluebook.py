"""Blue book benchmark: a publication's PDF, the first download against the ones after it.

    python -m benchmarks.bluebook [--downloads 20]

`sbe run` on PostgreSQL; the administrator publishes 2023 and downloads its blue book as a PDF:
once (rendered by Chromium and kept), then `--downloads` times more (served from storage), and
once more with the ETag it holds (304). Printed: each time's median and p95, and the ratio of
the first to a later download in the same run; the goal is a later download under 100 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.live import launch  # noqa: E402
from tests.support import pg_url, scratch_database  # noqa: E402

BOOK = "/api/v1/evaluation/bluebook/2023"
PDF = {"format": "pdf", "edition": "full"}


def timed(client: httpx.Client, **headers: str) -> tuple[float, httpx.Response]:
    started = time.perf_counter()
    response = client.get(BOOK, params=PDF, headers=headers)
    return time.perf_counter() - started, response


def measure(gateway: str, admin_key: str, downloads: int) -> dict[str, list[float]]:
    with httpx.Client(
        base_url=gateway, headers={"Authorization": f"Bearer {admin_key}"}, timeout=120
    ) as client:
        published = client.post("/api/v1/evaluation/publications", json={"year": 2023})
        assert published.status_code == 201, published.text
        first, response = timed(client)
        assert response.status_code == 200, response.text
        etag = response.headers["etag"]
        later = []
        for _ in range(downloads):
            seconds, again = timed(client)
            assert again.status_code == 200 and again.headers["etag"] == etag
            later.append(seconds)
        held = []
        for _ in range(downloads):
            seconds, unchanged = timed(client, **{"If-None-Match": etag})
            assert unchanged.status_code == 304
            held.append(seconds)
    return {"first": [first], "later": later, "held": held}


async def in_scratch_database(downloads: int) -> dict[str, list[float]]:
    async with scratch_database("sbe_bench_bluebook") as database:
        base = Path(tempfile.mkdtemp(prefix="sbe-bench-bluebook-"))
        stack = launch(base / "data", base / "stack.log", {"SBE_DATABASE_URL": pg_url(database)})
        try:
            return await asyncio.to_thread(measure, stack.gateway_url, stack.admin_key, downloads)
        finally:
            stack.stop()


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--downloads", type=int, default=20)
    options = parser.parse_args()
    figures = asyncio.run(in_scratch_database(options.downloads))
    first = figures["first"][0]
    later = statistics.median(figures["later"])
    print(f"first download (rendered by Chromium, kept): {first * 1000:8.1f} ms")
    for name, label in (
        ("later", "a later download (from storage)"),
        ("held", "with its ETag (304)"),
    ):
        values = figures[name]
        print(
            f"{label:46} median {statistics.median(values) * 1000:6.1f} ms,"
            f" p95 {p95(values) * 1000:6.1f} ms"
        )
    print(f"first ÷ later: {first / later:.1f}×; goal: a later download under 100 ms")


if __name__ == "__main__":
    main()
