"""review and voiding of held events, their history

Held events recorded before review existed were never reviewed: they start pending, so that an
administrator's verification, not their entry, makes them count.

Revision ID: events_0003
Revises: events_0002
Create Date: 2026-12-02 06:36:08.728392
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

import shared.types
from alembic import op


revision: str = 'events_0003'
down_revision: str | None = 'events_0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('event_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('by', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('at', shared.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('detail', sqlmodel.sql.sqltypes.AutoString(length=8000), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('event_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_change_event_id'), ['event_id'], unique=False)

    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('review_state', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True))
        batch_op.add_column(sa.Column('review_reason', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True))
        batch_op.add_column(sa.Column('review_by', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True))
        batch_op.add_column(sa.Column('review_at', shared.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('voided_at', shared.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('voided_by', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True))
        batch_op.add_column(sa.Column('void_reason', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True))
        batch_op.create_index(batch_op.f('ix_event_review_state'), ['review_state'], unique=False)
    op.execute("UPDATE event SET review_state = 'pending' WHERE status = 'held'")



def downgrade() -> None:
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_review_state'))
        batch_op.drop_column('void_reason')
        batch_op.drop_column('voided_by')
        batch_op.drop_column('voided_at')
        batch_op.drop_column('review_at')
        batch_op.drop_column('review_by')
        batch_op.drop_column('review_reason')
        batch_op.drop_column('review_state')

    with op.batch_alter_table('event_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_change_event_id'))

    op.drop_table('event_change')
