"""The blue book printed from a publication (HTML, XLSX, PDF; full and public editions), and
publications frozen against later data, on the scenario of tests/evaluation/scenario.py."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import asyncpg
import httpx
import pytest
from kafka import KafkaProducer

from policy import TOPIC_TAX
from tests.evaluation.scenario import HUQIU, SCORES, by_district
from tests.fixtures import tax
from tests.support import SUPERVISION, Feed, as_, eventually, metric_value


class TestBlueBook:
    """The blue book is printed from a publication. By hand, 2023: tax 1.5亿 (H1) + 1亿 (H2)
    + 2亿 (X1) = 4.50亿 against 2.50亿 in 2022 (+80.0%); over 1亿: X1 (2.00) and H1 (1.50);
    movements: 3 in (April) and 1 out (May) in huqiu, 1 in (June) in xiangcheng."""

    async def test_nothing_to_print_before_the_year_is_published(
        self, evaluation: httpx.AsyncClient
    ) -> None:
        response = await evaluation.get("/api/v1/evaluation/bluebook/2023")
        assert response.status_code == 404
        assert "POST /api/v1/evaluation/publications" in response.json()["detail"]

    async def test_html_is_one_self_contained_chinese_document_of_the_publication(
        self, evaluation: httpx.AsyncClient
    ) -> None:
        published = await evaluation.post("/api/v1/evaluation/publications", json={"year": 2023})
        assert published.status_code == 201, published.text
        response = await evaluation.get("/api/v1/evaluation/bluebook/2023")
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/html")
        page = response.text
        assert "2023年苏州楼宇经济高质量发展蓝皮书" in page
        assert f"依据第{published.json()['id']}号发布" in page
        assert "<svg" in page and "楼宇eval-h1" in page and "虎丘区" in page
        assert "楼宇覆盖情况" in page and "待审核" in page
        assert "4.50亿元" in page and "+80.0%" in page  # the city's tax, year on year
        assert "税收超过1亿元的楼宇（2栋）" in page and "税收超过5亿元的楼宇（0栋）" in page
        assert "产业结构" in page and "金融业" in page and "企业迁入迁出" in page
        assert "虎丘区推介会10" not in page  # pending: not among the events held
        # self-contained: no style sheet, script or image fetched from anywhere
        assert "<link" not in page and "<script" not in page and "src=" not in page

    async def test_xlsx_has_the_same_figures(self, evaluation: httpx.AsyncClient) -> None:
        workbook = await _workbook(evaluation, "/api/v1/evaluation/bluebook/2023")
        assert {
            "全市概况",
            "目标完成",
            "各地区运行",
            "亿元楼宇梯队",
            "产业结构",
            "企业迁入迁出",
            "月度走势",
            "重点任务",
            "楼宇覆盖",
        } <= set(workbook.sheetnames)
        overview = dict(list(workbook["全市概况"].iter_rows(values_only=True))[1:])
        assert overview["全口径税收（万元）"] == 45_000 and overview["上年税收（万元）"] == 25_000
        assert overview["同比"] == pytest.approx(0.8) and overview["亿元楼宇（栋）"] == 2
        coverage = {row[0]: row for row in workbook["楼宇覆盖"].iter_rows(values_only=True)}
        assert coverage["虎丘区"][2:4] == (2, 1)
        targets = list(workbook["目标完成"].iter_rows(values_only=True))
        huqiu = next(row for row in targets if row[0] == "虎丘区")
        assert huqiu[-1] == "招商推介活动1、存量楼宇改造提升1"  # entered by huqiu, not yet verified
        assert huqiu[-3:-1] == (67.0, 1)  # the published total and rank
        tiers = list(workbook["亿元楼宇梯队"].iter_rows(values_only=True))
        assert tiers[1:] == [
            ("超1亿元", "相城区", "eval-x1", "楼宇eval-x1", 2.0),
            ("超1亿元", "虎丘区", "eval-h1", "楼宇eval-h1", 1.5),
        ]
        regions = {r[0]: r for r in workbook["各地区运行"].iter_rows(values_only=True)}
        assert regions["虎丘区"][1:4] == (25_000, 5_000, pytest.approx(4.0))
        industries = {(r[0], r[1]): r[3:] for r in workbook["产业结构"].iter_rows(values_only=True)}
        assert industries[("全市", "J")] == (3, 4000)
        assert industries[("全市", "L")] == (1, 500)
        assert industries[("相城区", "J")] == (1, 2000)
        flows = [r for r in workbook["企业迁入迁出"].iter_rows(values_only=True) if r[0] == "全市"]
        assert sum(r[2] for r in flows) == 4 and sum(r[3] for r in flows) == 1
        assert next(r for r in flows if r[1] == "2023-04")[2:] == (3, 0, 3)

    async def test_the_public_edition_names_no_building_tax_and_no_event(
        self, evaluation: httpx.AsyncClient
    ) -> None:
        url = "/api/v1/evaluation/bluebook/2023"
        refused = await evaluation.get(url, auth=as_(HUQIU))
        assert refused.status_code == 403 and "edition=public" in refused.json()["detail"]
        page = await evaluation.get(url, params={"edition": "public"}, auth=as_(HUQIU))
        assert page.status_code == 200
        assert "公开版" in page.text and "4.50亿元" in page.text and "楼宇eval-x1" in page.text
        assert "虎丘区推介会0" not in page.text and "待审核" not in page.text
        workbook = await _workbook(evaluation, url, edition="public")
        assert [r[-1] for r in workbook["亿元楼宇梯队"].iter_rows(values_only=True)] == [
            "楼宇",
            "楼宇eval-x1",
            "楼宇eval-h1",
        ]
        assert next(workbook["活动"].iter_rows(values_only=True)) == ("日期", "类型", "主办")

    async def test_the_admin_writes_a_preface_rendered_safely(
        self, evaluation: httpx.AsyncClient
    ) -> None:
        publication = (await evaluation.get("/api/v1/evaluation/publications")).json()[0]["id"]
        url = f"/api/v1/evaluation/publications/{publication}/preface"
        assert (await evaluation.get(url)).status_code == 404
        text = (
            "## 编者按\n\n2023年全市楼宇经济**稳中有进**。"
            "<script>alert(1)</script>[点我](javascript:alert(1)) ![图](http://example.com/x.png)"
            " [方案](https://www.suzhou.gov.cn/)"
        )
        refused = await evaluation.put(url, json={"markdown": text}, auth=as_(SUPERVISION))
        assert refused.status_code == 403
        written = await evaluation.put(url, json={"markdown": text})
        assert written.status_code == 200 and written.json()["updated_by"]
        listed = (await evaluation.get("/api/v1/evaluation/publications")).json()
        assert [p["has_preface"] for p in listed if p["id"] == publication] == [True]
        page = (
            await evaluation.get(f"/api/v1/evaluation/publications/{publication}/bluebook")
        ).text
        assert "<h2>编者按</h2>" in page and "<strong>稳中有进</strong>" in page
        assert "&lt;script&gt;" in page and "<script" not in page
        # the image is never loaded (at most a link), the script link is dropped
        assert 'href="javascript' not in page and "<img" not in page
        assert 'href="https://www.suzhou.gov.cn/"' in page

    async def test_the_pdf_is_printed_with_its_chinese_text(
        self, evaluation: httpx.AsyncClient
    ) -> None:
        import io
        import unicodedata

        from pypdf import PdfReader

        response = await evaluation.get(
            "/api/v1/evaluation/bluebook/2023", params={"format": "pdf", "edition": "public"}
        )
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "application/pdf"
        reader = PdfReader(io.BytesIO(response.content))
        # The fonts map some characters to their Kangxi radical forms (⾼ for 高): NFKC folds them.
        text = unicodedata.normalize(
            "NFKC", "".join(page.extract_text() for page in reader.pages)
        ).replace(" ", "")
        assert len(reader.pages) >= 3
        assert "2023年苏州楼宇经济高质量发展蓝皮书" in text
        assert "稳中有进" in text and "4.50亿元" in text and "虎丘区" in text
        assert "虎丘区推介会0" not in text  # the public edition

    async def test_a_publications_book_is_rendered_once_and_revalidated_by_its_etag(
        self, evaluation: httpx.AsyncClient, pg_pool: asyncpg.Pool
    ) -> None:
        url, params = "/api/v1/evaluation/bluebook/2023", {"format": "pdf", "edition": "public"}
        kept_sql = (
            "SELECT rendered_at FROM evaluation.bluebook_rendition"
            " WHERE format = 'pdf' AND edition = 'public'"
        )
        first = await evaluation.get(url, params=params)
        async with pg_pool.acquire() as conn:
            rendered = await conn.fetch(kept_sql)
        second = await evaluation.get(url, params=params)
        assert first.status_code == second.status_code == 200
        etag = first.headers["etag"]
        assert (second.headers["etag"], second.content) == (etag, first.content)
        async with pg_pool.acquire() as conn:
            assert await conn.fetch(kept_sql) == rendered and len(rendered) == 1  # not again
        held = await evaluation.get(url, params=params, headers={"If-None-Match": etag})
        assert (held.status_code, held.content, held.headers["etag"]) == (304, b"", etag)
        # A revised preface is a new book.
        publication = (await evaluation.get("/api/v1/evaluation/publications")).json()[0]["id"]
        revised = await evaluation.put(
            f"/api/v1/evaluation/publications/{publication}/preface",
            json={"markdown": "## 编者按\n\n修订稿。"},
        )
        assert revised.status_code == 200
        again = await evaluation.get(url, params=params, headers={"If-None-Match": etag})
        assert again.status_code == 200 and again.headers["etag"] != etag


async def _workbook(evaluation: httpx.AsyncClient, url: str, **params: str) -> Any:
    import io

    from openpyxl import load_workbook

    response = await evaluation.get(url, params={"format": "xlsx", **params})
    assert response.status_code == 200, response.text
    return load_workbook(io.BytesIO(response.content))


class TestPublication:
    """Last in the module: it changes the data to show the publication does not change."""

    async def test_a_publication_is_frozen_and_differences_are_shown(
        self, evaluation: httpx.AsyncClient, producer: KafkaProducer
    ) -> None:
        published = await evaluation.post("/api/v1/evaluation/publications", json={"year": 2023})
        assert published.status_code == 201
        body = published.json()
        assert body["targets_version"] == 1 and len(body["inputs_digest"]) == 64
        frozen = {d["district_id"]: d["total"] for d in body["scores"]["districts"]}
        # A late tax record for X1: 2023 now 3亿 → growth 0.5, tax/m² 3,000.
        await Feed(producer).send(TOPIC_TAX, tax("eval-x1", "2023-12", "100000000.00"))
        await eventually(
            lambda: by_district(evaluation),
            lambda s: s.get("xiangcheng", {}).get("total") != 11.07,
            within=60,
        )
        again = (await evaluation.get(f"/api/v1/evaluation/publications/{body['id']}")).json()
        assert {d["district_id"]: d["total"] for d in again["scores"]["districts"]} == frozen
        diff = (await evaluation.get(f"/api/v1/evaluation/publications/{body['id']}/diff")).json()
        assert diff["inputs_changed"] is True
        moved = {d["district_id"]: d for d in diff["districts"]}
        assert "xiangcheng" in moved and moved["xiangcheng"]["published_total"] == 11.07
        assert {i["key"] for i in moved["xiangcheng"]["indicators"]} >= {"tax_per_m2", "tax_growth"}
        # Its blue book prints what was published, not today's 5.50亿.
        book = await evaluation.get(f"/api/v1/evaluation/publications/{body['id']}/bluebook")
        assert "4.50亿元" in book.text and "5.50亿元" not in book.text

    async def test_metrics_show_the_last_publication_and_scoring_time(
        self, evaluation: httpx.AsyncClient
    ) -> None:
        # Scores and their robustness worked out at least once in this process.
        await evaluation.get(SCORES, params={"year": 2023})
        await evaluation.get(f"{SCORES}/robustness", params={"year": 2023})
        listed = (await evaluation.get("/api/v1/evaluation/publications?year=2023")).json()
        published_at = datetime.fromisoformat(listed[0]["published_at"]).timestamp()
        text = (await evaluation.get("/metrics")).text
        assert metric_value(
            text, 'sbe_evaluation_last_publication_timestamp_seconds{year="2023"}'
        ) == pytest.approx(published_at, abs=1)
        for operation in ("scores", "robustness", "publish"):
            count = f'sbe_evaluation_score_duration_seconds_count{{operation="{operation}"}}'
            assert metric_value(text, count) >= 1

    async def test_only_the_admin_publishes(self, evaluation: httpx.AsyncClient) -> None:
        response = await evaluation.post(
            "/api/v1/evaluation/publications", json={"year": 2023}, auth=as_(SUPERVISION)
        )
        assert response.status_code == 403
