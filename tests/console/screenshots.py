"""The console guide's pictures (docs/console/*.png), taken on the demonstration city.

    python -m tests.console.screenshots [--scale 1] [--seed 2023] [--out docs/console]

`sbe run` on a scratch PostgreSQL database, `sbe demo` loads the city through the gateway and the
feeds, and then Debian's Chromium signs in as the 发改委 (enrolling its second factor), the 督查室
and 苏州工业园区's 楼宇办 and photographs each page docs/console.md shows. Every picture is of the
city a person meets after `make run`: its figures, its rankings, its open warnings and reviews.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import tempfile
from pathlib import Path
from typing import Any

import pyotp

from benchmarks.city_scale import load
from benchmarks.console import PASSWORD, person
from policy import uscc_check_character
from shared import beijing_today
from tests.console.conftest import BUILT, CHROMIUM, ROOT, chromium
from tests.console.test_console import WAIT_MS, choose_year, sign_in, sign_out
from tests.console.test_map import choose
from tests.live import LiveStack, on_postgres

COCKPIT = re.compile("楼宇经济总览")
DISTRICT = ("sip", "苏州工业园区")


async def settled(page: Any, quiet: bool = True) -> None:
    """Everything fetched and drawn: no request outstanding (unless the page keeps one open, as
    the blue book's frame does), no transition running."""
    if quiet:
        await page.wait_for_load_state("networkidle")
    await page.wait_for_function(
        "document.getAnimations().every(a => a.playState !== 'running')", timeout=WAIT_MS
    )


TALLEST = 1800  # px: a long list is shown by its head, as a person first sees it


async def shoot(page: Any, out: Path, name: str, quiet: bool = True) -> None:
    await settled(page, quiet)
    height = await page.evaluate("document.documentElement.scrollHeight")
    await page.screenshot(
        path=str(out / f"{name}.png"),
        full_page=True,
        clip={"x": 0, "y": 0, "width": 1440, "height": min(height, TALLEST)},
    )
    print(f"  {name}.png", flush=True)


async def drawn(page: Any, label: re.Pattern[str]) -> None:
    """A chart (the map) drawn to its last point."""
    chart = page.get_by_role("img", name=label)
    await chart.and_(page.locator("[data-rendered='true']")).wait_for(timeout=WAIT_MS)


async def go(page: Any, menu: str) -> None:
    await page.get_by_role("menuitem", name=menu).click()
    await settled(page)


async def administrator(page: Any, stack: LiveStack, out: Path) -> None:
    """The 发改委's first sign-in (password, then the second factor), people, reviews, events."""
    await sign_in(page, stack.gateway_url, "admin", stack.admin_password)
    await page.get_by_role("heading", name="首次登录请修改口令").wait_for(timeout=WAIT_MS)
    await page.get_by_label("当前口令").fill(stack.admin_password)
    await page.get_by_label("新口令", exact=True).fill(PASSWORD)
    await page.get_by_label("再次输入新口令").fill(PASSWORD)
    await page.get_by_role("button", name="修改口令").click()
    await page.get_by_role("img", name="动态验证码二维码").wait_for(timeout=WAIT_MS)
    await shoot(page, out, "admin-totp")
    secret = (await page.locator("code").first.inner_text()).strip()
    await page.get_by_label("6位动态验证码").fill(pyotp.TOTP(secret).now())
    await page.get_by_role("button", name="确认绑定").click()
    await page.get_by_role("button", name="我已保存，进入平台").click()
    await page.get_by_role("heading", name=COCKPIT).wait_for(timeout=WAIT_MS)
    await go(page, "系统管理")
    await page.get_by_role("cell", name="ducha", exact=True).first.wait_for(timeout=WAIT_MS)
    await shoot(page, out, "admin-users")
    await go(page, "审核")
    await page.get_by_role("button", name="核实").first.wait_for(timeout=WAIT_MS)
    await shoot(page, out, "admin-review")
    await go(page, "活动")
    await shoot(page, out, "admin-events")
    await choose_year(page, beijing_today().year - 1)  # the latest year published
    await go(page, "蓝皮书")
    book = page.frame_locator("iframe.book")
    await book.get_by_text("完整版（仅供市发改委、督查室使用）").wait_for(timeout=WAIT_MS)
    await shoot(page, out, "admin-bluebook", quiet=False)
    await go(page, "总览")
    await sign_out(page)


async def supervision(page: Any, stack: LiveStack, out: Path) -> None:
    """The 督查室's cockpit and the evidence behind a district's score."""
    await sign_in(page, stack.gateway_url, "ducha", PASSWORD)
    await page.get_by_role("heading", name=COCKPIT).wait_for(timeout=WAIT_MS)
    await page.get_by_role("img", name="各地区分布").wait_for(timeout=WAIT_MS)
    await shoot(page, out, "supervision-cockpit")
    await go(page, "一张图")
    await drawn(page, re.compile("年一张图"))
    await shoot(page, out, "supervision-map")
    await go(page, "考核评价")
    row = page.get_by_role("row").filter(has_text=DISTRICT[1]).first
    await row.get_by_role("button", name="查看依据").click()
    await page.get_by_role("dialog").get_by_role("link").first.wait_for(timeout=WAIT_MS)
    await shoot(page, out, "supervision-evidence")
    await page.keyboard.press("Escape")
    await sign_out(page)


async def district(page: Any, stack: LiveStack, out: Path) -> None:
    """A district's 楼宇办: cockpit, buildings, one building, a movements file with a bad row
    (nothing stored, every fault named), the warnings."""
    await sign_in(page, stack.gateway_url, "sip.staff", PASSWORD)
    await page.get_by_role("heading", name=COCKPIT).wait_for(timeout=WAIT_MS)
    await shoot(page, out, "district-cockpit")
    await go(page, "一张图")
    await drawn(page, re.compile("年一张图"))
    await choose(page, "楼宇着色", "按产业特色")
    await drawn(page, re.compile("年一张图"))
    await shoot(page, out, "district-map")
    await go(page, "楼宇")
    first = page.locator(".el-table__body tr td:first-child a").first
    await first.wait_for(timeout=WAIT_MS)
    await shoot(page, out, "district-buildings")
    building = await first.inner_text()
    await first.click()
    await page.get_by_role("heading", name=building).wait_for(timeout=WAIT_MS)
    building_id = page.url.rstrip("/").rsplit("/", 1)[1]
    await shoot(page, out, "district-building")
    await go(page, "企业入驻迁出")
    good = "91320594MA1P2K3L4" + uscc_check_character("91320594MA1P2K3L4")
    wrong = "91320594MA1P2K3L5" + uscc_check_character("91320594MA1P2K3L4")  # a mistyped digit
    csv = (
        "记录编号,统一社会信用代码,企业名称,楼宇编号,类型,日期,面积,行业代码\n"
        f"sip-2026-1101,{good},苏州园启生物医药有限公司,{building_id},迁入,2026-11-02,800,7340\n"
        f"sip-2026-1102,{wrong},苏州澄湖软件有限公司,{building_id},迁入,2026-11-16,350,6513\n"
    )
    await page.get_by_label("上传文件（CSV或XLSX）").set_input_files(
        {"name": "园区迁入迁出.csv", "mimeType": "text/csv", "buffer": csv.encode()}
    )
    await page.get_by_text("未保存任何记录").wait_for(timeout=WAIT_MS)
    await shoot(page, out, "district-movements")
    await go(page, "预警")
    await page.get_by_role("button", name="确认已知悉").first.wait_for(timeout=WAIT_MS)
    await shoot(page, out, "district-warnings")
    await sign_out(page)


async def photograph(stack: LiveStack, out: Path) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        # bypass_csp: to wait for the page's transitions to end
        context = await chromium(
            playwright, tempfile.mkdtemp(prefix="sbe-screenshots-"), bypass_csp=True
        )
        page = await context.new_page()
        for who in (administrator, supervision, district):
            await who(page, stack, out)
        await context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "console")
    options = parser.parse_args()
    if not (Path(CHROMIUM).exists() and BUILT.exists()):
        raise SystemExit("needs Chromium (make tools) and the built console (make console)")
    options.out.mkdir(parents=True, exist_ok=True)
    base = Path(tempfile.mkdtemp(prefix="sbe-screenshots-"))
    with on_postgres("sbe_screenshots", base, {"SBE_LOGIN_ATTEMPTS_PER_MINUTE": "1000"}) as stack:
        for _, line in load(stack, options.seed, options.scale):
            print(f"  {line}", flush=True)
        person(stack, "ducha", "supervision", display_name="周敏")
        person(stack, "sip.staff", "district", DISTRICT[0], display_name="陈立")
        asyncio.run(photograph(stack, options.out))


if __name__ == "__main__":
    main()
