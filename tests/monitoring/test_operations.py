"""Dead-letter administration, role checks, metrics and readiness of the monitoring service."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import Services
from tests.support import SUPERVISION, as_, district, metric_value


class TestDeadLetterAccess:
    async def test_admin_and_supervision_list_districts_cannot(
        self, monitoring: httpx.AsyncClient
    ) -> None:
        url = "/api/v1/monitoring/dead-letters"
        assert (await monitoring.get(url)).status_code == 200
        assert (await monitoring.get(url, auth=as_(SUPERVISION))).status_code == 200
        assert (await monitoring.get(url, auth=as_(district("gusu")))).status_code == 403

    @pytest.mark.parametrize(
        "principal", [SUPERVISION, district("gusu")], ids=["supervision", "district"]
    )
    async def test_only_the_admin_replays(self, monitoring: httpx.AsyncClient, principal) -> None:
        response = await monitoring.post(
            "/api/v1/monitoring/dead-letters/replay", json={}, auth=as_(principal)
        )
        assert response.status_code == 403

    async def test_replay_refuses_unknown_fields(self, monitoring: httpx.AsyncClient) -> None:
        response = await monitoring.post(
            "/api/v1/monitoring/dead-letters/replay", json={"all": True}
        )
        assert response.status_code == 422


class TestOperations:
    async def test_metrics_name_the_contracts_series(self, monitoring: httpx.AsyncClient) -> None:
        text = (await monitoring.get("/metrics")).text
        for name in (
            "sbe_ingest_records_total",
            "sbe_ingest_consumer_lag",
            "sbe_ingest_batch_size",
            "sbe_ingest_batch_duration_seconds",
            "sbe_ingest_deadletters_total",
        ):
            assert f"# TYPE {name}" in text

    async def test_ready_with_database_and_broker(self, monitoring: httpx.AsyncClient) -> None:
        body = (await monitoring.get("/readyz")).json()
        assert body["checks"] == {"database": True, "broker": True}
        text = (await monitoring.get("/metrics")).text
        for dependency in ("database", "broker"):
            sample = f'sbe_ready{{dependency="{dependency}",service="monitoring"}}'
            assert metric_value(text, sample) == 1


class TestDatabaseOutage:
    async def test_the_service_starts_and_is_not_ready_without_its_database(
        self, services: Services
    ) -> None:
        from services.monitoring.app import create_app
        from services.monitoring.settings import MonitoringSettings
        from tests.support import free_port, settings_from_env

        nowhere = f"postgresql+asyncpg://postgres@127.0.0.1:{free_port()}/none"
        settings = settings_from_env(
            MonitoringSettings, services.env, database_url=nowhere, consumer_group="outage-test"
        )
        app = create_app(settings)
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://m") as client:
                response = await client.get("/readyz")
                metrics = await client.get("/metrics")
        assert response.status_code == 503
        assert response.json()["checks"]["database"] is False
        assert response.headers["content-type"] == "application/problem+json"
        # Alerting sees it too: the scrape itself answers, with the dependency at 0.
        assert metrics.status_code == 200
        sample = 'sbe_ready{dependency="database",service="monitoring"}'
        assert metric_value(metrics.text, sample) == 0
