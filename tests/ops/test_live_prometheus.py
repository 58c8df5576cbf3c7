"""A real Prometheus on loopback against the running stack (`sbe run`), configured from
deploy/prometheus: every target is up, the recording rules produce series, the alert rules
evaluate, every dashboard query runs, and every metric the rules and dashboards name is really
exported. The stack is first put under a bounded load through the gateway: no 5xx, and the rate
limit answers 429."""

from __future__ import annotations

import asyncio
import collections
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
import yaml

from launcher.processes import ALL
from tests import fixtures
from tests.live import LiveStack, launch
from tests.ops.deployfiles import (
    PROMETHEUS,
    RULE_FILES,
    alert_names,
    dashboard_expressions,
    exported_names,
    load_yaml,
    raw_metric_names,
    recorded_names,
    rule_expressions,
)
from tests.support import free_port, metric_value

PROMETHEUS_BINARY = shutil.which("prometheus")
pytestmark = [
    pytest.mark.e2e,
    # The alert rules judge the stack's latency: another test's load on the same cores would
    # raise SbeHighLatencyP99 on a healthy stack.
    pytest.mark.alone,
    pytest.mark.skipif(
        PROMETHEUS_BINARY is None,
        reason="prometheus missing: `make tools` installs Debian's prometheus as root",
    ),
]

# A deliberately low per-key limit, so that the load below meets it.
RATE_PER_SECOND = 20
LOAD_SECONDS = 4.0
LOAD_CLIENTS = 16

T = TypeVar("T")


def wait_for(probe: Callable[[], T], check: Callable[[T], bool], within: float = 60) -> T:
    """Poll `probe` until `check` holds; fail with the last value seen."""
    deadline = time.monotonic() + within
    while True:
        value = probe()
        if check(value):
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"not reached within {within}s; last value: {value!r}")
        time.sleep(0.5)


@dataclass
class Prometheus:
    url: str

    def api(self, path: str, **params: str) -> Any:
        response = httpx.get(f"{self.url}/api/v1/{path}", params=params, timeout=10)
        body = response.json()
        assert body["status"] == "success", body
        return body["data"]

    def query(self, expr: str) -> list[dict[str, Any]]:
        return list(self.api("query", query=expr)["result"])


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveStack]:
    base = tmp_path_factory.mktemp("ops-stack")
    limits = {
        "SBE_RATE_LIMIT_PER_SECOND": str(RATE_PER_SECOND),
        "SBE_RATE_LIMIT_BURST": str(RATE_PER_SECOND),
    }
    stack = launch(base / "data", base / "stack.log", limits)
    yield stack
    assert stack.stop() == 0


@pytest.fixture(scope="module")
def prometheus(stack: LiveStack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Prometheus]:
    """deploy/prometheus/prometheus.yml with the stack's loopback ports and 1 s intervals."""
    assert PROMETHEUS_BINARY is not None
    base = tmp_path_factory.mktemp("prometheus")
    config = load_yaml(PROMETHEUS / "prometheus.yml")
    config["global"].update(scrape_interval="1s", evaluation_interval="1s")
    for job in config["scrape_configs"]:
        process = job["job_name"].removeprefix("sbe-")
        job["static_configs"] = [{"targets": [f"127.0.0.1:{stack.port(process)}"]}]
    (base / "rules").mkdir()
    for path in RULE_FILES:
        rules = load_yaml(path)
        for group in rules["groups"]:
            group["interval"] = "1s"
        (base / "rules" / path.name).write_text(yaml.safe_dump(rules, allow_unicode=True))
    config["rule_files"] = [str(base / "rules" / "*.yml")]
    (base / "prometheus.yml").write_text(yaml.safe_dump(config))
    url = f"http://127.0.0.1:{free_port()}"
    log = (base / "prometheus.log").open("w")
    process = subprocess.Popen(
        [
            PROMETHEUS_BINARY,
            f"--config.file={base / 'prometheus.yml'}",
            f"--storage.tsdb.path={base / 'data'}",
            f"--web.listen-address={url.removeprefix('http://')}",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )

    def ready() -> int:
        try:
            return httpx.get(f"{url}/-/ready", timeout=2).status_code
        except httpx.TransportError:
            assert process.poll() is None, Path(log.name).read_text()
            return 0

    wait_for(ready, lambda status: status == 200, within=30)
    server = Prometheus(url)
    # Discovery hands targets to the scrapers a few seconds after start: watch before loading.
    wait_for(
        lambda: server.api("targets")["activeTargets"],
        lambda ts: len(ts) == len(ALL) and all(t["health"] == "up" for t in ts),
    )
    yield server
    process.terminate()
    process.wait(20)
    log.close()


@dataclass
class LoadResult:
    statuses: collections.Counter[int]
    retry_after: set[str]
    problem_types: set[str]
    accepted: int


async def _load(stack: LiveStack) -> LoadResult:
    admin = {"Authorization": f"Bearer {stack.admin_key}"}
    async with httpx.AsyncClient(base_url=stack.gateway_url, timeout=30) as http:
        keys = []
        for district in ("wuzhong", "gusu"):
            issued = await http.post(
                "/api/v1/auth/keys",
                json={"role": "district", "district_id": district, "label": f"{district} 压测"},
                headers=admin,
            )
            assert issued.status_code == 201, issued.text
            keys.append(issued.json()["key"])
        for key, district in zip(keys, ("wuzhong", "gusu"), strict=True):
            created = await http.post(
                "/api/v1/buildings",
                json=fixtures.building(id=f"load-{district}", district_id=district),
                headers={"Authorization": f"Bearer {key}"},
            )
            assert created.status_code == 201, created.text
        result = LoadResult(collections.Counter(), set(), set(), 0)
        deadline = time.monotonic() + LOAD_SECONDS

        async def client(n: int) -> None:
            key, district = keys[n % 2], ("wuzhong", "gusu")[n % 2]
            headers = {"Authorization": f"Bearer {key}"}
            while time.monotonic() < deadline:
                if n % 4 == 0:
                    batch = {"records": fixtures.movements(3, building_id=f"load-{district}")}
                    response = await http.post(
                        "/api/v1/enterprise-movements", json=batch, headers=headers
                    )
                    if response.status_code == 200:
                        result.accepted += response.json()["accepted"]
                else:
                    response = await http.get(
                        "/api/v1/buildings", params={"district_id": district}, headers=headers
                    )
                result.statuses[response.status_code] += 1
                if response.status_code == 429:
                    result.retry_after.add(response.headers["retry-after"])
                    result.problem_types.add(response.headers["content-type"])

        await asyncio.gather(*(client(n) for n in range(LOAD_CLIENTS)))
        return result


@pytest.fixture(scope="module")
def load(stack: LiveStack, prometheus: Prometheus) -> LoadResult:
    """The bounded load, run once Prometheus is watching."""
    return asyncio.run(_load(stack))


class TestBoundedLoad:
    def test_no_server_errors_and_the_rate_limit_answers_429(self, load: LoadResult) -> None:
        assert not {s for s in load.statuses if s >= 500}, load.statuses
        assert set(load.statuses) <= {200, 429}, load.statuses
        assert load.statuses[429] > 0 and load.statuses[200] > 0 and load.accepted > 0
        assert all(int(value) >= 1 for value in load.retry_after)
        assert load.problem_types == {"application/problem+json"}

    def test_every_accepted_movement_is_stored(self, stack: LiveStack, load: LoadResult) -> None:
        metrics = httpx.get(f"http://127.0.0.1:{stack.port('registry')}/metrics").text
        sample = 'sbe_registry_movement_records_total{outcome="accepted"}'
        assert metric_value(metrics, sample) == load.accepted > 0

    def test_prometheus_saw_the_refusals_and_no_5xx(
        self, prometheus: Prometheus, load: LoadResult
    ) -> None:
        refused = wait_for(
            lambda: prometheus.query("sum(sbe_gateway_rate_limited_total)"),
            lambda r: bool(r) and float(r[0]["value"][1]) >= load.statuses[429],
        )
        assert float(refused[0]["value"][1]) == load.statuses[429]
        api = 'sbe_http_requests_total{status=~"5..", route!~"/healthz|/readyz|/metrics"}'
        errors = prometheus.query(api)
        assert errors == [], [(e["metric"]["route"], e["metric"]["status"]) for e in errors]


class TestPrometheusAgainstTheStack:
    def test_every_process_is_a_target_and_up(self, prometheus: Prometheus) -> None:
        targets = wait_for(
            lambda: prometheus.api("targets")["activeTargets"],
            lambda ts: len(ts) == len(ALL) and all(t["health"] == "up" for t in ts),
        )
        assert {t["labels"]["job"] for t in targets} == {f"sbe-{s.name}" for s in ALL}

    def test_every_recording_rule_produces_series(
        self, prometheus: Prometheus, load: LoadResult
    ) -> None:
        for name in recorded_names():
            series = wait_for(lambda name=name: prometheus.query(name), bool)
            assert all(s["metric"].get("__name__") == name for s in series)
        by_service = {
            s["metric"]["service"]: float(s["value"][1])
            for s in prometheus.query("service:sbe_http_requests:rate5m")
        }
        assert by_service["gateway"] > 0 and by_service["registry"] > 0, by_service

    def test_the_alert_rules_evaluate_without_errors(
        self, prometheus: Prometheus, load: LoadResult
    ) -> None:
        def loaded() -> list[dict[str, Any]]:
            return [r for g in prometheus.api("rules")["groups"] for r in g["rules"]]

        rules = wait_for(
            loaded, lambda rs: all(r.get("lastEvaluation", "").startswith("2") for r in rs)
        )
        assert {r["name"] for r in rules if r["type"] == "alerting"} == set(alert_names())
        assert all(r["health"] == "ok" for r in rules), [r for r in rules if r["health"] != "ok"]
        firing = {r["name"] for r in rules if r["type"] == "alerting" and r["state"] != "inactive"}
        # A healthy stack under a bounded load raises nothing but the plan's overdue key tasks.
        assert firing <= {"SbeKeyTaskOverdue"}

    def test_every_dashboard_query_runs(self, prometheus: Prometheus) -> None:
        for expr in dashboard_expressions():
            runnable = (
                expr.replace("$__rate_interval", "1m")
                .replace("$service", ".*")
                .replace("$topic", ".*")
            )
            prometheus.api("query", query=runnable)  # asserts status success

    def test_every_metric_named_in_rules_and_dashboards_is_exported(
        self, stack: LiveStack, prometheus: Prometheus
    ) -> None:
        exported = {"up"}  # Prometheus's own, per target
        for spec in ALL:
            exposition = httpx.get(f"http://127.0.0.1:{stack.port(spec.name)}/metrics").text
            exported |= exported_names(exposition)
        named = raw_metric_names(rule_expressions() + dashboard_expressions())
        assert named - exported == set()
        # …and Prometheus knows each of them from its scrapes.
        metadata = prometheus.api("metadata")
        known = {"up"} | {
            n
            for name in metadata
            for n in (name, f"{name}_total", f"{name}_bucket", f"{name}_count", f"{name}_sum")
        }
        assert named - known == set()
