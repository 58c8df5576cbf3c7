"""district lines: movement record ids namespaced per district; tenants keep the name and
industry their own district reported (the city-wide enterprise table, which any district's push
could rename, is gone)

Revision ID: registry_0003
Revises: registry_0002
Create Date: 2026-12-02 03:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

import shared.types
from alembic import op


revision: str = 'registry_0003'
down_revision: str | None = 'registry_0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = (
    "record_id, uscc, enterprise_name, building_id, district_id, kind, date, area_m2,"
    " industry_code, content_hash, pushed_by, received_at"
)


def upgrade() -> None:
    # The primary key changes from (record_id) to (district_id, record_id): a new table, the
    # rows copied, the old one dropped (portable across PostgreSQL and SQLite).
    op.create_table('movement_v2',
    sa.Column('district_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('record_id', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('uscc', sqlmodel.sql.sqltypes.AutoString(length=18), nullable=False),
    sa.Column('enterprise_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('building_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('area_m2', sa.Float(), nullable=True),
    sa.Column('industry_code', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True),
    sa.Column('content_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('pushed_by', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('received_at', shared.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['building_id'], ['building.id'], name='movement_v2_building_fk'),
    sa.PrimaryKeyConstraint('district_id', 'record_id', name='movement_v2_pkey')
    )
    op.execute(f"INSERT INTO movement_v2 ({COLUMNS}) SELECT {COLUMNS} FROM movement")
    op.drop_table('movement')
    op.rename_table('movement_v2', 'movement')
    with op.batch_alter_table('movement', schema=None) as batch_op:
        batch_op.create_index('ix_movement_building_date', ['building_id', 'date'], unique=False)
        batch_op.create_index('ix_movement_district_date', ['district_id', 'date'], unique=False)
        batch_op.create_index('ix_movement_uscc', ['uscc'], unique=False)

    with op.batch_alter_table('tenancy', schema=None) as batch_op:
        batch_op.add_column(sa.Column('enterprise_name', sqlmodel.sql.sqltypes.AutoString(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('industry_code', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True))
    op.execute(
        "UPDATE tenancy SET enterprise_name = (SELECT e.name FROM enterprise e WHERE e.uscc = tenancy.uscc),"
        " industry_code = (SELECT e.industry_code FROM enterprise e WHERE e.uscc = tenancy.uscc)"
        " WHERE EXISTS (SELECT 1 FROM enterprise e WHERE e.uscc = tenancy.uscc)"
    )
    op.drop_table('enterprise')


def downgrade() -> None:
    op.create_table('enterprise',
    sa.Column('uscc', sqlmodel.sql.sqltypes.AutoString(length=18), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('industry_code', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True),
    sa.Column('updated_at', shared.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('uscc')
    )
    with op.batch_alter_table('tenancy', schema=None) as batch_op:
        batch_op.drop_column('industry_code')
        batch_op.drop_column('enterprise_name')
