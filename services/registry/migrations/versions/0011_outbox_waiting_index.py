"""the relay's queue order: a partial index of the unparked messages by id

Revision ID: registry_0011
Revises: registry_0010
Create Date: 2026-12-07 16:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op


revision: str = 'registry_0011'
down_revision: str | None = 'registry_0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    waiting = sa.text('parked_at IS NULL')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_waiting', ['id'], unique=False, postgresql_where=waiting, sqlite_where=waiting)


def downgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_waiting', postgresql_where=sa.text('parked_at IS NULL'), sqlite_where=sa.text('parked_at IS NULL'))
