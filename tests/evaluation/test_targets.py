"""Targets: Annex 1 for 2023, replaced in versions, imported from CSV with a dry run, exported."""

from __future__ import annotations

import csv
import io

import httpx
from openpyxl import load_workbook

from policy import district_ids
from services.evaluation.reference import targets_2023
from tests.support import SUPERVISION, as_, district

URL = "/api/v1/evaluation/targets"


def full(value: int = 1) -> dict:
    return {
        "targets": [
            {
                "district_id": d,
                "new_100m_buildings": value,
                "cumulative_100m_buildings": value,
                "new_featured_buildings": value,
                "stock_renovations": value,
                "promotion_events": value,
            }
            for d in district_ids()
        ],
        "reason": "2024年度目标动态调整",
    }


class TestReadTargets:
    async def test_2023_comes_from_annex_1(self, evaluation_api: httpx.AsyncClient) -> None:
        body = (await evaluation_api.get(f"{URL}/2023")).json()
        assert body["year"] == 2023 and body["version"] == 1
        assert [t["district_id"] for t in body["targets"]] == list(district_ids())
        sip = next(t for t in body["targets"] if t["district_id"] == "sip")
        assert sip == {"district_id": "sip", **targets_2023()["sip"]}
        totals = {k: sum(t[k] for t in body["targets"]) for k in targets_2023()["sip"]}
        assert totals == {
            "new_100m_buildings": 18,
            "cumulative_100m_buildings": 87,
            "new_featured_buildings": 27,
            "stock_renovations": 7,
            "promotion_events": 77,
        }

    async def test_every_role_reads_them(self, evaluation_api: httpx.AsyncClient) -> None:
        for principal in (SUPERVISION, district("gusu")):
            assert (await evaluation_api.get(f"{URL}/2023", auth=as_(principal))).status_code == 200

    async def test_a_year_without_targets_is_404(self, evaluation_api: httpx.AsyncClient) -> None:
        assert (await evaluation_api.get(f"{URL}/2030")).status_code == 404


class TestReplaceTargets:
    async def test_replacing_keeps_the_former_version(
        self, evaluation_api: httpx.AsyncClient
    ) -> None:
        response = await evaluation_api.put(f"{URL}/2023", json=full(2))
        assert response.status_code == 200
        assert response.json()["version"] == 2
        history = (await evaluation_api.get(f"{URL}/2023/history")).json()
        assert [v["version"] for v in history["versions"]] == [1, 2]
        assert (
            history["versions"][0]["targets"][0]["promotion_events"] == 8
        )  # zhangjiagang, Annex 1
        assert history["versions"][1]["reason"] == "2024年度目标动态调整"
        assert history["versions"][1]["created_by"]

    async def test_all_ten_districts_once(self, evaluation_api: httpx.AsyncClient) -> None:
        nine = full()
        nine["targets"] = nine["targets"][:9]
        assert (await evaluation_api.put(f"{URL}/2024", json=nine)).status_code == 422
        twice = full()
        twice["targets"][1]["district_id"] = twice["targets"][0]["district_id"]
        assert (await evaluation_api.put(f"{URL}/2024", json=twice)).status_code == 422
        negative = full()
        negative["targets"][0]["promotion_events"] = -1
        assert (await evaluation_api.put(f"{URL}/2024", json=negative)).status_code == 422

    async def test_only_the_admin_replaces(self, evaluation_api: httpx.AsyncClient) -> None:
        for principal in (SUPERVISION, district("gusu")):
            assert (
                await evaluation_api.put(f"{URL}/2024", json=full(), auth=as_(principal))
            ).status_code == 403


def annex_csv(**changes: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            "district_id",
            "name_zh",
            "new_100m_buildings",
            "cumulative_100m_buildings",
            "new_featured_buildings",
            "stock_renovations",
            "promotion_events",
        ]
    )
    for d, t in targets_2023().items():
        row = [d, "某地", *(str(v) for v in t.values())]
        if d in changes:
            row[-1] = changes[d]
        writer.writerow(row)
    return buffer.getvalue().encode("utf-8-sig")


class TestImportExport:
    async def test_a_dry_run_reports_every_problem_and_stores_nothing(
        self, evaluation_api: httpx.AsyncClient
    ) -> None:
        content = annex_csv(gusu="many", sip="-3")
        response = await evaluation_api.post(
            f"{URL}/2025/import", content=content, headers={"content-type": "text/csv"}
        )
        assert response.status_code == 200
        report = response.json()
        assert report["dry_run"] is True and report["valid"] is False
        assert {
            (p["field"], p["index"]) for p in report["problems"] if p.get("index") is not None
        } >= {
            ("promotion_events", 7),
            ("promotion_events", 8),
        }
        assert (await evaluation_api.get(f"{URL}/2025")).status_code == 404

    async def test_a_real_import_with_problems_is_refused(
        self, evaluation_api: httpx.AsyncClient
    ) -> None:
        response = await evaluation_api.post(
            f"{URL}/2025/import",
            params={"dry_run": False},
            content=annex_csv(gusu="x"),
            headers={"content-type": "text/csv"},
        )
        assert response.status_code == 422
        assert response.json()["errors"]

    async def test_a_clean_import_stores_a_version(self, evaluation_api: httpx.AsyncClient) -> None:
        response = await evaluation_api.post(
            f"{URL}/2025/import",
            params={"dry_run": False, "reason": "三年行动计划"},
            content=annex_csv(gusu="9"),
            headers={"content-type": "text/csv"},
        )
        assert response.status_code == 200 and response.json()["version"] == 1
        gusu = next(
            t
            for t in (await evaluation_api.get(f"{URL}/2025")).json()["targets"]
            if t["district_id"] == "gusu"
        )
        assert gusu["promotion_events"] == 9

    async def test_export_csv_round_trips_and_xlsx_has_chinese_headers(
        self, evaluation_api: httpx.AsyncClient
    ) -> None:
        exported = await evaluation_api.get(f"{URL}/2023/export")
        assert exported.content.startswith(b"\xef\xbb\xbf")
        dry = await evaluation_api.post(
            f"{URL}/2026/import", content=exported.content, headers={"content-type": "text/csv"}
        )
        assert dry.json()["valid"] is True
        workbook = load_workbook(
            io.BytesIO(
                (await evaluation_api.get(f"{URL}/2023/export", params={"format": "xlsx"})).content
            )
        )
        assert next(workbook.active.iter_rows(values_only=True))[:3] == (
            "地区编号",
            "地区",
            "新增亿元楼宇",
        )

    async def test_only_the_admin_imports(self, evaluation_api: httpx.AsyncClient) -> None:
        response = await evaluation_api.post(
            f"{URL}/2025/import",
            content=annex_csv(),
            headers={"content-type": "text/csv"},
            auth=as_(SUPERVISION),
        )
        assert response.status_code == 403
