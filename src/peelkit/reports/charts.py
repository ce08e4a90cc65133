"""The report charts, one module per kind: the ranked bar chart (ranked_chart), the trend
chart (trend_chart) and the grade comparison grid (grade_chart), with what they share in svg;
this module gathers their public names. See peelkit.reports.svg for how the SVG is made."""

from peelkit.reports.grade_chart import grade_colours, grade_comparison_chart, text_colour
from peelkit.reports.ranked_chart import ranked_bar_chart
from peelkit.reports.svg import (
    FONT_SIZE,
    INK,
    NO_DATA,
    NOT_AVAILABLE,
    format_number,
    join_words,
    new_figure,
    ordinal,
    rank_words,
    render_svg,
    slug,
    text_width,
    with_unit,
)
from peelkit.reports.trend_chart import trend_chart

__all__ = [
    "FONT_SIZE",
    "INK",
    "NOT_AVAILABLE",
    "NO_DATA",
    "format_number",
    "grade_colours",
    "grade_comparison_chart",
    "join_words",
    "new_figure",
    "ordinal",
    "rank_words",
    "ranked_bar_chart",
    "render_svg",
    "slug",
    "text_colour",
    "text_width",
    "trend_chart",
    "with_unit",
]
