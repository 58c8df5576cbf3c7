"""一张图 in Chromium: a district officer sees their district's buildings on the map, places a new
building by clicking the map (which opens on their district), and the cockpit's 各地区分布 is the map; the supervision office
sees every district's buildings. Each page passes axe-core; screenshots in
console/test-artifacts/."""

from __future__ import annotations

from typing import Any

import pytest
import shapely
from shapely.geometry import shape

from tests.console.conftest import PASSWORD, Seeded, needs_browser
from tests.console.test_console import WAIT_MS, accessible, api, shot, sign_in, sign_out
from tests.support import must

pytestmark = [pytest.mark.e2e, pytest.mark.browser, needs_browser]

PLACES = {"gusu-tower": (120.626, 31.311), "sip-center": (120.675, 31.318)}


def _placed_and_staffed(seeded: Seeded, role: str, district_id: str | None) -> tuple[str, str]:
    """The seeded buildings placed on the map, and a new account of `role`: its name and one-time
    password."""
    with api(seeded) as client:
        for building_id, (lng, lat) in PLACES.items():
            must(
                client.patch(
                    f"/api/v1/buildings/{building_id}", json={"location": {"lng": lng, "lat": lat}}
                ),
                200,
            )
        username = f"map.{role}.{district_id or 'city'}"
        made = must(
            client.post(
                "/api/v1/auth/users",
                json={
                    "username": username,
                    "display_name": "一张图测试",
                    "role": role,
                    **({"district_id": district_id} if district_id else {}),
                },
            ),
            201,
        )
    return username, made["initial_password"]


async def _signed_in(page: Any, seeded: Seeded, username: str, initial: str) -> None:
    await sign_in(page, seeded.stack.gateway_url, username, initial)
    await page.get_by_role("heading", name="首次登录请修改口令").wait_for(timeout=WAIT_MS)
    await page.get_by_label("当前口令").fill(initial)
    await page.get_by_label("新口令", exact=True).fill(PASSWORD)
    await page.get_by_label("再次输入新口令").fill(PASSWORD)
    await page.get_by_role("button", name="修改口令").click()
    await page.get_by_role("heading", name="2023年楼宇经济总览").wait_for(timeout=WAIT_MS)


async def choose(page: Any, select: str, option: str) -> None:
    """Pick an option of a select, by keyboard as a person may (its text covers the box)."""
    await page.get_by_role("combobox", name=select).focus()
    await page.keyboard.press("Enter")
    await page.get_by_role("option", name=option).click()


async def _drawn(page: Any, name: str) -> None:
    await page.locator(f"[role='img'][aria-label='{name}'][data-rendered='true']").wait_for(
        timeout=WAIT_MS
    )


class TestTheMap:
    async def test_a_district_officer_sees_their_buildings_and_places_one_by_clicking(
        self, console_stack: Seeded, browser_context: Any
    ) -> None:
        seeded = console_stack
        username, initial = _placed_and_staffed(seeded, "district", "sip")
        page = await browser_context.new_page()
        await _signed_in(page, seeded, username, initial)
        await _drawn(page, "各地区分布")  # the cockpit's panel is the map

        await page.get_by_role("menuitem", name="一张图").click()
        await page.get_by_role("heading", name="2023年一张图").wait_for(timeout=WAIT_MS)
        await _drawn(page, "2023年一张图")
        await page.get_by_text("图上楼宇 1 幢（已标注位置 1 幢）").wait_for(timeout=WAIT_MS)
        await page.get_by_text("示意图，边界不作为权属依据").wait_for(timeout=WAIT_MS)
        await accessible(page)
        await shot(page, "district-map")

        # A new building placed with a click on the map: the point's degrees fill the form.
        await page.get_by_role("menuitem", name="楼宇").click()
        await page.get_by_role("button", name="登记楼宇").click()
        dialog = page.get_by_role("dialog")
        await dialog.get_by_label("楼宇名称", exact=True).fill("金鸡湖创新大厦")
        await dialog.get_by_label("地址", exact=True).fill("苏州工业园区星湖街328号")
        await dialog.get_by_role("button", name="在地图上点选").click()
        await _drawn(page, "在地图上点选")
        box = await dialog.get_by_role("img", name="在地图上点选").bounding_box()
        await page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        lng = dialog.get_by_role("spinbutton", name="经度")
        await page.wait_for_function(
            "el => el.value !== ''", arg=await lng.element_handle(), timeout=WAIT_MS
        )
        await accessible(page)
        await shot(page, "district-building-location")
        await dialog.get_by_role("button", name="保存").click()
        await page.get_by_role("link", name="金鸡湖创新大厦").wait_for(timeout=WAIT_MS)
        with api(seeded) as client:
            found = client.get("/api/v1/buildings", params={"q": "金鸡湖创新大厦"}).json()
            boundaries = client.get("/api/v1/map/districts").json()
        (made,) = found["items"]
        # The map opened on the officer's district: the click at its middle lands inside it.
        sip = next(f for f in boundaries["features"] if f["properties"]["district_id"] == "sip")
        at = made["location"]
        assert shape(sip["geometry"]).contains(shapely.Point(at["lng"], at["lat"]))
        await sign_out(page)

    async def test_the_supervision_office_sees_every_districts_buildings(
        self, console_stack: Seeded, browser_context: Any
    ) -> None:
        seeded = console_stack
        username, initial = _placed_and_staffed(seeded, "supervision", None)
        page = await browser_context.new_page()
        await _signed_in(page, seeded, username, initial)
        await page.get_by_role("menuitem", name="一张图").click()
        await _drawn(page, "2023年一张图")
        with api(seeded) as client:
            located = client.get("/api/v1/map/buildings", params={"year": 2023}).json()
        count = len(located["features"])
        assert count >= 2
        await page.get_by_text(f"图上楼宇 {count} 幢（已标注位置 {count} 幢）").wait_for(
            timeout=WAIT_MS
        )
        # The 1亿 tier alone: the seeded 姑苏金融大厦 (150,000,000 CNY in 2023).
        await choose(page, "全部档次", "超1亿元")
        await page.get_by_text(f"图上楼宇 1 幢（已标注位置 {count} 幢）").wait_for(timeout=WAIT_MS)
        await accessible(page)
        await shot(page, "supervision-map")
        await sign_out(page)
