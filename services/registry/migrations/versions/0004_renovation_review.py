"""review of completed renovations

Completions recorded before review existed were never reviewed: they start pending.

Revision ID: registry_0004
Revises: registry_0003
Create Date: 2026-12-02 06:38:00.379837
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

import shared.types
from alembic import op


revision: str = 'registry_0004'
down_revision: str | None = 'registry_0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('renovation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('review_state', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True))
        batch_op.add_column(sa.Column('review_reason', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True))
        batch_op.add_column(sa.Column('review_by', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True))
        batch_op.add_column(sa.Column('review_at', shared.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_renovation_review_state'), ['review_state'], unique=False)
    op.execute("UPDATE renovation SET review_state = 'pending' WHERE completed_on IS NOT NULL")



def downgrade() -> None:
    with op.batch_alter_table('renovation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_renovation_review_state'))
        batch_op.drop_column('review_at')
        batch_op.drop_column('review_by')
        batch_op.drop_column('review_reason')
        batch_op.drop_column('review_state')

