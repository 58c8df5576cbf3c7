"""daily digests kept as notifications

Revision ID: monitoring_0005
Revises: monitoring_0004
Create Date: 2026-12-02 08:08:03.096477
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

import shared.types
from alembic import op


revision: str = 'monitoring_0005'
down_revision: str | None = 'monitoring_0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('notification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('audience', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', shared.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('emailed_at', shared.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('email_error', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('audience', 'day')
    )
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notification_audience'), ['audience'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notification_audience'))

    op.drop_table('notification')
