"""The grade comparison grid: forces by areas, each cell coloured by grade and named."""

from __future__ import annotations

import math
import re
import textwrap
from collections.abc import Mapping, Sequence

from matplotlib.legend_handler import HandlerPatch
from matplotlib.patches import Patch, Rectangle

from peelkit.reports.chart import Chart
from peelkit.reports.svg import (
    FONT_SIZE,
    GRADE_PALETTES,
    INK,
    NOT_AVAILABLE,
    OFF_SCALE_COLOUR,
    _check_unique,
    join_words,
    new_figure,
    render_svg,
    slug,
    text_width,
)


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
