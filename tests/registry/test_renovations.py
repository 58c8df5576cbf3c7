"""Renovations of stock buildings (存量楼宇改造提升)."""

from __future__ import annotations

import httpx

from tests import fixtures
from tests.support import SUPERVISION, as_, district


async def building(client: httpx.AsyncClient, building_id: str, district_id: str) -> None:
    response = await client.post(
        "/api/v1/buildings", json=fixtures.building(id=building_id, district_id=district_id)
    )
    assert response.status_code == 201


async def renovation(client: httpx.AsyncClient, **body: object) -> dict:
    response = await client.post("/api/v1/renovations", json={"started_on": "2023-02-01", **body})
    assert response.status_code == 201, response.text
    return response.json()


class TestCreateRenovation:
    async def test_district_records_its_own_building(self, registry: httpx.AsyncClient) -> None:
        await building(registry, "g1", "gusu")
        response = await registry.post(
            "/api/v1/renovations",
            json={"building_id": "g1", "started_on": "2023-02-01"},
            auth=as_(district("gusu")),
        )
        assert response.status_code == 201
        body = response.json()
        assert body["district_id"] == "gusu"
        assert body["completed_on"] is None

    async def test_other_districts_building_is_forbidden(self, registry: httpx.AsyncClient) -> None:
        await building(registry, "s1", "sip")
        response = await registry.post(
            "/api/v1/renovations",
            json={"building_id": "s1", "started_on": "2023-02-01"},
            auth=as_(district("gusu")),
        )
        assert response.status_code == 403

    async def test_supervision_is_forbidden(self, registry: httpx.AsyncClient) -> None:
        await building(registry, "s1", "sip")
        response = await registry.post(
            "/api/v1/renovations",
            json={"building_id": "s1", "started_on": "2023-02-01"},
            auth=as_(SUPERVISION),
        )
        assert response.status_code == 403

    async def test_completion_before_start_is_refused(self, registry: httpx.AsyncClient) -> None:
        await building(registry, "s1", "sip")
        response = await registry.post(
            "/api/v1/renovations",
            json={"building_id": "s1", "started_on": "2023-02-01", "completed_on": "2023-01-01"},
        )
        assert response.status_code == 422

    async def test_unknown_building_is_named(self, registry: httpx.AsyncClient) -> None:
        response = await registry.post(
            "/api/v1/renovations", json={"building_id": "ghost", "started_on": "2023-02-01"}
        )
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "building_id"


class TestUpdateRenovation:
    async def test_records_completion(self, registry: httpx.AsyncClient) -> None:
        await building(registry, "s1", "sip")
        created = await renovation(registry, building_id="s1")
        response = await registry.patch(
            f"/api/v1/renovations/{created['id']}", json={"completed_on": "2023-11-30"}
        )
        assert response.status_code == 200
        assert response.json()["completed_on"] == "2023-11-30"

    async def test_completion_before_start_is_refused(self, registry: httpx.AsyncClient) -> None:
        await building(registry, "s1", "sip")
        created = await renovation(registry, building_id="s1")
        response = await registry.patch(
            f"/api/v1/renovations/{created['id']}", json={"completed_on": "2022-12-31"}
        )
        assert response.status_code == 422

    async def test_other_district_is_forbidden(self, registry: httpx.AsyncClient) -> None:
        await building(registry, "s1", "sip")
        created = await renovation(registry, building_id="s1")
        response = await registry.patch(
            f"/api/v1/renovations/{created['id']}",
            json={"completed_on": "2023-11-30"},
            auth=as_(district("gusu")),
        )
        assert response.status_code == 403

    async def test_missing_is_404(self, registry: httpx.AsyncClient) -> None:
        response = await registry.patch(
            "/api/v1/renovations/none", json={"completed_on": "2023-01-01"}
        )
        assert response.status_code == 404


class TestReadRenovations:
    async def test_lists_scoped_to_a_district_key(self, registry: httpx.AsyncClient) -> None:
        await building(registry, "s1", "sip")
        await building(registry, "g1", "gusu")
        await renovation(registry, building_id="s1")
        mine = await renovation(registry, building_id="g1")
        page = (await registry.get("/api/v1/renovations", auth=as_(district("gusu")))).json()
        assert [r["id"] for r in page["items"]] == [mine["id"]]
        assert (await registry.get("/api/v1/renovations")).json()["total"] == 2

    async def test_one_renovation_is_readable_by_its_district_only(
        self, registry: httpx.AsyncClient
    ) -> None:
        await building(registry, "s1", "sip")
        created = await renovation(registry, building_id="s1")
        url = f"/api/v1/renovations/{created['id']}"
        assert (await registry.get(url, auth=as_(district("sip")))).status_code == 200
        assert (await registry.get(url, auth=as_(district("gusu")))).status_code == 403
        assert (await registry.get(url, auth=as_(SUPERVISION))).status_code == 200


class TestReviewOfCompletion:
    """A completion a district enters counts once the administrator verifies it."""

    async def test_a_district_completion_is_pending_and_the_admin_verifies_it(
        self, registry: httpx.AsyncClient
    ) -> None:
        await building(registry, "g1", "gusu")
        gusu = as_(district("gusu"))
        created = await registry.post(
            "/api/v1/renovations", json={"building_id": "g1", "started_on": "2023-02-01"}, auth=gusu
        )
        assert created.json()["review"] is None  # nothing to review until it is completed
        url = f"/api/v1/renovations/{created.json()['id']}"
        completed = await registry.patch(url, json={"completed_on": "2023-06-30"}, auth=gusu)
        assert completed.json()["review"]["state"] == "pending"
        forbidden = await registry.post(f"{url}/review", json={"decision": "verified"}, auth=gusu)
        assert forbidden.status_code == 403
        listed = await registry.get("/api/v1/renovations", params={"review": "pending"})
        assert [r["id"] for r in listed.json()["items"]] == [created.json()["id"]]
        verified = await registry.post(f"{url}/review", json={"decision": "verified"})
        assert verified.status_code == 200 and verified.json()["review"]["state"] == "verified"
        # A district moving the completion date is reviewed again.
        moved = await registry.patch(url, json={"completed_on": "2023-07-31"}, auth=gusu)
        assert moved.json()["review"]["state"] == "pending"
        rejected = await registry.post(
            f"{url}/review", json={"decision": "rejected", "reason": "竣工验收材料缺失"}
        )
        assert rejected.json()["review"]["reason"] == "竣工验收材料缺失"
        seen = (await registry.get(url, auth=gusu)).json()
        assert seen["review"]["state"] == "rejected"

    async def test_the_administrators_completion_is_verified_at_once(
        self, registry: httpx.AsyncClient
    ) -> None:
        await building(registry, "g1", "gusu")
        body = await renovation(registry, building_id="g1", completed_on="2023-05-01")
        assert body["review"]["state"] == "verified"

    async def test_an_unfinished_renovation_is_not_reviewed(
        self, registry: httpx.AsyncClient
    ) -> None:
        await building(registry, "g1", "gusu")
        body = await renovation(registry, building_id="g1")
        response = await registry.post(
            f"/api/v1/renovations/{body['id']}/review", json={"decision": "verified"}
        )
        assert response.status_code == 409

    async def test_supervision_does_not_review(self, registry: httpx.AsyncClient) -> None:
        await building(registry, "g1", "gusu")
        body = await renovation(registry, building_id="g1", completed_on="2023-05-01")
        response = await registry.post(
            f"/api/v1/renovations/{body['id']}/review",
            json={"decision": "rejected", "reason": "x"},
            auth=as_(SUPERVISION),
        )
        assert response.status_code == 403


class TestRenovationEvidence:
    async def test_the_district_attaches_photos_and_another_district_cannot(
        self, registry: httpx.AsyncClient
    ) -> None:
        await building(registry, "g1", "gusu")
        body = await renovation(registry, building_id="g1", completed_on="2023-05-01")
        url = f"/api/v1/renovations/{body['id']}/evidence"
        jpeg = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
        gusu = as_(district("gusu"))
        attached = await registry.post(
            url,
            params={"filename": "改造后.jpg"},
            content=jpeg,
            headers={"Content-Type": "image/jpeg"},
            auth=gusu,
        )
        assert attached.status_code == 201, attached.text
        assert attached.json()["content_type"] == "image/jpeg"
        other = as_(district("sip"))
        assert (await registry.get(url, auth=other)).status_code == 403
        refused = await registry.post(
            url,
            params={"filename": "x.jpg"},
            content=jpeg,
            headers={"Content-Type": "image/jpeg"},
            auth=other,
        )
        assert refused.status_code == 403
