"""building copies in the shared shape

Revision ID: monitoring_0007
Revises: monitoring_0006
Create Date: 2026-12-02 10:30:33.300927
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

import shared.types
from alembic import op


revision: str = 'monitoring_0007'
down_revision: str | None = 'monitoring_0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('building', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=32), server_default='operating', nullable=False))
        batch_op.add_column(sa.Column('retired_on', sa.Date(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('building', schema=None) as batch_op:
        batch_op.drop_column('retired_on')
        batch_op.drop_column('status')

