"""The registry's copy of monitoring's building-years: the year's tax and latest occupancy its
buildings list shows and sorts by, read with the building in one query."""
