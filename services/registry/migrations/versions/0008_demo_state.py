"""the demonstration city's state

Revision ID: registry_0008
Revises: registry_0007
Create Date: 2026-12-07 05:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa

import shared.types
from alembic import op


revision: str = 'registry_0008'
down_revision: str | None = 'registry_0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('demo_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seed', sa.Integer(), nullable=False),
    sa.Column('scale', sa.Float(), nullable=False),
    sa.Column('started_at', shared.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('loaded_at', shared.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reconciliation', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )


def downgrade() -> None:
    op.drop_table('demo_state')
