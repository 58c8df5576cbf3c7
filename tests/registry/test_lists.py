"""The three 名录 exported as JSON, CSV (UTF-8 with BOM) and XLSX with Chinese headers."""

from __future__ import annotations

import csv
import io

import httpx
from openpyxl import load_workbook

from tests import fixtures
from tests.support import SUPERVISION, as_, district


async def seed(client: httpx.AsyncClient) -> None:
    for building_id, district_id, lists in (
        ("k-gusu", "gusu", ["key"]),
        ("k-sip", "sip", ["key", "renovation"]),
        ("n-sip", "sip", ["new_project"]),
    ):
        response = await client.post(
            "/api/v1/buildings",
            json=fixtures.building(
                id=building_id, district_id=district_id, lists=lists, name="苏州中心"
            ),
        )
        assert response.status_code == 201


class TestExportList:
    async def test_json_lists_the_buildings_on_the_list(self, registry: httpx.AsyncClient) -> None:
        await seed(registry)
        body = (await registry.get("/api/v1/lists/key")).json()
        assert body["list"] == "key"
        assert [b["id"] for b in body["items"]] == ["k-gusu", "k-sip"]
        assert body["total"] == 2

    async def test_filters_by_district(self, registry: httpx.AsyncClient) -> None:
        await seed(registry)
        body = (await registry.get("/api/v1/lists/key", params={"district_id": "sip"})).json()
        assert [b["id"] for b in body["items"]] == ["k-sip"]

    async def test_csv_has_a_bom_and_chinese_headers(self, registry: httpx.AsyncClient) -> None:
        await seed(registry)
        response = await registry.get("/api/v1/lists/key", params={"format": "csv"})
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/csv")
        assert response.content.startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows[0][:3] == ["序号", "楼宇编号", "楼宇名称"]
        assert [r[1] for r in rows[1:]] == ["k-gusu", "k-sip"]
        assert rows[1][3] == "姑苏区"
        assert rows[1][7] == "运营中"

    async def test_xlsx_opens_with_chinese_headers(self, registry: httpx.AsyncClient) -> None:
        await seed(registry)
        response = await registry.get("/api/v1/lists/renovation", params={"format": "xlsx"})
        assert response.status_code == 200
        assert "attachment" in response.headers["content-disposition"]
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert sheet.title == "存量楼宇改造提升名录"
        values = [[c.value for c in row] for row in sheet.iter_rows()]
        assert values[0][1] == "楼宇编号"
        assert [row[1] for row in values[1:]] == ["k-sip"]
        assert values[1][3] == "苏州工业园区"

    async def test_district_key_gets_its_own_district_only(
        self, registry: httpx.AsyncClient
    ) -> None:
        await seed(registry)
        body = (await registry.get("/api/v1/lists/key", auth=as_(district("gusu")))).json()
        assert [b["id"] for b in body["items"]] == ["k-gusu"]
        assert body["district_id"] == "gusu"

    async def test_district_key_asking_for_another_district_is_forbidden(
        self, registry: httpx.AsyncClient
    ) -> None:
        response = await registry.get(
            "/api/v1/lists/key", params={"district_id": "sip"}, auth=as_(district("gusu"))
        )
        assert response.status_code == 403

    async def test_supervision_reads_every_district(self, registry: httpx.AsyncClient) -> None:
        await seed(registry)
        body = (await registry.get("/api/v1/lists/key", auth=as_(SUPERVISION))).json()
        assert body["total"] == 2

    async def test_unknown_list_or_format_is_refused(self, registry: httpx.AsyncClient) -> None:
        assert (await registry.get("/api/v1/lists/vip")).status_code == 422
        assert (
            await registry.get("/api/v1/lists/key", params={"format": "pdf"})
        ).status_code == 422


FORMULAS = ['=HYPERLINK("http://x/","点击")', "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"]


class TestFormulaInjection:
    """A name a district typed is shown as text in every export, never run as a formula."""

    async def seed_formulas(self, registry: httpx.AsyncClient) -> None:
        for number, name in enumerate(FORMULAS):
            response = await registry.post(
                "/api/v1/buildings",
                json=fixtures.building(
                    id=f"f-{number}",
                    district_id="gusu",
                    lists=["key"],
                    name=name.replace("\t", "").replace("\r", "") if number >= 4 else name,
                    address=name if number < 4 else "苏州市姑苏区",
                ),
            )
            assert response.status_code == 201, response.text

    async def test_csv_cells_are_neutralised(self, registry: httpx.AsyncClient) -> None:
        await self.seed_formulas(registry)
        response = await registry.get("/api/v1/lists/key", params={"format": "csv"})
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        cells = [cell for row in rows[1:] for cell in row]
        assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
        names = [row[2] for row in rows[1:]]
        assert "'" + FORMULAS[0] in names and "'-2+3" in names

    async def test_xlsx_holds_text_not_formulas(self, registry: httpx.AsyncClient) -> None:
        await self.seed_formulas(registry)
        response = await registry.get("/api/v1/lists/key", params={"format": "xlsx"})
        sheet = load_workbook(io.BytesIO(response.content)).active
        cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
        assert all(cell.data_type != "f" for cell in cells)
        texts = [c.value for c in cells if isinstance(c.value, str)]
        assert not [t for t in texts if t[:1] in ("=", "+", "-", "@", "\t", "\r")]
        assert "'" + FORMULAS[0] in texts

    async def test_a_control_character_district_is_refused_not_a_crash(
        self, registry: httpx.AsyncClient
    ) -> None:
        response = await registry.get(
            "/api/v1/lists/key", params={"district_id": "\x0b", "format": "xlsx"}
        )
        assert response.status_code == 422
        assert response.headers["content-type"] == "application/problem+json"
