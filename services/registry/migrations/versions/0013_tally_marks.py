"""tally marks: buildings whose tenants are to be counted again by the tally keeper

Revision ID: registry_0013
Revises: registry_0012
Create Date: 2026-12-07 18:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

from alembic import op


revision: str = 'registry_0013'
down_revision: str | None = 'registry_0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('tally_mark',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('building_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )


def downgrade() -> None:
    op.drop_table('tally_mark')
