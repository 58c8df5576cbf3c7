"""Tax history from before the feed: imported per building and year (CSV or XLSX, dry run first),
it decides the "new 亿元楼宇" rule and growth, never becomes monthly records, and a year the feed
covers is refused."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import httpx
import pytest
from kafka import KafkaProducer
from openpyxl import Workbook

from policy import TOPIC_TAX
from tests import fixtures
from tests.conftest import Services, empty_every_table, seed_reference
from tests.fixtures import tax
from tests.support import ADMIN, SUPERVISION, Feed, as_, district, eventually

URL = "/api/v1/evaluation/tax-history"


def client(services: Services, name: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=services.apps[name])
    return httpx.AsyncClient(transport=transport, base_url=f"http://{name}", auth=as_(ADMIN))


async def wuzhong(evaluation: httpx.AsyncClient) -> dict[str, Any]:
    response = await evaluation.get("/api/v1/evaluation/scores", params={"year": 2023})
    line = next(d for d in response.json()["districts"] if d["district_id"] == "wuzhong")
    return {i["key"]: i["actual"] for i in line["indicators"]}


@pytest.fixture(scope="module")
async def fed(
    services: Services, pg_pool: asyncpg.Pool, producer: KafkaProducer
) -> AsyncIterator[Services]:
    """W1 over 1亿 in 2023 with no 2022 records in the feed; W2 with 2022 and 2023 records."""
    await seed_reference(services)
    async with client(services, "registry") as registry:
        for building_id in ("hist-w1", "hist-w2"):
            created = await registry.post(
                "/api/v1/buildings",
                json=fixtures.building(id=building_id, district_id="wuzhong"),
            )
            assert created.status_code == 201
    await Feed(producer).send_all(
        TOPIC_TAX,
        [
            tax("hist-w1", "2023-05", "300000000.00"),
            tax("hist-w2", "2022-05", "10000000.00"),
            tax("hist-w2", "2023-05", "20000000.00"),
        ],
    )
    async with client(services, "evaluation") as evaluation:
        await eventually(
            lambda: wuzhong(evaluation),
            lambda a: a["new_100m_buildings"] == 1 and a["tax_growth"] is not None,
            within=90,
        )
    yield services
    await empty_every_table(pg_pool, services)


@pytest.fixture
async def evaluation(fed: Services) -> AsyncIterator[httpx.AsyncClient]:
    async with client(fed, "evaluation") as http:
        yield http


def csv_file(*rows: str) -> bytes:
    return ("building_id,year,tax_total_cny\n" + "\n".join(rows) + "\n").encode()


async def send(
    evaluation: httpx.AsyncClient, body: bytes, *, dry_run: bool, **kwargs: Any
) -> httpx.Response:
    return await evaluation.post(
        URL,
        params={"dry_run": str(dry_run).lower(), "filename": "2022年楼宇税收.csv"},
        content=body,
        headers={"Content-Type": "text/csv"},
        **kwargs,
    )


class TestTaxHistory:
    async def test_a_dry_run_reports_every_bad_row_and_stores_nothing(
        self, evaluation: httpx.AsyncClient
    ) -> None:
        body = csv_file(
            "hist-w1,2022,50000000.00",
            "nowhere,2022,1.00",  # unknown building
            "hist-w2,2022,1.00",  # the feed has 2022 for W2
            "hist-w1,2022,2.00",  # repeats the first row
            "hist-w1,2021,-5",  # negative
            "hist-w1,1999,5",  # too early
            "hist-w1,2020,1.234",  # three decimals
        )
        response = await send(evaluation, body, dry_run=True)
        assert response.status_code == 200, response.text
        report = response.json()
        assert report["dry_run"] is True and report["rows"] == 7 and report["stored"] == 0
        assert [(e["index"], e["field"]) for e in report["errors"]] == [
            (1, "building_id"),
            (2, "year"),
            (3, "year"),
            (4, "tax_total_cny"),
            (5, "year"),
            (6, "tax_total_cny"),
        ]
        assert report["valid"] == 1
        refused = await send(evaluation, body, dry_run=False)
        assert refused.status_code == 422 and len(refused.json()["errors"]) == 6
        assert (await evaluation.get(URL)).json() == []

    async def test_an_imported_year_decides_the_new_rule_and_growth(
        self, evaluation: httpx.AsyncClient
    ) -> None:
        before = await wuzhong(evaluation)
        assert before["new_100m_buildings"] == 1  # W1 has no 2022: new
        stored = await send(evaluation, csv_file('hist-w1,2022,"150,000,000.00"'), dry_run=False)
        assert stored.status_code == 200, stored.text
        assert stored.json()["stored"] == 1
        after = await wuzhong(evaluation)
        assert after["new_100m_buildings"] == 0  # over 1亿 in 2022 already
        assert after["cumulative_100m_buildings"] == 1
        # growth: (3亿 + 0.2亿 − (1.5亿 + 0.1亿)) / 1.6亿 = 1
        assert after["tax_growth"] == 1
        listed = (await evaluation.get(URL, params={"building_id": "hist-w1"})).json()
        assert listed == [
            {
                **listed[0],
                "year": 2022,
                "tax_total_cny": "150000000.00",
                "imported": True,
                "source": "2022年楼宇税收.csv",
            }
        ]

    async def test_an_xlsx_with_chinese_headers_replaces_an_earlier_import(
        self, evaluation: httpx.AsyncClient
    ) -> None:
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(["楼宇编号", "年度", "全口径税收（元）"])
        sheet.append(["hist-w1", 2022, 60_000_000])
        data = io.BytesIO()
        book.save(data)
        response = await evaluation.post(
            URL,
            params={"dry_run": "false", "filename": "历史.xlsx"},
            content=data.getvalue(),
            headers={
                "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            },
        )
        assert response.status_code == 200, response.text
        assert response.json()["replaced"] == 1
        assert (await wuzhong(evaluation))["new_100m_buildings"] == 1  # 0.6亿 in 2022: new again

    async def test_a_file_without_the_columns_is_refused(
        self, evaluation: httpx.AsyncClient
    ) -> None:
        response = await send(evaluation, b"name,amount\nx,1\n", dry_run=True)
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "building_id"
        junk = await send(evaluation, b"PK\x03\x04not a workbook", dry_run=True)
        assert junk.status_code == 415

    @pytest.mark.parametrize("principal", [SUPERVISION, district("wuzhong")])
    async def test_only_the_administrator_imports(
        self, evaluation: httpx.AsyncClient, principal: Any
    ) -> None:
        response = await send(
            evaluation, csv_file("hist-w1,2021,1.00"), dry_run=True, auth=as_(principal)
        )
        assert response.status_code == 403

    async def test_districts_do_not_read_buildings_tax_history(
        self, evaluation: httpx.AsyncClient
    ) -> None:
        assert (await evaluation.get(URL, auth=as_(district("wuzhong")))).status_code == 403
        assert (await evaluation.get(URL, auth=as_(SUPERVISION))).status_code == 200

    async def test_imported_years_never_become_monthly_records(
        self, evaluation: httpx.AsyncClient, fed: Services
    ) -> None:
        await send(evaluation, csv_file("hist-w1,2021,70000000.00"), dry_run=False)
        async with client(fed, "monitoring") as monitoring:
            series = await monitoring.get(
                "/api/v1/monitoring/buildings/hist-w1/series",
                params={"from": "2021-01", "to": "2022-12"},
            )
        assert series.status_code == 200 and series.json()["months"] == []
