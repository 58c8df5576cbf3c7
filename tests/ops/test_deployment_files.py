"""The Dockerfile, docker-compose.yml and deploy/k8s, validated offline: the compose file
against the compose-spec schema, each Kubernetes overlay rendered by `kubectl kustomize` and
checked by `kubernetes-validate --strict`, and what the issue asks of them checked on the
rendered objects."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from launcher.processes import ALL, BY_NAME
from tests.ops.deployfiles import DEPLOY, GRAFANA, PROMETHEUS, ROOT, load_yaml

BIN = Path(sys.executable).parent
KUBECTL = shutil.which("kubectl")
needs_kubectl = pytest.mark.skipif(KUBECTL is None, reason="kubectl (for kustomize) missing")
PROCESSES = [spec.name for spec in ALL]


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=180)


# --- docker-compose.yml ---------------------------------------------------------------------

COMPOSE = load_yaml(ROOT / "docker-compose.yml")


def test_compose_file_follows_the_compose_specification() -> None:
    checked = run(
        str(BIN / "check-jsonschema"),
        "--builtin-schema",
        "vendor.compose-spec",
        "docker-compose.yml",
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_compose_runs_kafka_in_kraft_mode_beside_postgres_prometheus_and_grafana() -> None:
    services = COMPOSE["services"]
    assert set(services) >= {"postgres", "kafka", "prometheus", "grafana", *PROCESSES}
    kafka = services["kafka"]
    assert kafka["image"].startswith("apache/kafka:")
    assert kafka["environment"]["KAFKA_PROCESS_ROLES"] == "broker,controller"
    assert "zookeeper" not in services


@pytest.mark.parametrize("name", PROCESSES)
def test_each_process_runs_from_the_image_with_a_readiness_healthcheck(name: str) -> None:
    service = COMPOSE["services"][name]
    assert service["command"][:2] == ["serve", name]
    assert f":{BY_NAME[name].default_port}/readyz" in " ".join(service["healthcheck"]["test"])
    assert service["read_only"] is True and service["cap_drop"] == ["ALL"]
    needed = {"postgres"} | ({"kafka"} if name != "gateway" else set())
    conditions = {k: v["condition"] for k, v in service["depends_on"].items()}
    assert all(conditions[d] == "service_healthy" for d in needed)


def test_the_gateway_starts_once_every_service_is_healthy_and_alone_is_published() -> None:
    services = COMPOSE["services"]
    gateway = services["gateway"]
    for name in PROCESSES:
        if name != "gateway":
            assert gateway["depends_on"][name]["condition"] == "service_healthy"
            assert "ports" not in services[name]
    assert gateway["ports"] == ["8000:8000"]
    for tool in ("prometheus", "grafana"):  # operators' tools listen on the host's loopback
        assert all(p.startswith("127.0.0.1:") for p in services[tool]["ports"])


def test_compose_mounts_the_prometheus_and_grafana_files_where_they_are_read() -> None:
    services = COMPOSE["services"]
    assert "./deploy/prometheus:/etc/prometheus:ro" in services["prometheus"]["volumes"]
    grafana = services["grafana"]["volumes"]
    provider = load_yaml(GRAFANA / "provisioning" / "dashboards" / "sbe.yml")["providers"][0]
    assert f"./deploy/grafana/dashboards:{provider['options']['path']}:ro" in grafana
    assert "./deploy/grafana/provisioning:/etc/grafana/provisioning:ro" in grafana
    secrets = set(re.findall(r"\$\{(\w+):\?", (ROOT / "docker-compose.yml").read_text()))
    example = (DEPLOY / "compose.env.example").read_text()
    assert secrets and all(f"{name}=" in example for name in secrets)


# --- Dockerfile -----------------------------------------------------------------------------

DOCKERFILE = (ROOT / "Dockerfile").read_text()


def test_the_image_is_built_in_stages_and_runs_as_an_unprivileged_user() -> None:
    stages = re.findall(r"^FROM \S+ AS (\w+)$", DOCKERFILE, re.MULTILINE)
    assert stages == ["console", "build", "runtime"]
    assert "COPY --from=console /console/dist /opt/sbe/console" in DOCKERFILE
    runtime = DOCKERFILE.split("AS runtime", 1)[1]
    (user,) = re.findall(r"^USER (\S+)$", runtime, re.MULTILINE)
    assert not user.startswith(("0", "root"))
    assert 'ENTRYPOINT ["sbe"]' in runtime and "COPY --from=build /opt/sbe /opt/sbe" in runtime
    for source in re.findall(r"^COPY (?!--from)(.+) \S+$", DOCKERFILE, re.MULTILINE):
        for path in source.split():
            assert (ROOT / path).exists(), f"COPY of missing {path}"
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".git", ".venv", "tests"} <= set(ignored)


def test_the_installed_package_carries_migrations_and_reference_data(tmp_path: Path) -> None:
    """The image installs the project as a wheel (not editable): nothing may be left behind."""
    built = run(
        str(BIN / "python"), "-m", "pip", "wheel", "--no-deps", "-q",
        "-w", str(tmp_path), ".",
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    (wheel,) = tmp_path.glob("*.whl")
    listed = run(str(BIN / "python"), "-m", "zipfile", "-l", str(wheel)).stdout
    for name in PROCESSES:
        package = BY_NAME[name].migrations
        assert package is not None
        folder = ROOT.joinpath(*package.split(".")) / "migrations" / "versions"
        for version in folder.glob("*.py"):
            assert str(version.relative_to(ROOT)) in listed
    for data in [*ROOT.glob("shared/**/*.csv"), *ROOT.glob("services/**/*.csv")]:
        assert str(data.relative_to(ROOT)) in listed


# --- deploy/k8s -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict[str, Any]]]:
    """Each overlay rendered by kustomize (prod with its example secrets file in place)."""
    assert KUBECTL is not None
    copy = tmp_path_factory.mktemp("k8s") / "k8s"
    shutil.copytree(DEPLOY / "k8s", copy)
    prod = copy / "overlays" / "prod"
    shutil.copy(prod / "secrets.env.example", prod / "secrets.env")
    out = {}
    for overlay in ("dev", "prod"):
        result = run(KUBECTL, "kustomize", str(copy / "overlays" / overlay))
        assert result.returncode == 0, result.stderr
        (copy / f"{overlay}.yaml").write_text(result.stdout)
        out[overlay] = [d for d in yaml.safe_load_all(result.stdout) if d]
    out["_dir"] = [{"path": str(copy)}]
    return out


def of_kind(docs: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {d["metadata"]["name"]: d for d in docs if d["kind"] == kind}


def validate(path: Path) -> subprocess.CompletedProcess[str]:
    return run(str(BIN / "kubernetes-validate"), "--strict", "--quiet", str(path))


@needs_kubectl
@pytest.mark.parametrize("overlay", ["dev", "prod"])
def test_the_overlay_validates_strictly(overlay: str, rendered: dict[str, Any]) -> None:
    path = Path(rendered["_dir"][0]["path"]) / f"{overlay}.yaml"
    checked = validate(path)
    assert checked.returncode == 0, checked.stdout + checked.stderr


@needs_kubectl
def test_strict_validation_refuses_an_unknown_field(
    rendered: dict[str, Any], tmp_path: Path
) -> None:
    broken = next(d for d in rendered["dev"] if d["kind"] == "Deployment")
    broken["spec"]["template"]["spec"]["containers"][0]["readinessprobe"] = {}
    (tmp_path / "broken.yaml").write_text(yaml.safe_dump(broken))
    assert validate(tmp_path / "broken.yaml").returncode != 0


@needs_kubectl
@pytest.mark.parametrize("overlay", ["dev", "prod"])
def test_every_process_is_probed_limited_and_unprivileged(
    overlay: str, rendered: dict[str, Any]
) -> None:
    deployments = of_kind(rendered[overlay], "Deployment")
    assert set(deployments) == set(PROCESSES)
    for name, deployment in deployments.items():
        pod = deployment["spec"]["template"]["spec"]
        (container,) = pod["containers"]
        assert container["args"][:2] == ["serve", name]
        assert container["ports"] == [{"name": "http", "containerPort": BY_NAME[name].default_port}]
        assert container["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "http"}
        assert container["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
        assert {"cpu", "memory"} <= set(container["resources"]["requests"])
        assert {"cpu", "memory"} <= set(container["resources"]["limits"])
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert container["securityContext"]["readOnlyRootFilesystem"] is True
        assert container["securityContext"]["allowPrivilegeEscalation"] is False


@needs_kubectl
@pytest.mark.parametrize("overlay", ["dev", "prod"])
def test_config_and_secrets_referenced_are_rendered(overlay: str, rendered: dict[str, Any]) -> None:
    docs = rendered[overlay]
    config_maps, secrets = of_kind(docs, "ConfigMap"), of_kind(docs, "Secret")
    for deployment in of_kind(docs, "Deployment").values():
        (container,) = deployment["spec"]["template"]["spec"]["containers"]
        for source in container["envFrom"]:
            assert source["configMapRef"]["name"] in config_maps
        for variable in container["env"]:
            ref = variable["valueFrom"]["secretKeyRef"]
            assert ref.get("optional") or ref["key"] in secrets[ref["name"]]["data"]


@needs_kubectl
@pytest.mark.parametrize("overlay", ["dev", "prod"])
def test_disruption_budgets_autoscalers_and_consumers_within_partitions(
    overlay: str, rendered: dict[str, Any]
) -> None:
    docs = rendered[overlay]
    budgets, scalers = (
        of_kind(docs, "PodDisruptionBudget"),
        of_kind(docs, "HorizontalPodAutoscaler"),
    )
    for name in PROCESSES:
        assert budgets[name]["spec"]["selector"]["matchLabels"] == {"app.kubernetes.io/name": name}
        target = scalers[name]["spec"]["scaleTargetRef"]
        assert (target["kind"], target["name"]) == ("Deployment", name)
        assert scalers[name]["spec"]["minReplicas"] <= scalers[name]["spec"]["maxReplicas"]
    (config,) = of_kind(docs, "ConfigMap").values()
    partitions = int(config["data"]["SBE_FEED_PARTITIONS"])
    assert scalers["monitoring"]["spec"]["maxReplicas"] <= partitions
    assert of_kind(docs, "Deployment")["monitoring"]["spec"]["replicas"] <= partitions


@needs_kubectl
@pytest.mark.parametrize("overlay", ["dev", "prod"])
def test_only_the_gateway_is_exposed_and_services_match_prometheus(
    overlay: str, rendered: dict[str, Any]
) -> None:
    docs = rendered[overlay]
    (ingress,) = of_kind(docs, "Ingress").values()
    backends = {
        path["backend"]["service"]["name"]
        for rule in ingress["spec"]["rules"]
        for path in rule["http"]["paths"]
    }
    assert backends == {"gateway"}
    services = of_kind(docs, "Service")
    assert all(s["spec"].get("type", "ClusterIP") == "ClusterIP" for s in services.values())
    scrape = load_yaml(PROMETHEUS / "prometheus-k8s.yml")["scrape_configs"]
    for job in scrape:
        (host,) = job["dns_sd_configs"][0]["names"]
        name, namespace = host.split(".")[:2]
        assert namespace == "sbe" and services[name]["spec"]["clusterIP"] == "None"


@needs_kubectl
def test_network_policies_let_only_the_gateway_and_prometheus_reach_the_services(
    rendered: dict[str, Any],
) -> None:
    policies = of_kind(rendered["prod"], "NetworkPolicy")
    deny = policies["default-deny-ingress"]["spec"]
    assert (
        deny["podSelector"] == {} and deny["policyTypes"] == ["Ingress"] and "ingress" not in deny
    )
    # (reached, caller): monitoring and the evaluation (the blue book's figures) read the
    # registry, events and monitoring (pace) read the evaluation, the evaluation reads monitoring,
    # the evaluation reads the events' tallies (its copies against their source), and the registry
    # reads monitoring's (its copy of each building's yearly figures).
    internal_peers = {
        ("registry", "monitoring"),
        ("registry", "evaluation"),
        ("events", "evaluation"),
        ("evaluation", "events"),
        ("evaluation", "monitoring"),
        ("monitoring", "evaluation"),
        ("monitoring", "registry"),
    }
    for policy in policies.values():
        spec = policy["spec"]
        selected = spec["podSelector"].get("matchLabels", {})
        for rule in spec.get("ingress", []):
            for peer in rule["from"]:
                source = peer.get("podSelector", {}).get("matchLabels", {})
                namespace = peer.get("namespaceSelector", {}).get("matchLabels", {})
                if namespace.get("kubernetes.io/metadata.name") == "monitoring":
                    assert source == {"app.kubernetes.io/name": "prometheus"}
                elif namespace:
                    assert selected == {"app.kubernetes.io/name": "gateway"}  # ingress controller
                elif source != {"app.kubernetes.io/name": "gateway"}:
                    pair = (selected["app.kubernetes.io/name"], source["app.kubernetes.io/name"])
                    assert pair in internal_peers


@needs_kubectl
def test_production_pins_its_image_and_serves_tls(rendered: dict[str, Any]) -> None:
    docs = rendered["prod"]
    for deployment in of_kind(docs, "Deployment").values():
        (container,) = deployment["spec"]["template"]["spec"]["containers"]
        assert not container["image"].endswith(":latest")
    (ingress,) = of_kind(docs, "Ingress").values()
    assert ingress["spec"]["tls"][0]["hosts"] == [ingress["spec"]["rules"][0]["host"]]


# --- configuration names ----------------------------------------------------------------------


def _known_variables() -> set[str]:
    """Every SBE_* variable some process's settings read."""
    known = set()
    for spec in ALL:
        settings = spec.load(spec.settings_class)
        prefix = settings.model_config.get("env_prefix", "")
        known |= {f"{prefix}{name}".upper() for name in settings.model_fields}
    return known


def test_compose_sets_only_variables_the_processes_read() -> None:
    known = _known_variables()
    for name in PROCESSES:
        service = COMPOSE["services"][name]
        assert set(service["environment"]) <= known, set(service["environment"]) - known


@needs_kubectl
@pytest.mark.parametrize("overlay", ["dev", "prod"])
def test_kubernetes_sets_only_variables_the_processes_read(
    overlay: str, rendered: dict[str, Any]
) -> None:
    known = _known_variables()
    (config,) = of_kind(rendered[overlay], "ConfigMap").values()
    assert set(config["data"]) <= known, set(config["data"]) - known
    for deployment in of_kind(rendered[overlay], "Deployment").values():
        (container,) = deployment["spec"]["template"]["spec"]["containers"]
        assert {v["name"] for v in container["env"]} <= known


# --- least privilege in the database ---------------------------------------------------------


@pytest.mark.parametrize("name", PROCESSES)
def test_compose_gives_each_process_its_own_database_role(name: str) -> None:
    url = COMPOSE["services"][name]["environment"]["SBE_DATABASE_URL"]
    assert url.startswith(f"postgresql+asyncpg://sbe_{name}:${{SBE_DB_PASSWORD_{name.upper()}")
    postgres = COMPOSE["services"]["postgres"]
    assert f"SBE_DB_PASSWORD_{name.upper()}" in postgres["environment"]


def test_compose_creates_the_roles_on_the_databases_first_start() -> None:
    mounts = COMPOSE["services"]["postgres"]["volumes"]
    assert "./deploy/postgres/init-roles.sh:/docker-entrypoint-initdb.d/10-roles.sh:ro" in mounts
    assert "./deploy/postgres/roles.psql:/docker-entrypoint-initdb.d/roles.psql:ro" in mounts
    script = (DEPLOY / "postgres" / "init-roles.sh").read_text()
    assert "/docker-entrypoint-initdb.d/roles.psql" in script
    assert all(f"SBE_DB_PASSWORD_{n.upper()}" in script for n in PROCESSES)


@needs_kubectl
@pytest.mark.parametrize("overlay", ["dev", "prod"])
def test_kubernetes_gives_each_process_its_own_database_role(
    overlay: str, rendered: dict[str, Any]
) -> None:
    deployments = of_kind(rendered[overlay], "Deployment")
    secret = next(d for d in rendered[overlay] if d["kind"] == "Secret")
    for name in PROCESSES:
        (container,) = deployments[name]["spec"]["template"]["spec"]["containers"]
        env = {e["name"]: e for e in container["env"]}
        key = env["SBE_DATABASE_URL"]["valueFrom"]["secretKeyRef"]["key"]
        assert key == f"database-url-{name}"
        assert key in secret.get("data", {}) or key in secret.get("stringData", {})
