"""docs/assessment.md names only routes the platform has: the guide cannot drift from the API."""

from __future__ import annotations

import re
from pathlib import Path

from launcher.openapi import offline_document

DOC = Path(__file__).resolve().parents[2] / "docs" / "assessment.md"
PATH = re.compile(r"(?:(GET|POST|PUT|PATCH|DELETE) )?(/api/v1/[A-Za-z0-9_./{}<>…-]+)")


def _matches(route: str, template: str) -> bool:
    pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
    return re.fullmatch(pattern, route) is not None


def test_every_route_the_guide_names_exists() -> None:
    paths = offline_document()["paths"]
    named = {m.group(2).rstrip(".,，。）)") for m in PATH.finditer(DOC.read_text())}
    assert len(named) >= 8
    unknown = [
        route
        for route in sorted(named)
        if "…" not in route
        and "<" not in route
        and not any(_matches(route.split("?")[0], template) for template in paths)
    ]
    assert unknown == []
