"""一张图: the districts' boundaries and the buildings' locations, as GeoJSON (RFC 7946)."""
