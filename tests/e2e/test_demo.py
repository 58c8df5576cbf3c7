"""The demonstration city, loaded through the public interfaces into a real platform (PostgreSQL,
and the embedded SQLite that `make run` uses), reconciles: what the generator sent is what the
platform shows. A small city (scale 0.03: a building or two a district, three years of feeds)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
import shapely
from shapely.geometry import shape

from tests.live import UNLIMITED, LiveStack, launch, on_postgres

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

SMALL = "0.03"


def admin(stack: LiveStack) -> httpx.Client:
    return httpx.Client(
        base_url=stack.gateway_url,
        headers={"Authorization": f"Bearer {stack.admin_key}"},
        timeout=60,
    )


def demo_state(stack: LiveStack) -> dict[str, Any]:
    with admin(stack) as client:
        response = client.get("/api/v1/demo")
        assert response.status_code == 200, response.text
        return dict(response.json())


class TestSbeDemo:
    def test_loads_a_city_that_reconciles_and_the_platform_says_so(
        self, tmp_path_factory: pytest.TempPathFactory
    ) -> None:
        base = tmp_path_factory.mktemp("demo_pg")
        with on_postgres("sbe_demo", base, UNLIMITED) as stack:
            assert demo_state(stack)["loaded"] is False
            result = subprocess.run(
                [sys.executable, "-m", "launcher", "demo", "--scale", SMALL, "--seed", "7"],
                env=stack.env,
                capture_output=True,
                text=True,
                timeout=900,
            )
            assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
            assert "核对一致" in result.stdout
            state = demo_state(stack)
            assert (state["loaded"], state["seed"], state["scale"]) == (True, 7, 0.03)
            assert state["loaded_at"] and state["reconciliation"]["ok"] is True
            checks = {c["what"] for c in state["reconciliation"]["checks"]}
            assert {"楼宇 sip", "在驻企业 gusu", "死信（有意制造）"} <= checks
            assert any(c.startswith("税收 ") and c.endswith(" 全市") for c in checks)
            with admin(stack) as client:
                key = client.post(
                    "/api/v1/auth/keys",
                    json={"role": "district", "district_id": "gusu", "label": "姑苏"},
                ).json()["key"]
                gusu = {"Authorization": f"Bearer {key}"}
                assert client.get("/api/v1/demo", headers=gusu).status_code == 403
                marker = client.get("/api/v1/demo/marker", headers=gusu)
                assert marker.json() == {"demo": True}
                # The pushes were real: the review queue and the dead letters are not empty.
                pending = client.get("/api/v1/events", params={"limit": 1000}).json()["items"]
                assert any((e.get("review") or {}).get("state") == "pending" for e in pending)
                # Every export and blue book says it is demonstration data.
                export = client.get("/api/v1/lists/key", params={"format": "csv"}, headers=gusu)
                assert "演示数据" in export.content.decode("utf-8-sig")
                published = client.get("/api/v1/evaluation/publications").json()
                first = min(p["year"] for p in published)
                book = client.get(
                    f"/api/v1/evaluation/bluebook/{first}", params={"edition": "public"}
                )
                assert book.status_code == 200 and "演示数据" in book.text
                # Every building stands on the map inside its own district.
                _every_building_inside_its_district(client)


def _every_building_inside_its_district(client: httpx.Client) -> None:
    areas = {
        f["properties"]["district_id"]: shape(f["geometry"])
        for f in client.get("/api/v1/map/districts").json()["features"]
    }
    registered = client.get("/api/v1/buildings", params={"limit": 1000}).json()["total"]
    located = client.get("/api/v1/map/buildings").json()["features"]
    assert registered > 10 and len(located) == registered
    for feature in located:
        point = shapely.Point(feature["geometry"]["coordinates"])
        assert areas[feature["properties"]["district_id"]].contains(point), feature


class TestMakeRun:
    def test_an_empty_platform_on_sqlite_loads_the_city_after_start_up(
        self, tmp_path: Path
    ) -> None:
        stack = launch(
            tmp_path / "data",
            tmp_path / "stack.log",
            # The platform's own rate limits: the generator keeps them (429: it waits and resends).
            {"SBE_DEMO": "on", "SBE_DEMO_SCALE": SMALL, "SBE_DEMO_SEED": "11"},
        )
        try:
            deadline = time.monotonic() + 900
            state = demo_state(stack)
            while not state.get("loaded_at") and time.monotonic() < deadline:
                time.sleep(2)
                state = demo_state(stack)
            assert state["loaded_at"], (tmp_path / "stack.log").read_text()[-3000:]
            assert state["reconciliation"]["ok"] is True, [
                c for c in state["reconciliation"]["checks"] if not c["ok"]
            ]
            assert state["seed"] == 11
        finally:
            assert stack.stop() == 0
        # Started again, the platform holds buildings: no second city.
        again = launch(tmp_path / "data", tmp_path / "stack.log", {"SBE_DEMO": "on"})
        try:
            time.sleep(3)
            assert demo_state(again)["seed"] == 11
            assert not any("正在载入演示城市" in line for line in again.banner)
        finally:
            again.stop()
