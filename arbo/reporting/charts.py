"""Server-rendered SVG charts: no JavaScript, no chart library, no CDN.

Readable without colour: each series has its own line style (solid, dashed) and marker (circle,
square), values are written on bars, the axes carry text, every point has a ``<title>``, and
every chart sits next to a table with the same numbers (the template's job). A suppressed value
(``None``) leaves a gap and an open marker on the axis.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 48
STYLES = [("", "circle"), ("6 4", "square"), ("2 3", "diamond")]


@dataclass
class Series:
    name: str
    values: Sequence[float | None]


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    exponent = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * exponent:
            return step * exponent
    return 10 * exponent


def _fmt(value: float, decimals: int = 1) -> str:
    return str(number_format(value, decimals))


def _marker(kind: str, x: float, y: float) -> str:
    if kind == "square":
        return f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" class="marker"/>'
    if kind == "diamond":
        return f'<path d="M{x:.1f} {y - 5:.1f} L{x + 5:.1f} {y:.1f} L{x:.1f} {y + 5:.1f} L{x - 5:.1f} {y:.1f} Z" class="marker"/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" class="marker"/>'


def line_chart(title: str, labels: Sequence[str], series: Sequence[Series], unit: str = "%") -> SafeString:
    """A line chart of one or more series over the same labels (months)."""
    values = [v for s in series for v in s.values if v is not None]
    top = _nice_max(max(values, default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    n = max(len(labels), 1)

    def x(i: int) -> float:
        return LEFT + (i + 0.5) * plot_w / n

    def y(v: float) -> float:
        return TOP + plot_h - v / top * plot_h

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
    ]
    for i in range(5):
        value = top * i / 4
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(value):.1f}" y2="{y(value):.1f}" class="grid"/>'
            f'<text x="{LEFT - 6}" y="{y(value) + 4:.1f}" text-anchor="end" class="axis">{_fmt(value)}{escape(unit)}</text>'
        )
    step = max(1, math.ceil(n / 12))
    for i, label in enumerate(labels):
        if i % step == 0:
            parts.append(
                f'<text x="{x(i):.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" class="axis">{escape(label)}</text>'
            )
    for index, s in enumerate(series):
        dash, marker = STYLES[index % len(STYLES)]
        run: list[str] = []
        runs: list[list[str]] = []
        for i, v in enumerate(s.values):
            if v is None:
                if run:
                    runs.append(run)
                run = []
                parts.append(
                    f'<text x="{x(i):.1f}" y="{y(0) - 4:.1f}" text-anchor="middle" class="axis suppressed">—</text>'
                )
                continue
            run.append(f"{x(i):.1f},{y(v):.1f}")
        if run:
            runs.append(run)
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        for r in runs:
            parts.append(f'<polyline points="{" ".join(r)}" class="series series-{index}"{dash_attr}/>')
        for i, v in enumerate(s.values):
            if v is not None:
                parts.append(
                    f'<g class="series-{index}"><title>{escape(s.name)} {escape(labels[i])}: {_fmt(v)}{escape(unit)}</title>'
                    f"{_marker(marker, x(i), y(v))}</g>"
                )
    # Legend: line style and marker per series, as text.
    for index, s in enumerate(series):
        dash, marker = STYLES[index % len(STYLES)]
        lx, ly = LEFT + index * 220, HEIGHT - 12
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<g class="legend series-{index}"><line x1="{lx}" x2="{lx + 28}" y1="{ly - 4}" y2="{ly - 4}" class="series series-{index}"{dash_attr}/>'
            f"{_marker(marker, lx + 14, ly - 4)}"
            f'<text x="{lx + 34}" y="{ly}" class="axis">{escape(s.name)}</text></g>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 -- every text above is escaped


def bar_chart(
    title: str, labels: Sequence[str], values: Sequence[float | None], unit: str = "%"
) -> SafeString:
    """Horizontal bars with their value written next to them; a suppressed value reads "—"."""
    row_h = 26
    height = TOP + row_h * max(len(labels), 1) + 8
    label_w = 230
    plot_w = WIDTH - label_w - 80
    top = _nice_max(max((v for v in values if v is not None), default=0))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        yy = TOP + i * row_h
        short = label if len(label) <= 34 else label[:33] + "…"
        parts.append(
            f'<text x="{label_w - 8}" y="{yy + 16}" text-anchor="end" class="axis">{escape(short)}</text>'
        )
        if value is None:
            parts.append(f'<text x="{label_w + 4}" y="{yy + 16}" class="axis suppressed">—</text>')
            continue
        w = value / top * plot_w
        parts.append(
            f'<rect x="{label_w}" y="{yy + 4}" width="{w:.1f}" height="{row_h - 10}" class="bar">'
            f"<title>{escape(label)}: {_fmt(value)}{escape(unit)}</title></rect>"
            f'<text x="{label_w + w + 6:.1f}" y="{yy + 16}" class="axis">{_fmt(value)}{escape(unit)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 -- every text above is escaped
