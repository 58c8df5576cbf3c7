"""Featured-industry designations (产业特色楼宇认定): the administrator's decision."""

from __future__ import annotations

import httpx

from tests import fixtures
from tests.support import SUPERVISION, as_, district, must

DESIGNATION = {"industry": "legal", "designated_on": "2023-06-30"}


async def building(client: httpx.AsyncClient, building_id: str = "b1", **kw: object) -> None:
    response = await client.post("/api/v1/buildings", json=fixtures.building(id=building_id, **kw))
    assert response.status_code == 201


class TestDesignate:
    async def test_admin_designates(self, registry: httpx.AsyncClient) -> None:
        await building(registry)
        response = await registry.post(
            "/api/v1/buildings/b1/featured-designation", json=DESIGNATION
        )
        assert response.status_code == 201
        body = response.json()
        assert body["industry"] == "legal"
        assert body["designated_on"] == "2023-06-30"
        assert body["building_id"] == "b1"
        shown = (await registry.get("/api/v1/buildings/b1")).json()
        assert shown["featured_industries"] == ["legal"]

    async def test_district_key_is_forbidden(self, registry: httpx.AsyncClient) -> None:
        await building(registry, district_id="gusu")
        response = await registry.post(
            "/api/v1/buildings/b1/featured-designation",
            json=DESIGNATION,
            auth=as_(district("gusu")),
        )
        assert response.status_code == 403

    async def test_supervision_is_forbidden(self, registry: httpx.AsyncClient) -> None:
        await building(registry)
        response = await registry.post(
            "/api/v1/buildings/b1/featured-designation", json=DESIGNATION, auth=as_(SUPERVISION)
        )
        assert response.status_code == 403

    async def test_same_industry_twice_is_a_conflict(self, registry: httpx.AsyncClient) -> None:
        await building(registry)
        must(await registry.post("/api/v1/buildings/b1/featured-designation", json=DESIGNATION))
        response = await registry.post(
            "/api/v1/buildings/b1/featured-designation", json=DESIGNATION
        )
        assert response.status_code == 409

    async def test_a_second_industry_is_added(self, registry: httpx.AsyncClient) -> None:
        await building(registry)
        must(await registry.post("/api/v1/buildings/b1/featured-designation", json=DESIGNATION))
        other = {"industry": "finance", "designated_on": "2024-01-02"}
        assert (
            await registry.post("/api/v1/buildings/b1/featured-designation", json=other)
        ).status_code == 201
        shown = (await registry.get("/api/v1/buildings/b1")).json()
        assert shown["featured_industries"] == ["finance", "legal"]

    async def test_unknown_industry_is_refused(self, registry: httpx.AsyncClient) -> None:
        await building(registry)
        response = await registry.post(
            "/api/v1/buildings/b1/featured-designation",
            json={"industry": "retail", "designated_on": "2023-01-01"},
        )
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "industry"

    async def test_missing_building_is_404(self, registry: httpx.AsyncClient) -> None:
        response = await registry.post(
            "/api/v1/buildings/none/featured-designation", json=DESIGNATION
        )
        assert response.status_code == 404


class TestWithdraw:
    async def test_admin_withdraws(self, registry: httpx.AsyncClient) -> None:
        await building(registry)
        must(await registry.post("/api/v1/buildings/b1/featured-designation", json=DESIGNATION))
        response = await registry.delete("/api/v1/buildings/b1/featured-designation/legal")
        assert response.status_code == 204
        assert (await registry.get("/api/v1/buildings/b1")).json()["featured_industries"] == []

    async def test_district_key_is_forbidden(self, registry: httpx.AsyncClient) -> None:
        await building(registry, district_id="gusu")
        must(await registry.post("/api/v1/buildings/b1/featured-designation", json=DESIGNATION))
        response = await registry.delete(
            "/api/v1/buildings/b1/featured-designation/legal", auth=as_(district("gusu"))
        )
        assert response.status_code == 403

    async def test_not_designated_is_404(self, registry: httpx.AsyncClient) -> None:
        await building(registry)
        response = await registry.delete("/api/v1/buildings/b1/featured-designation/legal")
        assert response.status_code == 404
