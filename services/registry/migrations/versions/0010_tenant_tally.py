"""tenancies know their featured industry; each building's tenants counted per featured industry

Revision ID: registry_0010
Revises: registry_0009
Create Date: 2026-12-07 15:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

from alembic import op
from policy import featured_codes


revision: str = 'registry_0010'
down_revision: str | None = 'registry_0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

tenancy = sa.table(
    'tenancy',
    sa.column('building_id', sa.String),
    sa.column('active', sa.Boolean),
    sa.column('industry_code', sa.String),
    sa.column('featured_industry', sa.String),
    sa.column('area_m2', sa.Float),
)


def upgrade() -> None:
    with op.batch_alter_table('tenancy', schema=None) as batch_op:
        batch_op.add_column(sa.Column('featured_industry', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True))
    for industry, codes in featured_codes().items():
        op.execute(
            tenancy.update()
            .where(tenancy.c.industry_code.in_(codes))
            .values(featured_industry=industry.value)
        )
    op.create_table('tenant_tally',
    sa.Column('building_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('industry', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('tenants', sa.Integer(), nullable=False),
    sa.Column('leased_area_m2', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['building_id'], ['building.id'], ),
    sa.PrimaryKeyConstraint('building_id', 'industry')
    )
    area = sa.func.sum(sa.func.coalesce(tenancy.c.area_m2, 0.0))
    everyone = (
        sa.select(tenancy.c.building_id, sa.literal(''), sa.func.count(), area)
        .where(tenancy.c.active.is_(True))
        .group_by(tenancy.c.building_id)
    )
    featured = (
        sa.select(tenancy.c.building_id, tenancy.c.featured_industry, sa.func.count(), area)
        .where(tenancy.c.active.is_(True), tenancy.c.featured_industry.is_not(None))
        .group_by(tenancy.c.building_id, tenancy.c.featured_industry)
    )
    tally = sa.table(
        'tenant_tally',
        sa.column('building_id'),
        sa.column('industry'),
        sa.column('tenants'),
        sa.column('leased_area_m2'),
    )
    op.execute(
        tally.insert().from_select(
            ['building_id', 'industry', 'tenants', 'leased_area_m2'],
            sa.union_all(everyone, featured),
        )
    )


def downgrade() -> None:
    op.drop_table('tenant_tally')
    with op.batch_alter_table('tenancy', schema=None) as batch_op:
        batch_op.drop_column('featured_industry')
