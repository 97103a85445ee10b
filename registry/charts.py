"""Bar charts drawn on the server as accessible SVG: no script, no chart library.

A chart is a set of categories along the bottom (weeks, registers) and one or more series of
counts; several series are stacked. Each series is told apart by a pattern as well as a colour
(stripes, dots, cross-hatching), named in a legend, and every bar carries its total, so that
nothing depends on colour alone. The SVG has role="img" with a <title> and a <desc>; the page
shows the same figures in a table beside it.

The module is pure: it takes numbers and words and returns markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 640
PLOT_TOP = 24
PLOT_HEIGHT = 200
LEFT = 36
RIGHT = 8
AXIS_LABEL_HEIGHT = 40
LEGEND_ROW = 22

# Colour and pattern per series, in order; GOV.UK palette colours with enough contrast.
STYLES = (
    ("#00703c", "solid"),
    ("#f47738", "stripes"),
    ("#d4351c", "crosshatch"),
    ("#1d70b8", "dots"),
    ("#505a5f", "horizontal"),
    ("#912b88", "vertical"),
)


@dataclass(frozen=True)
class Series:
    """One named run of counts, one per category."""

    name: str
    values: tuple[int, ...]


def nice_maximum(value: int) -> int:
    """The top of the axis: the smallest of 1, 2, 5 x 10^n at or above value (at least 1)."""
    if value <= 1:
        return 1
    step = 1
    while True:
        for factor in (1, 2, 5):
            if factor * step >= value:
                return factor * step
        step *= 10


def totals(categories: Sequence[str], series: Sequence[Series]) -> list[int]:
    """The height of each stacked bar."""
    return [sum(s.values[i] for s in series) for i in range(len(categories))]


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[Series],
) -> Markup:
    """A (stacked) bar chart as inline SVG. Raises ValueError when a series' length differs
    from the categories' or a value is negative."""
    _check(categories, series)
    ident = "".join(c if c.isalnum() or c in "-_" else "-" for c in chart_id)
    bar_totals = totals(categories, series)
    top = nice_maximum(max(bar_totals, default=0))
    legend_rows = (len(series) + 2) // 3 if len(series) > 1 else 0
    height = PLOT_TOP + PLOT_HEIGHT + AXIS_LABEL_HEIGHT + legend_rows * LEGEND_ROW + 8
    parts = [
        f'<svg class="app-chart" id="{ident}" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'aria-labelledby="{ident}-title {ident}-desc" xmlns="http://www.w3.org/2000/svg" '
        'preserveAspectRatio="xMinYMin meet" focusable="false">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(description)}</desc>',
        "<defs>",
        *(_pattern(ident, index) for index in range(len(series))),
        "</defs>",
        *_axis(top),
        *_bars(ident, categories, series, bar_totals, top),
    ]
    if legend_rows:
        parts.extend(_legend(ident, series))
    parts.append("</svg>")
    # Every piece of text above went through escape(); the rest is numbers and fixed markup.
    return Markup("".join(parts))  # noqa: S704


def _check(categories: Sequence[str], series: Sequence[Series]) -> None:
    if len(series) > len(STYLES):
        raise ValueError(f"at most {len(STYLES)} series")
    for s in series:
        if len(s.values) != len(categories):
            raise ValueError(f"series {s.name!r} has {len(s.values)} values, not {len(categories)}")
        if any(v < 0 for v in s.values):
            raise ValueError(f"series {s.name!r} has a negative value")


def _axis(top: int) -> list[str]:
    """Zero, the middle and the top of the axis, with faint grid lines."""
    base = PLOT_TOP + PLOT_HEIGHT
    parts = []
    for fraction in (0, 0.5, 1):
        y = base - fraction * PLOT_HEIGHT
        value = top * fraction
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            'stroke="#b1b4b6" stroke-width="1"/>'
        )
        if value == int(value):
            parts.append(
                f'<text x="{LEFT - 4}" y="{y + 4:.1f}" text-anchor="end" font-size="12" '
                f'fill="#0b0c0c">{value:g}</text>'
            )
    return parts


def _bars(
    ident: str,
    categories: Sequence[str],
    series: Sequence[Series],
    bar_totals: list[int],
    top: int,
) -> list[str]:
    base = PLOT_TOP + PLOT_HEIGHT
    slot = (WIDTH - LEFT - RIGHT) / max(len(categories), 1)
    bar_width = slot * 0.7
    label_every = max(1, -(-len(categories) // 13))
    parts = []
    for i, category in enumerate(categories):
        x = LEFT + i * slot + (slot - bar_width) / 2
        y = float(base)
        for index, s in enumerate(series):
            if not s.values[i]:
                continue
            h = s.values[i] / top * PLOT_HEIGHT
            y -= h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_width:.1f}" height="{h:.1f}" '
                f'fill="url(#{ident}-p{index})" stroke="#0b0c0c" stroke-width="0.5">'
                f"<title>{escape(category)}: {escape(s.name)} {s.values[i]}</title></rect>"
            )
        centre = LEFT + i * slot + slot / 2
        if bar_totals[i]:
            parts.append(
                f'<text x="{centre:.1f}" y="{y - 4:.1f}" text-anchor="middle" font-size="12" '
                f'fill="#0b0c0c">{bar_totals[i]}</text>'
            )
        if i % label_every == 0:
            parts.append(
                f'<text x="{centre:.1f}" y="{base + 16}" text-anchor="middle" font-size="11" '
                f'fill="#0b0c0c">{escape(category)}</text>'
            )
    return parts


def _legend(ident: str, series: Sequence[Series]) -> list[str]:
    legend_top = PLOT_TOP + PLOT_HEIGHT + AXIS_LABEL_HEIGHT
    column = (WIDTH - LEFT - RIGHT) / 3
    parts = []
    for index, s in enumerate(series):
        row, col = divmod(index, 3)
        x = LEFT + col * column
        y = legend_top + row * LEGEND_ROW
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="16" height="16" '
            f'fill="url(#{ident}-p{index})" stroke="#0b0c0c" stroke-width="0.5"/>'
            f'<text x="{x + 22:.1f}" y="{y + 13:.1f}" font-size="13" '
            f'fill="#0b0c0c">{escape(s.name)}</text>'
        )
    return parts


def _pattern(ident: str, index: int) -> str:
    colour, kind = STYLES[index]
    marks = {
        "solid": "",
        "stripes": '<path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" stroke="#fff" stroke-width="2"/>',
        "crosshatch": ('<path d="M0,0 l8,8 M8,0 l-8,8" stroke="#fff" stroke-width="1.5"/>'),
        "dots": '<circle cx="4" cy="4" r="1.8" fill="#fff"/>',
        "horizontal": '<path d="M0,4 h8" stroke="#fff" stroke-width="2"/>',
        "vertical": '<path d="M4,0 v8" stroke="#fff" stroke-width="2"/>',
    }[kind]
    return (
        f'<pattern id="{ident}-p{index}" width="8" height="8" patternUnits="userSpaceOnUse">'
        f'<rect width="8" height="8" fill="{colour}"/>{marks}</pattern>'
    )
