"""One OpenAPI document and /docs for the whole API."""

from __future__ import annotations

import re

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

    async def test_docs_work_offline(self, anonymous: httpx.AsyncClient) -> None:
        """Every script, style sheet and icon of /docs comes from the platform itself."""
        page = (await anonymous.get("/docs")).text
        assets = re.findall(r'(?:src|href)=["\']([^"\']+)["\']', page)
        assert assets and not [a for a in assets if "//" in a], assets
        for asset in assets:
            response = await anonymous.get(asset)
            assert response.status_code == 200, asset
            assert len(response.content) > 1000, asset
        bundle = (await anonymous.get("/docs-assets/swagger-ui-bundle.js")).text
        # Swagger UI 5 renders OpenAPI 3.1, which FastAPI writes; 4 does not.
        versions = {int(v) for v in re.findall(r'"(\d+)\.\d+\.\d+"', bundle[:2_000_000])}
        assert 5 in versions

    async def test_probes_answer_on_the_gateway(self, anonymous: httpx.AsyncClient) -> None:
        assert (await anonymous.get("/healthz")).json() == {"status": "ok"}
        metrics = (await anonymous.get("/metrics")).text
        assert "sbe_http_requests_total" in metrics
