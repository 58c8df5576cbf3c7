"""Early warnings per district: occupancy falling, tax falling, below the 1亿 line, a large taxpayer
moving out, a building that stopped reporting, a district behind its targets' pace; listed per
district, followed up and closed."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, ClassVar

import httpx
import pytest

from policy import TOPIC_OCCUPANCY, TOPIC_TAX
from services.monitoring.warnings.detection import detect_missing_reports
from services.monitoring.warnings.pace import behind_pace, message
from tests import fixtures
from tests.fixtures import occupancy, tax
from tests.support import SUPERVISION, Feed, as_, district, eventually

Register = Callable[..., Awaitable[str]]
URL = "/api/v1/monitoring/warnings"


async def warnings_of(client: httpx.AsyncClient, building: str) -> list[dict]:
    page = (await client.get(URL, params={"limit": 1000})).json()
    return [w for w in page["items"] if w["building_id"] == building]


def has(kind: str, reference: str | None = None) -> Callable[[list[dict]], bool]:
    return lambda items: any(
        w["kind"] == kind and reference in (None, w["reference"]) for w in items
    )


async def a_drop(
    monitoring: httpx.AsyncClient, feed: Feed, register: Register, district_id: str
) -> dict:
    """A new building of the district whose occupancy falls 90 points: its one warning."""
    building = await register(district_id)
    await feed.send_all(
        TOPIC_OCCUPANCY,
        [occupancy(building, "2023-01", 1000, 1000), occupancy(building, "2023-02", 1000, 100)],
    )
    (warning,) = await eventually(lambda: warnings_of(monitoring, building), has("occupancy_drop"))
    return warning


class TestRaisingWarnings:
    async def test_occupancy_falling_month_on_month(
        self, monitoring: httpx.AsyncClient, feed: Feed, register: Register
    ) -> None:
        building = await register("kunshan")
        await feed.send_all(
            TOPIC_OCCUPANCY,
            [occupancy(building, "2023-01", 1000, 900), occupancy(building, "2023-02", 1000, 700)],
        )
        found = await eventually(
            lambda: warnings_of(monitoring, building), has("occupancy_drop", "2023-02")
        )
        warning = found[0]
        assert warning["district_id"] == "kunshan"
        assert "20.0个百分点" in warning["message"]
        assert warning["building_name"] == "苏州国际金融中心"  # as the registry named it

    async def test_a_small_fall_raises_nothing(
        self, monitoring: httpx.AsyncClient, feed: Feed, register: Register
    ) -> None:
        building = await register("kunshan")
        await feed.send_all(
            TOPIC_OCCUPANCY,
            [occupancy(building, "2023-01", 1000, 900), occupancy(building, "2023-02", 1000, 850)],
        )
        await feed.send(TOPIC_TAX, tax(building, "2023-03", "1"))
        await eventually(
            lambda: monitoring.get(f"/api/v1/monitoring/buildings/{building}/series"),
            lambda r: len(r.json().get("months", [])) == 3,
        )
        await feed.send(TOPIC_TAX, tax(building, "2023-04", "1"))
        await eventually(
            lambda: monitoring.get(f"/api/v1/monitoring/buildings/{building}/series"),
            lambda r: len(r.json().get("months", [])) == 4,
        )
        assert await warnings_of(monitoring, building) == []

    async def test_tax_falling_year_on_year(
        self, monitoring: httpx.AsyncClient, feed: Feed, register: Register
    ) -> None:
        building = await register("taicang")
        messages = [tax(building, f"2022-0{m}", "100.00") for m in (1, 2, 3)]
        messages += [tax(building, f"2023-0{m}", "50.00") for m in (1, 2, 3)]
        await feed.send_all(TOPIC_TAX, messages)
        found = await eventually(lambda: warnings_of(monitoring, building), has("tax_drop", "2023"))
        assert "50%" in found[0]["message"]

    async def test_crossing_below_the_100m_line(
        self, monitoring: httpx.AsyncClient, feed: Feed, register: Register
    ) -> None:
        building = await register("changshu")
        await feed.send(TOPIC_TAX, tax(building, "2022-12", "120000000.00"))
        await feed.send(TOPIC_TAX, tax(building, "2023-01", "-30000000.00"))
        await eventually(lambda: warnings_of(monitoring, building), has("below_100m", "2023-01"))

    async def test_a_large_taxpayer_moving_out(
        self,
        monitoring: httpx.AsyncClient,
        registry_client: httpx.AsyncClient,
        feed: Feed,
        register: Register,
    ) -> None:
        building = await register("xiangcheng")
        big, small = fixtures.uscc(), fixtures.uscc()
        await feed.send_all(
            TOPIC_TAX,
            [
                tax(building, "2023-02", "20000000.00", uscc=big),
                tax(building, "2023-02", "100.00", uscc=small),
            ],
        )
        await eventually(
            lambda: monitoring.get(f"/api/v1/monitoring/buildings/{building}/series"),
            lambda r: [m["tax_total_cny"] for m in r.json().get("months", [])] == ["20000100.00"],
        )
        records = [
            fixtures.movement(
                building_id=building,
                uscc=big,
                kind="move_out",
                date="2023-06-30",
                enterprise_name="某大型企业",
            ),
            fixtures.movement(building_id=building, uscc=small, kind="move_out", date="2023-06-30"),
        ]
        assert (
            await registry_client.post("/api/v1/enterprise-movements", json={"records": records})
        ).status_code == 200
        found = await eventually(
            lambda: warnings_of(monitoring, building), has("large_taxpayer_moved_out")
        )
        assert len(found) == 1
        assert big in found[0]["message"] and "某大型企业" in found[0]["message"]
        assert "20000000" not in found[0]["message"]  # the enterprise's tax is never shown
        # It rests on an enterprise's tax (税收保密): supervision sees it, the district does not,
        # not even by its id.
        office = (await monitoring.get(URL, auth=as_(SUPERVISION), params={"limit": 1000})).json()
        assert found[0]["id"] in [w["id"] for w in office["items"]]
        own = as_(district("xiangcheng"))
        seen = (await monitoring.get(URL, auth=own, params={"limit": 1000})).json()["items"]
        assert not [w for w in seen if w["kind"] == "large_taxpayer_moved_out"]
        filtered = await monitoring.get(URL, auth=own, params={"kind": "large_taxpayer_moved_out"})
        assert filtered.json()["total"] == 0
        acknowledged = await monitoring.post(f"{URL}/{found[0]['id']}/acknowledge", auth=own)
        assert acknowledged.status_code == 404


class TestReadingAndAcknowledging:
    async def test_districts_see_their_own_and_acknowledge_them(
        self, monitoring: httpx.AsyncClient, feed: Feed, register: Register
    ) -> None:
        warning = await a_drop(monitoring, feed, register, "wujiang")
        own = (await monitoring.get(URL, auth=as_(district("wujiang")))).json()
        assert [w["id"] for w in own["items"]] == [warning["id"]]
        assert (await monitoring.get(URL, auth=as_(district("gusu")))).json()["total"] == 0
        assert (
            await monitoring.get(URL, params={"district_id": "wujiang"}, auth=as_(district("gusu")))
        ).status_code == 403
        ack = f"{URL}/{warning['id']}/acknowledge"
        assert (await monitoring.post(ack, auth=as_(district("gusu")))).status_code == 403
        assert (await monitoring.post(ack, auth=as_(SUPERVISION))).status_code == 403
        done = await monitoring.post(ack, auth=as_(district("wujiang")))
        assert done.status_code == 200
        assert done.json()["acknowledged_at"] is not None
        open_ones = (
            await monitoring.get(URL, params={"acknowledged": False, "district_id": "wujiang"})
        ).json()
        assert open_ones["total"] == 0

    async def test_unknown_warning_is_404(self, monitoring: httpx.AsyncClient) -> None:
        assert (await monitoring.post(f"{URL}/999999/acknowledge")).status_code == 404


class TestThresholds:
    """The administrator sets the thresholds through the API; each version is kept."""

    SETTINGS = f"{URL}/settings"

    async def test_a_lower_threshold_warns_of_a_fall_the_default_let_pass(
        self, monitoring: httpx.AsyncClient, feed: Feed, register: Register
    ) -> None:
        default = (await monitoring.get(self.SETTINGS)).json()
        assert default["version"] == 0 and default["occupancy_drop_points"] == 10
        changed = await monitoring.put(
            self.SETTINGS,
            json={
                "occupancy_drop_points": 3,
                "tax_drop_share": 0.3,
                "large_taxpayer_cny": 10_000_000,
                "reason": "2024年起从严监测出租率",
            },
        )
        assert changed.status_code == 200, changed.text
        assert changed.json()["version"] == 1 and changed.json()["occupancy_drop_points"] == 3
        building = await register("kunshan")
        await feed.send_all(
            TOPIC_OCCUPANCY,  # a fall of 5 points: below the default 10, above the new 3
            [occupancy(building, "2023-01", 1000, 900), occupancy(building, "2023-02", 1000, 850)],
        )
        await eventually(
            lambda: warnings_of(monitoring, building), has("occupancy_drop", "2023-02")
        )
        history = (await monitoring.get(f"{self.SETTINGS}/history")).json()
        assert [h["version"] for h in history] == [0, 1]
        assert history[1]["reason"] == "2024年起从严监测出租率" and history[1]["changed_by"]

    async def test_thresholds_are_bounded(self, monitoring: httpx.AsyncClient) -> None:
        response = await monitoring.put(
            self.SETTINGS,
            json={
                "occupancy_drop_points": 0,
                "tax_drop_share": 2,
                "large_taxpayer_cny": 1,
                "reason": "x",
            },
        )
        assert response.status_code == 422
        assert {e["field"] for e in response.json()["errors"]} == {
            "occupancy_drop_points",
            "tax_drop_share",
        }

    async def test_only_the_administrator_sets_them(self, monitoring: httpx.AsyncClient) -> None:
        body = {
            "occupancy_drop_points": 5,
            "tax_drop_share": 0.3,
            "large_taxpayer_cny": 10_000_000,
            "reason": "x",
        }
        for principal in (SUPERVISION, district("kunshan")):
            refused = await monitoring.put(self.SETTINGS, json=body, auth=as_(principal))
            assert refused.status_code == 403
        assert (await monitoring.get(self.SETTINGS, auth=as_(SUPERVISION))).status_code == 200
        assert (
            await monitoring.get(self.SETTINGS, auth=as_(district("kunshan")))
        ).status_code == 403


class TestFollowingUp:
    """A warning is assigned, commented, closed (and reopened), each step in its trail."""

    async def test_the_district_follows_its_warning_up_to_closing(
        self, monitoring: httpx.AsyncClient, feed: Feed, register: Register
    ) -> None:
        warning = await a_drop(monitoring, feed, register, "wujiang")
        url = f"{URL}/{warning['id']}"
        own = as_(district("wujiang"))
        assigned = await monitoring.post(f"{url}/assign", json={"assignee": "招商科张三"}, auth=own)
        assert assigned.status_code == 200 and assigned.json()["assigned_to"] == "招商科张三"
        noted = await monitoring.post(
            f"{url}/comments", json={"text": "已联系物业，主力租户到期未续约"}, auth=own
        )
        assert noted.status_code == 201
        closed = await monitoring.post(f"{url}/close", json={"note": "新租户已签约"}, auth=own)
        assert closed.json()["closed_at"] is not None
        assert closed.json()["acknowledged_at"] is not None  # closing acknowledges it
        again = await monitoring.post(f"{url}/close", json={"note": "x"}, auth=own)
        assert again.status_code == 409
        listed = await monitoring.get(URL, params={"closed": True}, auth=own)
        assert [w["id"] for w in listed.json()["items"]] == [warning["id"]]
        reopened = await monitoring.post(f"{url}/reopen", json={"note": "新租户退租"})
        assert reopened.json()["closed_at"] is None
        trail = (await monitoring.get(f"{url}/trail", auth=own)).json()
        assert [s["action"] for s in trail] == ["assigned", "commented", "closed", "reopened"]
        assert trail[1]["text"] == "已联系物业，主力租户到期未续约"

    async def test_others_cannot_follow_it_up_or_read_its_trail(
        self, monitoring: httpx.AsyncClient, feed: Feed, register: Register
    ) -> None:
        warning = await a_drop(monitoring, feed, register, "wujiang")
        url = f"{URL}/{warning['id']}"
        for principal in (district("gusu"), SUPERVISION):
            assert (
                await monitoring.post(f"{url}/close", json={"note": "x"}, auth=as_(principal))
            ).status_code == 403
            assert (
                await monitoring.post(f"{url}/assign", json={"assignee": "x"}, auth=as_(principal))
            ).status_code == 403
        assert (await monitoring.get(f"{url}/trail", auth=as_(district("gusu")))).status_code == 403
        assert (await monitoring.get(f"{url}/trail", auth=as_(SUPERVISION))).status_code == 200


class TestReportsStopping:
    """数据中断: a building that reported last month and not in a month the others reported."""

    async def test_a_building_that_stopped_reporting_tax_is_warned_of(
        self, monitoring: httpx.AsyncClient, feed: Feed, register: Register, services: Any
    ) -> None:
        steady = [await register("taicang") for _ in range(2)]
        silent = await register("taicang")
        await feed.send_all(
            TOPIC_TAX,
            [tax(b, "2023-01", "1000.00") for b in [*steady, silent]]
            + [tax(b, "2023-02", "1000.00") for b in steady],
        )

        async def months_of(building: str) -> int:
            series = await monitoring.get(f"/api/v1/monitoring/buildings/{building}/series")
            return len(series.json().get("months", []))

        for building in steady:
            await eventually(lambda b=building: months_of(b), lambda n: n == 2)
        await eventually(lambda: months_of(silent), lambda n: n == 1)
        database = services.apps["monitoring"].state.database
        async with database.unit_of_work() as session:
            assert await detect_missing_reports(session) == 1
        (warning,) = await warnings_of(monitoring, silent)
        assert warning["kind"] == "reports_missing" and warning["reference"] == "2023-02/tax"
        assert "2023-01报送了税收数据，2023-02尚未报送" in warning["message"]
        for building in steady:
            assert await warnings_of(monitoring, building) == []
        async with database.unit_of_work() as session:
            await detect_missing_reports(session)  # raised once, however often it looks
        assert len(await warnings_of(monitoring, silent)) == 1


class TestBehindPace:
    """落后于时序进度. By hand, for a district with targets 4, 14 and 6 and actuals 1, 14 and 0:
    share (1/4 + 1 + 0) / 3 = 0.4167. By September (M/12 = 0.75) the default 0.5 × 0.75 = 0.375
    lets it pass; by December (0.5 × 1 = 0.5) it is behind, lagging on the first and third."""

    BOARD: ClassVar[list[dict[str, Any]]] = [
        {
            "district_id": "gusu",
            "indicators": [
                {"key": "new_100m_buildings", "actual": 1, "target": 4},
                {"key": "cumulative_100m_buildings", "actual": 14, "target": 14},
                {"key": "promotion_events", "actual": 0, "target": 6},
                {"key": "tax_growth", "actual": 0.3, "target": None},  # not a target
            ],
        },
        # a target of 0 does not enter the share: no targets, never behind
        {
            "district_id": "huqiu",
            "indicators": [{"key": "stock_renovations", "actual": 0, "target": 0}],
        },
        # beyond a target counts as the target (capped at 1)
        {
            "district_id": "sip",
            "indicators": [{"key": "promotion_events", "actual": 30, "target": 6}],
        },
    ]

    def test_the_rule_worked_by_hand(self) -> None:
        assert behind_pace(self.BOARD, 9, 0.5) == []
        (gusu,) = behind_pace(self.BOARD, 12, 0.5)
        assert gusu.district_id == "gusu" and gusu.share == pytest.approx(1.25 / 3)
        assert gusu.expected == 1 and [k for k, _, _ in gusu.lagging] == [
            "new_100m_buildings",
            "promotion_events",
        ]
        assert [p.district_id for p in behind_pace(self.BOARD, 9, 0.6)] == ["gusu"]  # 0.45
        assert (
            message(gusu, 2023, 12, 0.5)
            == "截至2023年12月，姑苏区年度目标完成进度42%，低于时序进度100%的50%"
            "（新增亿元楼宇1/4、招商推介活动0/6）"
        )

    async def test_the_administrator_checks_and_districts_see_their_own(
        self, monitoring: httpx.AsyncClient
    ) -> None:
        check = {"year": 2023, "month": 6}
        for principal in (SUPERVISION, district("gusu")):
            refused = await monitoring.post(f"{URL}/pace-checks", json=check, auth=as_(principal))
            assert refused.status_code == 403
        assert (
            await monitoring.post(f"{URL}/pace-checks", json={**check, "month": 13})
        ).status_code == 422
        # Nothing achieved yet: every district is behind (0 < 0.5 × 6/12).
        result = (await monitoring.post(f"{URL}/pace-checks", json=check)).json()
        assert result == {"year": 2023, "month": 6, "pace_share": 0.5, "behind": 10}
        again = (await monitoring.post(f"{URL}/pace-checks", json=check)).json()
        assert again["behind"] == 10  # still behind, but each warning is raised once
        page = (await monitoring.get(URL, params={"kind": "behind_pace", "limit": 100})).json()
        assert page["total"] == 10
        gusu = next(w for w in page["items"] if w["district_id"] == "gusu")
        assert gusu["building_id"] is None and gusu["reference"] == "2023-06/gusu"
        assert gusu["message"].startswith(
            "截至2023年6月，姑苏区年度目标完成进度0%，低于时序进度50%"
        )
        own = (
            await monitoring.get(URL, params={"kind": "behind_pace"}, auth=as_(district("gusu")))
        ).json()
        assert [w["district_id"] for w in own["items"]] == ["gusu"]
