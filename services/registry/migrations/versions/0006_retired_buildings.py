"""retired buildings

Revision ID: registry_0006
Revises: registry_0005
Create Date: 2026-12-02 07:02:34.665925
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

import shared.types
from alembic import op


revision: str = 'registry_0006'
down_revision: str | None = 'registry_0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('building', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retired_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('retired_as', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True))
        batch_op.add_column(sa.Column('retired_reason', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True))
        batch_op.add_column(sa.Column('retired_by', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True))
        batch_op.add_column(sa.Column('merged_into', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('building', schema=None) as batch_op:
        batch_op.drop_column('merged_into')
        batch_op.drop_column('retired_by')
        batch_op.drop_column('retired_reason')
        batch_op.drop_column('retired_as')
        batch_op.drop_column('retired_on')

