"""Every registry table, imported so the registry's metadata is complete (migrations, tests)."""

from services.registry.buildings.models import Building, BuildingListEntry, FeaturedDesignation
from services.registry.db import RegistryOutbox, RegistryTable
from services.registry.demo.models import DemoState
from services.registry.districts.models import District
from services.registry.figures.models import BuildingYearCopy
from services.registry.map.models import BoundaryVersion
from services.registry.movements.models import Movement, MovementVersion
from services.registry.renovations.evidence import RenovationAttachment, RenovationBlob
from services.registry.renovations.models import Renovation
from services.registry.tenancy.models import Tenancy, TenantTally

metadata = RegistryTable.metadata

__all__ = [
    "BoundaryVersion",
    "Building",
    "BuildingListEntry",
    "BuildingYearCopy",
    "DemoState",
    "District",
    "FeaturedDesignation",
    "Movement",
    "MovementVersion",
    "RegistryOutbox",
    "Renovation",
    "RenovationAttachment",
    "RenovationBlob",
    "Tenancy",
    "TenantTally",
    "metadata",
]
