"""The evaluation's copies (buildings, movements, events, building-years) against their sources."""
