"""The boundaries' checks on hostile input: whatever a client sends as a FeatureCollection, the
check answers with the areas or with the faults, never with anything else."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from policy import LINE_100M_CENTS, district_ids, tier_of
from services.registry.map.geometry import BoundaryProblems, areas_of, inside
from services.registry.map.shipped import shipped

numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=119.0, max_value=122.0),
    st.integers(),
)
rings = st.lists(st.lists(numbers, min_size=0, max_size=3), min_size=0, max_size=6)
json_values = st.recursive(
    st.none() | st.booleans() | numbers | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
geometries = st.one_of(
    st.fixed_dictionaries(
        {
            "type": st.sampled_from(["Polygon", "MultiPolygon", "Point", "LineString"]),
            "coordinates": st.one_of(st.lists(rings, max_size=3), json_values),
        }
    ),
    json_values,
)
features = st.fixed_dictionaries(
    {
        "type": st.sampled_from(["Feature", "feature"]),
        "properties": st.one_of(
            st.fixed_dictionaries({"district_id": st.sampled_from([*district_ids(), "x", 3])}),
            json_values,
        ),
        "geometry": geometries,
    }
)
collections = st.fixed_dictionaries(
    {
        "type": st.sampled_from(["FeatureCollection", "Feature"]),
        "features": st.one_of(st.lists(features, max_size=12), json_values),
    }
)


@settings(max_examples=400, deadline=None)
@given(collections)
def test_any_collection_gives_areas_or_named_faults(collection: dict[str, Any]) -> None:
    try:
        areas = areas_of(collection, district_ids())
    except BoundaryProblems as problems:
        assert problems.errors and all(e.field and e.message for e in problems.errors)
    else:
        assert [a.district_id for a in areas] == list(district_ids())


def test_the_shipped_boundaries_pass_the_checks_a_replacement_must_pass() -> None:
    areas = areas_of(shipped(), district_ids())
    assert inside(areas, 120.700, 31.315) == "sip"  # 金鸡湖
    assert inside(areas, 120.626, 31.311) == "gusu"  # 观前街
    assert inside(areas, 120.958, 31.385) == "kunshan"
    assert inside(areas, 116.4, 39.9) is None


def test_a_building_is_of_a_tier_when_its_tax_is_over_the_line_not_at_it() -> None:
    assert tier_of(LINE_100M_CENTS) is None
    assert tier_of(LINE_100M_CENTS + 1) == "100m"
    assert tier_of(500_000_000_00 + 1) == "500m"
    assert tier_of(1_000_000_000_00) == "500m"
    assert tier_of(1_000_000_000_01) == "1b"
