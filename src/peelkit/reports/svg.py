"""The report charts as standalone, deterministic SVG. The ranked bar chart, the trend chart
and the funnel plot write their SVG themselves, at the positions matplotlib gives
(peelkit.reports.svg_writing); the grade comparison grid and the maps are drawn with matplotlib
and saved (:func:`render_svg`).

Every chart function (ranked_chart, trend_chart, funnel_chart, grade_chart) returns a
:class:`~peelkit.reports.chart.Chart`: the SVG (with ``<title>`` and ``<desc>``), its alt
text, and the data as a table of displayed strings. Colour never carries
meaning alone: the highlighted force is also in bold and annotated, lines differ in style and
marker, and grade cells carry the grade's name.

Drawn elements a reader (or a test) may want to find carry ids: ``bar-<label>`` for the bars of
the ranked chart, ``series-<name>`` for trend lines, ``cell-<force>-<pillar>`` for grade cells
(each part through :func:`slug`). matplotlib's own automatic ids (``figure_1``, ``patch_3`` ...)
are removed so that several charts can share one HTML page, and its hashed ids (clip paths,
hatches, markers) are salted per chart.

Only ``matplotlib.figure.Figure`` is used, never pyplot, and the few SVG settings needed for
reproducible output are applied around each save under a lock.

This module holds what every chart shares: fonts, colours, number formats, and the SVG
settings.
"""

from __future__ import annotations

import functools
import hashlib
import io
import math
import re
import threading
from collections.abc import Mapping, Sequence
from xml.sax.saxutils import escape, quoteattr

import matplotlib as mpl
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findfont, get_font
from matplotlib.textpath import TextToPath

NO_DATA = "no data"
NOT_AVAILABLE = "Not available"

FONT_SIZE = 8.0
BAR_COLOUR = "#9fb6d0"
HIGHLIGHT_COLOUR = "#b4400f"
INK = "#1a1a1a"
GRID = "#d9d9d9"
REFERENCE_STYLES = ("--", ":", "-.", (0, (5, 2, 1, 2, 1, 2)))
SERIES_STYLES = ("-", "--", ":", "-.", (0, (5, 2, 1, 2, 1, 2)))
SERIES_MARKERS = ("o", "s", "^", "D", "v", "P")
SERIES_COLOURS = ("#b4400f", "#1f5f99", "#333333", "#6a3d9a", "#2e7d32", "#8c564b")
# Grade colours best first, by scale length; text colour follows each fill's lightness.
GRADE_PALETTES: Mapping[int, tuple[str, ...]] = {
    1: ("#a6dba0",),
    2: ("#a6dba0", "#f4a582"),
    3: ("#5aae61", "#f7f7f7", "#d6604d"),
    4: ("#1b7837", "#a6dba0", "#fdb863", "#b2182b"),
    5: ("#1b7837", "#a6dba0", "#fee08b", "#fdb863", "#b2182b"),
}
OFF_SCALE_COLOUR = "#d9d9d9"  # a value not on the scale (e.g. "Ungraded"): its name is printed

_SVG_LOCK = threading.RLock()
_TEXT_TO_PATH = TextToPath()
_AUTO_ID = re.compile(r' id="[A-Za-z][A-Za-z0-9.]*_\d+"')
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.DOTALL)
_SIZE = re.compile(r' width="(?P<width>[\d.]+)pt" height="(?P<height>[\d.]+)pt"')
_FONT_FAMILY = re.compile(r"font-family: [^;\"]+")
FONT_STACK = "font-family: 'DejaVu Sans', Verdana, Arial, Helvetica, sans-serif"


# -- shared helpers (also used by peelkit.reports.maps) ------------------------------------------


def slug(text: str) -> str:
    """``text`` lower-case and hyphenated for ids: "Avon and Somerset" → avon-and-somerset."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th ... 11th, 12th, 13th, 21st."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def format_number(value: float, decimals: int) -> str:
    """``value`` with thousands separators and ``decimals`` places."""
    return f"{value:,.{decimals}f}"


@functools.lru_cache(maxsize=4096)
def text_width(text: str, size: float = FONT_SIZE, bold: bool = False) -> float:
    """The width of one line of ``text`` in points, as matplotlib will lay it out."""
    prop = FontProperties(size=size, weight="bold" if bold else "normal")
    width, _, _ = _TEXT_TO_PATH.get_text_width_height_descent(text, prop, ismath=False)
    return float(width)


@functools.lru_cache(maxsize=4096)
def text_metrics(
    text: str, size: float = FONT_SIZE, bold: bool = False
) -> tuple[float, float, float]:
    """One line of ``text``: its width, ascent and descent in points as matplotlib lays it out
    (the glyphs' own extent, at least the font's typographic ascent and descent)."""
    prop = FontProperties(size=size, weight="bold" if bold else "normal")
    width, height, descent = _TEXT_TO_PATH.get_text_width_height_descent(text, prop, False)
    least_ascent, least_descent = _typographic(bold)
    return (
        float(width),
        max(float(height - descent), least_ascent * size),
        max(float(descent), least_descent * size),
    )


@functools.cache
def _typographic(bold: bool) -> tuple[float, float]:
    """The font's typographic ascent and descent per point of size (OS/2, else hhea), the
    least matplotlib gives a line of text."""
    font = get_font(findfont(FontProperties(weight="bold" if bold else "normal")))
    head = font.get_sfnt_table("head")
    os2 = font.get_sfnt_table("OS/2")
    hhea = font.get_sfnt_table("hhea")
    if head is None:
        raise ValueError("the chart font has no head table")
    per_em = float(head["unitsPerEm"])
    if os2 is not None:
        return os2["sTypoAscender"] / per_em, -os2["sTypoDescender"] / per_em
    if hhea is not None:
        return hhea["ascent"] / per_em, -hhea["descent"] / per_em
    raise ValueError("the chart font has neither an OS/2 nor an hhea table")


def render_svg(figure: Figure, title: str, alt: str) -> str:
    """The figure as one standalone ``<svg>`` element with ``<title>`` and ``<desc>``.

    No XML declaration, DOCTYPE or matplotlib metadata; automatic ids removed; hashed ids
    salted with the chart's title and alt text, so identical input gives identical bytes and
    different charts on one page do not share ids.
    """
    return finish_svg(saved_svg(figure, chart_salt(title, alt)), title, alt)


def chart_salt(title: str, alt: str) -> str:
    """The salt of a chart's hashed ids (clip paths, markers): its title and alt text."""
    return f"peelkit-{_digest(title, alt)}"


def _digest(title: str, alt: str) -> str:
    return hashlib.sha256(f"{title}\n{alt}".encode()).hexdigest()[:12]


def saved_svg(figure: Figure, salt: str) -> str:
    """matplotlib's own SVG of the figure (the whole document), its hashed ids salted."""
    buffer = io.StringIO()
    with _SVG_LOCK, mpl.rc_context({"svg.fonttype": "none", "svg.hashsalt": salt}):
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return buffer.getvalue()


def finish_svg(saved: str, title: str, alt: str) -> str:
    """matplotlib's SVG document (:func:`saved_svg`) as the chart's ``<svg>`` element: see
    :func:`render_svg`."""
    digest = _digest(title, alt)
    svg = saved[saved.index("<svg") :]
    svg = _METADATA.sub("", svg, count=1)
    svg = _AUTO_ID.sub("", svg)
    svg = _FONT_FAMILY.sub(FONT_STACK, svg)  # matplotlib's ten fallbacks on every text
    head_end = svg.index(">") + 1
    # Scale to the page or column (HTML and WeasyPrint), never beyond the drawn size: the
    # viewBox keeps the proportions once width and height are left to CSS.
    size = _SIZE.search(svg, 0, head_end)
    if size is None:
        raise ValueError("matplotlib wrote an SVG without a width and height in points")
    style = f"width: 100%; max-width: {size['width']}pt; height: auto"
    title_id, desc_id = f"chart-{digest}-title", f"chart-{digest}-desc"
    head = (
        svg[: size.start()]
        + svg[size.end() : head_end - 1]
        + (
            f' style="{style}" role="img"'
            f" aria-labelledby={quoteattr(title_id)} aria-describedby={quoteattr(desc_id)}>"
        )
    )
    labels = (
        f"\n <title id={quoteattr(title_id)}>{escape(title)}</title>"
        f"\n <desc id={quoteattr(desc_id)}>{escape(alt)}</desc>"
    )
    return head + labels + svg[head_end:].rstrip() + "\n"


def new_figure(width: float, height: float) -> Figure:
    figure = Figure(figsize=(width, height), dpi=72)
    figure.set_facecolor("white")
    return figure


def _decimals(values: Sequence[float]) -> int:
    """The fewest decimal places (at most two) that show every value as given."""
    for places in range(3):
        if all(math.isclose(round(v, places), v, rel_tol=0, abs_tol=1e-9) for v in values):
            return places
    return 2


def _ranks(values: Sequence[float]) -> list[str]:
    """Competition ranks, highest value first, ties marked: 1, 2=, 2=, 4 ..."""
    ranks = [1 + sum(1 for other in values if other > value) for value in values]
    return [f"{rank}=" if ranks.count(rank) > 1 else str(rank) for rank in ranks]


def rank_words(rank: str) -> str:
    """A printed rank as words: "32" → "32nd", "9=" → "9th equal"; anything else as given."""
    match = re.fullmatch(r"(\d+)(=?)", rank.strip())
    if match is None:
        return rank
    return ordinal(int(match[1])) + (" equal" if match[2] else "")


def with_unit(title: str, unit: str) -> str:
    """The title, followed by the unit in brackets unless the title already says it."""
    return title if not unit or unit.lower() in title.lower() else f"{title} ({unit})"


def join_words(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _check_unique(kind: str, names: Sequence[str]) -> None:
    seen: set[str] = set()
    for name in names:
        key = slug(name)
        if key in seen:
            raise ValueError(f"two {kind} named {name!r}: each must be named once")
        seen.add(key)


# -- the ranked bar chart ("ski slope") ----------------------------------------------------------
