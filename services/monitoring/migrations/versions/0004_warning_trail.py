"""warnings assigned, commented, closed, with their trail

Revision ID: monitoring_0004
Revises: monitoring_0003
Create Date: 2026-12-02 07:57:29.295457
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

import shared.types
from alembic import op


revision: str = 'monitoring_0004'
down_revision: str | None = 'monitoring_0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('warning_step',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('warning_id', sa.Integer(), nullable=False),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
    sa.Column('by', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('at', shared.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('warning_step', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_warning_step_warning_id'), ['warning_id'], unique=False)

    with op.batch_alter_table('warning', schema=None) as batch_op:
        batch_op.add_column(sa.Column('assigned_to', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True))
        batch_op.add_column(sa.Column('closed_at', shared.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('closed_by', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('warning', schema=None) as batch_op:
        batch_op.drop_column('closed_by')
        batch_op.drop_column('closed_at')
        batch_op.drop_column('assigned_to')

    with op.batch_alter_table('warning_step', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_warning_step_warning_id'))

    op.drop_table('warning_step')
