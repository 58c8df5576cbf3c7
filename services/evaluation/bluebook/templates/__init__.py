"""The blue book's Jinja2 templates (the HTML book, its SVG charts), autoescaped."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

HERE = Path(__file__).parent
ENVIRONMENT = Environment(
    loader=FileSystemLoader(HERE),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=False,
    keep_trailing_newline=False,
)


def render(name: str, **context: object) -> Markup:
    """The template `name` filled in; every value not already markup is escaped."""
    # Autoescaped as it was rendered: the result is markup for the template that embeds it.
    return Markup(ENVIRONMENT.get_template(name).render(**context))  # noqa: S704


def sources() -> bytes:
    """Every template's text (what the renditions' cache key follows)."""
    return b"".join(path.read_bytes() for path in sorted(HERE.glob("*.*")) if path.suffix != ".py")
