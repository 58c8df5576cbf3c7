"""key tasks by year, with their changes

Revision ID: evaluation_0009
Revises: evaluation_0008
Create Date: 2026-12-02 07:10:03.419147
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

import shared.types
from alembic import op


revision: str = 'evaluation_0009'
down_revision: str | None = 'evaluation_0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('task_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('before', sa.Text(), nullable=True),
    sa.Column('after', sa.Text(), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('by', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('at', shared.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('task_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_task_change_task_id'), ['task_id'], unique=False)

    with op.batch_alter_table('key_task', schema=None) as batch_op:
        batch_op.add_column(sa.Column('year', sa.Integer(), server_default='2023', nullable=False))
        batch_op.create_index(batch_op.f('ix_key_task_year'), ['year'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('key_task', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_key_task_year'))
        batch_op.drop_column('year')

    with op.batch_alter_table('task_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_task_change_task_id'))

    op.drop_table('task_change')
