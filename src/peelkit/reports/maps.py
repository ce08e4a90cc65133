"""The choropleth map of the 43 police force areas, shaded by quantile class of one indicator.

Colour is not the only carrier: each area carries its class number (areas too small to hold it
get a labelled leader line off the coast), the legend gives each class's range, and areas without
data are hatched. Each area is one ``<g id="area-<force id>">`` element of the SVG.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.legend_handler import HandlerPatch
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path as MplPath

from peelkit.reference import get_force
from peelkit.reports.chart import Chart
from peelkit.reports.charts import (
    FONT_SIZE,
    INK,
    NO_DATA,
    join_words,
    new_figure,
    render_svg,
    text_colour,
    text_width,
    with_unit,
)
from peelkit.sources.boundaries import ForceArea

# Sequential blues, lightest (lowest class) first, by number of classes.
CLASS_PALETTES: Mapping[int, tuple[str, ...]] = {
    1: ("#6baed6",),
    2: ("#c6dbef", "#3182bd"),
    3: ("#deebf7", "#9ecae1", "#3182bd"),
    4: ("#eff3ff", "#bdd7e7", "#6baed6", "#2171b5"),
    5: ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"),
    6: ("#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"),
    7: ("#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#084594"),
}
NO_DATA_HATCH = "////"
EDGE = "#5a5a5a"
HIGHLIGHT_EDGE = "#b4400f"
# An equal-aspect look at latitude ~52.5°: one degree of latitude is 1/cos(52.5°) of longitude.
ASPECT = 1 / math.cos(math.radians(52.5))
SMALL_AREA = 0.12  # degrees: areas narrower and shorter than this get a leader line
CALLOUT_LONGITUDE = 2.05


def quantile_classes(values: Mapping[str, float], classes: int) -> dict[str, int]:
    """Class 1 (lowest) to k of each key: equal counts by rank, tied values in one class.

    k is at most ``classes`` and at most the number of distinct values; classes are numbered
    consecutively from 1 with none empty.
    """
    if classes < 1:
        raise ValueError(f"expected at least one class, got {classes}")
    ordered = sorted(values.items(), key=lambda item: (item[1], item[0]))
    count = len(ordered)
    raw: dict[str, int] = {}
    first_index: dict[float, int] = {}
    for index, (key, value) in enumerate(ordered):
        start = first_index.setdefault(value, index)
        raw[key] = start * classes // count
    numbering = {c: n + 1 for n, c in enumerate(sorted(set(raw.values())))}
    return {key: numbering[c] for key, c in raw.items()}


def _path(geometry: Mapping[str, Any]) -> MplPath:
    """One compound path of every ring of a GeoJSON Polygon or MultiPolygon (holes included)."""
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    vertices: list[np.ndarray[Any, Any]] = []
    codes: list[np.ndarray[Any, Any]] = []
    for polygon in polygons:
        for ring in polygon:
            points = np.asarray(ring, dtype=float)[:, :2]
            if len(points) < 3:
                continue
            ring_codes = np.full(len(points), MplPath.LINETO, dtype=MplPath.code_type)
            ring_codes[0] = MplPath.MOVETO
            ring_codes[-1] = MplPath.CLOSEPOLY
            vertices.append(points)
            codes.append(ring_codes)
    return MplPath(np.concatenate(vertices), np.concatenate(codes))


def _label_point(area: ForceArea, path: MplPath) -> tuple[float, float]:
    """The file's centroid if it gives one, else the middle of the largest ring's extent."""
    if area.centroid is not None:
        return area.centroid
    extents = path.get_extents()
    return float((extents.x0 + extents.x1) / 2), float((extents.y0 + extents.y1) / 2)


def choropleth_map(
    title: str,
    areas: Sequence[ForceArea],
    values: Mapping[str, float | None],
    displays: Mapping[str, str],
    unit: str,
    classes: int = 4,
    highlight: str | None = None,
) -> Chart:
    """The force areas shaded by quantile class of ``values`` (keyed by force id).

    ``displays`` gives each value as printed (the engine's display string). Areas without a
    value are hatched and listed as "no data". ``highlight`` (a force id) is outlined and named.
    """
    ids = [area.force for area in areas]
    if len(set(ids)) != len(ids):
        raise ValueError("each force area must be given once")
    if highlight is not None and highlight not in ids:
        raise ValueError(f"the highlighted force {highlight!r} is not among the areas")
    known = {force: v for force in ids if (v := values.get(force)) is not None}
    assigned = quantile_classes(known, classes) if known else {}
    count = max(assigned.values(), default=0)
    palette = CLASS_PALETTES.get(count) or _palette(count)

    def shown(force: str) -> str:
        value = known[force]
        return displays.get(force) or f"{value:g}"

    names = {area.force: get_force(area.force).name for area in areas}
    members: dict[int, list[str]] = {}
    for force in sorted(assigned, key=lambda f: (known[f], f)):
        members.setdefault(assigned[force], []).append(force)
    missing = sorted((force for force in ids if force not in known), key=lambda f: names[f])

    paths = {area.force: _path(area.geometry) for area in areas}
    extents = {force: path.get_extents() for force, path in paths.items()}
    small = [
        area
        for area in areas
        if area.force in assigned
        and extents[area.force].width < SMALL_AREA
        and extents[area.force].height < SMALL_AREA
    ]
    x0 = min((e.x0 for e in extents.values()), default=0.0) - 0.1
    x1 = max((e.x1 for e in extents.values()), default=1.0) + 0.1
    y0 = min((e.y0 for e in extents.values()), default=0.0) - 0.1
    y1 = max((e.y1 for e in extents.values()), default=1.0) + 0.1
    if small:
        x1 = max(x1, CALLOUT_LONGITUDE + 1.3)

    handles = _legend_handles(count, members, known, shown, palette, bool(missing))
    if highlight is not None:
        handles.append(
            Patch(
                facecolor="none",
                edgecolor=HIGHLIGHT_EDGE,
                linewidth=2.0,
                label=f"Outlined: {names[highlight]}",
            )
        )
    legend_title = f"Class: {unit}"
    legend_width = max(
        [text_width(legend_title)] + [text_width(str(h.get_label())) + 30 for h in handles]
    )
    legend_height = 16.0 * (len(handles) + 1) + 8

    map_width = 5.0 * 72
    map_height = map_width * (y1 - y0) * ASPECT / (x1 - x0)
    margin = 6.0
    width = margin + map_width + 12 + legend_width + margin
    height = margin + max(map_height, legend_height) + margin
    figure = new_figure(width / 72, height / 72)
    axes = figure.add_axes(
        (
            margin / width,
            (height - margin - map_height) / height,
            map_width / width,
            map_height / height,
        )
    )
    axes.set_axis_off()
    axes.set_xlim(x0, x1)
    axes.set_ylim(y0, y1)
    axes.set_aspect(ASPECT)

    for area in areas:
        path = paths[area.force]
        marked = area.force == highlight
        if area.force in assigned:
            fill, hatch = palette[assigned[area.force] - 1], None
        else:
            fill, hatch = "white", NO_DATA_HATCH
        patch = PathPatch(
            path,
            facecolor=fill,
            hatch=hatch,
            edgecolor=HIGHLIGHT_EDGE if marked else EDGE,
            linewidth=2.0 if marked else 0.4,
            zorder=3 if marked else 2,
        )
        patch.set_gid(f"area-{area.force}")
        axes.add_artist(patch)  # limits are set above: add_patch would walk every vertex
        if area.force not in assigned or area in small:
            continue  # no data: hatched, and "no data" in the legend and the table
        x, y = _label_point(area, path)
        axes.text(
            x,
            y,
            str(assigned[area.force]),
            ha="center",
            va="center",
            fontsize=6.5,
            fontweight="bold",
            color=text_colour(fill),
            zorder=4,
        )
    # areas too small for their number: a leader line out to the east, labels stacked downwards
    for index, area in enumerate(sorted(small, key=lambda a: -_label_point(a, paths[a.force])[1])):
        x, y = _label_point(area, paths[area.force])
        axes.annotate(
            f"{names[area.force]}: {assigned[area.force]}",
            (x, y),
            xytext=(CALLOUT_LONGITUDE, y - 0.35 - 0.25 * index),
            ha="left",
            va="center",
            fontsize=6.5,
            color=INK,
            arrowprops={"arrowstyle": "-", "color": INK, "linewidth": 0.6},
            zorder=5,
        )

    legend = figure.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=((margin + map_width + 12) / width, 1 - margin / height),
        borderaxespad=0,
        fontsize=FONT_SIZE,
        title=legend_title,
        title_fontsize=FONT_SIZE,
        alignment="left",
        frameon=False,
        handler_map={Patch: HandlerPatch()},
    )
    legend.set_gid("legend")

    rows = tuple(
        (
            names[force],
            shown(force) if force in known else NO_DATA,
            str(assigned[force]) if force in assigned else NO_DATA,
        )
        for force in sorted(ids, key=lambda f: names[f])
    )
    alt = _alt(title, unit, len(areas), count, members, missing, names, shown, highlight, assigned)
    return Chart(title, render_svg(figure, title, alt), alt, ("Force", unit, "Class"), rows)


def _legend_handles(
    count: int,
    members: Mapping[int, Sequence[str]],
    known: Mapping[str, float],
    shown: Callable[[str], str],
    palette: Sequence[str],
    any_missing: bool,
) -> list[Patch]:
    """One entry per class with its range of values (as displayed), then "no data"."""
    handles = []
    for number in range(1, count + 1):
        first, last = members[number][0], members[number][-1]
        span = shown(first) if known[first] == known[last] else f"{shown(first)} to {shown(last)}"
        extreme = " (lowest)" if number == 1 else " (highest)" if number == count else ""
        label = f"{number}{extreme}: {span}"
        handles.append(Patch(facecolor=palette[number - 1], edgecolor=EDGE, label=label))
    if any_missing:
        handles.append(Patch(facecolor="white", edgecolor=EDGE, hatch=NO_DATA_HATCH, label=NO_DATA))
    return handles


def _palette(count: int) -> tuple[str, ...]:
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    cmap = colormaps["Blues"]
    return tuple(to_hex(cmap(0.1 + 0.8 * i / max(count - 1, 1))) for i in range(count))


def _alt(
    title: str,
    unit: str,
    total: int,
    count: int,
    members: Mapping[int, Sequence[str]],
    missing: Sequence[str],
    names: Mapping[str, str],
    shown: Callable[[str], str],
    highlight: str | None,
    assigned: Mapping[str, int],
) -> str:
    parts = [
        f"Map of the {total} police force areas of England and Wales shaded by "
        f"{with_unit(title, unit)}, "
        f"in {count} classes of about equal size from 1 (lowest) to {count} (highest); "
        "each area is labelled with its class number."
    ]
    if members:
        lowest, highest = members[1][0], members[count][-1]
        parts.append(
            f"Highest {names[highest]} at {shown(highest)}, lowest {names[lowest]} at "
            f"{shown(lowest)}."
        )
    if highlight is not None:
        if highlight in assigned:
            parts.append(
                f"{names[highlight]} (outlined) is in class {assigned[highlight]} at "
                f"{shown(highlight)}."
            )
        else:
            parts.append(f"{names[highlight]} (outlined) has no data.")
    if missing:
        parts.append(f"No data for {join_words([names[f] for f in missing])}.")
    return " ".join(parts)
