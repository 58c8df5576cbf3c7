"""The map's rules: which boundaries are in force, who replaces them, who sees which buildings."""

from __future__ import annotations

from typing import Any

import orjson
from sqlmodel.ext.asyncio.session import AsyncSession

from policy import format_cents, tier_of
from services.registry.districts import repository as districts
from services.registry.map import repository
from services.registry.map.geometry import BoundaryProblems, areas_of
from services.registry.map.models import BoundaryVersion
from services.registry.map.schemas import BoundariesReplace, BoundaryVersionPublic
from services.registry.map.shipped import (
    SCHEMATIC_NOTE,
    SHIPPED_SOURCE,
    SHIPPED_VERSION,
    shipped,
)
from shared import NotFound, Principal, ValidationFailed


async def boundaries(session: AsyncSession, version: int | None) -> dict[str, Any]:
    """The boundaries in force (or the version asked for) as a FeatureCollection, each feature
    named as the registry names its district; `version` says which (0: the shipped ones)."""
    if version is None:
        row = await repository.latest(session)
    elif version == SHIPPED_VERSION:
        row = None
    else:
        row = await repository.version(session, version)
        if row is None:
            raise NotFound(f"No boundaries version {version}.")
    collection = orjson.loads(row.collection) if row is not None else shipped()
    names = {d.district_id: d.name_zh for d in await districts.list_districts(session)}
    features = [
        {**f, "properties": {**f["properties"], "name_zh": names[f["properties"]["district_id"]]}}
        for f in collection["features"]
    ]
    schematic = any(f["properties"].get("schematic") for f in features)
    return {
        "type": "FeatureCollection",
        "version": row.version if row is not None else SHIPPED_VERSION,
        "source": row.source if row is not None else SHIPPED_SOURCE,
        **({"note": SCHEMATIC_NOTE} if schematic else {}),
        "features": features,
    }


async def replace(
    session: AsyncSession, principal: Principal, body: BoundariesReplace
) -> BoundaryVersionPublic:
    """Put new boundaries in force (the administrator's): all ten districts, valid polygons inside
    Suzhou, no two overlapping. The boundaries they replace stay readable by version."""
    names = {d.district_id: d.name_zh for d in await districts.list_districts(session)}
    try:
        areas = areas_of(body.collection, names)
    except BoundaryProblems as problems:
        raise ValidationFailed(
            "The boundaries are not ten valid, separate districts inside Suzhou.",
            errors=[
                error.model_copy(update={"field": f"collection.{error.field}"})
                for error in problems.errors
            ],
        ) from None
    taken = {
        "type": "FeatureCollection",
        "features": [a.feature(names[a.district_id]) for a in areas],
    }
    row = BoundaryVersion(
        collection=orjson.dumps(taken).decode(),
        source=body.source,
        reason=body.reason,
        replaced_by=principal.name,
    )
    repository.add(session, row)
    await session.flush()
    return _public(row, in_force=True)


async def versions(session: AsyncSession) -> list[BoundaryVersionPublic]:
    """Every version, the shipped one first; the last is in force."""
    rows = await repository.versions(session)
    shipped_version = BoundaryVersionPublic(
        version=SHIPPED_VERSION,
        source=SHIPPED_SOURCE,
        reason="平台内置默认边界",
        replaced_by=None,
        replaced_at=None,
        in_force=not rows,
    )
    return [shipped_version, *(_public(r, in_force=r is rows[-1]) for r in rows)]


def _public(row: BoundaryVersion, in_force: bool) -> BoundaryVersionPublic:
    return BoundaryVersionPublic(
        version=row.version or 0,
        source=row.source,
        reason=row.reason,
        replaced_by=row.replaced_by,
        replaced_at=row.replaced_at,
        in_force=in_force,
    )


async def buildings(
    session: AsyncSession, principal: Principal, district_id: str | None, year: int
) -> dict[str, Any]:
    """The located standing buildings a caller may see (a district its own), as Point features
    with what the map colours and sizes them by: the year's tax and tier, occupancy, the 名录
    and the featured industries."""
    visible = principal.visible_district(district_id)
    rows = await repository.located(session, visible, year)
    return {
        "type": "FeatureCollection",
        "year": year,
        "features": [_point(row) for row in rows],
    }


def _point(row: dict[str, Any]) -> dict[str, Any]:
    tax = row["tax_cents"]
    leasable, occupied = row["leasable_area_m2"], row["occupied_area_m2"]
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [row["location_lng"], row["location_lat"]]},
        "properties": {
            "id": row["id"],
            "name": row["name"],
            "district_id": row["district_id"],
            "lists": sorted(row["list_keys"].split(",")) if row["list_keys"] else [],
            "featured_industries": sorted(set(row["industry_keys"].split(",")))
            if row["industry_keys"]
            else [],
            "tax_total_cny": format_cents(tax) if tax is not None else None,
            "tier": tier_of(tax) if tax is not None else None,
            "occupancy_rate": occupied / leasable if leasable and occupied is not None else None,
        },
    }
