"""district months: each district's months summed, kept by the figures worker

Revision ID: monitoring_0011
Revises: monitoring_0010
Create Date: 2026-12-07 18:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

from alembic import op


revision: str = 'monitoring_0011'
down_revision: str | None = 'monitoring_0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'district_month',
        sa.Column('district_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column('period', sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
        sa.Column('tax_cents', sa.BigInteger(), nullable=False),
        sa.Column('tax_records', sa.Integer(), nullable=False),
        sa.Column('leasable_area_m2', sa.Float(), nullable=True),
        sa.Column('occupied_area_m2', sa.Float(), nullable=True),
        sa.Column('enterprise_count', sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint('district_id', 'period'),
    )
    # The months kept so far, summed once; from here on the figures worker keeps them.
    op.execute(
        """
        INSERT INTO district_month (district_id, period, tax_cents, tax_records,
                                    leasable_area_m2, occupied_area_m2, enterprise_count)
        SELECT b.district_id, m.period, sum(m.tax_cents), sum(m.tax_records),
               sum(m.leasable_area_m2), sum(m.occupied_area_m2), sum(m.enterprise_count)
        FROM building_month m JOIN building b ON b.id = m.building_id
        GROUP BY b.district_id, m.period
        """
    )


def downgrade() -> None:
    op.drop_table('district_month')
