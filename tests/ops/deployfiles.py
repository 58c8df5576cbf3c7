"""The operations files under deploy/ as the tests read them, and the metric names their
PromQL expressions use."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
PROMETHEUS = DEPLOY / "prometheus"
GRAFANA = DEPLOY / "grafana"
RULE_FILES = sorted((PROMETHEUS / "rules").glob("*.yml"))
DASHBOARDS = sorted((GRAFANA / "dashboards").glob("*.json"))

_LABEL_MATCHERS = re.compile(r"\{[^}]*\}")
_GROUPING = re.compile(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")
_STRINGS = re.compile(r'"[^"]*"')
_IDENTIFIER = re.compile(r"[A-Za-z_:][A-Za-z0-9_:]*")
_FUNCTIONS_AND_KEYWORDS = {"and", "or", "unless", "bool", "offset", "inf", "nan"}


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def rule_groups() -> list[dict[str, Any]]:
    return [group for path in RULE_FILES for group in load_yaml(path)["groups"]]


def rules() -> list[dict[str, Any]]:
    return [rule for group in rule_groups() for rule in group["rules"]]


def alert_names() -> list[str]:
    return [rule["alert"] for rule in rules() if "alert" in rule]


def recorded_names() -> list[str]:
    return [rule["record"] for rule in rules() if "record" in rule]


def dashboards() -> dict[str, dict[str, Any]]:
    return {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in DASHBOARDS}


def panels(board: dict[str, Any]) -> list[dict[str, Any]]:
    return list(board["panels"])


def dashboard_expressions() -> list[str]:
    return [
        target["expr"]
        for board in dashboards().values()
        for panel in panels(board)
        for target in panel["targets"]
    ]


def rule_expressions() -> list[str]:
    return [rule["expr"] for rule in rules()]


def metric_names(expression: str) -> set[str]:
    """The series names an expression selects (metrics and recorded rules, not functions)."""
    text = _STRINGS.sub("", _GROUPING.sub("", _LABEL_MATCHERS.sub("", expression)))
    text = re.sub(r"\[[^\]]*\]", "", text)  # range and subquery durations
    names = set()
    for match in _IDENTIFIER.finditer(text):
        token = match.group()
        following = text[match.end() :].lstrip()
        if following.startswith("(") or token.lower() in _FUNCTIONS_AND_KEYWORDS:
            continue  # a function call (rate, sum, histogram_quantile…) or an operator
        if token.startswith("$"):
            continue
        names.add(token)
    return {n for n in names if not n.replace(".", "").isdigit()}


def raw_metric_names(expressions: list[str]) -> set[str]:
    """Names a service must export: every selected name that is not a recording rule."""
    recorded = set(recorded_names())
    return {n for e in expressions for n in metric_names(e) if n not in recorded and ":" not in n}


def exported_names(exposition: str) -> set[str]:
    """Sample names a /metrics text can carry, from its TYPE lines (histogram series included)."""
    names: set[str] = set()
    for line in exposition.splitlines():
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ", 3)
            names.add(name)
            if kind == "histogram":
                names |= {f"{name}_bucket", f"{name}_count", f"{name}_sum"}
    return names
