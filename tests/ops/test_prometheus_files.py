"""deploy/prometheus: the configurations load, the rules are valid, and every alert is unit
tested by `promtool test rules` (cases that fire and cases that stay quiet)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from launcher.processes import ALL
from tests.ops.deployfiles import PROMETHEUS, RULE_FILES, alert_names, load_yaml, recorded_names

PROMTOOL = shutil.which("promtool")
needs_promtool = pytest.mark.skipif(
    PROMTOOL is None, reason="promtool missing: `make tools` installs Debian's prometheus as root"
)
ALERT_TESTS = PROMETHEUS / "tests" / "alerts.test.yml"


def promtool(*args: str) -> subprocess.CompletedProcess[str]:
    assert PROMTOOL is not None
    return subprocess.run(
        [PROMTOOL, *args], cwd=PROMETHEUS, capture_output=True, text=True, timeout=120
    )


@needs_promtool
@pytest.mark.parametrize("config", ["prometheus.yml", "prometheus-k8s.yml"])
def test_the_configuration_is_valid_with_its_rules(config: str) -> None:
    checked = promtool("check", "config", config)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert (checked.stdout + checked.stderr).count("rules found") == len(RULE_FILES)


@needs_promtool
def test_the_rules_are_valid() -> None:
    checked = promtool("check", "rules", *(str(p) for p in RULE_FILES))
    assert checked.returncode == 0, checked.stdout + checked.stderr


@needs_promtool
def test_the_alert_unit_tests_pass() -> None:
    tested = promtool("test", "rules", str(ALERT_TESTS))
    assert tested.returncode == 0, tested.stdout + tested.stderr
    assert "SUCCESS" in tested.stdout


def test_every_alert_has_a_case_that_fires_and_one_that_stays_quiet() -> None:
    cases = [
        case for test in load_yaml(ALERT_TESTS)["tests"] for case in test.get("alert_rule_test", [])
    ]
    for alert in alert_names():
        mine = [c for c in cases if c["alertname"] == alert]
        assert any(c["exp_alerts"] for c in mine), f"{alert} is never shown firing"
        assert any(not c["exp_alerts"] for c in mine), f"{alert} is never shown quiet"


def test_the_issues_alerts_are_all_there() -> None:
    assert set(alert_names()) >= {
        "SbeProcessDown",
        "SbeHighErrorRatio",
        "SbeHighLatencyP99",
        "SbeConsumerLagGrowing",
        "SbeDeadLetters",
        "SbeDependencyNotReady",
        "SbeKeyTaskOverdue",
    }
    for alert in (
        r for g in load_yaml(PROMETHEUS / "rules" / "alerts.yml")["groups"] for r in g["rules"]
    ):
        assert alert["labels"]["severity"] in {"critical", "warning", "info"}
        assert alert["annotations"]["summary"] and alert["annotations"]["description"]


def test_recorded_names_follow_the_convention_and_are_unique() -> None:
    names = recorded_names()
    assert len(names) == len(set(names))
    assert all(name.count(":") >= 1 for name in names)


@pytest.mark.parametrize("config", ["prometheus.yml", "prometheus-k8s.yml"])
def test_every_process_is_scraped_on_its_contract_port(config: str) -> None:
    jobs = {job["job_name"]: job for job in load_yaml(PROMETHEUS / config)["scrape_configs"]}
    assert set(jobs) == {f"sbe-{spec.name}" for spec in ALL}
    for spec in ALL:
        job = jobs[f"sbe-{spec.name}"]
        if "static_configs" in job:
            assert job["static_configs"][0]["targets"] == [f"{spec.name}:{spec.default_port}"]
        else:
            (dns,) = job["dns_sd_configs"]
            assert dns["port"] == spec.default_port
            assert dns["names"] == [f"{spec.name}-pods.sbe.svc.cluster.local"]
