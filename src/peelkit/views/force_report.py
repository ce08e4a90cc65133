"""The force report view: what one force's report under one framework and year says.

Judgments and findings come from the inspection record as stored (never derived or invented: a
missing judgment is "Not available"); every figure computed from the statistics comes from the
indicator engine, with the provenance the engine gives. The view has no rendering in it: the
report layouts (peelkit.reports) arrange it as HTML and PDF, and ``to_json`` gives its JSON.

Which parts a report has follows the framework's ``report_layout`` (its era's data):
``integrated`` (PEEL 2017 on: group grades, Force in context), ``effectiveness`` (PEEL 2015 and
2016: Force in numbers) and ``baseline`` (2005: the Appendix 1 performance tables).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from peelkit.domain.forces import Force, MostSimilarGroup
from peelkit.domain.frameworks import Area, Framework
from peelkit.domain.periods import Period
from peelkit.domain.years import normalise_year, start_year
from peelkit.indicators.catalogue import catalogue
from peelkit.reference import resolve_force
from peelkit.views.about import AboutData, DataUse, about_the_data, computed_from
from peelkit.views.charts import (
    FunnelChart,
    GradeCell,
    GradeComparisonChart,
    RankedChart,
    Series,
    TrendChart,
    TrendMarker,
)
from peelkit.views.context import funnel_chart, ranked_chart, trend_chart, trend_marker
from peelkit.views.followup import ProgressView
from peelkit.views.force_record import (
    NOT_AVAILABLE,
    FindingGroup,
    ForceRecord,
    GradeView,
    findings_by_area,
    force_record,
    grade_label,
    grade_of,
    graded_columns,
    reported_areas,
)
from peelkit.views.indicators import IndicatorQuery, IndicatorRow
from peelkit.views.inspections import DocumentView, FigureView, InspectionView
from peelkit.views.performance import PerformanceTables, performance_tables
from peelkit.views.provenance import describe_inspection, describe_source
from peelkit.views.shared_rows import shared

RANKED_INDICATOR = "recorded_crime_per_1000"


@dataclass(frozen=True)
class AreaView:
    """An area of the framework as the report prints it: its question, grade and findings."""

    area_id: str
    name: str
    code: str | None
    level: str
    question: str | None
    grade: GradeView | None  # None for an area neither graded nor judged
    findings: tuple[FindingGroup, ...]
    areas: tuple[AreaView, ...] = ()

    @property
    def title(self) -> str:
        return f"{self.code}: {self.name}" if self.code else self.name


@dataclass(frozen=True)
class SummaryEntry:
    area: str  # the area as the summary names it ("1A Fairness and equality")
    grade: GradeView
    has_direction: bool  # the area is judged for direction of travel (2005)


@dataclass(frozen=True)
class SummaryTable:
    caption: str
    entries: tuple[SummaryEntry, ...]


@dataclass(frozen=True)
class IndicatorTable:
    """The force against a comparator, one row per indicator, as the engine gives them."""

    caption: str
    force_label: str
    comparator_label: str
    rows: tuple[IndicatorRow, ...]


@dataclass(frozen=True)
class GroupComparison:
    """The force's pillar grades beside each most similar group force's."""

    year: str | None
    peers: tuple[str, ...]  # the peers' names
    source: str | None
    no_group_reason: str | None
    chart: GradeComparisonChart | None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ForceInContext:
    period: str
    population_year: int
    tables: tuple[IndicatorTable, ...]
    ranked: RankedChart | None
    trend: TrendChart | None
    funnel: FunnelChart | None = None  # the headline indicator against population


@dataclass(frozen=True)
class ImportedFigure:
    figure: FigureView
    source: str


@dataclass(frozen=True)
class ForceInNumbers:
    period: str
    imported: tuple[ImportedFigure, ...]
    computed: IndicatorTable
    ranked: RankedChart | None
    funnel: FunnelChart | None = None
    trend: TrendMarker | None = None  # the headline indicator's tested trend


@dataclass(frozen=True)
class ForceReportView:
    force_id: str
    force_name: str
    framework_id: str
    framework_title: str
    layout: str
    period: str  # the assessment year
    statistics_period: str
    population_year: int
    title: str
    subtitle: str
    has_record: bool
    intro: str
    summary: tuple[SummaryTable, ...]
    grades: tuple[GradeView, ...]  # every reported area of the framework
    areas: tuple[AreaView, ...]
    other_findings: tuple[FindingGroup, ...]
    group: GroupComparison | None
    context: ForceInContext | None
    numbers: ForceInNumbers | None
    performance: PerformanceTables | None
    about: AboutData
    inspections: tuple[int, ...]  # the inspections judgments and findings were taken from
    # "Progress since the last inspection": the earlier inspection's findings and their fate.
    progress: ProgressView
    view: str = "force_report"

    @property
    def file_stem(self) -> str:
        return f"{self.force_id}-{self.framework_id}"

    def grade(self, area_id: str) -> GradeView | None:
        return next((g for g in self.grades if g.area_id == area_id), None)


@dataclass(frozen=True)
class ForceReportInputs:
    """What the workspace loads for a force report, in one transaction."""

    force: Force
    framework: Framework
    year: str
    inspections: Sequence[InspectionView]  # the force's inspections under the framework
    documents: Mapping[int, DocumentView]
    group: MostSimilarGroup | None
    no_group_reason: str | None
    # The peers' inspections under the framework and its predecessors, by force id.
    peer_inspections: Mapping[str, Sequence[InspectionView]]
    predecessors: Sequence[Framework]  # the framework's predecessors, latest first
    revised_by_file: Mapping[str, int]  # figures revised between releases, by file
    query: IndicatorQuery
    # "Progress since the last inspection" of each of the force's inspections for the year.
    progress: Mapping[int, ProgressView]


def choose_year(framework: Framework, year: str | None) -> str:
    return normalise_year(year) if year else framework.period


# --- areas, grades and findings ------------------------------------------------------------------


def area_view(
    area: Area,
    record: ForceRecord,
    findings: Mapping[str | None, tuple[FindingGroup, ...]],
    children: Sequence[Area] = (),
) -> AreaView:
    graded = area.graded or area.id in record.judgments
    return AreaView(
        area_id=area.id,
        name=area.name,
        code=area.code,
        level=area.level,
        question=area.question,
        grade=grade_of(record, area) if graded else None,
        findings=findings.get(area.id, ()),
        areas=tuple(area_view(child, record, findings) for child in children),
    )


def _summary_entry(area: Area, record: ForceRecord) -> SummaryEntry:
    label = area.name if not area.code else f"{area.code} {area.name}"
    return SummaryEntry(label, grade_of(record, area), bool(area.direction))


def _intro(record: ForceRecord, force_name: str) -> str:
    primary = record.primary
    if primary is None:
        return (
            f"The record holds no inspection of {force_name} under {record.framework.title} for "
            f'{record.period}: every grade prints as "{NOT_AVAILABLE}".'
        )
    filled = ""
    if len(record.inspections) > 1:
        filled = "; areas it does not grade are filled from " + "; ".join(
            describe_inspection(i, record.documents) for i in record.inspections[1:]
        )
    return (
        f"Judgments and findings are taken from "
        f"{describe_inspection(primary, record.documents)}{filled}. Each grade and finding says "
        f"where it came from."
    )


def _areas(
    record: ForceRecord, findings: Mapping[str | None, tuple[FindingGroup, ...]]
) -> tuple[AreaView, ...]:
    framework = record.framework
    layout = framework.report_layout
    if layout == "effectiveness":
        inspected = {
            a.id
            for a in framework.areas
            if a.id in record.judgments or any(c.id in record.judgments for c in a.walk())
        }
        return tuple(
            area_view(p, record, findings, [q for q in p.children if q.level == "question"])
            for p in framework.areas
            if p.id in inspected or findings.get(p.id)
        )
    if layout == "baseline":
        return tuple(
            AreaView(
                area_id=domain.id,
                name=domain.name,
                code=domain.code,
                level=domain.level,
                question=None,
                grade=None,
                findings=(),
                areas=tuple(area_view(a, record, findings) for a in domain.children),
            )
            for domain in framework.areas
        )
    return tuple(area_view(a, record, findings, a.children) for a in framework.areas)


def _summary(record: ForceRecord, force_name: str) -> tuple[SummaryTable, ...]:
    framework = record.framework
    layout = framework.report_layout
    if layout == "baseline":
        return tuple(
            SummaryTable(
                f"Domain {domain.code or domain.id}: {domain.name}",
                tuple(_summary_entry(a, record) for a in domain.walk() if a.graded),
            )
            for domain in framework.areas
            if any(a.graded for a in domain.walk())
        )
    caption = (
        f"{force_name}: overall and question grades"
        if layout == "effectiveness"
        else f"{force_name}: {framework.title} grades"
    )
    return (
        SummaryTable(caption, tuple(_summary_entry(a, record) for a in reported_areas(record))),
    )


# --- most similar group grades ---------------------------------------------------------------


def group_comparison(inputs: ForceReportInputs, record: ForceRecord) -> GroupComparison:
    framework = record.framework
    force_name = inputs.force.name
    group = inputs.group
    if group is None:
        reason = inputs.no_group_reason or "the record holds no group for the year"
        return GroupComparison(None, (), None, reason, None)
    pillars = graded_columns(framework)
    cells: list[GradeCell] = []
    names = [force_name]
    for area in pillars:
        grade = grade_of(record, area)
        cells.append(GradeCell(force_name, area.name, grade.label if grade.available else None))
    notes = []
    for peer_id in group.peers:
        peer = resolve_force(peer_id)
        names.append(peer.name)
        held_inspections = inputs.peer_inspections.get(peer.id, ())
        peer_record = force_record(
            peer.id, framework, record.period, held_inspections, inputs.documents
        )
        used_framework = framework
        if not peer_record.judgments:
            for earlier in inputs.predecessors:
                earlier_held = [i for i in held_inspections if i.framework == earlier.id]
                if earlier_held:
                    latest = max(earlier_held, key=lambda i: (start_year(i.period), i.id))
                    peer_record = force_record(
                        peer.id, earlier, latest.period, earlier_held, inputs.documents
                    )
                    used_framework = earlier
                    break
        for area in pillars:
            note = None
            label: str | None = None
            held = None
            if used_framework.id == framework.id:
                held = peer_record.judgments.get(area.id)
            else:
                earlier_area = used_framework.find_area(area.id)
                if earlier_area is not None:
                    held = peer_record.judgments.get(earlier_area.id)
                note = (
                    f"{used_framework.title} ({peer_record.period}): not inspected under "
                    f"{framework.title}"
                )
            if held is not None and held[0].grade is not None:
                label = grade_label(used_framework, held[0].grade, held[0].grade_as_printed)
            cells.append(GradeCell(peer.name, area.name, label, note))
        if used_framework.id != framework.id:
            notes.append(
                f"{peer.name} has no judgments under {framework.title} in the record; its grades "
                f"are its previous judgments, from {used_framework.title} ({peer_record.period})."
            )
        elif not peer_record.judgments:
            notes.append(f"{peer.name}: no judgments in the record ({NOT_AVAILABLE}).")
    scale = tuple(g.label for g in framework.grade_scale.grades) if framework.grade_scale else ()
    chart = GradeComparisonChart(
        f"{force_name} and its most similar group: {framework.title} grades",
        tuple(names),
        tuple(a.name for a in pillars),
        tuple(cells),
        scale,
    )
    return GroupComparison(
        group.year,
        tuple(resolve_force(p).name for p in group.peers),
        group.source,
        None,
        chart,
        tuple(notes),
    )


# --- figures from the statistics -------------------------------------------------------------


def _crime_rate_ids() -> list[str]:
    return [
        i.id
        for i in catalogue().indicators.values()
        if i.kind == "rate" and (i.numerator or "").startswith("crimes.")
    ]


def _workforce_ids() -> list[str]:
    return [
        i.id
        for i in catalogue().indicators.values()
        if any(m.startswith("workforce.") for m in i.measures)
    ]


def force_in_context(
    inputs: ForceReportInputs, period: Period, population_year: int, used: DataUse
) -> ForceInContext:
    query = inputs.query
    force_id, force_name = inputs.force.id, inputs.force.name
    crime_ids = _crime_rate_ids()
    workforce = _workforce_ids()
    other_ids = [i for i in catalogue().indicators if i not in crime_ids and i not in workforce]
    everyone = query.rows(period, None, crime_ids, "msg", population_year)
    mine_msg = [r for r in everyone if r.force == force_id]
    if not mine_msg:
        mine_msg = query.rows(period, force_id, crime_ids, "msg", population_year, trends=False)
    # The report tests the trend of its headline indicator only (the trend chart's marker).
    mine_ew = [
        *query.rows(period, force_id, [RANKED_INDICATOR], "ew", population_year),
        *query.rows(
            period, force_id, [*other_ids, *workforce], "ew", population_year, trends=False
        ),
    ]
    used.add(mine_msg)
    used.add(mine_ew)
    ew_by_id = {r.indicator: r for r in mine_ew}
    msg_label = "Most similar group"
    if mine_msg and all(not r.is_most_similar_group for r in mine_msg):
        msg_label = comparator_name(mine_msg[0])
    tables = (
        IndicatorTable(
            "Recorded crime per 1,000 population, against the most similar group",
            force_name,
            msg_label,
            tuple(mine_msg),
        ),
        IndicatorTable(
            "Change in recorded crime and anti-social behaviour, against England and Wales",
            force_name,
            "England and Wales",
            tuple(ew_by_id[i] for i in other_ids if i in ew_by_id),
        ),
        IndicatorTable(
            "Workforce, against England and Wales",
            force_name,
            "England and Wales",
            tuple(ew_by_id[i] for i in workforce if i in ew_by_id),
        ),
    )
    ranked = [r for r in everyone if r.indicator == RANKED_INDICATOR]
    mine = next((r for r in mine_msg if r.indicator == RANKED_INDICATOR), None)
    ew = ew_by_id.get(RANKED_INDICATOR)
    trend = trend_chart(query, inputs.force, period, population_year, mine, ew, used)
    return ForceInContext(
        period.label(),
        population_year,
        tables,
        ranked_chart(inputs.force, ranked, mine, ew),
        trend,
        funnel_chart(ranked, inputs.force, ew),
    )


def comparator_name(row: IndicatorRow) -> str:
    if row.comparator == "most_similar_group":
        return "Most similar group"
    if row.comparator == "england_and_wales":
        return "England and Wales"
    return "Comparator"


def force_in_numbers(
    inputs: ForceReportInputs,
    record: ForceRecord,
    period: Period,
    population_year: int,
    used: DataUse,
) -> ForceInNumbers:
    query = inputs.query
    force_id = inputs.force.id
    primary = record.primary
    imported = tuple(
        ImportedFigure(f, describe_source(f.provenance, record.documents, primary))
        for i in record.inspections
        for f in i.figures
    )
    others = [i for i in catalogue().indicators if i != RANKED_INDICATOR]
    # The report tests the trend of its headline indicator only (its marker).
    by_id = {
        r.indicator: r
        for r in [
            *query.rows(period, force_id, [RANKED_INDICATOR], "ew", population_year),
            *query.rows(period, force_id, others, "ew", population_year, trends=False),
        ]
    }
    rows = [by_id[i] for i in catalogue().indicators if i in by_id]
    used.add(rows)
    everyone = query.rows(period, None, [RANKED_INDICATOR], "msg", population_year)
    mine = next((r for r in everyone if r.force == force_id), None)
    ew = next((r for r in rows if r.indicator == RANKED_INDICATOR), None)
    if mine is not None:
        used.add([mine])
    table = IndicatorTable(
        f"Force in numbers computed from the statistics, {period.label()}",
        inputs.force.name,
        "England and Wales",
        tuple(rows),
    )
    return ForceInNumbers(
        period.label(),
        imported,
        table,
        ranked_chart(inputs.force, everyone, mine, ew),
        funnel_chart(everyone, inputs.force, ew),
        trend_marker(ew if ew is not None and ew.trend is not None else mine),
    )


# --- the report -------------------------------------------------------------------------------


def _progress(inputs: ForceReportInputs, inspection: int | None) -> ProgressView:
    """The report's own inspection's progress since the last one (empty without one)."""
    found = inputs.progress.get(inspection) if inspection is not None else None
    return found if found is not None else ProgressView.of([], [])


def build_force_report(inputs: ForceReportInputs) -> ForceReportView:
    """The view of one force's report under one framework and year.

    The engine is asked through :func:`~peelkit.views.shared_rows.shared`: the national sets a
    report reads (every force's rows, for the ranked chart, the funnel and its own row) are
    computed once per engine, not once per force."""
    inputs = replace(inputs, query=shared(inputs.query))
    spec = inputs.framework
    force = inputs.force
    year = inputs.year
    record = force_record(force.id, spec, year, inputs.inspections, inputs.documents)
    findings = findings_by_area(record)
    layout = spec.report_layout
    period, population_year = spec.statistics_period(year)
    used = DataUse()
    group = context = numbers = performance = None
    if layout == "baseline":
        performance = performance_tables(
            inputs.query, record, force.id, period, population_year, used
        )
    elif layout == "effectiveness":
        numbers = force_in_numbers(inputs, record, period, population_year, used)
    else:
        group = group_comparison(inputs, record)
        context = force_in_context(inputs, period, population_year, used)
    about = about_the_data(used, record, inputs.documents, inputs.revised_by_file)
    primary = record.primary
    subtitle = spec.title if year in spec.title else f"{spec.title}, {year}"
    if primary is not None and primary.published:
        subtitle += f" (published {primary.published})"
    return ForceReportView(
        force_id=force.id,
        force_name=force.name,
        framework_id=spec.id,
        framework_title=spec.title,
        layout=layout,
        period=year,
        statistics_period=period.label(),
        population_year=population_year,
        title=f"{force.name}: {spec.title}" + ("" if year in spec.title else f" {year}"),
        subtitle=subtitle,
        has_record=primary is not None,
        intro=_intro(record, force.name),
        summary=_summary(record, force.name),
        grades=tuple(grade_of(record, a) for a in reported_areas(record)),
        areas=_areas(record, findings),
        other_findings=findings.get(None, ()),
        group=group,
        context=context,
        numbers=numbers,
        performance=performance,
        about=about,
        inspections=record.used_inspections(),
        progress=_progress(inputs, primary.id if primary is not None else None),
    )


__all__ = [
    "AreaView",
    "ForceReportInputs",
    "ForceReportView",
    "Series",
    "build_force_report",
    "choose_year",
    "computed_from",
]
