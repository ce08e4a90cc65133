"""The national view: every force's grades under a framework side by side, their distribution,
and one indicator for every force as a ranked chart and a map."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from peelkit.domain.forces import Force
from peelkit.domain.frameworks import Framework
from peelkit.frameworks import grade_scales
from peelkit.indicators.catalogue import catalogue
from peelkit.reference import territorial_forces
from peelkit.views.about import AboutData, DataUse, about_the_data
from peelkit.views.charts import FunnelChart, MapChart, RankedChart
from peelkit.views.context import funnel_chart, ranked_chart
from peelkit.views.force_record import (
    NOT_AVAILABLE,
    GradeView,
    force_record,
    grade_of,
    graded_columns,
)
from peelkit.views.indicators import IndicatorQuery
from peelkit.views.inspections import DocumentView, InspectionView
from peelkit.views.shared_rows import shared


@dataclass(frozen=True)
class ForceGrades:
    force_id: str
    force_name: str
    region: str | None
    grades: tuple[GradeView, ...]  # one per column


@dataclass(frozen=True)
class RegionGrades:
    region: str
    forces: tuple[ForceGrades, ...]


@dataclass(frozen=True)
class GradeCount:
    grade_id: str | None  # None: "Not available"
    label: str
    counts: tuple[int, ...]  # one per column


@dataclass(frozen=True)
class IndicatorPicture:
    indicator: str
    label: str
    period: str
    population_year: int
    has_figures: bool
    ranked: RankedChart | None
    map: MapChart | None
    map_omitted: str | None  # why the map is not shown, or None
    funnel: FunnelChart | None = None  # every force against its population, with limits


@dataclass(frozen=True)
class NationalView:
    framework_id: str
    framework_title: str
    period: str
    indicator: str
    title: str
    subtitle: str
    level: str  # "pillar" or "area": the level of the columns
    columns: tuple[str, ...]  # the graded areas' names
    column_ids: tuple[str, ...]
    forces: tuple[ForceGrades, ...]  # by name
    regions: tuple[RegionGrades, ...]  # filled when grouped by region
    distribution: tuple[GradeCount, ...]
    figures: IndicatorPicture
    about: AboutData
    by_region: bool
    view: str = "national_report"

    @property
    def file_stem(self) -> str:
        return f"national-{self.framework_id}"

    @property
    def map_omitted(self) -> str | None:
        return self.figures.map_omitted


@dataclass(frozen=True)
class NationalInputs:
    framework: Framework
    year: str
    indicator: str
    by_region: bool
    inspections: Sequence[InspectionView]  # every inspection under the framework
    documents: Mapping[int, DocumentView]
    boundaries: Path
    revised_by_file: Mapping[str, int]
    query: IndicatorQuery


def grade_rank(grade_id: str | None) -> int:
    """Best grades first, then non-grades (Ungraded), then "Not available" (for sorting)."""
    if grade_id is None:
        return 99
    for scale in grade_scales().values():
        value = scale.find(grade_id)
        if value is not None:
            return value.rank if value.rank is not None else 50
    return 60


def grade_distribution(
    framework: Framework, columns: Sequence[str], forces: Sequence[ForceGrades]
) -> tuple[GradeCount, ...]:
    labels: list[tuple[str | None, str]] = []
    scale = framework.grade_scale
    if scale is not None:
        labels = [(v.id, v.label) for v in scale.values]
    labels.append((None, NOT_AVAILABLE))
    graded = {g.id for g in scale.grades} if scale is not None else set()
    out = []
    for grade_id, label in labels:
        counts = tuple(
            sum(1 for f in forces if f.grades[index].grade_id == grade_id)
            for index in range(len(columns))
        )
        if grade_id is not None and not any(counts) and grade_id not in graded:
            continue  # a non-grade (Ungraded) nobody has
        out.append(GradeCount(grade_id, label, counts))
    return tuple(out)


def _figures(inputs: NationalInputs, used: DataUse) -> IndicatorPicture:
    spec = catalogue().get(inputs.indicator)
    period, population_year = inputs.framework.statistics_period(inputs.year)
    rows = shared(inputs.query).rows(period, None, [inputs.indicator], "ew", population_year)
    used.add(rows)
    has_figures = any(r.value is not None for r in rows)
    if not has_figures:
        return IndicatorPicture(
            spec.id, spec.label, period.label(), population_year, False, None, None, "no figures"
        )
    first = rows[0]
    ranked = ranked_chart(None, rows, None, first, with_group=False)
    boundaries = inputs.boundaries
    chart = None
    omitted = None
    if boundaries.is_file():
        chart = MapChart(
            title=f"{first.label}, {first.period}: map of the 43 force areas",
            unit=first.unit,
            values=tuple((r.force, r.value) for r in rows),
            displays=tuple((r.force, r.display or NOT_AVAILABLE) for r in rows),
            boundaries=boundaries.name,
            _boundaries_path=str(boundaries),
        )
    else:
        omitted = (
            f"The map is omitted: the police force area boundaries ({boundaries.name}) are not "
            f"in the shared folder beside the repository."
        )
    return IndicatorPicture(
        spec.id,
        first.label,
        first.period,
        population_year,
        True,
        ranked,
        chart,
        omitted,
        funnel_chart(rows, None, first),
    )


def build_national(inputs: NationalInputs) -> NationalView:
    spec = inputs.framework
    year = inputs.year
    forces: list[Force] = sorted(territorial_forces(), key=lambda f: f.name)
    columns = graded_columns(spec)
    by_force: dict[str, list[InspectionView]] = {}
    for inspection in inputs.inspections:
        by_force.setdefault(inspection.force, []).append(inspection)
    rows = []
    for force in forces:
        record = force_record(force.id, spec, year, by_force.get(force.id, []), inputs.documents)
        rows.append(
            ForceGrades(
                force.id,
                force.name,
                force.region,
                tuple(grade_of(record, area) for area in columns),
            )
        )
    regions: list[RegionGrades] = []
    if inputs.by_region:
        grouped: dict[str, list[ForceGrades]] = {}
        for row in sorted(rows, key=lambda r: (r.region or "", r.force_name)):
            grouped.setdefault(row.region or "No region", []).append(row)
        regions = [RegionGrades(region, tuple(members)) for region, members in grouped.items()]
    used = DataUse()
    figures = _figures(inputs, used)
    names = tuple(a.name for a in columns)
    return NationalView(
        framework_id=spec.id,
        framework_title=spec.title,
        period=year,
        indicator=inputs.indicator,
        # Framework titles already name their year ("... 2018/19"); add it only when not.
        title=f"England and Wales: {spec.title}" + ("" if year in spec.title else f" {year}"),
        subtitle=f"Every force's grades, and {catalogue().get(inputs.indicator).label.lower()}",
        level="pillar" if columns and columns[0].level == "pillar" else "area",
        columns=names,
        column_ids=tuple(a.id for a in columns),
        forces=tuple(rows),
        regions=tuple(regions),
        distribution=grade_distribution(spec, names, rows),
        figures=figures,
        about=about_the_data(used, None, {}, inputs.revised_by_file),
        by_region=inputs.by_region,
    )
