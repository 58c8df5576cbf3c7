"""Buildings (楼宇), the three 名录 lists and featured-industry designations (产业特色楼宇)."""
