"""What the web pages say, as typed views: the home page (the national picture), the force
list and a force's page, and the indicator catalogue and an indicator's page.

Grades come from the record through ``force_record`` / ``grade_of`` (never derived), figures
from the indicator engine's rows; the pages render these views and compute nothing.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from peelkit.domain.forces import Force
from peelkit.domain.frameworks import Framework
from peelkit.domain.years import start_year
from peelkit.errors import GradesNotComparable
from peelkit.frameworks import grade_scales
from peelkit.indicators.catalogue import Indicator
from peelkit.sources.measures import measure
from peelkit.views.about import PublicationUsed, publications_of
from peelkit.views.charts import FunnelChart, MapChart, RankedChart
from peelkit.views.context import funnel_chart, interval_text, ranked_chart, significance_word
from peelkit.views.force_record import (
    NOT_AVAILABLE,
    FindingGroup,
    GradeView,
    findings_by_area,
    force_record,
    grade_of,
    graded_columns,
)
from peelkit.views.force_report import ForceInContext, ForceReportView
from peelkit.views.grades import (
    GradesView,
    check_sort,
    group_by_region,
    sort_forces,
)
from peelkit.views.groups import GroupsView
from peelkit.views.indicators import IndicatorRow
from peelkit.views.inspections import DocumentView, InspectionView
from peelkit.views.national import ForceGrades, RegionGrades
from peelkit.views.reference import ForceView, IndicatorDefinitionView

COMPARATOR_LABELS = {
    "england_and_wales": "England and Wales",
    "most_similar_group": "Most similar group",
    "region": "Region",
}
COMPARED_WITH = {
    "england_and_wales": "England and Wales",
    "most_similar_group": "the force's most similar group",
    "region": "the force's region",
}
COMPARATOR_CODES = {"england_and_wales": "ew", "most_similar_group": "msg", "region": "region"}
LEVEL_LABELS = {
    "pillar": "Pillar",
    "question": "Question",
    "component": "Component",
    "area": "Area",
    "sub_question": "Sub-question",
    "overall": "Overall",
    "domain": "Domain",
    "section": "Section",
}

# --- the indicators -------------------------------------------------------------------------


@dataclass(frozen=True)
class MeasureUse:
    """A measure an indicator is computed from, and its part in the computation."""

    role: str  # "numerator", "denominator" or "measure"
    id: str
    label: str
    unit: str


@dataclass(frozen=True)
class IndicatorEntry:
    """An indicator of the catalogue with its definition in words and how it is computed."""

    indicator: IndicatorDefinitionView
    definition: str
    method: tuple[str, ...]
    measures: tuple[MeasureUse, ...]
    latest_period: str | None  # the latest period with figures, as reports print it
    latest_month: str | None  # the same as YYYY-MM (the page's ``month``)


@dataclass(frozen=True)
class IndicatorCatalogueView:
    indicators: tuple[IndicatorEntry, ...]
    rules: tuple[str, ...]
    view: str = "indicator_catalogue"


# The rules every indicator follows (docs/statistics.md says them at length).
RULES = (
    "A month YYYY-MM means the 12 months ending that month; a financial year such as 2017/18 "
    "the 12 months to 31 March 2018. Workforce figures are counted at the end of the period.",
    "Rates per 1,000 population use the ONS mid-year population estimate for the year the "
    "period ends in, unless another population year is chosen.",
    "England and Wales excludes British Transport Police and is pooled: the sum of the forces' "
    "numerators over the sum of their denominators.",
    "A most similar group's figure is pooled over the group including the force itself. City "
    "of London Police has no most similar group.",
    "Rank is x out of n, n the forces with data, 1 the best by the indicator's direction; equal "
    "values share a rank, printed 9=.",
    "Band: one of the highest (lowest) when the force's position by value is in the top "
    "(bottom) 25 percent of the forces with data, else broadly in line.",
    "Figures are rounded half up, as published statistics are.",
)


def _lower_first(label: str) -> str:
    """A label inside a sentence: "Police officers (FTE)" -> "police officers (FTE)"; an
    acronym ("ONS ...", "PCSOs") keeps its capitals."""
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]


def _measure_use(role: str, measure_id: str) -> MeasureUse:
    item = measure(measure_id)
    return MeasureUse(role, measure_id, item.label, item.unit)


def _definition(indicator: Indicator) -> tuple[str, tuple[MeasureUse, ...]]:
    if indicator.kind == "rate":
        assert indicator.numerator and indicator.denominator
        parts = (
            _measure_use("numerator", indicator.numerator),
            _measure_use("denominator", indicator.denominator),
        )
        text = (
            f"{parts[0].label} divided by {_lower_first(parts[1].label)}, multiplied by "
            f"{indicator.multiplier:,}."
        )
        return text, parts
    assert indicator.measure
    used = (_measure_use("measure", indicator.measure),)
    if indicator.kind == "change":
        years = f"{indicator.years} year" + ("s" if indicator.years != 1 else "")
        change = (
            "difference in percentage points"
            if indicator.unit == "percentage points"
            else "percentage change"
        )
        return (
            f"The {change} in {_lower_first(used[0].label)} between the period and the same "
            f"period "
            f"{years} earlier.",
            used,
        )
    return f"{used[0].label}, as the statistics give it for the period.", used


def _method(indicator: Indicator) -> tuple[str, ...]:
    better = "Higher values are better" if indicator.better == "higher" else "Lower is better"
    comparators = " and ".join(COMPARED_WITH.get(c, c) for c in indicator.comparators)
    return (
        f"{better} (rank 1 is the best).",
        f"Compared with {comparators}.",
        f"Shown to {indicator.decimals} decimal place"
        + ("s" if indicator.decimals != 1 else "")
        + f", unit: {indicator.unit}.",
    )


def indicator_entry(indicator: Indicator, latest: str | None, month: str | None) -> IndicatorEntry:
    definition, used = _definition(indicator)
    return IndicatorEntry(
        indicator=IndicatorDefinitionView.of(indicator),
        definition=definition,
        method=_method(indicator),
        measures=used,
        latest_period=latest,
        latest_month=month,
    )


def build_catalogue(
    indicators: Sequence[Indicator], latest: Mapping[str, tuple[str, str] | None]
) -> IndicatorCatalogueView:
    """The catalogue; ``latest`` gives each indicator's latest period (label, YYYY-MM)."""
    entries = []
    for indicator in indicators:
        found = latest.get(indicator.id)
        entries.append(
            indicator_entry(indicator, found[0] if found else None, found[1] if found else None)
        )
    return IndicatorCatalogueView(tuple(entries), RULES)


@dataclass(frozen=True)
class IndicatorPageView:
    """One indicator for every force: the engine's rows ranked, the ranked chart and the map."""

    entry: IndicatorEntry
    period: str  # as reports print it
    month: str | None  # the period asked for (YYYY-MM), or None when given as a year
    year: str | None  # the financial year asked for, or None
    comparator: str  # england_and_wales or most_similar_group (what the rows were compared with)
    comparator_code: str  # ew or msg
    comparator_label: str
    population_year: int | None  # as asked (None: the engine's default)
    rows: tuple[IndicatorRow, ...]  # the engine's rows, best rank first, no value last
    ranked: RankedChart | None
    map: MapChart | None
    publications: tuple[PublicationUsed, ...]
    view: str = "indicator_page"
    displays: tuple[RowDisplay, ...] = ()  # one per row, in the same order
    funnel: FunnelChart | None = None  # around England and Wales (None against another)


@dataclass(frozen=True)
class RowDisplay:
    """What the page prints beside a row's figure: its 95% interval, the significance word
    against the comparator and the range of ranks ("rank 32 (31–33) of 43")."""

    force: str
    interval: str  # "92.6 to 93.1", or "—"
    significance: str  # "lower, better (99.8%)", "similar", or "—"
    rank_interval: str  # or "—"

    @classmethod
    def of(cls, row: IndicatorRow) -> RowDisplay:
        return cls(
            row.force,
            interval_text(row) or "—",
            significance_word(row) or "—",
            row.rank_interval.display if row.rank_interval is not None else "—",
        )


def indicator_map(rows: Sequence[IndicatorRow], boundaries: Path) -> MapChart | None:
    """The force areas shaded by the rows' values (None without boundaries or figures)."""
    if not boundaries.is_file() or not any(r.value is not None for r in rows):
        return None
    first = rows[0]
    return MapChart(
        title=f"{first.label}, {first.period}: map of the 43 force areas",
        unit=first.unit,
        values=tuple((r.force, r.value) for r in rows),
        displays=tuple((r.force, r.display or NOT_AVAILABLE) for r in rows),
        boundaries=boundaries.name,
        _boundaries_path=str(boundaries),
    )


def build_indicator_page(
    indicator: Indicator,
    latest: tuple[str, str] | None,
    rows: Sequence[IndicatorRow],
    *,
    month: str | None,
    year: str | None,
    comparator: str,
    population_year: int | None,
    boundaries: Path,
) -> IndicatorPageView:
    """The page of ``rows`` (every force's row of one indicator for one period)."""
    ranked_rows = tuple(
        sorted(rows, key=lambda r: (r.rank is None, r.rank or 0, r.force)),
    )
    used = next((r.comparator for r in rows if r.comparator), None) or comparator
    ew = ranked_rows[0] if ranked_rows and used == "england_and_wales" else None
    chart = ranked_chart(None, list(rows), None, ew, with_group=False) if rows else None
    return IndicatorPageView(
        entry=indicator_entry(indicator, *(latest or (None, None))),
        period=rows[0].period if rows else "",
        month=month,
        year=year,
        comparator=used,
        comparator_code=COMPARATOR_CODES.get(used, used),
        comparator_label=COMPARATOR_LABELS.get(used, used),
        population_year=population_year,
        rows=ranked_rows,
        ranked=chart,
        map=indicator_map(rows, boundaries),
        publications=tuple(publications_of(rows)),
        displays=tuple(RowDisplay.of(r) for r in ranked_rows),
        funnel=funnel_chart(list(rows), None, ew) if ew is not None else None,
    )


# --- the home page ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class HomeView:
    """The national picture: every force's grades under a framework (sorted, grouped by region
    when asked), their distribution, and one indicator for every force as a chart and a map."""

    grades: GradesView
    sort: str
    by_region: bool
    rows: tuple[ForceGrades, ...]  # in the chosen order
    regions: tuple[RegionGrades, ...]  # when grouped by region
    frameworks: tuple[Choice, ...]  # the graded frameworks one may choose
    levels: tuple[Choice, ...]  # the levels the framework grades
    sorts: tuple[Choice, ...]
    figures: IndicatorPageView | None
    figures_note: str | None  # why the figures are not the framework's own period
    view: str = "home"


def build_home(
    grades: GradesView,
    frameworks: Sequence[Framework],
    sort: str | None,
    by_region: bool,
    figures: IndicatorPageView | None,
    figures_note: str | None,
) -> HomeView:
    chosen = check_sort(grades, sort)
    rows = sort_forces(grades, chosen)
    sorts = [Choice("force", "Force name"), Choice("region", "Region")]
    sorts.extend(Choice(f"grade:{c.area_id}", f"Grade: {c.name}") for c in grades.columns)
    return HomeView(
        grades=grades,
        sort=chosen,
        by_region=by_region,
        rows=rows,
        regions=group_by_region(rows) if by_region else (),
        frameworks=tuple(Choice(f.id, f.title) for f in frameworks if f.grade_scale),
        levels=tuple(Choice(level, LEVEL_LABELS.get(level, level)) for level in grades.levels),
        sorts=tuple(sorts),
        figures=figures,
        figures_note=figures_note,
    )


# --- the forces -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ForcesView:
    forces: tuple[ForceView, ...]  # the 43 territorial forces by name, then the others
    view: str = "forces"


def build_forces(forces: Sequence[Force]) -> ForcesView:
    ordered = sorted(forces, key=lambda f: (not f.territorial, f.name))
    return ForcesView(tuple(ForceView.of(f) for f in ordered))


@dataclass(frozen=True)
class InspectionLink:
    """One inspection of the force (one the reader may see), for the list of links."""

    id: int
    framework_id: str
    framework_title: str
    period: str
    title: str | None
    published: str | None
    judgments: int
    findings: int
    document: str | None  # the source document's name, or None


@dataclass(frozen=True)
class HistoryRow:
    """The force's grades under one framework and year (its summary columns)."""

    framework_id: str
    framework_title: str
    period: str
    inspection: int  # the inspection the grades were taken from first
    grades: tuple[GradeView, ...]


@dataclass(frozen=True)
class HistorySegment:
    """Rows whose grades are on one scale; grades of different segments are not comparable."""

    scale_id: str
    scale_name: str
    scale_description: str
    break_note: str | None  # why this segment's grades do not compare with the previous one's
    rows: tuple[HistoryRow, ...]


@dataclass(frozen=True)
class AreaFindings:
    area_id: str | None
    area_name: str
    groups: tuple[FindingGroup, ...]


@dataclass(frozen=True)
class LatestFindings:
    """The findings of the latest inspection (that has findings), by area then kind."""

    framework_id: str
    framework_title: str
    period: str
    inspections: tuple[int, ...]
    areas: tuple[AreaFindings, ...]


@dataclass(frozen=True)
class KeyIndicators:
    """The force against England and Wales and its most similar group: the "Force in context"
    of its report under ``framework`` (the latest framework with figures)."""

    framework_id: str
    framework_title: str
    context: ForceInContext


@dataclass(frozen=True)
class ForcePageView:
    force: ForceView
    groups: GroupsView
    history: tuple[HistorySegment, ...]
    latest_findings: LatestFindings | None
    indicators: KeyIndicators | None
    indicators_note: str | None  # why there are no key indicators
    inspections: tuple[InspectionLink, ...]  # latest first
    view: str = "force_page"


def _order(frameworks: Sequence[Framework]) -> dict[str, int]:
    return {f.id: index for index, f in enumerate(frameworks)}


def _records(
    force: Force,
    frameworks: Sequence[Framework],
    inspections: Sequence[InspectionView],
) -> list[tuple[Framework, str]]:
    """Each framework and year the force has inspections of, oldest first."""
    by_id = {f.id: f for f in frameworks}
    order = _order(frameworks)
    held = {(i.framework, i.period) for i in inspections if i.force == force.id}
    keys = sorted(
        (k for k in held if k[0] in by_id),
        key=lambda k: (start_year(k[1]), order[k[0]], k[1]),
    )
    return [(by_id[f], period) for f, period in keys]


def _history(
    force: Force,
    held: Sequence[tuple[Framework, str]],
    inspections: Sequence[InspectionView],
    documents: Mapping[int, DocumentView],
) -> tuple[HistorySegment, ...]:
    """The graded frameworks' rows, oldest first, cut where the grade scale changes."""
    rows: list[tuple[str, HistoryRow]] = []
    for framework, period in held:
        record = force_record(force.id, framework, period, inspections, documents)
        if framework.grade_scale is None or record.primary is None:
            continue
        grades = tuple(grade_of(record, a) for a in graded_columns(framework))
        row = HistoryRow(framework.id, framework.title, period, record.primary.id, grades)
        rows.append((framework.grade_scale.id, row))
    segments: list[HistorySegment] = []
    previous: str | None = None
    for scale_id, members in itertools.groupby(rows, key=lambda item: item[0]):
        scale = grade_scales()[scale_id]
        note = None
        if previous is not None:
            note = (
                f"A break in the series: {GradesNotComparable(previous, scale_id).message}. "
                f"The grades below are on the {scale.name} scale ({len(scale.grades)} grades, "
                f"best first: {', '.join(g.label for g in scale.grades)}); do not read them as "
                f"better or worse than the grades above."
            )
        segments.append(
            HistorySegment(
                scale_id, scale.name, scale.description, note, tuple(r for _, r in members)
            )
        )
        previous = scale_id
    return tuple(segments)


def _latest_findings(
    force: Force,
    held: Sequence[tuple[Framework, str]],
    inspections: Sequence[InspectionView],
    documents: Mapping[int, DocumentView],
) -> LatestFindings | None:
    for framework, period in reversed(held):
        record = force_record(force.id, framework, period, inspections, documents)
        if not any(i.findings for i in record.inspections):
            continue
        found = findings_by_area(record)
        areas = [
            AreaFindings(a.id, f"{a.code}: {a.name}" if a.code else a.name, found[a.id])
            for a in framework.walk()
            if a.id in found
        ]
        if None in found:
            areas.append(AreaFindings(None, "Other findings", found[None]))
        return LatestFindings(
            framework.id,
            framework.title,
            period,
            tuple(i.id for i in record.inspections if i.findings),
            tuple(areas),
        )
    return None


def _link(
    inspection: InspectionView, framework: Framework | None, documents: Mapping[int, DocumentView]
) -> InspectionLink:
    document = documents.get(inspection.document or -1)
    return InspectionLink(
        id=inspection.id,
        framework_id=inspection.framework,
        framework_title=framework.title if framework else inspection.framework,
        period=inspection.period,
        title=inspection.title,
        published=inspection.published,
        judgments=len(inspection.shown_judgments()),
        findings=len(inspection.findings),
        document=document.name if document else None,
    )


def build_force_page(
    force: Force,
    frameworks: Sequence[Framework],
    inspections: Sequence[InspectionView],
    documents: Mapping[int, DocumentView],
    groups: GroupsView,
    report: ForceReportView | None,
    indicators_note: str | None,
) -> ForcePageView:
    """The force's page from its inspections (only those the reader may see), its groups and
    its report under the latest framework with figures (for the key indicators)."""
    held = _records(force, frameworks, inspections)
    by_id = {f.id: f for f in frameworks}
    order = _order(frameworks)
    mine = [i for i in inspections if i.force == force.id]
    mine.sort(key=lambda i: (start_year(i.period), order.get(i.framework, -1), i.id), reverse=True)
    key = None
    if report is not None and report.context is not None:
        key = KeyIndicators(report.framework_id, report.framework_title, report.context)
    elif indicators_note is None:
        indicators_note = "The statistics hold no figures for this force."
    return ForcePageView(
        force=ForceView.of(force),
        groups=groups,
        history=_history(force, held, inspections, documents),
        latest_findings=_latest_findings(force, held, inspections, documents),
        indicators=key,
        indicators_note=None if key else indicators_note,
        inspections=tuple(_link(i, by_id.get(i.framework), documents) for i in mine),
    )
