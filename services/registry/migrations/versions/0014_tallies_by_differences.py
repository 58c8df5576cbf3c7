"""tenant tallies kept by differences: tenancies keep what they said before their latest change,
tallies count leased area in dm² (exact sums), the tally marks are gone

Revision ID: registry_0014
Revises: registry_0013
Create Date: 2026-12-07 21:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

from alembic import op


revision: str = 'registry_0014'
down_revision: str | None = 'registry_0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

tenancy = sa.table(
    'tenancy',
    sa.column('building_id', sa.String),
    sa.column('active', sa.Boolean),
    sa.column('featured_industry', sa.String),
    sa.column('area_m2', sa.Float),
)
tally = sa.table(
    'tenant_tally',
    sa.column('building_id', sa.String),
    sa.column('industry', sa.String),
    sa.column('tenants', sa.Integer),
    sa.column('leased_area_dm2', sa.Integer),
)


def upgrade() -> None:
    with op.batch_alter_table('tenancy', schema=None) as batch_op:
        batch_op.add_column(sa.Column('previous_active', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('previous_area_m2', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('previous_featured_industry', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True))
    op.drop_table('tally_mark')
    with op.batch_alter_table('tenant_tally', schema=None) as batch_op:
        batch_op.drop_column('leased_area_m2')
        batch_op.add_column(sa.Column('leased_area_dm2', sa.Integer(), server_default='0', nullable=False))
    # Counted again in Python, each tenancy's area rounded to dm² as the service rounds it, so
    # that the differences the service adds from now on land on the same figures.
    op.execute(tally.delete())
    counted: dict[tuple[str, str], list[int]] = {}
    active = sa.select(tenancy.c.building_id, tenancy.c.featured_industry, tenancy.c.area_m2)
    for building_id, featured, area in op.get_bind().execute(active.where(tenancy.c.active.is_(True))):
        for industry in ('', featured) if featured else ('',):
            tenants_and_area = counted.setdefault((building_id, industry), [0, 0])
            tenants_and_area[0] += 1
            tenants_and_area[1] += round((area or 0.0) * 100)
    rows = [
        {'building_id': b, 'industry': i, 'tenants': n, 'leased_area_dm2': a}
        for (b, i), (n, a) in sorted(counted.items())
    ]
    for start in range(0, len(rows), 1000):
        op.execute(tally.insert().values(rows[start:start + 1000]))


def downgrade() -> None:
    with op.batch_alter_table('tenant_tally', schema=None) as batch_op:
        batch_op.drop_column('leased_area_dm2')
        batch_op.add_column(sa.Column('leased_area_m2', sa.Float(), server_default='0', nullable=False))
    op.create_table('tally_mark',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('building_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    # Every building marked: the tally keeper of that version counts them all again.
    op.execute(
        sa.text('INSERT INTO tally_mark (building_id) SELECT DISTINCT building_id FROM tenant_tally')
    )
    with op.batch_alter_table('tenancy', schema=None) as batch_op:
        batch_op.drop_column('previous_featured_industry')
        batch_op.drop_column('previous_area_m2')
        batch_op.drop_column('previous_active')
