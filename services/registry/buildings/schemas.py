"""Request and response models for buildings, lists and designations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, get_type_hints

from pydantic import Field as PydanticField
from pydantic import StringConstraints, create_model, field_validator
from sqlmodel import Field, SQLModel

from policy import FeaturedIndustry
from services.registry.map.schemas import Location
from shared import Line, RequestModel

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"


class BuildingStatus(StrEnum):
    """Construction and operating status."""

    planned = "planned"  # 规划中
    under_construction = "under_construction"  # 在建
    operating = "operating"  # 运营中
    renovating = "renovating"  # 改造提升中


class ListKey(StrEnum):
    """The three 名录 of the plan's task 2.1."""

    key = "key"  # 重点楼宇名录
    new_project = "new_project"  # 新建楼宇项目名录
    renovation = "renovation"  # 存量楼宇改造提升名录


def _unique_lists(value: list[ListKey] | None) -> list[ListKey] | None:
    if value is None:
        return None
    return sorted(set(value), key=list(ListKey).index)


@dataclass(frozen=True)
class BuildingFilter:
    """What a building query narrows by."""

    district_id: str | None = None
    list_key: str | None = None
    featured_industry: str | None = None
    ids: tuple[str, ...] | None = None
    standing: bool = False  # only buildings not retired
    text: str | None = None  # in the name, the address or the id


class BuildingSort(StrEnum):
    """What the buildings list is ordered by."""

    id = "id"
    name = "name"
    area = "area"  # gross floor area
    tax = "tax"  # the year's tax (a building with none for the year counts as 0)
    occupancy = "occupancy"  # the year's latest occupancy rate (unknown: last either way)


class SortOrder(StrEnum):
    asc = "asc"
    desc = "desc"


@dataclass(frozen=True)
class BuildingOrder:
    """How a page of buildings is ordered, and the year whose figures it shows."""

    year: int
    sort: BuildingSort = BuildingSort.id
    descending: bool = False


# Each field of a building written once, with its constraints: the base below and the update's
# optional fields are made of these.
Name = Annotated[
    Line, PydanticField(min_length=1, max_length=200, description="Building name (楼宇名称).")
]
DistrictId = Annotated[
    str, PydanticField(min_length=1, max_length=32, description="District the building is in.")
]
Address = Annotated[
    Line, PydanticField(min_length=1, max_length=300, description="Street address.")
]
Area = Annotated[
    float,
    PydanticField(gt=0, le=10_000_000, description="Gross floor area (建筑面积) in square metres."),
]
Status = Annotated[
    BuildingStatus,
    PydanticField(description="planned, under_construction, operating or renovating."),
]
Place = Annotated[
    Location | None,
    PydanticField(description="Where it stands on the map (CGCS2000 degrees); optional."),
]


class BuildingBase(SQLModel):
    """What a building is: registered with these, changed through them, shown with them. A new
    field is added here (and to the table), and create, update and the views carry it."""

    name: Name
    district_id: DistrictId
    address: Address
    gross_floor_area_m2: Area
    status: Status
    location: Place = None


class BuildingCreate(BuildingBase, RequestModel):
    """A new building. Give `id` to keep the district system's own identifier."""

    id: Annotated[str, StringConstraints(pattern=ID_PATTERN)] | None = Field(
        default=None, description="Optional id (letters, digits, . _ -)."
    )
    lists: list[ListKey] = Field(default_factory=list, description="The 名录 the building is on.")

    _unique = field_validator("lists")(_unique_lists)


def _optional(model: type[SQLModel]) -> dict[str, Any]:
    """Each field of `model` with its constraints, made optional: what an update may change."""
    hints = get_type_hints(model, include_extras=True)
    return {name: (hints[name] | None, None) for name in model.model_fields}


# BuildingBase's fields, each optional: made from it, so a new field needs no line here.
_BuildingChanges: type[RequestModel] = create_model(
    "_BuildingChanges", __base__=RequestModel, **_optional(BuildingBase)
)


class BuildingUpdate(_BuildingChanges):
    """Changes to a building; fields left out stay as they are. `lists` replaces the set."""

    lists: list[ListKey] | None = Field(default=None, description="The complete new set of 名录.")

    _unique = field_validator("lists")(_unique_lists)


class RetirementKind(StrEnum):
    demolished = "demolished"  # 拆除
    merged = "merged"  # 合并
    converted = "converted"  # 改作他用
    other = "other"


class RetireRequest(RequestModel):
    """Retire a building: it stays in the registry with the reason, and stops counting in the
    years after `retired_on`."""

    kind: RetirementKind = Field(description="demolished, merged, converted or other.")
    reason: Line = Field(min_length=1, max_length=500, description="Why (shown with it).")
    retired_on: date = Field(description="When it stopped being a building of the platform.")
    merged_into: Annotated[str, StringConstraints(pattern=ID_PATTERN)] | None = Field(
        default=None, description="For a merger: the building it became part of."
    )


class Retirement(SQLModel):
    """How a building was retired."""

    kind: RetirementKind = Field(description="demolished, merged, converted or other.")
    reason: str = Field(description="Why.")
    retired_on: date = Field(description="When.")
    by: str = Field(description="The administrator who retired it.")
    merged_into: str | None = Field(description="For a merger: the building it became part of.")


class BuildingPublic(BuildingBase):
    """A building as the API shows it."""

    id: str = Field(description="Building id.")
    retired: Retirement | None = Field(
        default=None, description="Set once the building is retired (never deleted)."
    )
    lists: list[ListKey] = Field(description="The 名录 the building is on.")
    featured_industries: list[FeaturedIndustry] = Field(
        description="Featured industries the building has been designated for."
    )
    created_at: datetime = Field(description="When the building was registered.")
    updated_at: datetime = Field(description="When it last changed.")


class BuildingFigures(SQLModel):
    """A building's year as monitoring last announced it (the registry keeps a copy)."""

    year: int = Field(description="Calendar year.")
    tax_total_cny: str = Field(description="The year's tax so far (decimal string).")
    tax_per_m2_cny: str = Field(description="The year's tax over the gross floor area.")
    occupancy_rate: float | None = Field(
        description="Occupied over leasable area in the year's latest report; null: none."
    )
    occupancy_period: str | None = Field(description="The month of that report (YYYY-MM).")


class BuildingListItem(BuildingPublic):
    """A building in the list, with its figures for the year asked."""

    figures: BuildingFigures | None = Field(
        description="The year's figures; null when monitoring has announced none for it."
    )


class BuildingPage(SQLModel):
    """One page of buildings."""

    year: int = Field(description="The year the figures are for.")
    items: list[BuildingListItem] = Field(description="The buildings on this page.")
    total: int = Field(description="How many buildings match the filter in all.")


class ListedBuildings(SQLModel):
    """The buildings of a 名录."""

    items: list[BuildingPublic] = Field(description="The buildings on the list.")
    total: int = Field(description="How many buildings are on it.")


class ListPage(ListedBuildings):
    """A 名录 with its buildings."""

    # (named `list` by the API: its own class body must not annotate with the builtin after it)
    list: ListKey = Field(description="Which 名录.")
    district_id: str | None = Field(description="The district filter, if any.")


class DesignationCreate(RequestModel):
    """A featured-industry designation."""

    industry: FeaturedIndustry = Field(description="The featured industry.")
    designated_on: date = Field(description="Date of the designation (认定日期).")


class DesignationPublic(SQLModel):
    """A designation as the API shows it."""

    id: int = Field(description="Designation id.")
    building_id: str = Field(description="The designated building.")
    industry: FeaturedIndustry = Field(description="The featured industry.")
    designated_on: date = Field(description="Date of the designation.")
    designated_by: str = Field(description="Key label of the administrator who designated it.")
    created_at: datetime = Field(description="When it was recorded.")
