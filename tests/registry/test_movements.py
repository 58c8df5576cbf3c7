"""Enterprise movements pushed by district systems: all or nothing, idempotent."""

from __future__ import annotations

import httpx
import pytest

from tests import fixtures
from tests.support import SUPERVISION, as_, district, must

URL = "/api/v1/enterprise-movements"


async def stored(client: httpx.AsyncClient) -> int:
    return (await client.get(URL, params={"limit": 1})).json()["total"]


@pytest.mark.usefixtures("buildings")
class TestPushMovements:
    async def test_district_pushes_for_its_own_buildings(self, registry: httpx.AsyncClient) -> None:
        records = fixtures.movements(3, building_id="g1")
        response = await registry.post(URL, json={"records": records}, auth=as_(district("gusu")))
        assert response.status_code == 200
        assert response.json() == {"accepted": 3, "duplicates": 0}
        assert await stored(registry) == 3

    async def test_resending_the_same_records_changes_nothing(
        self, registry: httpx.AsyncClient
    ) -> None:
        records = fixtures.movements(3, building_id="g1")
        must(await registry.post(URL, json={"records": records}))
        response = await registry.post(URL, json={"records": records})
        assert response.json() == {"accepted": 0, "duplicates": 3}
        assert await stored(registry) == 3

    async def test_a_partly_new_batch_counts_both(self, registry: httpx.AsyncClient) -> None:
        first = fixtures.movements(2, building_id="g1")
        must(await registry.post(URL, json={"records": first}))
        response = await registry.post(
            URL, json={"records": first + fixtures.movements(1, building_id="g1")}
        )
        assert response.json() == {"accepted": 1, "duplicates": 2}

    async def test_reused_record_id_with_other_content_is_a_conflict(
        self, registry: httpx.AsyncClient
    ) -> None:
        record = fixtures.movement(building_id="g1")
        must(await registry.post(URL, json={"records": [record]}))
        changed = {**record, "enterprise_name": "另一家公司"}
        fresh = fixtures.movement(building_id="g1")
        response = await registry.post(URL, json={"records": [fresh, changed]})
        assert response.status_code == 409
        assert response.json()["errors"] == [
            {"index": 1, "field": "record_id", "message": "already stored with other content"}
        ]
        assert await stored(registry) == 1  # the fresh record was not stored either

    async def test_conflicting_duplicates_within_one_batch_are_a_conflict(
        self, registry: httpx.AsyncClient
    ) -> None:
        record = fixtures.movement(building_id="g1")
        response = await registry.post(
            URL, json={"records": [record, {**record, "date": "2023-04-01"}]}
        )
        assert response.status_code == 409
        assert response.json()["errors"][0]["index"] == 1

    async def test_identical_duplicates_within_one_batch_count_once(
        self, registry: httpx.AsyncClient
    ) -> None:
        record = fixtures.movement(building_id="g1")
        response = await registry.post(URL, json={"records": [record, record]})
        assert response.json() == {"accepted": 1, "duplicates": 1}

    async def test_one_invalid_record_stores_nothing_and_is_named(
        self, registry: httpx.AsyncClient
    ) -> None:
        records = fixtures.movements(4, building_id="g1")
        records[2]["uscc"] = records[2]["uscc"][:17] + (
            "0" if records[2]["uscc"][17] != "0" else "1"
        )
        records[3]["industry_code"] = "9999"
        response = await registry.post(URL, json={"records": records})
        assert response.status_code == 422
        errors = response.json()["errors"]
        assert {(e["index"], e["field"]) for e in errors} == {(2, "uscc"), (3, "industry_code")}
        assert "check character" in errors[0]["message"]
        assert await stored(registry) == 0

    async def test_forbidden_uscc_characters_are_refused(self, registry: httpx.AsyncClient) -> None:
        record = fixtures.movement(building_id="g1", uscc="91350100M000100YI3")
        response = await registry.post(URL, json={"records": [record]})
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "uscc"

    async def test_the_seed_readmes_example_uscc_is_accepted(
        self, registry: httpx.AsyncClient
    ) -> None:
        record = fixtures.movement(building_id="g1", uscc="91350100M000100Y43")
        assert (await registry.post(URL, json={"records": [record]})).status_code == 200

    async def test_unknown_building_is_named_by_index(self, registry: httpx.AsyncClient) -> None:
        records = [fixtures.movement(building_id="g1"), fixtures.movement(building_id="ghost")]
        response = await registry.post(URL, json={"records": records})
        assert response.status_code == 422
        assert response.json()["errors"][0] == {
            "index": 1,
            "field": "building_id",
            "message": "no building 'ghost'",
        }

    async def test_another_districts_building_is_forbidden(
        self, registry: httpx.AsyncClient
    ) -> None:
        records = [fixtures.movement(building_id="g1"), fixtures.movement(building_id="s1")]
        response = await registry.post(URL, json={"records": records}, auth=as_(district("gusu")))
        assert response.status_code == 403
        assert response.json()["errors"][0]["index"] == 1
        assert await stored(registry) == 0

    async def test_supervision_is_forbidden(self, registry: httpx.AsyncClient) -> None:
        response = await registry.post(
            URL, json={"records": fixtures.movements(1, building_id="g1")}, auth=as_(SUPERVISION)
        )
        assert response.status_code == 403

    async def test_at_most_5000_records(self, registry: httpx.AsyncClient) -> None:
        response = await registry.post(
            URL, json={"records": fixtures.movements(5001, building_id="g1")}
        )
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "records"

    async def test_5000_records_are_stored_in_one_push(self, registry: httpx.AsyncClient) -> None:
        response = await registry.post(
            URL, json={"records": fixtures.movements(5000, building_id="g1")}
        )
        assert response.json() == {"accepted": 5000, "duplicates": 0}

    async def test_unknown_fields_and_kinds_are_refused(self, registry: httpx.AsyncClient) -> None:
        bad = {**fixtures.movement(building_id="g1"), "kind": "transfer", "tax": 1}
        response = await registry.post(URL, json={"records": [bad]})
        assert response.status_code == 422
        assert {(e["index"], e["field"]) for e in response.json()["errors"]} == {
            (0, "kind"),
            (0, "tax"),
        }


@pytest.mark.usefixtures("buildings")
class TestListMovements:
    async def test_district_key_sees_its_own_movements(self, registry: httpx.AsyncClient) -> None:
        must(await registry.post(URL, json={"records": fixtures.movements(2, building_id="g1")}))
        must(await registry.post(URL, json={"records": fixtures.movements(1, building_id="s1")}))
        page = (await registry.get(URL, auth=as_(district("sip")))).json()
        assert page["total"] == 1
        assert page["items"][0]["district_id"] == "sip"

    async def test_each_names_its_building(self, registry: httpx.AsyncClient) -> None:
        must(await registry.post(URL, json={"records": fixtures.movements(1, building_id="g1")}))
        (item,) = (await registry.get(URL)).json()["items"]
        assert (item["building_id"], item["building_name"]) == ("g1", "苏州国际金融中心")

    async def test_filters_by_kind_and_dates(self, registry: httpx.AsyncClient) -> None:
        must(
            await registry.post(
                URL,
                json={
                    "records": [
                        fixtures.movement(building_id="g1", date="2023-01-05"),
                        fixtures.movement(building_id="g1", date="2023-06-05", kind="move_out"),
                    ]
                },
            )
        )
        page = (await registry.get(URL, params={"kind": "move_out"})).json()
        assert [m["date"] for m in page["items"]] == ["2023-06-05"]
        page = (await registry.get(URL, params={"from": "2023-01-01", "to": "2023-03-01"})).json()
        assert [m["date"] for m in page["items"]] == ["2023-01-05"]


@pytest.mark.usefixtures("buildings")
class TestDistrictLines:
    """One district's push never changes what another district sees."""

    async def test_another_districts_name_for_a_tenant_does_not_reach_its_building(
        self, registry: httpx.AsyncClient
    ) -> None:
        uscc = fixtures.uscc()
        gusu_record = fixtures.movement(building_id="g1", uscc=uscc, enterprise_name="姑苏某律所")
        sip_record = fixtures.movement(building_id="s1", uscc=uscc, enterprise_name="冒名公司")
        gusu, sip = as_(district("gusu")), as_(district("sip"))
        assert (await registry.post(URL, json={"records": [gusu_record]}, auth=gusu)).is_success
        assert (await registry.post(URL, json={"records": [sip_record]}, auth=sip)).is_success
        tenants = (await registry.get("/api/v1/buildings/g1/tenants", auth=gusu)).json()
        assert [t["enterprise_name"] for t in tenants] == ["姑苏某律所"]
        theirs = (await registry.get("/api/v1/buildings/s1/tenants", auth=sip)).json()
        assert [t["enterprise_name"] for t in theirs] == ["冒名公司"]

    async def test_record_ids_are_namespaced_per_district(
        self, registry: httpx.AsyncClient
    ) -> None:
        gusu, sip = as_(district("gusu")), as_(district("sip"))
        record = fixtures.movement(building_id="g1", record_id="shared-id-1")
        assert (await registry.post(URL, json={"records": [record]}, auth=gusu)).is_success
        # sip uses the same id for its own record: no 409, nothing learnt about gusu's ids.
        same_id = fixtures.movement(building_id="s1", record_id="shared-id-1")
        response = await registry.post(URL, json={"records": [same_id]}, auth=sip)
        assert response.status_code == 200
        assert response.json() == {"accepted": 1, "duplicates": 0}
        own = (await registry.get(URL, auth=gusu)).json()["items"]
        assert [(m["record_id"], m["building_id"]) for m in own] == [("shared-id-1", "g1")]
        # Within one district a reused id with other content is still a conflict, about itself.
        changed = {**same_id, "enterprise_name": "另一家公司"}
        conflict = await registry.post(URL, json={"records": [changed]}, auth=sip)
        assert conflict.status_code == 409
        assert "g1" not in conflict.text and "gusu" not in conflict.text


@pytest.mark.usefixtures("buildings")
class TestCorrections:
    """A district corrects or withdraws its records; every version is kept (更正、撤回)."""

    GUSU = as_(district("gusu"))

    async def _push(self, registry: httpx.AsyncClient, **overrides: object) -> dict:
        record = fixtures.movement(building_id="g1", **overrides)
        response = await registry.post(URL, json={"records": [record]}, auth=self.GUSU)
        assert response.status_code == 200, response.text
        return record

    async def _tenants(self, registry: httpx.AsyncClient, building_id: str) -> list[str]:
        response = await registry.get(f"/api/v1/buildings/{building_id}/tenants")
        return [t["uscc"] for t in response.json()]

    async def test_a_correction_moves_the_tenant_and_keeps_the_earlier_version(
        self, registry: httpx.AsyncClient
    ) -> None:
        record = await self._push(registry)
        assert await self._tenants(registry, "g1") == [record["uscc"]]
        fields = {k: v for k, v in record.items() if k != "record_id"}
        corrected = await registry.post(
            f"{URL}/corrections",
            json={
                "record_id": record["record_id"],
                "reason": "楼宇填报错误",
                "record": {**fields, "building_id": "g2", "area_m2": 800},
            },
            auth=self.GUSU,
        )
        assert corrected.status_code == 200, corrected.text
        assert corrected.json()["version"] == 2 and corrected.json()["building_id"] == "g2"
        assert await self._tenants(registry, "g1") == []
        assert await self._tenants(registry, "g2") == [record["uscc"]]
        history = (
            await registry.get(
                f"{URL}/versions", params={"record_id": record["record_id"]}, auth=self.GUSU
            )
        ).json()
        assert [v["version"] for v in history["versions"]] == [1, 2]
        assert history["versions"][0]["record"]["building_id"] == "g1"
        assert history["versions"][0]["ended_by"] == "corrected"
        assert history["versions"][0]["reason"] == "楼宇填报错误"
        assert history["versions"][1]["record"]["area_m2"] == 800
        # The district system resending the first version is told it no longer holds.
        resent = await registry.post(URL, json={"records": [record]}, auth=self.GUSU)
        assert resent.status_code == 409

    async def test_a_withdrawn_record_stops_counting_and_stays_visible(
        self, registry: httpx.AsyncClient
    ) -> None:
        record = await self._push(registry)
        withdrawn = await registry.post(
            f"{URL}/withdrawals",
            json={"record_id": record["record_id"], "reason": "重复报送"},
            auth=self.GUSU,
        )
        assert withdrawn.status_code == 200, withdrawn.text
        assert withdrawn.json()["withdrawn_at"] is not None
        assert await self._tenants(registry, "g1") == []
        flows = (
            await registry.get(f"{URL}/flows", params={"year": 2023, "district_id": "gusu"})
        ).json()
        assert sum(m["move_in"] for m in flows) == 0
        listed = (await registry.get(URL)).json()["items"]
        assert [m["withdrawn_at"] is not None for m in listed] == [True]
        history = (
            await registry.get(
                f"{URL}/versions",
                params={"record_id": record["record_id"], "district_id": "gusu"},
            )
        ).json()
        assert history["withdrawn"] is True and history["versions"][0]["ended_by"] == "withdrawn"
        again = await registry.post(
            f"{URL}/withdrawals",
            json={"record_id": record["record_id"], "reason": "x"},
            auth=self.GUSU,
        )
        assert again.status_code == 409

    async def test_an_earlier_move_in_takes_over_when_the_later_one_is_withdrawn(
        self, registry: httpx.AsyncClient
    ) -> None:
        first = await self._push(registry, date="2023-01-05", area_m2=100)
        second = await self._push(registry, uscc=first["uscc"], date="2023-06-05", area_m2=500)
        must(
            await registry.post(
                f"{URL}/withdrawals",
                json={"record_id": second["record_id"], "reason": "日期错误"},
                auth=self.GUSU,
            )
        )
        tenants = (await registry.get("/api/v1/buildings/g1/tenants")).json()
        assert [(t["since"], t["area_m2"]) for t in tenants] == [("2023-01-05", 100)]

    async def test_another_district_can_neither_correct_nor_see_the_record(
        self, registry: httpx.AsyncClient
    ) -> None:
        record = await self._push(registry)
        sip = as_(district("sip"))
        withdrawn = await registry.post(
            f"{URL}/withdrawals",
            json={"record_id": record["record_id"], "reason": "x"},
            auth=sip,
        )
        assert withdrawn.status_code == 404  # sip's own namespace has no such record
        named = await registry.post(
            f"{URL}/withdrawals",
            json={"record_id": record["record_id"], "district_id": "gusu", "reason": "x"},
            auth=sip,
        )
        assert named.status_code == 403
        seen = await registry.get(
            f"{URL}/versions",
            params={"record_id": record["record_id"], "district_id": "gusu"},
            auth=sip,
        )
        assert seen.status_code == 403
        supervision = await registry.post(
            f"{URL}/withdrawals",
            json={"record_id": record["record_id"], "district_id": "gusu", "reason": "x"},
            auth=as_(SUPERVISION),
        )
        assert supervision.status_code == 403

    async def test_a_correction_stays_within_the_records_district(
        self, registry: httpx.AsyncClient
    ) -> None:
        record = await self._push(registry)
        fields = {k: v for k, v in record.items() if k != "record_id"}
        moved = await registry.post(
            f"{URL}/corrections",
            json={
                "record_id": record["record_id"],
                "district_id": "gusu",
                "reason": "x",
                "record": {**fields, "building_id": "s1"},
            },
        )
        assert moved.status_code == 422
        unchanged = await registry.post(
            f"{URL}/corrections",
            json={"record_id": record["record_id"], "reason": "x", "record": fields},
            auth=self.GUSU,
        )
        assert unchanged.status_code == 409
        admin_without_district = await registry.post(
            f"{URL}/withdrawals", json={"record_id": record["record_id"], "reason": "x"}
        )
        assert admin_without_district.status_code == 422
