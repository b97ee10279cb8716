"""Charts of the city's reports, drawn on the server as SVG: no script, no charting service.

Each chart is an image with a name and a description (role="img", <title>, <desc>), text
labels, colours of at least 4.5:1 on its own white background, and series told apart by
their line and marker too, not by colour alone. The page shows the same numbers in a table.
A point that counts only part of its span (this week so far) is told apart by text and
shape too: an asterisk after its label and a hollow marker, explained in the description.
"""

import math
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

# Contrast on white: 8.1:1, 6.1:1, 15:1, 7:1. The grid is decoration: its values are text.
BLUE = "#1d4f91"
ORANGE = "#a34700"
TEXT = "#262626"
AXIS = "#595959"
GRID = "#d9d9d9"
FONT_SIZE = 12


@dataclass(frozen=True)
class Series:
    name: str
    values: list
    colour: str = BLUE
    dashed: bool = False
    square: bool = False  # square markers rather than round ones


def nice_scale(largest, ticks=4):
    """(top of the axis, step) for counts: a step of 1, 2 or 5 × 10ⁿ, at least 1."""
    if largest <= 0:
        return ticks, 1
    rough = largest / ticks
    magnitude = 10 ** math.floor(math.log10(rough)) if rough >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= rough)
    step = max(int(step), 1)
    return step * math.ceil(largest / step), step


def shorten(text, length=28):
    text = str(text)
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _svg(chart_id, title, description, width, height, body):
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" role="img" class="insights-chart" '
        'viewBox="0 0 {width} {height}" width="100%" style="max-width: {width}px" '
        'aria-labelledby="{id}-title {id}-desc" font-size="{font}" fill="{text}">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{description}</desc>'
        '<rect width="{width}" height="{height}" fill="#ffffff"/>{body}</svg>',
        width=width,
        height=height,
        id=chart_id,
        font=FONT_SIZE,
        text=TEXT,
        title=title,
        description=description,
        body=body,
    )


def _marker(series, x, y, tooltip, hollow=False):
    # Hollow: white inside, the series' colour around, for a point that counts only in part.
    paint = (
        format_html('fill="#ffffff" stroke="{}" stroke-width="2"', series.colour)
        if hollow
        else format_html('fill="{}"', series.colour)
    )
    if series.square:
        return format_html(
            '<rect x="{}" y="{}" width="8" height="8" {}><title>{}</title></rect>',
            f"{x - 4:.1f}",
            f"{y - 4:.1f}",
            paint,
            tooltip,
        )
    return format_html(
        '<circle cx="{}" cy="{}" r="4" {}><title>{}</title></circle>',
        f"{x:.1f}",
        f"{y:.1f}",
        paint,
        tooltip,
    )


def line_chart(chart_id, title, description, labels, series, *, partial=(), width=640, height=300):
    """A trend: one line per series over `labels` (such as weeks), with a value axis from 0.

    `partial`: the indexes of the points that count only part of their span, such as the
    week in progress; their label gets an asterisk, their marker is hollow, and
    `description` should say what the asterisk means."""
    labels = [f"{label}*" if index in partial else label for index, label in enumerate(labels)]
    left, right, top, bottom = 48, 16, 40, 36
    plot_width, plot_height = width - left - right, height - top - bottom
    largest = max((max(s.values, default=0) for s in series), default=0)
    axis_top, step = nice_scale(largest)
    count = len(labels)

    inset = 24  # room for the first and last labels, centred under their points

    def x_of(index):
        if count == 1:
            return left + plot_width / 2
        return left + inset + index * (plot_width - 2 * inset) / (count - 1)

    def y_of(value):
        return top + plot_height - value * plot_height / axis_top

    parts = []
    for tick in range(0, axis_top + 1, step):
        y = y_of(tick)
        parts.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{y}" y2="{y}" stroke="{}"/>'
                '<text x="{}" y="{y}" dy="4" text-anchor="end">{}</text>',
                left,
                width - right,
                GRID,
                left - 6,
                tick,
                y=f"{y:.1f}",
            )
        )
    parts.append(
        format_html(
            '<line x1="{x}" x2="{x}" y1="{}" y2="{}" stroke="{}"/>',
            top,
            top + plot_height,
            AXIS,
            x=left,
        )
    )
    every = max(1, math.ceil(count / 12))  # at most 12 labels under the axis
    for index, label in enumerate(labels):
        # Counted from the last point, so that the latest week always has its label.
        if (count - 1 - index) % every == 0:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" text-anchor="middle">{}</text>',
                    f"{x_of(index):.1f}",
                    height - bottom + 18,
                    label,
                )
            )
    for number, one in enumerate(series):
        points = " ".join(f"{x_of(i):.1f},{y_of(value):.1f}" for i, value in enumerate(one.values))
        parts.append(
            format_html(
                '<polyline points="{}" fill="none" stroke="{}" stroke-width="2.5"{}/>',
                points,
                one.colour,
                mark_safe(' stroke-dasharray="6 4"') if one.dashed else "",
            )
        )
        parts.extend(
            _marker(one, x_of(i), y_of(value), f"{labels[i]}: {value} {one.name}", i in partial)
            for i, value in enumerate(one.values)
        )
        # The legend, above the plot: a sample of the line and its marker, then the name.
        legend_x = left + number * 200
        parts.append(
            format_html(
                '<line x1="{}" x2="{}" y1="16" y2="16" stroke="{}" stroke-width="2.5"{}/>',
                legend_x,
                legend_x + 28,
                one.colour,
                mark_safe(' stroke-dasharray="6 4"') if one.dashed else "",
            )
        )
        parts.append(_marker(one, legend_x + 14, 16, one.name))
        parts.append(format_html('<text x="{}" y="20">{}</text>', legend_x + 36, one.name))
    body = format_html_join("", "{}", ((part,) for part in parts))
    return _svg(chart_id, title, description, width, height, body)


def bar_chart(chart_id, title, description, rows, *, colour=BLUE, width=640):
    """Horizontal bars, largest first as given: `rows` are (label, value)."""
    label_width, right, top, bar_height, gap = 210, 56, 8, 20, 8
    height = top * 2 + max(len(rows), 1) * (bar_height + gap)
    largest = max((value for _label, value in rows), default=0) or 1
    plot_width = width - label_width - right
    parts = []
    for index, (label, value) in enumerate(rows):
        y = top + index * (bar_height + gap)
        length = value * plot_width / largest
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {}</title></rect>'
                '<text x="{}" y="{}">{}</text>',
                label_width - 8,
                y + 14,
                shorten(label),
                label_width,
                y,
                f"{length:.1f}",
                bar_height,
                colour,
                label,
                value,
                f"{label_width + length + 6:.1f}",
                y + 14,
                value,
            )
        )
    parts.append(
        format_html(
            '<line x1="{x}" x2="{x}" y1="{}" y2="{}" stroke="{}"/>',
            top / 2,
            height - top / 2,
            AXIS,
            x=label_width,
        )
    )
    body = format_html_join("", "{}", ((part,) for part in parts))
    return _svg(chart_id, title, description, width, height, body)
