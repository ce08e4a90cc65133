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

from __future__ import annotations

import functools
import hashlib
import io
import math
import re
import textwrap
import threading
from collections.abc import Mapping, Sequence
from xml.sax.saxutils import escape, quoteattr

import matplotlib as mpl
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.legend_handler import HandlerPatch
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.textpath import TextToPath

from peelkit.reports.chart import Chart

__all__ = [
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

_SVG_LOCK = threading.Lock()
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


def render_svg(figure: Figure, title: str, alt: str) -> str:
    """The figure as one standalone ``<svg>`` element with ``<title>`` and ``<desc>``.

    No XML declaration, DOCTYPE or matplotlib metadata; automatic ids removed; hashed ids
    salted with the chart's title and alt text, so identical input gives identical bytes and
    different charts on one page do not share ids.
    """
    digest = hashlib.sha256(f"{title}\n{alt}".encode()).hexdigest()[:12]
    buffer = io.StringIO()
    with _SVG_LOCK, mpl.rc_context({"svg.fonttype": "none", "svg.hashsalt": f"peelkit-{digest}"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
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


def ranked_bar_chart(
    title: str,
    values: Sequence[tuple[str, float | None, str]],
    highlight: str | None,
    references: Sequence[tuple[str, float, str]],
    unit: str,
    *,
    ranks: Mapping[str, str] | None = None,
) -> Chart:
    """One bar per force, highest first, the highlighted force marked, reference values as lines.

    ``values`` are (label, value, display); forces without a value are listed in the table as
    "no data" and not drawn. ``references`` are (label, value, display), e.g. England and Wales
    and the most similar group, each drawn as a labelled horizontal line.

    ``ranks`` (label → rank as printed, e.g. the indicator engine's ``rank_display``, "9=")
    gives the table's and the alt text's ranks; without it the chart ranks by position, 1 the
    highest value, equal values sharing a rank.
    """
    _check_unique("forces", [label for label, _, _ in values])
    if highlight is not None and highlight not in {label for label, _, _ in values}:
        raise ValueError(f"the highlighted force {highlight!r} is not among the values")
    drawn = sorted(
        ((label, value, display) for label, value, display in values if value is not None),
        key=lambda item: -item[1],
    )
    missing = [label for label, value, _ in values if value is None]
    if ranks is None:
        shown_ranks = _ranks([value for _, value, _ in drawn])
    else:
        shown_ranks = [ranks.get(label, "") for label, _, _ in drawn]
    rows = [
        (rank, label, display) for rank, (label, _, display) in zip(shown_ranks, drawn, strict=True)
    ]
    rows += [("", label, NO_DATA) for label in missing]

    label_size = 7.0
    longest = max((text_width(label, label_size, bold=True) for label, _, _ in drawn), default=0.0)
    reference_texts = [f"{label} {display}" for label, _, display in references]
    right = max((text_width(text) for text in reference_texts), default=0.0) + 24
    bottom = longest + 24
    plot_width = max(3.0, 0.125 * len(drawn)) * 72
    plot_height = 3.0 * 72
    left, top = 56.0, 22.0
    width, height = left + plot_width + right, bottom + plot_height + top
    figure = new_figure(width / 72, height / 72)
    axes = figure.add_axes(
        (left / width, bottom / height, plot_width / width, plot_height / height)
    )

    numbers = [value for _, value, _ in drawn] + [value for _, value, _ in references]
    low = min([0.0, *numbers])
    high = max([0.0, *numbers])
    span = (high - low) or 1.0
    axes.set_xlim(-0.6, max(len(drawn), 1) - 0.4)
    axes.set_ylim(low - (0.06 * span if low < 0 else 0), high + 0.12 * span)
    axes.set_ylabel(unit, fontsize=FONT_SIZE, color=INK)
    axes.tick_params(axis="y", labelsize=label_size, colors=INK)
    axes.yaxis.grid(True, color=GRID, linewidth=0.6)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.set_xticks([])

    label_transform = axes.get_xaxis_transform()
    for position, (label, value, display) in enumerate(drawn):
        marked = label == highlight
        bar = Rectangle(
            (position - 0.4, 0.0),
            0.8,
            value,
            facecolor=HIGHLIGHT_COLOUR if marked else BAR_COLOUR,
            edgecolor=INK if marked else "none",
            linewidth=0.8,
            transform=axes.transData,
        )
        bar.set_gid(f"bar-{slug(label)}")
        bar.set_clip_path(axes.patch)
        axes.add_artist(bar)
        axes.text(
            position,
            -0.02,
            label,
            rotation=90,
            ha="center",
            va="top",
            fontsize=label_size,
            fontweight="bold" if marked else "normal",
            color=HIGHLIGHT_COLOUR if marked else INK,
            transform=label_transform,
        )
        if marked:
            axes.annotate(
                display,
                (position, value),
                xytext=(0, 3 if value >= 0 else -3),
                textcoords="offset points",
                ha="center",
                va="bottom" if value >= 0 else "top",
                fontsize=FONT_SIZE,
                fontweight="bold",
                color=HIGHLIGHT_COLOUR,
            )

    _reference_lines(axes, references, reference_texts, plot_width, plot_height)

    alt = _ranked_alt(title, unit, drawn, shown_ranks, missing, highlight, references)
    return Chart(title, render_svg(figure, title, alt), alt, ("Rank", "Force", unit), tuple(rows))


def _reference_lines(
    axes: Axes,
    references: Sequence[tuple[str, float, str]],
    texts: Sequence[str],
    plot_width: float,
    plot_height: float,
) -> None:
    """Horizontal lines across the bars, each labelled at the right, labels kept apart."""
    bottom, top = axes.get_ylim()
    order = sorted(range(len(references)), key=lambda i: references[i][1])
    gap = (FONT_SIZE * 1.4) / plot_height  # in axes fraction
    placed: list[float] = []
    for index in order:
        label, value, _ = references[index]
        style = REFERENCE_STYLES[index % len(REFERENCE_STYLES)]
        line = axes.axhline(value, color=INK, linestyle=style, linewidth=1.1, zorder=3)
        line.set_gid(f"reference-{slug(label)}")
        fraction = (value - bottom) / (top - bottom)
        if placed and fraction < placed[-1] + gap:
            fraction = placed[-1] + gap
        placed.append(fraction)
        axes.annotate(
            texts[index],
            xy=(1.0, (value - bottom) / (top - bottom)),
            xycoords="axes fraction",
            xytext=(1.0 + 4 / plot_width, fraction),
            textcoords="axes fraction",
            ha="left",
            va="center",
            fontsize=FONT_SIZE,
            color=INK,
            annotation_clip=False,
        ).set_gid(f"reference-label-{slug(label)}")
        if fraction != (value - bottom) / (top - bottom):
            # the label was moved clear of another: join it to its line
            joint = Line2D(
                [1.0, 1.0 + 3 / plot_width],
                [(value - bottom) / (top - bottom), fraction],
                transform=axes.transAxes,
                color=INK,
                linewidth=0.5,
                clip_on=False,
            )
            axes.add_artist(joint)


def _ranked_alt(
    title: str,
    unit: str,
    drawn: Sequence[tuple[str, float, str]],
    ranks: Sequence[str],
    missing: Sequence[str],
    highlight: str | None,
    references: Sequence[tuple[str, float, str]],
) -> str:
    parts = [
        f"Bar chart of {len(drawn)} forces ordered from highest to lowest value: "
        f"{with_unit(title, unit)}."
    ]
    if drawn:
        parts.append(
            f"Highest {drawn[0][0]} at {drawn[0][2]}, lowest {drawn[-1][0]} at {drawn[-1][2]}."
        )
    for rank, (label, _, display) in zip(ranks, drawn, strict=True):
        if label == highlight:
            place = f" is ranked {rank_words(rank)} of {len(drawn)}" if rank else ""
            parts.append(f"{label}{place} at {display}.")
    if highlight is not None and highlight in missing:
        parts.append(f"{highlight} has no data.")
    if references:
        parts.append(
            "Marked lines: "
            + join_words([f"{label} {display}" for label, _, display in references])
            + "."
        )
    if missing:
        parts.append(f"No data for {join_words(list(missing))}.")
    return " ".join(parts)


# -- the trend chart -----------------------------------------------------------------------------


def trend_chart(
    title: str,
    periods: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    unit: str,
    highlight: str | None = None,
    *,
    displays: Mapping[str, Sequence[str | None]] | None = None,
) -> Chart:
    """One line per series over the periods; gaps where a value is missing (None).

    Lines differ in colour, line style and marker; the highlighted series is drawn thicker.
    The table has one row per period and one column per series. ``displays`` (series name →
    one printed value per period, e.g. the indicator engine's ``display``) gives the table's
    and the alt text's values; without it values are printed with the fewest decimal places
    (at most two) that show them.
    """
    _check_unique("series", [name for name, _ in series])
    for name, points in series:
        if len(points) != len(periods):
            raise ValueError(f"series {name!r} has {len(points)} values for {len(periods)} periods")
    if highlight is not None and highlight not in {name for name, _ in series}:
        raise ValueError(f"the highlighted series {highlight!r} is not among the series")
    known = [v for _, points in series for v in points if v is not None]
    printed = _printed_series(series, len(periods), displays)
    rows = tuple(
        (period, *(printed[name][i] for name, _ in series)) for i, period in enumerate(periods)
    )

    tick_size = 7.0
    longest = max((text_width(p, tick_size) for p in periods), default=0.0)
    step = 72 * max(0.6, min(1.4, (longest + 10) / 72))
    rotate = longest + 6 > step
    bottom = (longest * 0.6 + 10 if rotate else 16) + 14
    plot_width = max(4.0 * 72, step * max(len(periods), 1))
    plot_height = 2.6 * 72
    left, right, top = 56.0, 16.0, 12.0
    width = left + plot_width + right
    # as many legend columns as fit across the figure
    entry = max((text_width(name, bold=True) for name, _ in series), default=0.0) + 52
    columns = max(1, min(len(series), int((width - 16) // entry)))
    legend_height = 14.0 * math.ceil(len(series) / columns) + 6
    height = top + plot_height + bottom + legend_height
    figure = new_figure(width / 72, height / 72)
    axes = figure.add_axes(
        (left / width, (bottom + legend_height) / height, plot_width / width, plot_height / height)
    )
    positions = list(range(len(periods)))
    for index, (name, points) in enumerate(series):
        marked = name == highlight
        ys = [math.nan if v is None else v for v in points]
        (line,) = axes.plot(
            positions,
            ys,
            linestyle=SERIES_STYLES[index % len(SERIES_STYLES)],
            marker=SERIES_MARKERS[index % len(SERIES_MARKERS)],
            color=SERIES_COLOURS[index % len(SERIES_COLOURS)],
            linewidth=2.6 if marked else 1.5,
            markersize=6 if marked else 4.5,
            zorder=4 if marked else 3,
            label=name,
        )
        line.set_gid(f"series-{slug(name)}")
    axes.set_xlim(-0.4, max(len(periods) - 1, 0) + 0.4)
    low = min([0.0, *known])
    high = max([0.0, *known]) or 1.0
    axes.set_ylim(low * 1.1, high * 1.12)
    axes.set_xticks(positions)
    axes.set_xticklabels(
        list(periods),
        fontsize=tick_size,
        rotation=30 if rotate else 0,
        ha="right" if rotate else "center",
        color=INK,
    )
    axes.tick_params(axis="y", labelsize=tick_size, colors=INK)
    axes.set_ylabel(unit, fontsize=FONT_SIZE, color=INK)
    axes.yaxis.grid(True, color=GRID, linewidth=0.6)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    legend = figure.legend(
        loc="lower center",
        bbox_to_anchor=(0.5, 2 / height),
        ncols=columns,
        fontsize=FONT_SIZE,
        frameon=False,
        handlelength=3.2,
    )
    legend.set_gid("legend")
    for text in legend.get_texts():
        if text.get_text() == highlight:
            text.set_fontweight("bold")

    alt = _trend_alt(title, unit, periods, series, highlight, printed)
    return Chart(
        title, render_svg(figure, title, alt), alt, ("Period", *(n for n, _ in series)), rows
    )


def _printed_series(
    series: Sequence[tuple[str, Sequence[float | None]]],
    count: int,
    displays: Mapping[str, Sequence[str | None]] | None,
) -> dict[str, list[str]]:
    """Each series' values as printed: the given displays, else formatted; "no data" for None."""
    places = _decimals([v for _, points in series for v in points if v is not None])
    printed: dict[str, list[str]] = {}
    for name, points in series:
        given = (displays or {}).get(name)
        if given is not None and len(given) != count:
            raise ValueError(f"series {name!r} has {len(given)} displays for {count} periods")
        shown: list[str] = []
        for i, value in enumerate(points):
            text = given[i] if given is not None else None
            if value is None:
                shown.append(NO_DATA)
            else:
                shown.append(text if text else format_number(value, places))
        printed[name] = shown
    return printed


def _trend_alt(
    title: str,
    unit: str,
    periods: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    highlight: str | None,
    printed: Mapping[str, Sequence[str]],
) -> str:
    names = [name for name, _ in series]
    focus = highlight if highlight is not None else (names[0] if names else None)
    parts = [f"Line chart of {with_unit(title, unit)}"]
    if periods:
        parts[0] += f" from {periods[0]} to {periods[-1]}"
    parts[0] += f" for {join_words(names)}."
    for name, points in series:
        if name != focus:
            continue
        known = [i for i, v in enumerate(points) if v is not None]
        if len(known) >= 2:
            first, last = known[0], known[-1]
            parts.append(
                f"{name} went from {printed[name][first]} in {periods[first]} "
                f"to {printed[name][last]} in {periods[last]}."
            )
    if periods:
        latest = [f"{name} {printed[name][-1]}" for name, _ in series]
        parts.append(f"In {periods[-1]}: {join_words(latest)}.")
    return " ".join(parts)


# -- the grade comparison grid -------------------------------------------------------------------


def grade_colours(scale: Sequence[str]) -> dict[str, str]:
    """Fill colour of each grade label of a scale (best first)."""
    palette = GRADE_PALETTES.get(len(scale))
    if palette is None:
        from matplotlib import colormaps
        from matplotlib.colors import to_hex

        cmap = colormaps["RdYlGn"]
        count = len(scale)
        palette = tuple(to_hex(cmap(0.9 - 0.8 * i / max(count - 1, 1))) for i in range(count))
    return dict(zip(scale, palette, strict=True))


def text_colour(fill: str) -> str:
    from matplotlib.colors import to_rgb

    red, green, blue = to_rgb(fill)
    return "white" if 0.2126 * red + 0.7152 * green + 0.0722 * blue < 0.45 else INK


def _cell_text(grade: str | None, note: str | None) -> str:
    name = grade if grade is not None else NOT_AVAILABLE
    return f"{name} ({note})" if note else name


def grade_comparison_chart(
    title: str,
    forces: Sequence[str],
    pillars: Sequence[str],
    cells: Mapping[tuple[str, str], tuple[str | None, str | None]],
    scale: Sequence[str],
) -> Chart:
    """A grid of forces (rows) by pillars (columns), each cell coloured by grade and named.

    ``cells[(force, pillar)]`` is (grade label, note): the note (e.g. "2017" where an earlier
    judgment stands) is printed with the grade; a missing cell or grade is "Not available".
    ``scale`` lists the grade labels best first, for the colours and the legend.
    """
    _check_unique("forces", forces)
    _check_unique("pillars", pillars)
    colours = grade_colours(scale)
    rows = tuple(
        (force, *(_cell_text(*cells.get((force, pillar), (None, None))) for pillar in pillars))
        for force in forces
    )

    cell_width, cell_height = 1.45 * 72, 26.0
    label_width = max((text_width(force) for force in forces), default=0.0) + 10
    header_lines = max((len(textwrap.wrap(p, 20)) for p in pillars), default=1)
    header = 11.0 * header_lines + 8
    legend_entries = len(scale) + 1
    legend_columns = min(legend_entries, 3)
    legend_height = 16.0 * math.ceil(legend_entries / legend_columns) + 10
    grid_width = cell_width * max(len(pillars), 1)
    grid_height = cell_height * max(len(forces), 1)
    margin = 8.0
    width = max(margin + label_width + grid_width + margin, 4.5 * 72)
    height = header + grid_height + legend_height + margin
    figure = new_figure(width / 72, height / 72)
    axes = figure.add_axes(
        (
            (margin + label_width) / width,
            legend_height / height,
            grid_width / width,
            grid_height / height,
        )
    )
    axes.set_xlim(0, max(len(pillars), 1))
    axes.set_ylim(max(len(forces), 1), 0)
    axes.set_axis_off()

    off_scale: list[str] = []
    for row, force in enumerate(forces):
        axes.text(-0.04, row + 0.5, force, ha="right", va="center", fontsize=FONT_SIZE, color=INK)
        for column, pillar in enumerate(pillars):
            grade, note = cells.get((force, pillar), (None, None))
            if grade is None:
                fill, hatch = "white", "////"
            else:
                fill, hatch = colours.get(grade, OFF_SCALE_COLOUR), None
                if grade not in colours and grade not in off_scale:
                    off_scale.append(grade)
            cell = Rectangle(
                (column, row),
                1,
                1,
                facecolor=fill,
                edgecolor="white" if hatch is None else "#9a9a9a",
                hatch=hatch,
                linewidth=1.5 if hatch is None else 0.6,
                transform=axes.transData,
            )
            cell.set_gid(f"cell-{slug(force)}-{slug(pillar)}")
            axes.add_artist(cell)
            name = grade if grade is not None else NOT_AVAILABLE
            axes.text(
                column + 0.5,
                row + 0.5,
                name if not note else f"{name}\n({note})",
                ha="center",
                va="center",
                fontsize=7.0,
                linespacing=1.1,
                color=text_colour(fill),
                bbox=None
                if hatch is None
                else {"facecolor": "white", "edgecolor": "none", "pad": 1.0},
            )
    for column, pillar in enumerate(pillars):
        axes.text(
            column + 0.5,
            -0.12,
            "\n".join(textwrap.wrap(pillar, 20)),
            ha="center",
            va="bottom",
            fontsize=FONT_SIZE,
            fontweight="bold",
            color=INK,
        )

    handles = [Patch(facecolor=colours[label], edgecolor="#9a9a9a", label=label) for label in scale]
    handles += [
        Patch(facecolor=OFF_SCALE_COLOUR, edgecolor="#9a9a9a", label=label) for label in off_scale
    ]
    handles.append(Patch(facecolor="white", edgecolor="#9a9a9a", hatch="////", label=NOT_AVAILABLE))
    legend = figure.legend(
        handles=handles,
        loc="lower center",
        bbox_to_anchor=(0.5, 4 / height),
        ncols=legend_columns,
        fontsize=FONT_SIZE,
        frameon=False,
        handler_map={Patch: HandlerPatch()},
    )
    legend.set_gid("legend")

    alt = _grade_alt(title, forces, pillars, rows)
    return Chart(title, render_svg(figure, title, alt), alt, ("Force", *pillars), rows)


def _grade_alt(
    title: str, forces: Sequence[str], pillars: Sequence[str], rows: Sequence[Sequence[str]]
) -> str:
    parts = [
        f"Grid of grades, {title}: {len(forces)} forces ({join_words(list(forces))}) "
        f"by {join_words(list(pillars))}, each cell coloured and named by its grade."
    ]
    if rows:
        first = rows[0]
        grades = [f"{pillar} {first[i + 1]}" for i, pillar in enumerate(pillars)]
        parts.append(f"{first[0]}: {join_words(grades)}.")
    counts: dict[str, int] = {}
    for row in rows:
        for text in row[1:]:
            name = re.sub(r" \(.*\)$", "", text)
            counts[name] = counts.get(name, 0) + 1
    if counts:
        parts.append(
            "Across the grid: "
            + join_words([f"{count} {name}" for name, count in counts.items()])
            + "."
        )
    if any("(" in text for row in rows for text in row[1:]):
        parts.append("A year in brackets marks an earlier judgment still standing.")
    return " ".join(parts)
