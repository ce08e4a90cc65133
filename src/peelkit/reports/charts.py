"""The report charts, drawn with matplotlib as standalone, deterministic SVG.

Every function returns a :class:`~peelkit.reports.chart.Chart`: the SVG (with ``<title>`` and
``<desc>``), its alt text, and the data as a table of displayed strings. Colour never carries
meaning alone: the highlighted force is also in bold and annotated, lines differ in style and
marker, and grade cells carry the grade's name.

Drawn elements a reader (or a test) may want to find carry ids: ``bar-<label>`` for the bars of
the ranked chart, ``series-<name>`` for trend lines, ``cell-<force>-<pillar>`` for grade cells
(each part through :func:`slug`). matplotlib's own automatic ids (``figure_1``, ``patch_3`` ...)
are removed so that several charts can share one HTML page, and its hashed ids (clip paths,
hatches, markers) are salted per chart.

Only ``matplotlib.figure.Figure`` is used, never pyplot, and the few SVG settings needed for
reproducible output are applied around each save under a lock.
"""

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
