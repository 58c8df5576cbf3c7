"""Small inline SVG charts, so the blue book is one self-contained file."""

from __future__ import annotations

import math
from html import escape

WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 640, 260, 64, 16, 28, 36


def round_ticks(bottom: float, top: float, count: int = 4) -> list[float]:
    """Ticks on a round step (1, 2 or 5 × 10ᵏ) from at or below `bottom` to at or above `top`:
    an axis reads 0, 100,000, 200,000, never 334,822.62."""
    rough = ((top - bottom) or 1.0) / count
    power = 10 ** math.floor(math.log10(rough))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= rough)
    first, last = math.floor(bottom / step), math.ceil(top / step)
    return [n * step for n in range(first, max(last, first + 1) + 1)]


def _tick_label(value: float, step: float) -> str:
    decimals = max(0, -math.floor(math.log10(step))) if step < 1 else 0
    return f"{value:,.{decimals}f}"


def line_chart(title: str, labels: list[str], values: list[float | None], unit: str) -> str:
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

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(title)}" class="chart">',
        f'<text x="{LEFT}" y="18" class="chart-title">{escape(title)}（{escape(unit)}）</text>',
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - RIGHT}" y2="{TOP + plot_h}" class="axis"/>',
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + plot_h}" class="axis"/>',
    ]
    for value in ticks:
        parts.append(
            f'<text x="{LEFT - 6}" y="{y(value) + 4:.1f}" text-anchor="end" class="tick">{_tick_label(value, ticks[1] - ticks[0])}</text>'
        )
    for i, label in enumerate(labels):
        parts.append(
            f'<text x="{x(i):.1f}" y="{HEIGHT - 12}" text-anchor="middle" class="tick">{escape(label)}</text>'
        )
    segment: list[str] = []
    for i, v in enumerate([*values, None]):
        if v is None:
            if len(segment) > 1:
                parts.append(f'<polyline points="{" ".join(segment)}" class="line"/>')
            segment = []
            continue
        segment.append(f"{x(i):.1f},{y(v):.1f}")
        parts.append(
            f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3" class="dot"><title>{escape(labels[i])}: {v:,.2f}</title></circle>'
        )
    parts.append("</svg>")
    return "".join(parts)
