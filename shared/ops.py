"""Running the platform: migrations, logging set-up, the database target a process is given, and
the flags the headless browser is started with."""

from shared.browser import CHROMIUM_FLAGS
from shared.database import DatabaseTarget
from shared.logging import JsonFormatter, configure_logging
from shared.migrations import revision, run_env, upgrade

__all__ = [
    "CHROMIUM_FLAGS",
    "DatabaseTarget",
    "JsonFormatter",
    "configure_logging",
    "revision",
    "run_env",
    "upgrade",
]
