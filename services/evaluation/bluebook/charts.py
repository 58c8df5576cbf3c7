"""Small inline SVG charts, so the blue book is one self-contained file."""

from __future__ import annotations

from html import escape

WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 640, 260, 64, 16, 28, 36


def line_chart(title: str, labels: list[str], values: list[float | None], unit: str) -> str:
    """A line chart of monthly values; months without data are left as gaps."""
    known = [v for v in values if v is not None]
    top = max(known, default=0.0)
    bottom = min(min(known, default=0.0), 0.0)
    span = (top - bottom) or 1.0
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
    for fraction in (0.0, 0.5, 1.0):
        value = bottom + span * fraction
        parts.append(
            f'<text x="{LEFT - 6}" y="{y(value) + 4:.1f}" text-anchor="end" class="tick">{value:,.2f}</text>'
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
