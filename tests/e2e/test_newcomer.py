"""What the README promises a newcomer, done against the real processes over HTTP."""

from __future__ import annotations

import io
import socket
from pathlib import Path

import httpx
import pytest
from openpyxl import load_workbook

from tests import fixtures
from tests.live import LiveStack, launch

pytestmark = pytest.mark.e2e


def admin(live: LiveStack) -> httpx.Client:
    return httpx.Client(
        base_url=live.gateway_url, headers={"Authorization": f"Bearer {live.admin_key}"}
    )


def issue(client: httpx.Client, district_id: str) -> str:
    response = client.post(
        "/api/v1/auth/keys",
        json={"role": "district", "district_id": district_id, "label": f"{district_id} 平台"},
    )
    assert response.status_code == 201, response.text
    return str(response.json()["key"])


class TestNewcomerFlow:
    def test_key_push_refusal_and_xlsx_export(self, live: LiveStack) -> None:
        with admin(live) as root:
            own_key, other_key = issue(root, "wuzhong"), issue(root, "kunshan")
        own = httpx.Client(
            base_url=live.gateway_url, headers={"Authorization": f"Bearer {own_key}"}
        )
        other = httpx.Client(
            base_url=live.gateway_url, headers={"Authorization": f"Bearer {other_key}"}
        )
        with own, other:
            created = own.post(
                "/api/v1/buildings",
                json=fixtures.building(id="e2e-g1", district_id="wuzhong", lists=["key"]),
            )
            assert created.status_code == 201
            batch = {"records": fixtures.movements(20, building_id="e2e-g1")}
            assert own.post("/api/v1/enterprise-movements", json=batch).json() == {
                "accepted": 20,
                "duplicates": 0,
            }
            refused = other.post(
                "/api/v1/enterprise-movements",
                json={"records": fixtures.movements(1, building_id="e2e-g1")},
            )
            assert refused.status_code == 403
            assert refused.headers["content-type"] == "application/problem+json"
            export = own.get("/api/v1/lists/key", params={"format": "xlsx"})
        assert export.status_code == 200
        sheet = load_workbook(io.BytesIO(export.content)).active
        rows = [[c.value for c in row] for row in sheet.iter_rows()]
        assert rows[0][1] == "楼宇编号"
        assert [r[1] for r in rows[1:]] == ["e2e-g1"]

    def test_the_banner_shows_the_gateway_and_the_admin_key(self, live: LiveStack) -> None:
        assert live.gateway_url.startswith("http://127.0.0.1:")
        assert live.admin_key.startswith("sbe_admin_")
        assert (live.data_dir / "registry.db").exists()  # the embedded SQLite default

    def test_a_services_own_port_refuses_api_requests(self, live: LiveStack) -> None:
        direct = httpx.get(
            f"http://127.0.0.1:{live.port('registry')}/api/v1/districts",
            headers={"Authorization": f"Bearer {live.admin_key}"},
        )
        assert direct.status_code == 401

    def test_every_process_answers_its_probes(self, live: LiveStack) -> None:
        for name in ("gateway", "registry", "monitoring", "evaluation", "events"):
            base = f"http://127.0.0.1:{live.port(name)}"
            assert httpx.get(f"{base}/healthz").status_code == 200
            assert httpx.get(f"{base}/readyz").status_code == 200
            assert "sbe_http_requests_total" in httpx.get(f"{base}/metrics").text


class TestRestart:
    def test_data_outlives_a_restart_and_sigterm_stops_everything(self, tmp_path: Path) -> None:
        first = launch(tmp_path / "data", tmp_path / "first.log")
        try:
            with admin(first) as root:
                assert (
                    root.post("/api/v1/buildings", json=fixtures.building(id="kept")).status_code
                    == 201
                )
                key = issue(root, "gusu")
        finally:
            assert first.stop() == 0
        for name in ("gateway", "registry", "monitoring", "evaluation", "events"):
            with socket.socket() as sock:
                assert sock.connect_ex(("127.0.0.1", first.port(name))) != 0, (
                    f"{name} still listening"
                )
        second = launch(tmp_path / "data", tmp_path / "second.log")
        try:
            assert second.admin_key == first.admin_key
            with admin(second) as root:
                assert root.get("/api/v1/buildings/kept").status_code == 200
            issued = httpx.get(
                f"{second.gateway_url}/api/v1/districts", headers={"Authorization": f"Bearer {key}"}
            )
            assert issued.status_code == 200
        finally:
            assert second.stop() == 0


class TestFirstAdministrator:
    def test_make_run_prints_the_admin_accounts_one_time_password(self, live: LiveStack) -> None:
        account = next(line for line in live.banner if line.strip().startswith("account"))
        assert live.admin_password and live.admin_password in account
        with httpx.Client(base_url=live.gateway_url) as browser:
            signed = browser.post(
                "/api/v1/auth/login", json={"username": "admin", "password": live.admin_password}
            )
            assert signed.status_code == 200, signed.text
            body = signed.json()
            assert body["user"]["role"] == "admin" and body["password_change_required"] is True
            changed = browser.post(
                "/api/v1/auth/password",
                json={"current_password": live.admin_password, "new_password": "Gusu-Lou-2023!"},
                headers={"X-CSRF-Token": body["csrf_token"]},
            )
            assert changed.status_code == 204
            me = browser.get("/api/v1/auth/me").json()
            assert me["second_factor_enrolment_required"] is True  # an administrator's next step
