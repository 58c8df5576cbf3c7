"""The console, one pass per role, in Chromium: sign in (with TOTP for the administrator), read
the cockpit and check it against what the API says, drill into a district, create a building,
upload a movements file with one bad row, acknowledge a warning, download an XLSX, sign out.
Every page visited passes axe-core with no serious or critical violation; screenshots are kept
in console/test-artifacts/."""

from __future__ import annotations

import asyncio
import re
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pyotp
import pytest

from shared import SHANGHAI
from tests.console.conftest import AXE, PASSWORD, SCREENSHOTS, Seeded, needs_browser

pytestmark = [pytest.mark.e2e, pytest.mark.browser, needs_browser]

WAIT_MS = 30_000


async def shot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


async def accessible(page: Any) -> None:
    """axe-core on the page as it stands: no serious or critical violation. Once its transitions
    are over: a tag fading in has, for a moment, the contrast of its faded self."""
    await page.wait_for_function(
        "document.getAnimations().every(a => a.playState !== 'running')", timeout=WAIT_MS
    )
    await page.add_script_tag(path=str(AXE))
    result = await page.evaluate("async () => await axe.run(document)")
    bad = [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} × {v['nodes'][0]['target']} {v['nodes'][0]['html'][:200]})"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, "\n".join(bad)


async def sign_in(page: Any, base: str, username: str, password: str) -> None:
    await page.goto(base + "/")
    await page.get_by_label("用户名").fill(username)
    await page.get_by_label("口令", exact=True).fill(password)
    await page.get_by_role("button", name="登录").click()


async def first_sign_in(page: Any, seeded: Seeded, role: str) -> None:
    """Sign in with the one-time password and change it, as every person does first."""
    username, initial = seeded.accounts[role]
    await page.goto(seeded.stack.gateway_url + "/login")
    await page.get_by_role("button", name="登录").wait_for(timeout=WAIT_MS)
    await accessible(page)
    await sign_in(page, seeded.stack.gateway_url, username, initial)
    await page.get_by_role("heading", name="首次登录请修改口令").wait_for(timeout=WAIT_MS)
    await accessible(page)
    await page.get_by_label("当前口令").fill(initial)
    await page.get_by_label("新口令", exact=True).fill(PASSWORD)
    await page.get_by_label("再次输入新口令").fill(PASSWORD)
    await page.get_by_role("button", name="修改口令").click()


async def choose_year(page: Any, year: int) -> None:
    """Pick the year in the header, by keyboard as a person may (the box's text covers it)."""
    await page.get_by_role("combobox", name="年度").focus()
    await page.keyboard.press("Enter")
    await page.get_by_role("option", name=f"{year}年").click()


async def sign_out(page: Any) -> None:
    await page.wait_for_load_state("networkidle")  # as a person would: once the page is there
    await page.get_by_role("button", name="退出登录").click()
    await page.get_by_role("button", name="登录").wait_for(timeout=WAIT_MS)


def api(seeded: Seeded) -> httpx.Client:
    return httpx.Client(
        base_url=seeded.stack.gateway_url,
        headers={"Authorization": f"Bearer {seeded.stack.admin_key}"},
    )


def card_text(page: Any, indicator: str) -> Any:
    return page.locator(f"[data-indicator='{indicator}']")


async def cockpit_matches(page: Any, expected_actual: int, expected_target: int) -> None:
    """The cumulative 亿元楼宇 card shows the API's figures (the feed may still be arriving)."""
    deadline = time.monotonic() + 60
    pattern = re.compile(rf"^\s*{expected_actual}\s*/\s*目标\s*{expected_target}\s*$")
    while True:
        await page.wait_for_load_state("networkidle")
        text = await card_text(page, "cumulative_100m_buildings").locator(".figure").inner_text()
        if pattern.match(text):
            return
        if time.monotonic() > deadline:
            await shot(page, "failed-cockpit")
            raise AssertionError(f"cockpit shows {text!r}")
        await page.wait_for_timeout(1000)
        await page.reload()


async def field_errors_shown(page: Any, fields: int) -> None:
    """The API's 422 on a form: its summary, and the error under each field it names (all of
    them alerts, which appear together or one after another)."""
    alerts = page.get_by_role("alert")
    summary = f"The request has {fields} invalid field"
    await alerts.filter(has_text=summary).wait_for(timeout=WAIT_MS)
    await alerts.nth(fields).wait_for(timeout=WAIT_MS)  # the summary and one per field


class TestDistrictStaff:
    async def test_a_districts_day(self, console_stack: Seeded, browser_context: Any) -> None:
        seeded = console_stack
        page = await browser_context.new_page()
        await first_sign_in(page, seeded, "district")
        await page.get_by_role("heading", name="2023年楼宇经济总览").wait_for(timeout=WAIT_MS)
        with api(seeded) as client:
            scores = client.get("/api/v1/evaluation/scores", params={"year": 2023}).json()
        gusu = next(d for d in scores["districts"] if d["district_id"] == "gusu")
        target = next(i for i in gusu["indicators"] if i["key"] == "cumulative_100m_buildings")
        await cockpit_matches(page, 1, int(target["target"] or 0))
        await page.get_by_role("img", name="各地区分布").wait_for()
        await accessible(page)
        await shot(page, "district-cockpit")

        # A building: the API's field errors show on the form, then it is stored.
        await page.get_by_role("menuitem", name="楼宇").click()
        await page.get_by_role("button", name="登记楼宇").click()
        await page.get_by_role("button", name="保存").click()
        await field_errors_shown(page, 2)  # the name and the address
        await accessible(page)
        await page.get_by_role("dialog").get_by_label("楼宇名称", exact=True).fill("姑苏创新中心")
        await (
            page.get_by_role("dialog")
            .get_by_label("地址", exact=True)
            .fill("苏州市姑苏区人民路100号")
        )
        await page.get_by_role("button", name="保存").click()
        await page.get_by_role("link", name="姑苏创新中心").wait_for(timeout=WAIT_MS)
        await page.get_by_role("dialog").wait_for(state="hidden", timeout=WAIT_MS)
        await shot(page, "district-buildings")

        # Its page, and the edit form with the API's field errors.
        await page.get_by_role("link", name="姑苏创新中心").click()
        await page.get_by_role("heading", name="姑苏创新中心").wait_for(timeout=WAIT_MS)
        await accessible(page)
        await page.get_by_role("button", name="修改楼宇信息").click()
        await page.get_by_role("dialog").get_by_label("楼宇名称", exact=True).fill("")
        await page.get_by_role("button", name="保存").click()
        await field_errors_shown(page, 1)
        await (
            page.get_by_role("dialog").get_by_label("楼宇名称", exact=True).fill("姑苏创新中心A座")
        )
        await page.get_by_role("button", name="保存").click()
        await page.get_by_role("heading", name="姑苏创新中心A座").wait_for(timeout=WAIT_MS)
        await page.get_by_role("dialog").wait_for(state="hidden", timeout=WAIT_MS)
        await shot(page, "district-building")
        await page.get_by_role("menuitem", name="楼宇").click()
        async with page.expect_download() as download_info:
            await page.get_by_role("button", name="导出名录").hover()
            await page.get_by_text("重点楼宇名录 XLSX").click()
        download = await download_info.value
        saved = Path(await download.path())
        head = await asyncio.to_thread(saved.read_bytes)
        assert head[:2] == b"PK"  # an XLSX (zip) file

        # A movements file with one bad row: every bad row shown, nothing stored.
        await page.get_by_role("menuitem", name="企业入驻迁出").click()
        csv = (
            "记录编号,统一社会信用代码,企业名称,楼宇编号,类型,日期,面积\n"
            "ok-1,91350100M000100Y43,苏州某律所,gusu-tower,迁入,2023-03-01,200\n"
            "bad-1,91350100M000100Y44,苏州某设计院,gusu-tower,迁入,2023-03-02,150\n"
        )
        await page.get_by_label("上传文件（CSV或XLSX）").set_input_files(
            {"name": "迁入迁出.csv", "mimeType": "text/csv", "buffer": csv.encode()}
        )
        await page.get_by_text("未保存任何记录").wait_for(timeout=WAIT_MS)
        bad_field = page.get_by_role("cell", name="统一社会信用代码", exact=True)
        assert await bad_field.count() == 1  # the one bad row, its field named as the file names it
        assert await page.get_by_role("cell", name="3", exact=True).count() >= 1  # on row 3
        await accessible(page)
        await shot(page, "district-movements")
        with api(seeded) as client:
            stored = client.get("/api/v1/enterprise-movements", params={"district_id": "gusu"})
        assert stored.json()["total"] == 0
        # A good file: its finance tenant makes the tower a featured candidate, with its share.
        good = "记录编号,统一社会信用代码,企业名称,楼宇编号,类型,日期,面积,行业代码\n"
        good += "ok-2,91350100M000100Y43,苏州某银行,gusu-tower,迁入,2023-03-01,200,6621\n"
        await page.get_by_label("上传文件（CSV或XLSX）").set_input_files(
            {"name": "迁入.csv", "mimeType": "text/csv", "buffer": good.encode()}
        )
        await page.get_by_role("cell", name="金融服务 100%").wait_for(timeout=WAIT_MS)

        # The occupancy drop of the seeded building: acknowledged from the inbox.
        await page.get_by_role("menuitem", name="预警").click()
        acknowledge = page.get_by_role("button", name="确认已知悉").first
        await acknowledge.wait_for(timeout=WAIT_MS)
        await acknowledge.click()
        await page.get_by_text("只看待处理").click()  # show the acknowledged too
        await page.get_by_text("已确认").first.wait_for(timeout=WAIT_MS)
        await accessible(page)
        await shot(page, "district-warnings")
        await sign_out(page)


class TestSupervisionOffice:
    async def test_reads_the_assessment_and_cannot_change_anything(
        self, console_stack: Seeded, browser_context: Any
    ) -> None:
        seeded = console_stack
        page = await browser_context.new_page()
        await first_sign_in(page, seeded, "supervision")
        await page.get_by_role("heading", name="2023年楼宇经济总览").wait_for(timeout=WAIT_MS)
        with api(seeded) as client:
            scores = client.get("/api/v1/evaluation/scores", params={"year": 2023}).json()
        actual = sum(
            next(i["actual"] for i in d["indicators"] if i["key"] == "cumulative_100m_buildings")
            for d in scores["districts"]
        )
        target = sum(
            next(
                i["target"] or 0 for i in d["indicators"] if i["key"] == "cumulative_100m_buildings"
            )
            for d in scores["districts"]
        )
        await cockpit_matches(page, int(actual), int(target))
        await accessible(page)
        await shot(page, "supervision-cockpit")

        await page.get_by_role("menuitem", name="考核评价").click()
        row = page.get_by_role("row").filter(has_text="姑苏区")
        await row.get_by_role("button", name="查看依据").click()
        await page.get_by_role("link", name="姑苏金融大厦").first.wait_for(timeout=WAIT_MS)
        await accessible(page)
        await shot(page, "supervision-evidence")
        await page.keyboard.press("Escape")

        # The buildings list: the year's tax first, highest first, then found by its address.
        await page.get_by_role("menuitem", name="楼宇").click()
        await page.get_by_role("link", name="苏州中心").wait_for(timeout=WAIT_MS)
        assert await page.get_by_role("button", name="登记楼宇").count() == 0
        names = page.locator(".el-table__body tr td:first-child a")
        # (the district's test may have registered a building with no figures: it comes last)
        assert (await names.all_inner_texts())[:2] == ["姑苏金融大厦", "苏州中心"]
        tower = page.get_by_role("row").filter(has_text="姑苏金融大厦")
        assert "\n1.50\n" in await tower.inner_text()  # 150,000,000 CNY in the 亿元 column
        await page.get_by_role("button", name="按 面积（平方米） 排序").click()  # ascending
        await page.get_by_role("textbox", name="搜索楼宇名称、地址或编号").fill("苏州中心")
        await page.wait_for_function(
            "document.querySelectorAll('.el-table__body tr').length === 1", timeout=WAIT_MS
        )
        await accessible(page)
        for name in ("预警", "活动", "重点任务"):
            await page.get_by_role("menuitem", name=name).click()
            await page.wait_for_load_state("networkidle")
            await accessible(page)
        assert await page.get_by_role("button", name="确认已知悉").count() == 0
        assert await page.get_by_role("menuitem", name="系统管理").count() == 0
        await sign_out(page)


class TestAdministrator:
    async def test_enrols_a_second_factor_and_administers(
        self, console_stack: Seeded, browser_context: Any
    ) -> None:
        seeded = console_stack
        page = await browser_context.new_page()
        await first_sign_in(page, seeded, "admin")
        await page.get_by_role("heading", name="绑定动态验证码").wait_for(timeout=WAIT_MS)
        await page.get_by_role("img", name="动态验证码二维码").wait_for()
        await accessible(page)
        await shot(page, "admin-totp")
        secret = (await page.locator("code").first.inner_text()).strip()
        totp = pyotp.TOTP(secret)
        await page.get_by_label("6位动态验证码").fill(totp.now())
        await page.get_by_role("button", name="确认绑定").click()
        await page.get_by_role("heading", name="恢复码").wait_for(timeout=WAIT_MS)
        assert await page.locator("ol li").count() == 10
        await page.get_by_role("button", name="我已保存，进入平台").click()
        await page.get_by_role("heading", name="2023年楼宇经济总览").wait_for(timeout=WAIT_MS)
        await accessible(page)
        await shot(page, "admin-cockpit")

        await page.get_by_role("menuitem", name="系统管理").click()
        await page.get_by_role("cell", name="ducha", exact=True).wait_for(timeout=WAIT_MS)
        own = page.get_by_role("row").filter(has_text="系统管理员")
        assert await own.get_by_role("button", name="停用").count() == 0  # not one's own account
        assert await own.get_by_role("button", name="启用").count() == 0  # it is active
        await accessible(page)
        await shot(page, "admin-users")
        # A promotion gusu says it held: pending, verified from the review page.
        with api(seeded) as client:
            key = client.post(
                "/api/v1/auth/keys",
                json={"role": "district", "district_id": "gusu", "label": "姑苏区数据平台"},
            ).json()["key"]
            held = client.post(
                "/api/v1/events",
                headers={"Authorization": f"Bearer {key}"},
                json={
                    "kind": "promotion",
                    "scope": "district",
                    "district_id": "gusu",
                    "title": "姑苏区金融楼宇推介会",
                    "starts_at": "2023-05-18T09:30:00+08:00",
                    "ends_at": "2023-05-18T11:30:00+08:00",
                    "venue": "姑苏区会展中心",
                    "status": "held",
                },
            )
            assert held.json()["review"]["state"] == "pending"
        await page.get_by_role("menuitem", name="审核").click()
        row = page.get_by_role("row").filter(has_text="姑苏区金融楼宇推介会")
        await row.wait_for(timeout=WAIT_MS)
        await accessible(page)
        await shot(page, "admin-review")
        await row.get_by_role("button", name="核实").click()
        await row.wait_for(state="detached", timeout=WAIT_MS)
        with api(seeded) as client:
            event = client.get(f"/api/v1/events/{held.json()['id']}").json()
        assert event["review"]["state"] == "verified" and event["counts"] is True

        # The blue book is printed from a publication; the administrator writes its preface.
        with api(seeded) as client:
            published = client.post("/api/v1/evaluation/publications", json={"year": 2023})
            assert published.status_code == 201, published.text
        await page.get_by_role("menuitem", name="蓝皮书").click()
        await page.get_by_label("序言").fill("## 编者按\n\n全市楼宇经济**稳中有进**。")
        await page.get_by_role("button", name="保存序言").click()
        await page.get_by_text("序言已保存").wait_for(timeout=WAIT_MS)
        book = page.frame_locator("iframe.book")
        await book.get_by_role("heading", name="编者按").wait_for(timeout=WAIT_MS)
        await book.get_by_text("完整版（仅供市发改委、督查室使用）").wait_for(timeout=WAIT_MS)
        await page.get_by_role("radio", name="公开版").check(force=True)
        await book.get_by_text("公开版 · 依据第").wait_for(timeout=WAIT_MS)
        await accessible(page)
        await shot(page, "admin-蓝皮书")
        for name in ("考核评价", "活动"):
            await page.get_by_role("menuitem", name=name).click()
            await page.wait_for_load_state("networkidle")
            await accessible(page)
            await shot(page, f"admin-{name}")

        # Next year has no targets yet: the page says so and offers to set them ahead, starting
        # from the latest year that has targets.
        ahead = datetime.now(SHANGHAI).year + 1
        await page.get_by_role("menuitem", name="考核评价").click()
        await choose_year(page, ahead)
        await page.get_by_text(f"{ahead}年度尚未设定考核目标，暂无法评分").wait_for(timeout=WAIT_MS)
        await page.get_by_role("button", name=f"设定{ahead}年度目标").click()
        sip_cumulative = page.get_by_label("苏州工业园区 累计亿元楼宇（幢）")
        await page.wait_for_function(
            "el => el.value === '40'",
            arg=await sip_cumulative.element_handle(),
            timeout=WAIT_MS,
        )  # Annex 1's 2023 target as the start
        await sip_cumulative.fill("45")
        await page.get_by_label("设定或调整原因（如：年度目标动态调整）").fill(f"{ahead}年度目标")
        await accessible(page)
        await shot(page, "admin-设定目标")
        await page.get_by_role("button", name=f"保存{ahead}年度目标").click()
        await page.get_by_role("tab", name="得分排名").wait_for(timeout=WAIT_MS)
        with api(seeded) as client:
            targets = client.get(f"/api/v1/evaluation/targets/{ahead}").json()
        sip = next(t for t in targets["targets"] if t["district_id"] == "sip")
        assert sip["cumulative_100m_buildings"] == 45 and targets["reason"] == f"{ahead}年度目标"
        await choose_year(page, 2023)
        await sign_out(page)

        # From now on the administrator signs in with the second factor (the next step's code:
        # the one used to confirm is spent).
        await sign_in(page, seeded.stack.gateway_url, "admin", PASSWORD)
        await page.get_by_label("动态验证码（或恢复码）").fill(totp.at(time.time() + 30))
        await page.get_by_role("button", name="登录").click()
        await page.get_by_role("heading", name="2023年楼宇经济总览").wait_for(timeout=WAIT_MS)
