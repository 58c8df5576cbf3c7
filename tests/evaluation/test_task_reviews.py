"""Annex 2's key tasks under review: a report counts once the 发改委 verifies it, its evidence is
kept with it, and each year's task list is the one adjusted for that year."""

from __future__ import annotations

from typing import Any, ClassVar

import httpx
import pytest

from shared import Principal
from tests.evaluation.test_tasks import BUREAU, URL
from tests.support import SUPERVISION, as_, district, must


class TestReview:
    """A unit's report moves its status only once the administrator verifies it."""

    REPORT: ClassVar[dict[str, str]] = {
        "status": "done",
        "evidence": "已形成三个名录并报送",
        "reported_on": "2023-04-20",
    }

    async def test_a_rejection_keeps_the_unit_where_it_was_and_tells_the_district_why(
        self, evaluation_api: httpx.AsyncClient
    ) -> None:
        gusu = as_(district("gusu"))
        task = (await evaluation_api.post(f"{URL}/2.1/reports", json=self.REPORT, auth=gusu)).json()
        report_id = task["reports"][0]["id"]
        url = f"{URL}/2.1/reports/{report_id}/review"
        no_reason = await evaluation_api.post(url, json={"decision": "rejected"})
        assert no_reason.status_code == 422
        rejected = await evaluation_api.post(
            url, json={"decision": "rejected", "reason": "名录未附正式文件"}
        )
        assert rejected.json()["review"]["state"] == "rejected"
        seen = (await evaluation_api.get(f"{URL}/2.1", auth=gusu)).json()
        assert seen["reports"][0]["review"]["reason"] == "名录未附正式文件"
        assert seen["units"][0]["status"] == "not_started"
        assert seen["units"][0]["pending_report"] is None

    async def test_the_administrators_report_is_verified_at_once(
        self, evaluation_api: httpx.AsyncClient
    ) -> None:
        task = (
            await evaluation_api.post(
                f"{URL}/1.1/reports", json={**self.REPORT, "unit": "市资源规划局"}
            )
        ).json()
        assert task["reports"][0]["review"]["state"] == "verified"
        assert task["status"] == "done"

    async def test_only_the_administrator_reviews(self, evaluation_api: httpx.AsyncClient) -> None:
        gusu = as_(district("gusu"))
        task = (await evaluation_api.post(f"{URL}/2.1/reports", json=self.REPORT, auth=gusu)).json()
        url = f"{URL}/2.1/reports/{task['reports'][0]['id']}/review"
        for principal in (district("gusu"), SUPERVISION, BUREAU):
            response = await evaluation_api.post(
                url, json={"decision": "verified"}, auth=as_(principal)
            )
            assert response.status_code == 403
        assert (await evaluation_api.get(f"{URL}/2.1")).json()["status"] == "not_started"

    async def test_a_report_is_reviewed_under_its_own_task(
        self, evaluation_api: httpx.AsyncClient
    ) -> None:
        gusu = as_(district("gusu"))
        task = (await evaluation_api.post(f"{URL}/2.1/reports", json=self.REPORT, auth=gusu)).json()
        elsewhere = await evaluation_api.post(
            f"{URL}/1.1/reports/{task['reports'][0]['id']}/review", json={"decision": "verified"}
        )
        assert elsewhere.status_code == 404


class TestReportEvidence:
    PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"

    async def test_a_unit_attaches_evidence_to_its_report_and_no_other_unit_sees_it(
        self, evaluation_api: httpx.AsyncClient
    ) -> None:
        gusu = as_(district("gusu"))
        report = {"status": "done", "evidence": "见附件", "reported_on": "2023-04-20"}
        task = (await evaluation_api.post(f"{URL}/2.1/reports", json=report, auth=gusu)).json()
        url = f"{URL}/2.1/reports/{task['reports'][0]['id']}/evidence"
        attached = await evaluation_api.post(
            url,
            params={"filename": "名录.pdf"},
            content=self.PDF,
            headers={"Content-Type": "application/pdf"},
            auth=gusu,
        )
        assert attached.status_code == 201, attached.text
        assert [a["title"] for a in (await evaluation_api.get(url, auth=gusu)).json()] == [
            "名录.pdf"
        ]
        sip = as_(district("sip"))
        assert (await evaluation_api.get(url, auth=sip)).status_code == 404
        stolen = await evaluation_api.post(
            url,
            params={"filename": "x.pdf"},
            content=self.PDF,
            headers={"Content-Type": "application/pdf"},
            auth=sip,
        )
        assert stolen.status_code == 403
        admin_sees = await evaluation_api.get(f"{url}/{attached.json()['id']}")
        assert admin_sees.content == self.PDF


class TestYearlyLists:
    """每年动态调整: the administrator adds and edits a year's tasks, with history."""

    NEW: ClassVar[dict] = {
        "task_id": "2024-1.1",
        "year": 2024,
        "work_area_no": 1,
        "work_area": "优化楼宇服务流程",
        "task": "制定楼宇经济统计监测办法",
        "deadline": "2024-06-30",
        "responsible_units": ["市统计局", "各县级市（区）人民政府"],
        "reason": "2024年工作要点",
    }

    async def test_the_administrator_adds_and_changes_a_years_task_with_history(
        self, evaluation_api: httpx.AsyncClient, services: object
    ) -> None:
        added = await evaluation_api.post(URL, json=self.NEW)
        assert added.status_code == 201, added.text
        body = added.json()
        assert body["year"] == 2024 and len(body["units"]) == 11
        assert (await evaluation_api.post(URL, json=self.NEW)).status_code == 409
        changed = await evaluation_api.patch(
            f"{URL}/2024-1.1",
            json={"deadline": "2024-09-30", "responsible_units": ["市统计局"], "reason": "调整"},
        )
        assert changed.status_code == 200, changed.text
        assert changed.json()["deadline"] == "2024-09-30"
        assert [u["unit"] for u in changed.json()["units"]] == ["市统计局"]
        history = (await evaluation_api.get(f"{URL}/2024-1.1/history")).json()
        assert [h["action"] for h in history] == ["added", "changed"]
        assert history[1]["before"]["deadline"] == "2024-06-30"
        assert history[1]["after"]["deadline"] == "2024-09-30"
        assert history[1]["reason"] == "调整"
        listed = (await evaluation_api.get(URL, params={"year": 2024})).json()
        assert [t["task_id"] for t in listed] == ["2024-1.1"]
        assert len((await evaluation_api.get(URL, params={"year": 2023})).json()) == 17

    async def test_a_reports_date_is_bounded_by_its_tasks_year(
        self, evaluation_api: httpx.AsyncClient
    ) -> None:
        must(await evaluation_api.post(URL, json=self.NEW))
        early = await evaluation_api.post(
            f"{URL}/2024-1.1/reports",
            json={
                "status": "in_progress",
                "evidence": "起草中",
                "reported_on": "2023-12-31",
                "unit": "市统计局",
            },
        )
        assert early.status_code == 422
        assert early.json()["errors"][0]["field"] == "reported_on"

    async def test_an_edit_of_an_annex_2_task_survives_a_restart(
        self, evaluation_api: httpx.AsyncClient, services: Any
    ) -> None:
        changed = await evaluation_api.patch(
            f"{URL}/1.1", json={"deadline": "2023-06-30", "reason": "延期"}
        )
        assert changed.status_code == 200
        from services.evaluation.tasks.admin import seed_key_tasks

        database = services.apps["evaluation"].state.database
        async with database.unit_of_work() as session:
            await seed_key_tasks(session)
        again = (await evaluation_api.get(f"{URL}/1.1")).json()
        assert again["deadline"] == "2023-06-30"

    @pytest.mark.parametrize("principal", [SUPERVISION, district("gusu"), BUREAU])
    async def test_only_the_administrator_sets_the_tasks(
        self, evaluation_api: httpx.AsyncClient, principal: Principal
    ) -> None:
        assert (
            await evaluation_api.post(URL, json=self.NEW, auth=as_(principal))
        ).status_code == 403
        assert (
            await evaluation_api.patch(
                f"{URL}/1.1", json={"deadline": None, "reason": "x"}, auth=as_(principal)
            )
        ).status_code == 403
