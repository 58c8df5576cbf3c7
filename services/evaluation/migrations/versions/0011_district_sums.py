"""district sums kept between scorings, and the generation of the copies they are taken from

Revision ID: evaluation_0011
Revises: evaluation_0010
Create Date: 2026-12-02 21:25:24.873944
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

import shared.types
from alembic import op


revision: str = 'evaluation_0011'
down_revision: str | None = 'evaluation_0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('copies_generation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('generation', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('district_sums',
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('generation', sa.BigInteger(), nullable=False),
    sa.Column('sums', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('year')
    )


def downgrade() -> None:
    op.drop_table('district_sums')
    op.drop_table('copies_generation')
