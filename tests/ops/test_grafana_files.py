"""deploy/grafana: provisioning that points at the platform's Prometheus, and dashboards that
are well-formed JSON, laid out without overlaps, and query only what the rules record or the
services export (the live test checks the latter against the running stack)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.ops.deployfiles import (
    GRAFANA,
    dashboards,
    load_yaml,
    metric_names,
    panels,
    recorded_names,
)

BOARDS = dashboards()
DATASOURCE_UID = "sbe-prometheus"
GRID_WIDTH = 24
BUILTIN_VARIABLES = {"__rate_interval", "__interval", "__range"}


def test_the_datasource_and_the_dashboard_folder_are_provisioned() -> None:
    (source,) = load_yaml(GRAFANA / "provisioning" / "datasources" / "prometheus.yml")[
        "datasources"
    ]
    assert source["uid"] == DATASOURCE_UID and source["type"] == "prometheus"
    assert source["url"] == "http://prometheus:9090"
    (provider,) = load_yaml(GRAFANA / "provisioning" / "dashboards" / "sbe.yml")["providers"]
    assert provider["type"] == "file"
    assert provider["options"]["path"] == "/var/lib/grafana/dashboards/sbe"


def test_the_three_dashboards_exist_with_unique_uids() -> None:
    assert set(BOARDS) == {"platform", "ingest", "evaluation"}
    uids = [b["uid"] for b in BOARDS.values()]
    assert len(set(uids)) == len(uids) and all(len(uid) <= 40 for uid in uids)


@pytest.mark.parametrize("name", sorted(BOARDS))
def test_panels_are_laid_out_on_the_grid_without_overlap(name: str) -> None:
    board = BOARDS[name]
    ids = [p["id"] for p in panels(board)]
    assert len(set(ids)) == len(ids)
    taken: set[tuple[int, int]] = set()
    for panel in panels(board):
        grid = panel["gridPos"]
        assert grid["x"] >= 0 and grid["x"] + grid["w"] <= GRID_WIDTH
        cells = {
            (x, y)
            for x in range(grid["x"], grid["x"] + grid["w"])
            for y in range(grid["y"], grid["y"] + grid["h"])
        }
        assert not cells & taken, f"{panel['title']} overlaps another panel"
        taken |= cells


@pytest.mark.parametrize("name", sorted(BOARDS))
def test_every_query_uses_the_provisioned_datasource_and_defined_variables(name: str) -> None:
    board = BOARDS[name]
    defined = {v["name"] for v in board["templating"]["list"]} | BUILTIN_VARIABLES
    for variable in board["templating"]["list"]:
        assert variable["datasource"]["uid"] == DATASOURCE_UID
    for panel in panels(board):
        assert panel["datasource"]["uid"] == DATASOURCE_UID
        assert panel["title"] and panel["targets"]
        ref_ids = [t["refId"] for t in panel["targets"]]
        assert len(set(ref_ids)) == len(ref_ids)
        for target in panel["targets"]:
            assert target["datasource"]["uid"] == DATASOURCE_UID
            used = set(re.findall(r"\$(\w+)", target["expr"]))
            assert used <= defined, f"{panel['title']}: undefined {used - defined}"


def _selected(board: dict[str, Any]) -> set[str]:
    return {n for p in panels(board) for t in p["targets"] for n in metric_names(t["expr"])}


def test_recorded_series_used_by_dashboards_are_recorded() -> None:
    used = {n for board in BOARDS.values() for n in _selected(board) if ":" in n}
    assert used <= set(recorded_names())


def test_each_dashboard_shows_what_the_issue_asks_of_it() -> None:
    platform, ingest, evaluation = (
        _selected(BOARDS[n]) for n in ("platform", "ingest", "evaluation")
    )
    assert {
        "service:sbe_http_requests:rate5m",
        "service:sbe_http_errors:ratio_rate5m",
        "service:sbe_http_request_duration_seconds:p99_5m",
    } <= platform
    assert {
        "topic_outcome:sbe_ingest_records:rate5m",
        "sbe_ingest_consumer_lag",
        "sbe_ingest_deadletters_total",
        "sbe_ingest_batch_duration_seconds:p99_5m",
    } <= ingest
    assert {
        "sbe_evaluation_score_duration_seconds_bucket",
        "sbe_evaluation_last_publication_timestamp_seconds",
        "sbe_evaluation_key_tasks_overdue",
    } <= evaluation
