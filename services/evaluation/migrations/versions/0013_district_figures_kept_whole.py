"""district figures kept whole: the kept sums of the old shape are dropped, taken again on use

Revision ID: evaluation_0013
Revises: evaluation_0012
Create Date: 2026-12-07 18:30:00.000000
"""

from collections.abc import Sequence

from alembic import op


revision: str = 'evaluation_0013'
down_revision: str | None = 'evaluation_0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # district_sums.sums now holds each district's figures whole; rows of the old shape are
    # only a cache, taken again at the next scoring.
    op.execute('DELETE FROM district_sums')


def downgrade() -> None:
    op.execute('DELETE FROM district_sums')
