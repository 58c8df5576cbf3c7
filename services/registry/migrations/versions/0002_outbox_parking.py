"""outbox parking: a message the broker refuses is set aside after a few tries

Revision ID: registry_0002
Revises: registry_0001
Create Date: 2026-12-02 03:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

import shared.types
from alembic import op


revision: str = 'registry_0002'
down_revision: str | None = 'registry_0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attempts', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('parked_at', shared.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('error', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True))
        batch_op.create_index('ix_outbox_parked_at', ['parked_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_parked_at')
        batch_op.drop_column('error')
        batch_op.drop_column('parked_at')
        batch_op.drop_column('attempts')
