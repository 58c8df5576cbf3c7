"""pace warnings

Revision ID: monitoring_0006
Revises: monitoring_0005
Create Date: 2026-12-02 10:25:27.037118
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

import shared.types
from alembic import op


revision: str = 'monitoring_0006'
down_revision: str | None = 'monitoring_0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('warning_setting', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pace_share', sa.Float(), server_default='0.5', nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('warning_setting', schema=None) as batch_op:
        batch_op.drop_column('pace_share')

