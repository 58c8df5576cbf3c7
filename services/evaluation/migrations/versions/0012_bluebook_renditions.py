"""blue book renditions kept per publication, edition and format

Revision ID: evaluation_0012
Revises: evaluation_0011
Create Date: 2026-12-07 05:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

import shared.types
from alembic import op


revision: str = 'evaluation_0012'
down_revision: str | None = 'evaluation_0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('bluebook_rendition',
    sa.Column('publication_id', sa.Integer(), nullable=False),
    sa.Column('edition', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('format', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('etag', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('rendered_at', shared.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['publication_id'], ['publication.id'], ),
    sa.PrimaryKeyConstraint('publication_id', 'edition', 'format')
    )


def downgrade() -> None:
    op.drop_table('bluebook_rendition')
