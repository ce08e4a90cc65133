"""Charts drawn from their specifications (peelkit.views.charts) at render time."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from peelkit.reports.chart import Chart
from peelkit.reports.kept import keep
from peelkit.sources.boundaries import ForceArea
from peelkit.views.charts import (
    ChartSpec,
    FunnelChart,
    GradeComparisonChart,
    MapChart,
    RankedChart,
    TrendChart,
)


def draw(spec: ChartSpec) -> Chart:
    """The chart a specification describes: vector SVG, alt text and its data table.

    The latest charts drawn are kept by their specification (a chart is the same whenever its
    specification is: the tests check that drawing is deterministic): the HTML and the PDF of
    a report, or a page asked for again, draw each chart once."""
    try:
        return _kept(spec, getattr(spec, "_boundaries_path", None))
    except TypeError:  # a specification that cannot be hashed: drawn each time
        return _draw(spec)


@lru_cache(maxsize=64)
def _kept(spec: ChartSpec, boundaries: str | None) -> Chart:
    return _draw(spec)  # ``boundaries``: a map's file is not part of its specification's key


class _KeptCharts:
    def clear(self) -> None:
        _kept.cache_clear()


keep(_KeptCharts())


def _draw(spec: ChartSpec) -> Chart:
    from peelkit.reports import charts

    if isinstance(spec, RankedChart):
        return charts.ranked_bar_chart(
            spec.title,
            [(b.label, b.value, b.display) for b in spec.bars],
            spec.highlight,
            [(r.label, r.value, r.display) for r in spec.references],
            spec.unit,
            ranks={b.label: b.rank for b in spec.bars if b.rank},
            intervals={
                b.label: (b.lower, b.upper, b.lower_display or "", b.upper_display or "")
                for b in spec.bars
                if b.lower is not None and b.upper is not None
            },
            interval_label=spec.interval or "95% confidence interval",
            off_scale={b.label: b.note or "off the scale" for b in spec.bars if b.off_scale},
        )
    if isinstance(spec, TrendChart):
        return charts.trend_chart(
            spec.title,
            list(spec.periods),
            [(s.name, list(s.values)) for s in spec.series],
            spec.unit,
            highlight=spec.highlight,
            marker=spec.marker.words if spec.marker is not None else None,
        )
    if isinstance(spec, FunnelChart):
        from peelkit.reports.funnel_chart import funnel_chart

        return funnel_chart(spec)
    if isinstance(spec, GradeComparisonChart):
        return charts.grade_comparison_chart(
            spec.title,
            list(spec.forces),
            list(spec.areas),
            {(c.force, c.area): (c.grade, c.note) for c in spec.cells},
            list(spec.scale),
        )
    return _draw_map(spec)


def _draw_map(spec: MapChart) -> Chart:
    from peelkit.reports.maps import choropleth_map

    return choropleth_map(
        spec.title,
        _areas(spec._boundaries_path),
        dict(spec.values),
        dict(spec.displays),
        spec.unit,
        highlight=spec.highlight,
    )


@lru_cache(maxsize=4)
def _areas(path: str) -> tuple[ForceArea, ...]:
    from peelkit.sources.boundaries import read_boundaries

    return tuple(read_boundaries(Path(path)))
