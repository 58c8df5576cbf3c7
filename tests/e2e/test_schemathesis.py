"""Property-based run of schemathesis against the gateway's merged OpenAPI document:
no 5xx, and every answer matches its documented status, media type and schema."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.live import LiveStack

pytestmark = pytest.mark.e2e

CHECKS = ",".join(
    (
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
    )
)


def test_no_server_errors_and_no_schema_violations(live: LiveStack, tmp_path: Path) -> None:
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        "run",
        f"{live.gateway_url}/openapi.json",
        "--header",
        f"Authorization: Bearer {live.admin_key}",
        "--checks",
        CHECKS,
        "--max-examples",
        "25",
        "--phases",
        "examples,coverage,fuzzing",
        "--workers",
        "1",
        "--seed",
        "20230448",
        "--no-color",
        "--generation-database",
        "none",
        "--report-dir",
        str(tmp_path),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
