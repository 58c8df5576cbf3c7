"""One OpenAPI document and /docs for the whole API."""

from __future__ import annotations

import httpx


class TestMergedDocument:
    async def test_holds_every_services_paths_and_the_gateways_own(
        self, anonymous: httpx.AsyncClient
    ) -> None:
        document = (await anonymous.get("/openapi.json")).json()
        paths = set(document["paths"])
        assert {"/api/v1/auth/keys", "/api/v1/districts", "/api/v1/enterprise-movements"} <= paths
        assert all(path.startswith("/api/v1/") for path in paths)
        assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
        assert "Problem" in document["components"]["schemas"]

    async def test_docs_page_loads_the_merged_document(self, anonymous: httpx.AsyncClient) -> None:
        response = await anonymous.get("/docs")
        assert response.status_code == 200
        assert "/openapi.json" in response.text

    async def test_probes_answer_on_the_gateway(self, anonymous: httpx.AsyncClient) -> None:
        assert (await anonymous.get("/healthz")).json() == {"status": "ok"}
        metrics = (await anonymous.get("/metrics")).text
        assert "sbe_http_requests_total" in metrics
