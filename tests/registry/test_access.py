"""Who may call each registry endpoint: every role against every endpoint.

`gusu` owns the building `g1`; `sip` is another district. A service's own port answers 401 to
any request without the gateway's signed identity.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from shared import Principal
from tests import fixtures
from tests.support import ADMIN, SUPERVISION, as_, district

GUSU, SIP = district("gusu"), district("sip")
ROLES: dict[str, Principal | None] = {
    "admin": ADMIN,
    "supervision": SUPERVISION,
    "own_district": GUSU,
    "other_district": SIP,
    "no_identity": None,
}


def movement_batch() -> dict[str, Any]:
    return {"records": [fixtures.movement(building_id="g1")]}


# (method, path, body factory, roles allowed) — everyone else gets 403, no identity 401.
ENDPOINTS: list[tuple[str, str, Any, set[str]]] = [
    ("GET", "/api/v1/districts", None, {"admin", "supervision", "own_district", "other_district"}),
    (
        "POST",
        "/api/v1/buildings",
        lambda: fixtures.building(district_id="gusu"),
        {"admin", "own_district"},
    ),
    ("GET", "/api/v1/buildings", None, {"admin", "supervision", "own_district", "other_district"}),
    ("GET", "/api/v1/buildings/g1", None, {"admin", "supervision", "own_district"}),
    ("PATCH", "/api/v1/buildings/g1", lambda: {"name": "改名"}, {"admin", "own_district"}),
    (
        "POST",
        "/api/v1/buildings/g1/featured-designation",
        lambda: {"industry": "design", "designated_on": "2023-03-03"},
        {"admin"},
    ),
    ("DELETE", "/api/v1/buildings/g1/featured-designation/legal", None, {"admin"}),
    ("GET", "/api/v1/buildings/g1/tenants", None, {"admin", "supervision", "own_district"}),
    (
        "POST",
        "/api/v1/renovations",
        lambda: {"building_id": "g1", "started_on": "2023-01-01"},
        {"admin", "own_district"},
    ),
    (
        "GET",
        "/api/v1/renovations",
        None,
        {"admin", "supervision", "own_district", "other_district"},
    ),
    ("GET", "/api/v1/renovations/{renovation}", None, {"admin", "supervision", "own_district"}),
    (
        "PATCH",
        "/api/v1/renovations/{renovation}",
        lambda: {"completed_on": "2023-12-01"},
        {"admin", "own_district"},
    ),
    ("GET", "/api/v1/lists/key", None, {"admin", "supervision", "own_district", "other_district"}),
    (
        "GET",
        "/api/v1/lists/key?format=xlsx",
        None,
        {"admin", "supervision", "own_district", "other_district"},
    ),
    ("POST", "/api/v1/enterprise-movements", movement_batch, {"admin", "own_district"}),
    (
        "GET",
        "/api/v1/enterprise-movements",
        None,
        {"admin", "supervision", "own_district", "other_district"},
    ),
    (
        "GET",
        "/api/v1/featured-candidates",
        None,
        {"admin", "supervision", "own_district", "other_district"},
    ),
]


@pytest.fixture
async def world(registry: httpx.AsyncClient) -> dict[str, str]:
    """g1 in gusu with a legal designation and a renovation."""
    building = await registry.post(
        "/api/v1/buildings", json=fixtures.building(id="g1", district_id="gusu")
    )
    assert building.status_code == 201
    designation = await registry.post(
        "/api/v1/buildings/g1/featured-designation",
        json={"industry": "legal", "designated_on": "2023-01-01"},
    )
    assert designation.status_code == 201
    renovation = await registry.post(
        "/api/v1/renovations", json={"building_id": "g1", "started_on": "2023-01-01"}
    )
    assert renovation.status_code == 201
    return {"renovation": renovation.json()["id"]}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("method", "path", "body", "allowed"), ENDPOINTS, ids=lambda v: v if isinstance(v, str) else ""
)
async def test_access(
    registry: httpx.AsyncClient,
    world: dict[str, str],
    role: str,
    method: str,
    path: str,
    body: Any,
    allowed: set[str],
) -> None:
    principal = ROLES[role]
    response = await registry.request(
        method,
        path.format(**world),
        json=body() if body else None,
        auth=as_(principal) if principal else None,
    )
    if principal is None:
        assert response.status_code == 401
    elif role in allowed:
        assert response.status_code < 400, response.text
    else:
        assert response.status_code == 403, response.text
        assert response.headers["content-type"] == "application/problem+json"
