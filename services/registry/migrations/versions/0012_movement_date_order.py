"""movements in the lists' order: indexes by date, district and record id

Revision ID: registry_0012
Revises: registry_0011
Create Date: 2026-12-07 18:05:00.000000
"""

from collections.abc import Sequence

from alembic import op


revision: str = 'registry_0012'
down_revision: str | None = 'registry_0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('movement', schema=None) as batch_op:
        batch_op.drop_index('ix_movement_district_date')
        batch_op.create_index('ix_movement_district_date', ['district_id', 'date', 'record_id'], unique=False)
        batch_op.create_index('ix_movement_date', ['date', 'district_id', 'record_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('movement', schema=None) as batch_op:
        batch_op.drop_index('ix_movement_date')
        batch_op.drop_index('ix_movement_district_date')
        batch_op.create_index('ix_movement_district_date', ['district_id', 'date'], unique=False)
