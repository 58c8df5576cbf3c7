"""The registry's copy of monitoring's building-years."""

from sqlalchemy import Index

from policy import BuildingYearCopyBase
from services.registry.db import RegistryTable


class BuildingYearCopy(RegistryTable, BuildingYearCopyBase, table=True):
    """A building's year as monitoring last announced it on `sbe.monitoring.building-years.v1`."""

    __tablename__ = "building_year"
    # The buildings list sorted by a year's tax reads the year's rows in tax order.
    __table_args__ = (Index("ix_building_year_year_tax", "year", "tax_cents"),)
