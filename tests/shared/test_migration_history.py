"""Each service's migration history builds exactly the tables its models describe: a column
added to a model without a migration (or the other way round) fails here, not in production."""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, text

from shared.ops import DatabaseTarget, upgrade

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


def test_the_tallies_counted_again_in_dm2_hold_what_the_tenancies_say(tmp_path: Path) -> None:
    """registry_0014 counts the tallies again in dm², each tenancy's area rounded as the service
    rounds it (so the differences added from then on land on the same figures)."""
    target = DatabaseTarget(f"sqlite+aiosqlite:///{tmp_path}/r.db", None)
    upgrade("services.registry", target, "registry_0013")
    tenancy = (
        "INSERT INTO tenancy (building_id, uscc, active, enterprise_name, featured_industry, "
        "area_m2, last_movement_on) VALUES ('b1', :uscc, :active, '', :featured, :area, "
        "'2024-01-01')"
    )
    with create_engine(f"sqlite:///{tmp_path}/r.db").begin() as connection:
        connection.execute(
            text(
                "INSERT INTO building (id, name, district_id, address, gross_floor_area_m2, "
                "status, created_at, updated_at) VALUES ('b1', '楼', 'gusu', '路', 20000, "
                "'operating', '2024-01-01', '2024-01-01')"
            )
        )
        for uscc, active, featured, area in (
            ("a", True, "legal", 123.45),
            ("b", True, None, None),
            ("c", True, "legal", 0.01),
            ("d", False, "finance", 500.0),
        ):
            connection.execute(
                text(tenancy),
                {"uscc": uscc, "active": active, "featured": featured, "area": area},
            )
    upgrade("services.registry", target)
    with create_engine(f"sqlite:///{tmp_path}/r.db").connect() as connection:
        rows = connection.execute(
            text("SELECT building_id, industry, tenants, leased_area_dm2 FROM tenant_tally")
        )
        assert set(map(tuple, rows)) == {("b1", "", 3, 12346), ("b1", "legal", 2, 12346)}
