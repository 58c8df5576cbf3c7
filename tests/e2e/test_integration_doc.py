"""docs/integration.md is executed against the real stack, so its examples never go stale."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.live import LiveStack

pytestmark = pytest.mark.e2e

DOC = Path(__file__).parents[2] / "docs" / "integration.md"
FENCE = re.compile(r"^```(\w+)\n(.*?)^```", re.S | re.M)


def blocks(language: str) -> list[str]:
    return [
        body for lang, body in FENCE.findall(DOC.read_text(encoding="utf-8")) if lang == language
    ]


@pytest.fixture(scope="module")
def doc_env(live: LiveStack) -> dict[str, str]:
    response = httpx.post(
        f"{live.gateway_url}/api/v1/auth/keys",
        headers={"Authorization": f"Bearer {live.admin_key}"},
        json={"role": "district", "district_id": "gusu", "label": "doc test"},
    )
    return {
        "SBE_URL": live.gateway_url,
        "SBE_ADMIN_KEY": live.admin_key,
        "SBE_KEY": response.json()["key"],
        "PATH": "/usr/bin:/bin",
    }


def test_the_shell_examples_run_in_order(doc_env: dict[str, str], tmp_path: Path) -> None:
    script = "set -euo pipefail\n" + "\n".join(blocks("bash"))
    result = subprocess.run(
        ["bash", "-c", script],
        env=doc_env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert '"role":"district"' in out
    assert '"accepted":2,"duplicates":0' in out
    assert "check character is '4', GB 32100-2015 gives '3'" in out
    assert '"accepted":0,"duplicates":2' in out


def test_the_python_client_runs(doc_env: dict[str, str], tmp_path: Path) -> None:
    (code,) = blocks("python")
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=doc_env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "{'accepted': 1, 'duplicates': 1}"


def test_the_error_document_shown_matches_the_real_one(doc_env: dict[str, str]) -> None:
    (shown,) = blocks("json")
    assert '"field": "uscc"' in shown and '"status": 422' in shown
