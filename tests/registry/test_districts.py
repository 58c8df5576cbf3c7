"""GET /api/v1/districts: the ten districts in the contract's order."""

from __future__ import annotations

import httpx
import pytest

from tests.support import ADMIN, SUPERVISION, as_, district

ORDER = [
    "zhangjiagang",
    "changshu",
    "taicang",
    "kunshan",
    "wujiang",
    "wuzhong",
    "xiangcheng",
    "gusu",
    "sip",
    "huqiu",
]


class TestListDistricts:
    @pytest.mark.parametrize("principal", [ADMIN, SUPERVISION, district("gusu")], ids=str)
    async def test_every_role_reads_the_ten_in_order(
        self, registry: httpx.AsyncClient, principal
    ) -> None:
        response = await registry.get("/api/v1/districts", auth=as_(principal))
        assert response.status_code == 200
        body = response.json()
        assert [d["district_id"] for d in body] == ORDER
        gusu = body[ORDER.index("gusu")]
        assert gusu == {
            "district_id": "gusu",
            "name_zh": "姑苏区",
            "name_en": "Gusu",
            "area_code": "320508",
        }
        assert body[ORDER.index("sip")]["area_code"] == "320571"

    async def test_without_the_gateways_identity_is_401(self, registry: httpx.AsyncClient) -> None:
        response = await registry.get("/api/v1/districts", auth=None)
        assert response.status_code == 401
        assert response.headers["content-type"] == "application/problem+json"
