"""Annex 2's key tasks: status reports with evidence, overdue flags, who reports what."""

from __future__ import annotations

from typing import ClassVar

import httpx

from policy import district_ids
from shared import Principal, Role
from tests.support import SUPERVISION, as_, district, metric_value

URL = "/api/v1/evaluation/tasks"
BUREAU = Principal(key_id="k-bureau", role=Role.bureau, label="市资源规划局", unit="市资源规划局")


async def verified(client: httpx.AsyncClient, response: httpx.Response) -> dict:
    """The administrator verifies the report a district or a bureau just made (its newest)."""
    assert response.status_code == 201, response.text
    task = response.json()
    report = task["reports"][0]
    assert report["review"]["state"] == "pending"
    decided = await client.post(
        f"{URL}/{task['task_id']}/reports/{report['id']}/review", json={"decision": "verified"}
    )
    assert decided.status_code == 200, decided.text
    assert decided.json()["review"]["state"] == "verified"
    return dict((await client.get(f"{URL}/{task['task_id']}")).json())


class TestKeyTasks:
    async def test_the_annex_2_tasks_are_listed_and_overdue_ones_flagged(
        self, evaluation_api: httpx.AsyncClient
    ) -> None:
        tasks = (await evaluation_api.get(URL)).json()
        assert [t["task_id"] for t in tasks][:3] == ["1.1", "1.2", "1.3"]
        assert len(tasks) == 17
        first = tasks[0]
        assert first["deadline"] == "2023-04-30" and first["responsible_units"] == ["市资源规划局"]
        assert first["status"] == "not_started" and first["overdue"] is True
        ongoing = next(t for t in tasks if t["task_id"] == "2.2")
        assert ongoing["deadline"] is None and ongoing["overdue"] is False

    async def test_the_overdue_count_is_exported_for_alerting(
        self, evaluation_api: httpx.AsyncClient
    ) -> None:
        overdue = (await evaluation_api.get(URL, params={"overdue": "true"})).json()
        text = (await evaluation_api.get("/metrics")).text
        assert metric_value(text, "sbe_evaluation_key_tasks_overdue") == len(overdue) > 0
        first = overdue[0]
        report = {"status": "done", "evidence": "已完成", "reported_on": "2023-04-20"}
        for unit in first["responsible_units"]:
            response = await evaluation_api.post(
                f"{URL}/{first['task_id']}/reports", json={**report, "unit": unit}
            )
            assert response.status_code == 201
        text = (await evaluation_api.get("/metrics")).text
        assert metric_value(text, "sbe_evaluation_key_tasks_overdue") == len(overdue) - 1

    async def test_a_district_reports_for_its_government(
        self, evaluation_api: httpx.AsyncClient
    ) -> None:
        report = {"status": "done", "evidence": "已形成三个名录并报送", "reported_on": "2023-04-20"}
        response = await evaluation_api.post(
            f"{URL}/2.1/reports", json=report, auth=as_(district("gusu"))
        )
        assert response.status_code == 201
        task = response.json()
        assert task["reports"][0]["unit"] == "姑苏区人民政府"
        # Pending until the administrator verifies it: the unit has not moved yet.
        assert task["units"] == [
            {
                "unit": "姑苏区人民政府",
                "status": "not_started",
                "latest_report": None,
                "pending_report": task["reports"][0],
            }
        ]
        assert task["status"] == "not_started"
        task = await verified(evaluation_api, response)
        gusu = next(u for u in task["units"] if u["unit"] == "姑苏区人民政府")
        assert gusu["status"] == "done" and gusu["pending_report"] is None
        # One government done is not the task done: the other nine have not reported.
        assert task["status"] == "in_progress"
        sip = await evaluation_api.post(
            f"{URL}/2.1/reports", json=report, auth=as_(district("sip"))
        )
        assert [r["unit"] for r in sip.json()["reports"]] == ["苏州工业园区管委会"]


class TestPerUnitStatus:
    REPORT: ClassVar[dict[str, str]] = {
        "status": "done",
        "evidence": "已完成",
        "reported_on": "2023-04-20",
    }

    async def test_the_task_is_done_when_every_unit_is(
        self, evaluation_api: httpx.AsyncClient
    ) -> None:
        for district_id in district_ids():
            task = await verified(
                evaluation_api,
                await evaluation_api.post(
                    f"{URL}/2.1/reports", json=self.REPORT, auth=as_(district(district_id))
                ),
            )
        assert task["status"] == "in_progress"  # the city's bureaus have not reported yet
        for unit in ("市发改委", "市资源规划局", "市住建局", "市国资委"):
            task = (
                await evaluation_api.post(f"{URL}/2.1/reports", json={**self.REPORT, "unit": unit})
            ).json()
        assert task["status"] == "done"
        full = (await evaluation_api.get(f"{URL}/2.1")).json()
        assert len(full["units"]) == 14 and all(u["status"] == "done" for u in full["units"])
        # A later report by one unit reopens the task for that unit alone.
        later = {**self.REPORT, "status": "in_progress", "reported_on": "2023-05-01"}
        reopening = await evaluation_api.post(
            f"{URL}/2.1/reports", json=later, auth=as_(district("gusu"))
        )
        assert (await evaluation_api.get(f"{URL}/2.1")).json()["status"] == "done"  # pending
        again = await verified(evaluation_api, reopening)
        assert again["status"] == "in_progress"
        assert [u["unit"] for u in again["units"] if u["status"] != "done"] == ["姑苏区人民政府"]

    async def test_a_district_sees_its_own_line_and_reports_only(
        self, evaluation_api: httpx.AsyncClient
    ) -> None:
        await verified(
            evaluation_api,
            await evaluation_api.post(
                f"{URL}/2.1/reports", json=self.REPORT, auth=as_(district("gusu"))
            ),
        )
        seen = (await evaluation_api.get(f"{URL}/2.1", auth=as_(district("sip")))).json()
        assert seen["reports"] == [] and seen["latest_report"] is None
        assert [u["unit"] for u in seen["units"]] == ["苏州工业园区管委会"]
        listed = (await evaluation_api.get(URL, auth=as_(district("sip")))).json()
        line = next(t for t in listed if t["task_id"] == "2.1")
        assert line["latest_report"] is None and line["status"] == "in_progress"

    async def test_report_dates_are_bounded(self, evaluation_api: httpx.AsyncClient) -> None:
        for reported_on in ("9999-12-31", "2099-01-01", "2022-12-31", "1900-01-01"):
            response = await evaluation_api.post(
                f"{URL}/2.1/reports",
                json={**self.REPORT, "reported_on": reported_on},
                auth=as_(district("gusu")),
            )
            assert response.status_code == 422, reported_on
            assert response.json()["errors"][0]["field"] == "reported_on"
        task = (await evaluation_api.get(f"{URL}/2.1")).json()
        assert task["status"] == "not_started" and task["reports"] == []

    async def test_the_admin_reports_only_for_responsible_units(
        self, evaluation_api: httpx.AsyncClient
    ) -> None:
        response = await evaluation_api.post(
            f"{URL}/1.1/reports", json={**self.REPORT, "unit": "市商务局"}
        )
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "unit"

    async def test_a_district_cannot_report_for_departments(
        self, evaluation_api: httpx.AsyncClient
    ) -> None:
        report = {"status": "done", "evidence": "完成", "reported_on": "2023-04-20"}
        assert (
            await evaluation_api.post(f"{URL}/1.1/reports", json=report, auth=as_(district("gusu")))
        ).status_code == 403
        impersonating = {**report, "unit": "市发改委"}
        assert (
            await evaluation_api.post(
                f"{URL}/2.1/reports", json=impersonating, auth=as_(district("gusu"))
            )
        ).status_code == 403

    async def test_the_admin_reports_for_a_named_unit_and_supervision_only_reads(
        self, evaluation_api: httpx.AsyncClient
    ) -> None:
        report = {"status": "in_progress", "evidence": "正在制定", "reported_on": "2023-03-01"}
        assert (await evaluation_api.post(f"{URL}/1.1/reports", json=report)).status_code == 422
        named = await evaluation_api.post(
            f"{URL}/1.1/reports", json={**report, "unit": "市资源规划局"}
        )
        assert named.status_code == 201 and named.json()["overdue"] is True
        assert (
            await evaluation_api.post(f"{URL}/1.1/reports", json=report, auth=as_(SUPERVISION))
        ).status_code == 403
        assert (await evaluation_api.get(f"{URL}/1.1", auth=as_(SUPERVISION))).json()["reports"][0][
            "unit"
        ] == "市资源规划局"
        overdue = (await evaluation_api.get(URL, params={"overdue": True})).json()
        assert "1.1" in [t["task_id"] for t in overdue]

    async def test_unknown_task_is_404(self, evaluation_api: httpx.AsyncClient) -> None:
        assert (await evaluation_api.get(f"{URL}/9.9")).status_code == 404


class TestBureaus:
    """A municipal bureau reports its own unit's tasks and reads no district's data."""

    BUREAU = BUREAU
    REPORT: ClassVar[dict[str, str]] = {
        "status": "done",
        "evidence": "已出台规划条件",
        "reported_on": "2023-04-20",
    }

    async def test_a_bureau_reports_for_its_own_unit(
        self, evaluation_api: httpx.AsyncClient
    ) -> None:
        response = await evaluation_api.post(
            f"{URL}/1.1/reports", json=self.REPORT, auth=as_(self.BUREAU)
        )
        assert response.status_code == 201, response.text
        assert response.json()["status"] == "not_started"  # pending review
        task = await verified(evaluation_api, response)
        assert task["status"] == "done" and task["reports"][0]["unit"] == "市资源规划局"

    async def test_a_bureau_cannot_report_for_another_unit(
        self, evaluation_api: httpx.AsyncClient
    ) -> None:
        other_task = await evaluation_api.post(
            f"{URL}/1.2/reports", json=self.REPORT, auth=as_(self.BUREAU)
        )
        assert other_task.status_code == 403
        impersonating = await evaluation_api.post(
            f"{URL}/1.1/reports", json={**self.REPORT, "unit": "市住建局"}, auth=as_(self.BUREAU)
        )
        assert impersonating.status_code == 403

    async def test_a_bureau_reads_no_districts_scores(
        self, evaluation_api: httpx.AsyncClient
    ) -> None:
        scores = await evaluation_api.get(
            "/api/v1/evaluation/scores", params={"year": 2023}, auth=as_(self.BUREAU)
        )
        assert scores.status_code == 200 and scores.json()["districts"] == []
