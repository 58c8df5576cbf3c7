"""The guides name real endpoints: every API call docs/operations.md and docs/accounts.md tell
someone to make is in the platform's merged OpenAPI document, with that method."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from tests.live import LiveStack

pytestmark = pytest.mark.e2e

DOCS = Path(__file__).parents[2] / "docs"
CALL = re.compile(r"\b(GET|POST|PUT|PATCH|DELETE) (/api/v1/[^\s`?]+)")
CURL = re.compile(r"curl -X (\w+) \"\$GATEWAY(/api/v1/[^\"?]+)\"")


@pytest.mark.parametrize("guide", ["operations.md", "accounts.md"])
def test_every_call_in_the_guide_exists(live: LiveStack, guide: str) -> None:
    text = (DOCS / guide).read_text(encoding="utf-8")
    calls = set(CALL.findall(text)) | set(CURL.findall(text))
    assert len(calls) >= 6
    document = httpx.get(f"{live.gateway_url}/openapi.json").json()
    templates = {
        (method.upper(), re.sub(r"\{[^}]+\}", "{}", path))
        for path, operations in document["paths"].items()
        for method in operations
    }
    for method, path in calls:
        assert (method, re.sub(r"\{[^}]+\}", "{}", path)) in templates, f"{method} {path}"
