"""Whether the platform holds the demonstration city (演示数据), and whether it reconciles."""
