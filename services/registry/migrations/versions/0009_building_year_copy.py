"""the copy of monitoring's building-years (the buildings list's figures)

Revision ID: registry_0009
Revises: registry_0008
Create Date: 2026-12-07 07:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

from alembic import op


revision: str = 'registry_0009'
down_revision: str | None = 'registry_0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('building_year',
    sa.Column('building_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('tax_cents', sa.BigInteger(), nullable=False),
    sa.Column('occupancy_period', sqlmodel.sql.sqltypes.AutoString(length=7), nullable=True),
    sa.Column('leasable_area_m2', sa.Float(), nullable=True),
    sa.Column('occupied_area_m2', sa.Float(), nullable=True),
    sa.PrimaryKeyConstraint('building_id', 'year')
    )
    with op.batch_alter_table('building_year', schema=None) as batch_op:
        batch_op.create_index('ix_building_year_year_tax', ['year', 'tax_cents'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('building_year', schema=None) as batch_op:
        batch_op.drop_index('ix_building_year_year_tax')
    op.drop_table('building_year')
