"""The gateway serves the built console at `/`: pages never cached and under a strict
Content-Security-Policy, hashed assets cached for a year, API paths never swallowed by it. And
the console's API types are generated from the current OpenAPI document."""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx
import pytest

from launcher.openapi import offline_document
from tests.gateway.conftest import Stack

CONSOLE = Path(__file__).resolve().parents[2] / "console"
needs_build = pytest.mark.skipif(
    not (CONSOLE / "dist" / "index.html").exists(), reason="the console is not built"
)


@needs_build
class TestServingTheConsole:
    async def test_pages_are_never_cached_and_carry_a_strict_policy(self, platform: Stack) -> None:
        async with (
            platform.another_gateway(console_dir=str(CONSOLE / "dist")) as gateway,
            httpx.AsyncClient(base_url=gateway) as client,
        ):
            for path in ("/", "/login", "/buildings/some-id"):
                page = await client.get(path)
                assert page.status_code == 200 and '<div id="app">' in page.text
                assert page.headers["cache-control"] == "no-cache"
                policy = page.headers["content-security-policy"]
                assert "default-src 'self'" in policy and "script-src 'self'" in policy
                assert "frame-ancestors 'none'" in policy
            assets = re.findall(r'(?:src|href)="(/assets/[^"]+)"', page.text)
            assert assets
            for asset in assets:
                response = await client.get(asset)
                assert response.status_code == 200
                assert "max-age=31536000" in response.headers["cache-control"]
            # Nothing loads from outside the platform.
            assert not re.search(r'(?:src|href)="(?:https?:)?//', page.text)
            missing = await client.get("/api/v1/auth/nothing-here")
            assert missing.status_code in (401, 404)
            assert missing.headers["content-type"] == "application/problem+json"


class TestApiTypes:
    def test_the_consoles_openapi_document_is_current(self) -> None:
        """`sbe openapi > console/src/api/openapi.json` and `npm run api` after an API change."""
        checked_in = json.loads((CONSOLE / "src" / "api" / "openapi.json").read_text())
        assert checked_in == json.loads(json.dumps(offline_document()))
