"""building years keep their latest occupancy

Revision ID: monitoring_0008
Revises: monitoring_0007
Create Date: 2026-12-02 10:41:24.963614
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

import shared.types
from alembic import op


revision: str = 'monitoring_0008'
down_revision: str | None = 'monitoring_0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('building_year', schema=None) as batch_op:
        batch_op.add_column(sa.Column('occupancy_period', sqlmodel.sql.sqltypes.AutoString(length=7), nullable=True))
        batch_op.add_column(sa.Column('leasable_area_m2', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('occupied_area_m2', sa.Float(), nullable=True))
        batch_op.create_index('ix_building_year_year_tax', ['year', 'tax_cents'], unique=False)
    # The years that so far had only occupancy get their row, then every year its latest month
    # with an occupancy report (from then on the figures worker keeps them).
    op.execute(
        """
        INSERT INTO building_year (building_id, year, tax_cents)
        SELECT DISTINCT m.building_id, CAST(substr(m.period, 1, 4) AS INTEGER), 0
        FROM building_month m
        WHERE m.leasable_area_m2 IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM building_year y
            WHERE y.building_id = m.building_id AND y.year = CAST(substr(m.period, 1, 4) AS INTEGER)
        )
        """
    )
    op.execute(
        """
        UPDATE building_year SET occupancy_period = (
            SELECT max(m.period) FROM building_month m
            WHERE m.building_id = building_year.building_id
              AND substr(m.period, 1, 4) = CAST(building_year.year AS TEXT)
              AND m.leasable_area_m2 IS NOT NULL
        )
        """
    )
    op.execute(
        """
        UPDATE building_year SET
            leasable_area_m2 = (
                SELECT m.leasable_area_m2 FROM building_month m
                WHERE m.building_id = building_year.building_id
                  AND m.period = building_year.occupancy_period
            ),
            occupied_area_m2 = (
                SELECT m.occupied_area_m2 FROM building_month m
                WHERE m.building_id = building_year.building_id
                  AND m.period = building_year.occupancy_period
            )
        WHERE occupancy_period IS NOT NULL
        """
    )



def downgrade() -> None:
    with op.batch_alter_table('building_year', schema=None) as batch_op:
        batch_op.drop_index('ix_building_year_year_tax')
        batch_op.drop_column('occupied_area_m2')
        batch_op.drop_column('leasable_area_m2')
        batch_op.drop_column('occupancy_period')

