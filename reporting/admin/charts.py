"""Server-rendered SVG charts for the admin: no JavaScript, no files from a CDN.

``percent_bar_chart`` draws one horizontal bar per label on a 0–100 % axis and
prints each value at the end of its bar. In a right-to-left language (Arabic) the
chart is mirrored: labels on the right, bars growing leftwards from them, the axis
running from 0 % on the right; the SVG states its own ``direction`` so that it does
not inherit the admin's and anchor the labels on top of the bars. Values and ticks
("75 %") are set left-to-right in both, so that the sign stays after the number.
Each label line is a first-strong isolate (U+2068 … U+2069): an English name in
the Arabic chart keeps its own order and punctuation. Text takes the page's colour
(``currentColor``), so the chart reads in the admin's light and dark themes; the
bars are a teal with at least 3:1 contrast against either background. Labels that
do not fit on two lines are shortened with an ellipsis and keep their full text in
a ``<title>``. The SVG is an image (``role="img"``) named by its own title and
description; the page shows the same numbers in a table for screen readers.

Every piece of text is escaped here: names of ministries and courses come from
people.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.template.defaultfilters import floatformat
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

# Geometry, in SVG user units (the chart scales to its container's width).
WIDTH = 640
LABEL_WIDTH = 200  # labels end 10 units before the bars start
PLOT_LEFT = 210
PLOT_WIDTH = 360  # 100 % is this long; the value is printed after it
ROW_HEIGHT = 36
BAR_HEIGHT = 20
TOP = 8
AXIS_HEIGHT = 40
FONT_SIZE = 12
LINE_HEIGHT = 14
LABEL_CHARS = 28  # characters per label line at FONT_SIZE
LABEL_LINES = 2
TICKS = (0, 25, 50, 75, 100)

BAR_COLOUR = "#00676a"  # 6.4:1 on white, 3.1:1 on the admin's dark grey
GRID_OPACITY = "0.25"

FSI, PDI = "\u2068", "\u2069"  # first-strong isolate, pop directional isolate

_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


@dataclass(frozen=True)
class Bar:
    """One bar: what it stands for and its value in percent (None: no value)."""

    label: str
    percent: Decimal | float | int | None


def format_percent(value: Decimal | float | int | None) -> str:
    """``75`` → "75 %", ``66.7`` → "66.7 %", None → "—"."""
    if value is None:
        return "—"
    # Unlocalised ("u"): Django's Arabic format has a decimal comma, where Arabic
    # written with Western digits (CLDR, Kuwait's ministries) uses a point.
    return f"{floatformat(value, '-1u')} %"


def _label_lines(label: str) -> tuple[list[str], bool]:
    """The label on at most two lines, and whether it had to be shortened."""
    lines = textwrap.wrap(
        label,
        width=LABEL_CHARS,
        max_lines=LABEL_LINES,
        placeholder="…",
        break_on_hyphens=False,
    ) or [""]
    shortened = " ".join(lines) != " ".join(label.split())
    return lines, shortened


@dataclass(frozen=True)
class _Frame:
    """Where things go along the x axis, left-to-right or mirrored."""

    rtl: bool

    def x(self, ltr_x: float) -> float:
        return WIDTH - ltr_x if self.rtl else ltr_x

    def bar_x(self, length: float) -> float:
        """The left edge of a bar ``length`` long."""
        return WIDTH - PLOT_LEFT - length if self.rtl else PLOT_LEFT

    @property
    def direction(self) -> str:
        return "rtl" if self.rtl else "ltr"

    @property
    def value_anchor(self) -> str:
        # Values are set left-to-right: after the bar is its right end in LTR,
        # its left end in RTL.
        return "end" if self.rtl else "start"


def _label(label: str, row_middle: float, frame: _Frame) -> SafeString:
    lines, shortened = _label_lines(label)
    first_y = row_middle - (len(lines) - 1) * LINE_HEIGHT / 2
    tspans = format_html_join(
        "",
        '<tspan x="{}" y="{}" dominant-baseline="middle">{}</tspan>',
        (
            (
                f"{frame.x(LABEL_WIDTH):g}",
                f"{first_y + n * LINE_HEIGHT:g}",
                f"{FSI}{line}{PDI}",
            )
            for n, line in enumerate(lines)
        ),
    )
    title = format_html("<title>{}</title>", label) if shortened else ""
    # "end" is the side towards the bars in either direction: the text's right
    # edge in left-to-right, its left edge in right-to-left.
    return format_html(
        '<text text-anchor="end" fill="currentColor">{}{}</text>', title, tspans
    )


def _bar(bar: Bar, index: int, frame: _Frame) -> SafeString:
    top = TOP + index * ROW_HEIGHT
    middle = top + ROW_HEIGHT / 2
    if bar.percent is None:
        length = 0.0
    else:
        length = PLOT_WIDTH * min(max(float(bar.percent), 0.0), 100.0) / 100
    value = format_percent(bar.percent)
    rect = (
        format_html(
            '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"></rect>',
            f"{frame.bar_x(length):.1f}",
            f"{middle - BAR_HEIGHT / 2:g}",
            f"{length:.1f}",
            BAR_HEIGHT,
            BAR_COLOUR,
        )
        if length > 0
        else ""
    )
    return format_html(
        '<g class="chart-bar"><title>{}: {}</title>{}{}'
        '<text x="{}" y="{}" dominant-baseline="middle" fill="currentColor"'
        ' font-weight="bold" direction="ltr" text-anchor="{}">{}</text></g>',
        bar.label,
        value,
        _label(bar.label, middle, frame),
        rect,
        f"{frame.x(PLOT_LEFT + length + 6):.1f}",
        f"{middle:g}",
        frame.value_anchor,
        value,
    )


def _axis(plot_height: int, frame: _Frame) -> SafeString:
    """Grid lines at each tick (the 0 % line solid) and their labels."""
    bottom = TOP + plot_height
    return format_html_join(
        "",
        '<line x1="{x}" y1="{top}" x2="{x}" y2="{bottom}" stroke="currentColor"'
        ' stroke-opacity="{opacity}"></line>'
        '<text x="{x}" y="{label_y}" text-anchor="middle" direction="ltr"'
        ' fill="currentColor">{label}</text>',
        (
            {
                "x": f"{frame.x(PLOT_LEFT + PLOT_WIDTH * tick / 100):g}",
                "top": TOP,
                "bottom": bottom,
                "opacity": "1" if tick == 0 else GRID_OPACITY,
                "label_y": bottom + 16,
                "label": format_percent(tick),
            }
            for tick in TICKS
        ),
    )


def percent_bar_chart(
    bars: Sequence[Bar],
    *,
    chart_id: str,
    title: str,
    description: str,
    axis_label: str,
    rtl: bool | None = None,
) -> SafeString:
    """An inline SVG bar chart of ``bars`` (percentages), or an empty string when
    there is nothing to draw. ``chart_id`` names the SVG's title and description
    (it must be a valid HTML id and unique on the page). ``rtl``: mirror the
    chart; by default, when the active language is written right to left."""
    if not _ID.match(chart_id):
        raise ValueError(f"not a usable id: {chart_id!r}")
    if not bars:
        return SafeString("")
    frame = _Frame(translation.get_language_bidi() if rtl is None else rtl)
    plot_height = len(bars) * ROW_HEIGHT
    height = TOP + plot_height + AXIS_HEIGHT
    body = format_html_join(
        "", "{}", ((_bar(bar, index, frame),) for index, bar in enumerate(bars))
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="tadreeb-chart"'
        ' viewBox="0 0 {width} {height}" width="100%" role="img" direction="{dir}"'
        ' aria-labelledby="{id}-title {id}-desc" font-size="{font_size}"'
        ' style="max-width: {width}px; height: auto; overflow: visible">'
        '<title id="{id}-title">{title}</title>'
        '<desc id="{id}-desc">{description}</desc>'
        "{axis}{body}"
        '<text x="{axis_middle}" y="{caption_y}" text-anchor="middle"'
        ' fill="currentColor">{caption}</text>'
        "</svg>",
        width=WIDTH,
        height=height,
        id=chart_id,
        font_size=FONT_SIZE,
        title=title,
        description=description,
        dir=frame.direction,
        axis=_axis(plot_height, frame),
        body=body,
        axis_middle=f"{frame.x(PLOT_LEFT + PLOT_WIDTH / 2):g}",
        caption_y=TOP + plot_height + 34,
        caption=axis_label,
    )
