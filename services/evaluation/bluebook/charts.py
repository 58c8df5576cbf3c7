"""Small inline SVG charts, so the blue book is one self-contained file."""

from __future__ import annotations

import math

from markupsafe import Markup

from services.evaluation.bluebook import templates

WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 640, 260, 64, 16, 28, 36


def round_ticks(bottom: float, top: float, count: int = 4) -> list[float]:
    """Ticks on a round step (1, 2 or 5 × 10ᵏ) from at or below `bottom` to at or above `top`:
    an axis reads 0, 100,000, 200,000, never 334,822.62."""
    rough = ((top - bottom) or 1.0) / count
    power = 10 ** math.floor(math.log10(rough))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= rough)
    first, last = math.floor(bottom / step), math.ceil(top / step)
    last = max(last, first + 1)
    # n × step can land a rounding error inside the range (-189 × 0.01 = -1.8900000000000001
    # against a top of -1.8899999999999999): one more step then covers it.
    first -= first * step > bottom
    last += last * step < top
    return [n * step for n in range(first, last + 1)]


def _tick_label(value: float, step: float) -> str:
    decimals = max(0, -math.floor(math.log10(step))) if step < 1 else 0
    return f"{value:,.{decimals}f}"


def line_chart(title: str, labels: list[str], values: list[float | None], unit: str) -> Markup:
    """A line chart of monthly values; months without data are left as gaps."""
    known = [v for v in values if v is not None]
    ticks = round_ticks(min(min(known, default=0.0), 0.0), max(known, default=0.0))
    bottom, top = ticks[0], ticks[-1]
    span = top - bottom
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(i: int) -> float:
        return LEFT + plot_w * (i + 0.5) / max(len(labels), 1)

    def y(v: float) -> float:
        return TOP + plot_h * (1 - (v - bottom) / span)

    # Runs of known values; a month without data breaks the line.
    segments: list[list[tuple[float, float, str, float]]] = [[]]
    for i, v in enumerate(values):
        if v is None:
            segments.append([])
        else:
            segments[-1].append((x(i), y(v), labels[i], v))
    step = ticks[1] - ticks[0]
    return templates.render(
        "chart.svg",
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right=WIDTH - RIGHT,
        top=TOP,
        bottom=TOP + plot_h,
        title=title,
        unit=unit,
        ticks=[(y(value), _tick_label(value, step)) for value in ticks],
        labels=[(x(i), label) for i, label in enumerate(labels)],
        segments=[segment for segment in segments if segment],
    )
