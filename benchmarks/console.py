"""Console benchmark: the cockpit's first load in headless Chromium on loopback.

    python -m benchmarks.console [--runs 5]

`sbe run` on PostgreSQL serves the built console; a signed-in district officer opens the cockpit
with an empty browser cache, `--runs` times. Printed: the JavaScript and CSS the first load
carries (gzip, as a browser would receive it compressed; budget 500 KB), the API calls the
cockpit makes (budget 5), and the time until the cockpit is complete (every figure loaded and
drawn; budget 1.5 s), beside the sign-in page's load in the same run as a baseline.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.console.conftest import BUILT, CHROMIUM, chromium  # noqa: E402
from tests.live import LiveStack, launch  # noqa: E402
from tests.support import pg_url, scratch_database  # noqa: E402

PASSWORD = "Lou-Yu-2023-Suzhou"
COCKPIT = re.compile("楼宇经济总览")  # of whichever year the console opens on


async def measure(base: str, username: str, runs: int) -> dict[str, list[float]]:
    from playwright.async_api import async_playwright

    figures: dict[str, list[float]] = {"cockpit_s": [], "login_s": [], "assets_kb": [], "api": []}
    async with async_playwright() as playwright:
        for _ in range(runs):
            context = await chromium(playwright, tempfile.mkdtemp(prefix="sbe-bench-"))
            page = await context.new_page()
            started = time.perf_counter()
            await page.goto(base + "/login")
            await page.get_by_role("button", name="登录").wait_for()
            figures["login_s"].append(time.perf_counter() - started)
            await page.get_by_label("用户名").fill(username)
            await page.get_by_label("口令", exact=True).fill(PASSWORD)
            await page.get_by_role("button", name="登录").click()
            await page.get_by_role("heading", name=COCKPIT).wait_for()
            await context.clear_cookies()
            await context.close()
            # A new browser with an empty cache, signed in by the same cookie: the first load.
            profile = tempfile.mkdtemp(prefix="sbe-bench-")
            context = await signed_in(playwright, profile, base, username)
            page = await context.new_page()
            assets: list[bytes] = []
            api_calls: list[str] = []

            last = [0.0]  # when the latest response arrived

            async def seen(
                response: object,
                assets: list[bytes] = assets,
                api_calls: list[str] = api_calls,
                last: list[float] = last,
            ) -> None:
                last[0] = time.perf_counter()
                url: str = response.url  # type: ignore[attr-defined]
                if "/assets/" in url and url.endswith((".js", ".css")):
                    assets.append(await response.body())  # type: ignore[attr-defined]
                elif "/api/v1/" in url:
                    api_calls.append(url)

            page.on("response", seen)
            started = time.perf_counter()
            await page.goto(base + "/")
            await page.get_by_role("heading", name=COCKPIT).wait_for()
            # Complete when its last response came (network idle is that and 500 ms of quiet).
            await page.wait_for_load_state("networkidle")
            figures["cockpit_s"].append(last[0] - started)
            figures["assets_kb"].append(sum(len(gzip.compress(a)) for a in assets) / 1024)
            figures["api"].append(len(api_calls))
            await context.close()
            shutil.rmtree(profile, ignore_errors=True)
    return figures


async def signed_in(playwright: Any, profile: str, base: str, username: str, **storage: str) -> Any:
    """A fresh browser (empty cache, in `profile`) whose console is signed in as `username`, as
    after a sign-in: the session cookie, and what the console notes in its storage at sign-in
    (so that it asks who is signed in), with `storage` besides (`sbe.year`, say)."""
    context = await chromium(playwright, profile)
    async with httpx.AsyncClient(base_url=base) as client:
        signed = await client.post(
            "/api/v1/auth/login", json={"username": username, "password": PASSWORD}
        )
    await context.add_cookies(
        [{"name": "sbe_session", "value": signed.cookies["sbe_session"], "url": base}]
    )
    notes = {"sbe.signedIn": "1", **storage}
    await context.add_init_script(
        "".join(f"localStorage.setItem({key!r}, {value!r});" for key, value in notes.items())
    )
    return context


def person(
    stack: LiveStack,
    username: str,
    role: str,
    district_id: str | None = None,
    display_name: str | None = None,
) -> None:
    """An account with its password changed to PASSWORD, as a first sign-in leaves it."""
    made = httpx.post(
        stack.gateway_url + "/api/v1/auth/users",
        json={
            "username": username,
            "display_name": display_name or username,
            "role": role,
            **({"district_id": district_id} if district_id else {}),
        },
        headers={"Authorization": f"Bearer {stack.admin_key}"},
    ).json()
    with httpx.Client(base_url=stack.gateway_url) as client:
        signed = client.post(
            "/api/v1/auth/login", json={"username": username, "password": made["initial_password"]}
        ).json()
        client.post(
            "/api/v1/auth/password",
            json={"current_password": made["initial_password"], "new_password": PASSWORD},
            headers={"X-CSRF-Token": signed["csrf_token"]},
        ).raise_for_status()


async def in_scratch_database(runs: int) -> dict[str, list[float]]:
    async with scratch_database("sbe_bench_console") as database:
        return await asyncio.to_thread(run_against, database, runs)


def run_against(database: str, runs: int) -> dict[str, list[float]]:
    """`sbe run` on `database`, a district officer, then the measured loads."""
    work = Path(tempfile.mkdtemp(prefix="sbe-bench-console-"))
    stack = launch(
        work / "data",
        work / "stack.log",
        {"SBE_DATABASE_URL": pg_url(database), "SBE_LOGIN_ATTEMPTS_PER_MINUTE": "1000"},
    )
    try:
        person(stack, "bench", "district", "gusu")
        return asyncio.run(measure(stack.gateway_url, "bench", runs))
    finally:
        stack.stop()
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    if not (Path(CHROMIUM).exists() and BUILT.exists()):
        raise SystemExit("needs Chromium (make tools) and the built console (make console)")
    figures = asyncio.run(in_scratch_database(options.runs))
    cockpit = statistics.median(figures["cockpit_s"])
    login = statistics.median(figures["login_s"])
    print(f"\ncockpit first load, {options.runs} runs, empty cache, loopback, headless Chromium")
    print(f"  JavaScript + CSS (gzip): {max(figures['assets_kb']):.0f} KB (budget 500 KB)")
    print(f"  API calls:               {max(figures['api']):.0f} (budget 5)")
    print(f"  complete:                {cockpit * 1000:.0f} ms median (budget 1500 ms)")
    print(
        f"  sign-in page (baseline): {login * 1000:.0f} ms median; cockpit / sign-in {cockpit / login:.2f}x"
    )


if __name__ == "__main__":
    main()
