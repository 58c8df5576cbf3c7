"""movement copies keyed by (district, record id), as the registry now keys them

Revision ID: evaluation_0003
Revises: evaluation_0002
Create Date: 2026-12-02 03:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

from alembic import op


revision: str = 'evaluation_0003'
down_revision: str | None = 'evaluation_0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('movement_v2',
    sa.Column('district_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('record_id', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('building_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.PrimaryKeyConstraint('district_id', 'record_id', name='movement_v2_pkey')
    )
    # Copies made before carry the district of their building as the evaluation knows it.
    op.execute(
        "INSERT INTO movement_v2 (district_id, record_id, building_id, kind, date)"
        " SELECT COALESCE((SELECT b.district_id FROM building b WHERE b.id = m.building_id), ''),"
        " m.record_id, m.building_id, m.kind, m.date FROM movement m"
    )
    op.drop_table('movement')
    op.rename_table('movement_v2', 'movement')
    with op.batch_alter_table('movement', schema=None) as batch_op:
        batch_op.create_index('ix_movement_building_date', ['building_id', 'date'], unique=False)


def downgrade() -> None:
    raise NotImplementedError("the registry no longer has one namespace of record ids")
