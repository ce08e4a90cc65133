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
    lower: float | None = None  # the confidence interval around the value (None: none)
    upper: float | None = None
    lower_display: str | None = None  # the interval's limits as printed
    upper_display: str | None = None
    off_scale: bool = False  # drawn off the axis with its value printed, not on the scale
    note: str | None = None  # why (e.g. City of London's resident population)


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
    interval: str | None = None  # what the bars' intervals are ("95% confidence interval")
    chart: str = "ranked"


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | None, ...]


@dataclass(frozen=True)
class TrendMarker:
    """The tested trend of the highlighted series: ``call`` and the words printed with it."""

    call: str  # increasing, decreasing, no significant change, cannot be calculated
    words: str  # the sentence printed on the chart and with its table


@dataclass(frozen=True)
class TrendChart:
    """Values over periods: the force, its most similar group and England and Wales."""

    title: str
    unit: str
    periods: tuple[str, ...]
    series: tuple[Series, ...]
    highlight: str | None = None
    marker: TrendMarker | None = None
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


@dataclass(frozen=True)
class FunnelLimit:
    """A control limit around the comparator: the lower and upper curve over population."""

    level: str  # "95%", "99.8%"
    populations: tuple[float, ...]
    lower: tuple[float, ...]
    upper: tuple[float, ...]


@dataclass(frozen=True)
class FunnelPoint:
    label: str  # the force's short name
    population: float  # the denominator the value was computed over
    population_display: str
    value: float
    display: str  # the value as the engine displays it
    significance: str  # against the limits at its population: "above the 99.8% limit" ...
    highlighted: bool = False
    off_scale: bool = False  # drawn at the axis edge with its value printed, not on the scale
    note: str | None = None


@dataclass(frozen=True)
class FunnelChart:
    """Every force's value against its population, with control limits around a comparator."""

    title: str
    unit: str
    population_label: str  # what the x axis counts ("Population")
    comparator: str  # the comparator's label ("England and Wales")
    comparator_value: float
    comparator_display: str
    limits: tuple[FunnelLimit, ...]  # the 95% and 99.8% limits
    points: tuple[FunnelPoint, ...]
    chart: str = "funnel"


ChartSpec = RankedChart | TrendChart | GradeComparisonChart | MapChart | FunnelChart
