"""Each service's migration history builds exactly the tables its models describe: a column
added to a model without a migration (or the other way round) fails here, not in production."""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from shared import DatabaseTarget
from shared.migrations import upgrade

PACKAGES = (
    "gateway",
    "services.registry",
    "services.monitoring",
    "services.evaluation",
    "services.events",
)


@pytest.mark.parametrize("package", PACKAGES)
def test_the_history_at_its_head_is_what_the_models_describe(package: str, tmp_path: Path) -> None:
    upgrade(package, DatabaseTarget(f"sqlite+aiosqlite:///{tmp_path}/head.db", None))
    metadata = import_module(f"{package}.models").metadata
    with create_engine(f"sqlite:///{tmp_path}/head.db").connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []
