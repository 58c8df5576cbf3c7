"""review state, voiding and building status in the copies; review of key-task reports

Reports recorded before review existed were never reviewed: they start pending. The copies are refilled from the registry's and the events' compacted topics; until then a
copied building counts as operating and a copied event or renovation as not yet reviewed.

Revision ID: evaluation_0004
Revises: evaluation_0003
Create Date: 2026-12-02 06:39:34.393704
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

import shared.types

from alembic import op


revision: str = 'evaluation_0004'
down_revision: str | None = 'evaluation_0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('building', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=32), server_default='operating', nullable=False))

    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('review_state', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True))
        batch_op.add_column(sa.Column('voided', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('renovation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('review_state', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True))

    with op.batch_alter_table('task_report', schema=None) as batch_op:
        batch_op.add_column(sa.Column('review_state', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True))
        batch_op.add_column(sa.Column('review_reason', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True))
        batch_op.add_column(sa.Column('review_by', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True))
        batch_op.add_column(sa.Column('review_at', shared.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_task_report_review_state'), ['review_state'], unique=False)
    op.execute("UPDATE task_report SET review_state = 'pending'")


def downgrade() -> None:
    with op.batch_alter_table('task_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_task_report_review_state'))
        batch_op.drop_column('review_at')
        batch_op.drop_column('review_by')
        batch_op.drop_column('review_reason')
        batch_op.drop_column('review_state')

    with op.batch_alter_table('renovation', schema=None) as batch_op:
        batch_op.drop_column('review_state')

    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_column('voided')
        batch_op.drop_column('review_state')

    with op.batch_alter_table('building', schema=None) as batch_op:
        batch_op.drop_column('status')

