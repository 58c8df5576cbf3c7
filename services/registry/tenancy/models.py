"""Tenancies (who is in a building now) and the buildings' tenant tallies."""

from __future__ import annotations

from datetime import date

from sqlmodel import Field

from services.registry.db import RegistryTable


class Tenancy(RegistryTable, table=True):
    """Whether an enterprise is in a building now, kept current as movements arrive.

    Name and industry are as the building's own district reported them: no other district's
    push can change what a district sees of its tenants.
    """

    building_id: str = Field(foreign_key="building.id", primary_key=True, max_length=64)
    uscc: str = Field(primary_key=True, max_length=18)
    active: bool = Field(index=True)
    enterprise_name: str = Field(default="", max_length=200)
    industry_code: str | None = Field(default=None, max_length=8)
    featured_industry: str | None = Field(
        default=None, max_length=32, description="The featured industry its code lies in, if any."
    )
    area_m2: float | None = None
    since: date | None = Field(default=None, description="Date of the move-in it rests on.")
    last_movement_on: date = Field(description="Older movements arriving late change nothing.")
    # What the row said before its latest change, set by the statement that changes it and
    # returned by it: the tenant tallies move by the difference (`repository.py`).
    previous_active: bool = False
    previous_area_m2: float | None = None
    previous_featured_industry: str | None = Field(default=None, max_length=32)


ALL_TENANTS = ""


class TenantTally(RegistryTable, table=True):
    """A building's current tenants, all of them (industry `ALL_TENANTS`) and per featured
    industry they are in, so that the featured candidates read one row per building and industry
    instead of every tenancy. Kept by differences in the transaction that changes a tenancy
    (`repository.py`); a row whose tenants reach none is removed."""

    __tablename__ = "tenant_tally"

    building_id: str = Field(foreign_key="building.id", primary_key=True, max_length=64)
    industry: str = Field(primary_key=True, max_length=32)
    tenants: int
    leased_area_dm2: int = Field(
        description="Their leased area in hundredths of a square metre (dm²), so that sums kept "
        "by differences stay exact; unreported areas count as 0."
    )
