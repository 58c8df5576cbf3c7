"""House rules of ARCHITECTURE.md that neither import-linter nor ruff can hold, checked on the
source text: who commits, how rows are batched, how routes reach what the app holds, and that
the code explains itself from what is in the repository."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CODE = ("services", "gateway", "shared", "policy", "launcher")


def _sources(*folders: str, suffixes: tuple[str, ...] = (".py",)) -> Iterator[Path]:
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*")):
            skipped = {"node_modules", "migrations"} & set(path.parts)
            if path.suffix in suffixes and not skipped:
                yield path


def _offending(pattern: str, paths: Iterator[Path], allowed: set[str] = set()) -> list[str]:  # noqa: B006
    found = []
    for path in paths:
        name = str(path.relative_to(ROOT))
        if name in allowed:
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if re.search(pattern, line):
                found.append(f"{name}:{number}: {line.strip()}")
    return found


def test_only_the_unit_of_work_commits() -> None:
    """A route's session commits after the route; a service or router that commits splits the
    request's work in two (shared.after_commit runs what must wait for the commit)."""
    assert (
        _offending(r"\.commit\(\)", _sources(*CODE), {"shared/database.py", "shared/migrations.py"})
        == []
    )


def test_rows_are_batched_with_shared_batched() -> None:
    assert _offending(r"range\(0, len\(", _sources(*CODE, "tests", "benchmarks")) == []


def test_routes_take_what_the_app_holds_through_dependencies() -> None:
    """In a router, `request.app.state` appears only in a dependency's one-line provider."""
    provider = re.compile(r"^\w+: \w+ = request\.app\.state\.\w+$")
    found = [
        line
        for line in _offending(r"request\.app\.state", _sources(*CODE))
        if "router.py" in line.split(":", 1)[0] and not provider.match(line.split(": ", 1)[1])
    ]
    assert found == []


def test_comments_cite_only_what_is_in_the_repository() -> None:
    outside = r"CONTRACT(\.md| §)|STYLE\.md|\.\./shared"
    paths = _sources(
        *CODE,
        "tests",
        "benchmarks",
        "console/src",
        "console/tests",
        suffixes=(".py", ".ts", ".vue"),
    )
    assert _offending(outside, paths, {"tests/shared/test_house_rules.py"}) == []


def test_html_is_escaped_by_templates_not_by_hand() -> None:
    """HTML is written by Jinja2 templates with autoescaping; an `escape()` by hand is one
    forgotten call away from injection."""
    assert _offending(r"from html import|html\.escape\(|\bescape\(", _sources(*CODE, "demo")) == []


def test_console_pages_show_their_errors_through_one_composable() -> None:
    """A page runs what it asks of the platform through `useAttempt` (composables/attempt.ts),
    which shows what went wrong: no page turns an error into text its own way, and none catches
    one to drop it (`.catch(() => …)`; a missing record the page expects is `absentAsNull`)."""
    pages = _sources("console/src/pages", suffixes=(".vue", ".ts"))
    assert _offending(r"instanceof ApiError \? error\.text|\.catch\(\(\) =>", pages) == []


# Generated from the OpenAPI document (`npm run api`), never edited by hand.
GENERATED = {"console/src/api/schema.ts"}


def test_no_source_file_is_past_400_lines() -> None:
    """A module past 400 lines is split by what its parts do (migrations and generated files
    aside): a file that long has become two rooms."""
    folders = (*CODE, "demo", "tests", "benchmarks", "console/src")
    long = []
    for path in _sources(*folders, suffixes=(".py", ".ts", ".vue")):
        name = str(path.relative_to(ROOT))
        lines = len(path.read_text().splitlines())
        if name not in GENERATED and lines > 400:
            long.append(f"{name}: {lines} lines")
    assert long == []


def test_shared_keeps_small_surfaces() -> None:
    """`shared` is a small library: its root holds what every service is written with, and each
    narrower surface one kind of work. A surface past its size is a drawer of everything again;
    a name most code does not need belongs on a narrower surface, or in its one consumer."""
    import shared
    import shared.edge
    import shared.messaging
    import shared.ops
    import shared.params

    sizes = {
        module.__name__: len(module.__all__)
        for module in (shared, shared.params, shared.messaging, shared.edge, shared.ops)
    }
    assert sizes["shared"] <= 45, sizes
    assert all(size <= 30 for name, size in sizes.items() if name != "shared"), sizes
    # Every name on a surface is one its module really holds, and no name is on two surfaces.
    names = [(m, n) for m in sizes for n in __import__(m, fromlist=["*"]).__all__]
    assert len({n for _, n in names}) == len(names)


def test_console_takes_the_districts_from_the_platform() -> None:
    """The districts' ids and names come from GET /api/v1/districts (and their shapes from
    GET /api/v1/map/districts), never a list in the console."""
    found = _offending(
        r"[\"'](zhangjiagang|changshu|taicang|kunshan|wujiang|wuzhong|xiangcheng|huqiu)[\"']|姑苏区|张家港市",
        _sources("console/src", suffixes=(".ts", ".vue")),
        allowed=GENERATED,
    )
    assert found == []
