"""warning thresholds set by administrators, with history

Revision ID: monitoring_0003
Revises: monitoring_0002
Create Date: 2026-12-02 07:55:56.245183
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

import shared.types
from alembic import op


revision: str = 'monitoring_0003'
down_revision: str | None = 'monitoring_0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('warning_setting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('occupancy_drop_points', sa.Float(), nullable=False),
    sa.Column('tax_drop_share', sa.Float(), nullable=False),
    sa.Column('large_taxpayer_cny', sa.BigInteger(), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('changed_by', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('changed_at', shared.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )


def downgrade() -> None:
    op.drop_table('warning_setting')
