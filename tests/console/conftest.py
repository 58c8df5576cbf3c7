"""The console in a real browser: Debian's Chromium driven by Playwright (never a downloaded
browser) against `sbe run` on PostgreSQL, with data the tests push through the API first."""

from __future__ import annotations

import re
import shutil
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from kafka import KafkaProducer

from policy import TOPIC_OCCUPANCY, TOPIC_TAX
from shared.messaging import create_producer
from shared.ops import CHROMIUM_FLAGS
from tests import fixtures
from tests.live import LiveStack, on_postgres

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[2]
BUILT = ROOT / "console" / "dist" / "index.html"
AXE = ROOT / "console" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "console" / "test-artifacts"
PASSWORD = "Lou-Yu-2023-Pass"

needs_browser = pytest.mark.skipif(
    not (Path(CHROMIUM).exists() and BUILT.exists() and AXE.exists()),
    reason="Chromium (make tools) or the built console (make console) is missing",
)


@dataclass
class Seeded:
    """What the tests pushed, to check the pages against."""

    stack: LiveStack
    accounts: dict[str, tuple[str, str]] = field(default_factory=dict)  # role → (user, password)
    buildings: dict[str, str] = field(default_factory=dict)


def _feed(bootstrap: str, messages: list[tuple[str, dict[str, Any]]]) -> None:
    producer: KafkaProducer = create_producer(bootstrap, linger_ms=0)
    try:
        for topic, message in messages:
            producer.send(topic, key=message["building_id"].encode(), value=orjson.dumps(message))
        producer.flush(10)
    finally:
        producer.close()


def _seed(stack: LiveStack) -> Seeded:
    seeded = Seeded(stack)
    admin = httpx.Client(
        base_url=stack.gateway_url, headers={"Authorization": f"Bearer {stack.admin_key}"}
    )
    with admin:
        for building_id, district_id, name in (
            ("gusu-tower", "gusu", "姑苏金融大厦"),
            ("sip-center", "sip", "苏州中心"),
        ):
            created = admin.post(
                "/api/v1/buildings",
                json=fixtures.building(
                    id=building_id, district_id=district_id, name=name, lists=["key"]
                ),
            )
            assert created.status_code == 201, created.text
            seeded.buildings[district_id] = building_id
        for role, username, extra in (
            ("supervision", "ducha", {}),
            ("district", "gusu.staff", {"district_id": "gusu"}),
        ):
            made = admin.post(
                "/api/v1/auth/users",
                json={
                    "username": username,
                    "display_name": f"{username}同志",
                    "role": role,
                    **extra,
                },
            )
            assert made.status_code == 201, made.text
            seeded.accounts[role] = (username, made.json()["initial_password"])
    seeded.accounts["admin"] = ("admin", stack.admin_password)
    bootstrap = stack.env["SBE_KAFKA_BOOTSTRAP_USED"]
    _feed(
        bootstrap,
        [
            (TOPIC_TAX, fixtures.tax("gusu-tower", "2023-03", "150000000.00")),
            (TOPIC_TAX, fixtures.tax("sip-center", "2023-04", "80000000.00")),
            (TOPIC_OCCUPANCY, fixtures.occupancy("gusu-tower", "2023-01", 10000, 9000)),
            (TOPIC_OCCUPANCY, fixtures.occupancy("gusu-tower", "2023-02", 10000, 6000)),
        ],
    )
    # The console opens on the latest year with figures: the city's 2023 must be in first.
    with httpx.Client(
        base_url=stack.gateway_url, headers={"Authorization": f"Bearer {stack.admin_key}"}
    ) as admin:
        deadline = time.monotonic() + 60
        while admin.get("/api/v1/monitoring/years").json()["years"] != [2023]:
            assert time.monotonic() < deadline, "the seeded feeds did not arrive"
            time.sleep(0.2)
    return seeded


@pytest.fixture(scope="session")
def console_stack() -> Iterator[Seeded]:
    """`sbe run` on a scratch PostgreSQL database, serving the built console, seeded."""
    base = Path(tempfile.mkdtemp(prefix="sbe-console-"))
    limits = {
        "SBE_CLIENT_RATE_LIMIT_PER_SECOND": "5000",
        "SBE_CLIENT_RATE_LIMIT_BURST": "5000",
        "SBE_LOGIN_ATTEMPTS_PER_MINUTE": "1000",
    }
    try:
        with on_postgres("sbe_console", base, limits) as stack:
            stack.env["SBE_KAFKA_BOOTSTRAP_USED"] = f"127.0.0.1:{stack.env['SBE_BROKER_PORT']}"
            yield _seed(stack)
    finally:
        shutil.rmtree(base, ignore_errors=True)


# What the browser logs when an API call a test makes on purpose is refused: the page shows the
# refusal (the tests check that), and Chromium reports the status of every refused fetch. A
# wrong password (401), a form with errors (422), the scores of a year without targets (404).
PROVOKED = re.compile(
    r"/api/v1/auth/login .*status of 401"
    r"|/api/v1/.* .*status of 422"
    # A year without targets: the scores page asks for its scores, their robustness and the
    # targets' history at once, and each is 404.
    r"|/api/v1/evaluation/scores(/robustness)?\?year=\d+ .*status of 404"
    r"|/api/v1/evaluation/targets/\d+/history .*status of 404"
)


def _provoked(error: str) -> bool:
    return PROVOKED.search(error) is not None


async def chromium(playwright: Any, profile: str, **options: Any) -> Any:
    """Debian's Chromium with the flags the platform's CI needs, in the profile folder given
    (a fresh one), headless, at the console's size, in Chinese and Beijing time (`options` add to
    or replace these)."""
    settings: dict[str, Any] = {
        "executable_path": CHROMIUM,
        "headless": True,
        "args": list(CHROMIUM_FLAGS),
        "viewport": {"width": 1440, "height": 900},
        "locale": "zh-CN",
        "timezone_id": "Asia/Shanghai",
        **options,
    }
    return await playwright.chromium.launch_persistent_context(profile, **settings)


@pytest.fixture
async def browser_context() -> AsyncIterator[Any]:
    """A fresh Chromium profile for each test (the launch flags the platform's CI needs)."""
    from playwright.async_api import async_playwright

    profile = tempfile.mkdtemp(prefix="sbe-chromium-")
    async with async_playwright() as playwright:
        # axe-core is injected into the pages it checks; the policy itself is tested below.
        context = await chromium(playwright, profile, accept_downloads=True, bypass_csp=True)
        errors: list[str] = []

        def watch(page: Any) -> None:
            page.on(
                "console",
                lambda m: (
                    errors.append(f"{m.location.get('url', page.url)} {m.text}")
                    if m.type == "error"
                    else None
                ),
            )
            page.on("pageerror", lambda e: errors.append(f"{page.url} {e}"))

        context.on("page", watch)
        try:
            yield context
        finally:
            await context.close()
            shutil.rmtree(profile, ignore_errors=True)
        # No page logs an error, but for the refusals a test provokes on purpose (a form the
        # API answers 422, say), which the browser reports for any fetch that is refused.
        unexpected = [e for e in errors if not _provoked(e)]
        assert not unexpected, "the browser console showed errors:\n" + "\n".join(unexpected)
