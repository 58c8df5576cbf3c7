"""Renovations of stock buildings (存量楼宇改造提升)."""
