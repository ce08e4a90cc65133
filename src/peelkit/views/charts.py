"""Chart specifications: what a chart shows, as data. The reports draw the SVG from a spec at
render time (peelkit.reports.charts.draw), so every view that holds a chart has a JSON form.

Values are the engine's (``value``) with the strings the engine displays (``display``): a chart
never rounds or formats a figure itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Bar:
    label: str  # the force's short name
    value: float | None  # None: no data (listed, not drawn)
    display: str  # the value as the engine displays it
    rank: str | None = None  # the engine's rank ("9=")


@dataclass(frozen=True)
class Reference:
    """A comparator marked across a ranked chart (England and Wales, the most similar group)."""

    label: str
    value: float
    display: str


@dataclass(frozen=True)
class RankedChart:
    """Every force's value of one indicator, ranked, one force highlighted ("ski slope")."""

    title: str
    unit: str
    bars: tuple[Bar, ...]
    highlight: str | None  # the highlighted bar's label
    references: tuple[Reference, ...] = ()
    chart: str = "ranked"


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | None, ...]


@dataclass(frozen=True)
class TrendChart:
    """Values over periods: the force, its most similar group and England and Wales."""

    title: str
    unit: str
    periods: tuple[str, ...]
    series: tuple[Series, ...]
    highlight: str | None = None
    chart: str = "trend"


@dataclass(frozen=True)
class GradeCell:
    force: str
    area: str
    grade: str | None  # the grade's label, None when the record has none
    note: str | None = None  # e.g. a previous framework's judgment


@dataclass(frozen=True)
class GradeComparisonChart:
    """Grades of a force and its most similar group, one row per force, one column per area."""

    title: str
    forces: tuple[str, ...]
    areas: tuple[str, ...]
    cells: tuple[GradeCell, ...]
    scale: tuple[str, ...]  # the grade labels, best first
    chart: str = "grade_comparison"


@dataclass(frozen=True)
class MapChart:
    """The 43 force areas shaded by an indicator's value (quantile classes)."""

    title: str
    unit: str
    values: tuple[tuple[str, float | None], ...]  # (force id, value)
    displays: tuple[tuple[str, str], ...]  # (force id, value as displayed)
    boundaries: str  # the boundaries file's name (provenance)
    highlight: str | None = None
    chart: str = "map"
    _boundaries_path: str = field(default="", compare=False)  # where to read them at render time


ChartSpec = RankedChart | TrendChart | GradeComparisonChart | MapChart
