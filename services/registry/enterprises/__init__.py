"""Enterprises (入驻企业), their movements in and out of buildings, featured-industry candidates."""
