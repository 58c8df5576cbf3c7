"""building months indexed by period

Revision ID: monitoring_0009
Revises: monitoring_0008
Create Date: 2026-12-07 05:00:00.000000
"""

from collections.abc import Sequence

from alembic import op


revision: str = 'monitoring_0009'
down_revision: str | None = 'monitoring_0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('building_month', schema=None) as batch_op:
        batch_op.create_index(
            'ix_building_month_period', ['period', 'building_id', 'tax_cents'], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table('building_month', schema=None) as batch_op:
        batch_op.drop_index('ix_building_month_period')
