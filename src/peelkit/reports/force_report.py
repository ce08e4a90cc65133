"""The force report: one force's judgments, findings and figures in its framework's structure.

Judgments and findings come from the inspection record as stored (never derived or invented: a
missing judgment prints "Not available"); every figure computed from the statistics comes from
the indicator engine (``Workspace.indicators``), with the provenance the engine gives.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from peelkit.domain.findings import FindingKind
from peelkit.domain.frameworks import Area, Framework
from peelkit.domain.periods import Period
from peelkit.domain.years import normalise_year, start_year
from peelkit.errors import PeelkitError
from peelkit.frameworks import grade_scales, load_all, load_framework
from peelkit.indicators.catalogue import catalogue
from peelkit.reference import all_forces, resolve_force, territorial_forces
from peelkit.reports.model import (
    NOT_AVAILABLE,
    Block,
    Cell,
    Figure,
    Finding,
    FindingList,
    ForceReport,
    Grade,
    GradeLine,
    Paragraph,
    Row,
    Section,
    Table,
    css_token,
)

if TYPE_CHECKING:
    from peelkit.workspace import Workspace

KIND_LABELS = {
    FindingKind.CAUSE_OF_CONCERN.value: "Cause of concern",
    FindingKind.RECOMMENDATION.value: "Recommendation",
    FindingKind.AREA_FOR_IMPROVEMENT.value: "Area for improvement",
    FindingKind.STRENGTH.value: "Strength",
    FindingKind.GOOD_PRACTICE.value: "Good practice",
    FindingKind.FINDING.value: "Finding",
}
# Finding lists under an area, in the order the reports print them.
KIND_HEADINGS = (
    (FindingKind.CAUSE_OF_CONCERN.value, "Causes of concern"),
    (FindingKind.RECOMMENDATION.value, "Recommendations"),
    (FindingKind.AREA_FOR_IMPROVEMENT.value, "Areas for improvement"),
    (FindingKind.STRENGTH.value, "Strengths"),
    (FindingKind.GOOD_PRACTICE.value, "Good practice"),
    (FindingKind.FINDING.value, "Findings"),
)
STYLES = {"baseline-2005": "baseline", "peel-2015": "effectiveness", "peel-2016": "effectiveness"}
TREND_YEARS = 5
TREND_INDICATOR = "recorded_crime_per_1000"
RANKED_INDICATOR = "recorded_crime_per_1000"
# The 2005 Appendix 1 rows the engine can compute: indicator id -> how the table names it.
BASELINE_COMPUTED = {
    "domestic_burglary_per_1000_households": "domestic burglary per 1,000 households",
    "robbery_per_1000": "robberies per 1,000",
    "vehicle_crime_per_1000": "vehicle crime per 1,000",
}
REPORT_MEDIA_TYPES = ("text/plain", "application/pdf", "text/html")


# --- where things came from -------------------------------------------------------------------


def load_documents(ws: Workspace) -> dict[int, dict[str, Any]]:
    """Every source document of the record, by id (titles and checksums for provenance)."""
    return ws.documents()


def is_report_document(document: Mapping[str, Any] | None) -> bool:
    if document is None:
        return False
    filename = str(document.get("filename") or "")
    return document.get("media_type") in REPORT_MEDIA_TYPES and not filename.endswith(".csv")


def document_name(document: Mapping[str, Any]) -> str:
    return str(document.get("title") or document.get("filename") or f"document {document['id']}")


def _span(word: str, start: int | None, end: int | None) -> str | None:
    if start is None:
        return None
    if end is None or end == start:
        return f"{word} {start}"
    return f"{word}s {start}–{end}"


def describe_source(
    provenance: Mapping[str, Any],
    documents: Mapping[int, Mapping[str, Any]],
    inspection: Mapping[str, Any] | None = None,
) -> str:
    """ "<document title>, lines x–y", "entered by X", or what the inspection says."""
    document = documents.get(provenance.get("document") or -1)
    if document is not None:
        spans = [
            s
            for s in (
                _span("page", provenance.get("page_start"), provenance.get("page_end")),
                _span("line", provenance.get("line_start"), provenance.get("line_end")),
            )
            if s
        ]
        return ", ".join([document_name(document), *spans])
    if provenance.get("entered_by"):
        return f"entered by {provenance['entered_by']}"
    if inspection is not None:
        if inspection.get("entered_by"):
            return f"entered by {inspection['entered_by']} (inspection {inspection['id']})"
        return f"inspection {inspection['id']} (no source recorded)"
    return "no source recorded"


def describe_inspection(
    inspection: Mapping[str, Any], documents: Mapping[int, Mapping[str, Any]]
) -> str:
    document = documents.get(inspection.get("document") or -1)
    if document is not None:
        return f"{document_name(document)} (inspection {inspection['id']})"
    if inspection.get("title"):
        return f"{inspection['title']} (inspection {inspection['id']})"
    if inspection.get("entered_by"):
        return f"inspection {inspection['id']}, entered by {inspection['entered_by']}"
    return f"inspection {inspection['id']}"


# --- the record: judgments merged over a force's inspections ---------------------------------


@dataclass
class ForceRecord:
    """What the record holds for one force, framework and year, judgments merged."""

    force_id: str
    framework: Framework
    period: str
    inspections: list[dict[str, Any]]  # full inspections, the one with a report document first
    documents: Mapping[int, Mapping[str, Any]]
    judgments: dict[str, tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=dict)

    @property
    def primary(self) -> dict[str, Any] | None:
        return self.inspections[0] if self.inspections else None

    def used_inspections(self) -> tuple[int, ...]:
        used = {i["id"] for _, i in self.judgments.values()}
        used.update(i["id"] for i in self.inspections if i["findings"] or i["figures"])
        return tuple(i["id"] for i in self.inspections if i["id"] in used)


def choose_period(framework: Framework, period: str | None) -> str:
    return normalise_year(period) if period else framework.period


def force_record(
    ws: Workspace,
    force_id: str,
    framework: Framework,
    period: str,
    documents: Mapping[int, Mapping[str, Any]],
    summaries: Sequence[Mapping[str, Any]] | None = None,
) -> ForceRecord:
    """The force's inspections under the framework for the year, a report document's first;
    each area's judgment from the first inspection that has one with a grade (then, if none has
    a grade, the first that records the area at all)."""
    listed = summaries if summaries is not None else ws.inspections(force_id, framework.id)
    chosen = [
        s
        for s in listed
        if s["force"] == force_id and s["framework"] == framework.id and s["period"] == period
    ]
    full = [ws.inspection(s["id"]) for s in chosen]
    full.sort(key=lambda i: (not is_report_document(documents.get(i["document"] or -1)), i["id"]))
    record = ForceRecord(force_id, framework, period, full, documents)
    for inspection in full:
        for judgment in inspection["judgments"]:
            held = record.judgments.get(judgment["area"])
            if held is None or (held[0]["grade"] is None and judgment["grade"] is not None):
                record.judgments[judgment["area"]] = (judgment, inspection)
    return record


def grade_label(framework: Framework, grade_id: str | None, printed: str | None = None) -> str:
    if grade_id is None:
        return NOT_AVAILABLE
    scale = framework.grade_scale
    value = scale.find(grade_id) if scale is not None else None
    if value is None:
        for other in grade_scales().values():
            value = other.find(grade_id)
            if value is not None:
                break
    return value.label if value is not None else (printed or grade_id)


def grade_of(record: ForceRecord, area: Area) -> Grade:
    """The area's grade as the record holds it, or "Not available"."""
    spec = record.framework
    held = record.judgments.get(area.id)
    if held is None:
        return Grade(area.id, area.name, NOT_AVAILABLE, None, "no judgment in the record")
    judgment, inspection = held
    notes = []
    primary = record.primary
    if primary is not None and inspection["id"] != primary["id"]:
        notes.append(
            f"taken from {describe_inspection(inspection, record.documents)}: "
            f"{describe_inspection(primary, record.documents)} has no grade for this area"
        )
    if judgment["carried_over"]:
        notes.append("carried over from an earlier inspection")
    if judgment["previous_grade"]:
        notes.append(f"previously {grade_label(spec, judgment['previous_grade'])}")
    rationale = judgment.get("rationale")
    source = describe_source(judgment["provenance"], record.documents, inspection)
    if rationale and str(rationale).removeprefix("Source: ").startswith("http"):
        source = f"{source}; source page {str(rationale).removeprefix('Source: ')}"
    direction = None
    if judgment["direction"] is not None:
        scale = spec.direction_scale
        value = scale.find(judgment["direction"]) if scale is not None else None
        direction = value.label if value is not None else judgment["direction_as_printed"]
    return Grade(
        area_id=area.id,
        area_name=area.name,
        label=grade_label(spec, judgment["grade"], judgment["grade_as_printed"]),
        grade_id=judgment["grade"],
        source=source,
        direction=direction,
        year_last_inspected=judgment["year_last_inspected"],
        note="; ".join(notes) or None,
    )


def reported_areas(record: ForceRecord) -> list[Area]:
    """Graded areas, and ungraded ones with a judgment (Ungraded armed policing), in order."""
    return [a for a in record.framework.walk() if a.graded or a.id in record.judgments]


def graded_columns(framework: Framework) -> list[Area]:
    """The areas a one-line summary compares: graded pillars, else the top graded areas."""
    pillars = [a for a in framework.walk() if a.level == "pillar" and a.graded]
    if pillars:
        return pillars
    return [a for a in framework.walk() if a.graded and a.level in ("area", "question")]


# --- findings ----------------------------------------------------------------------------------


def _finding(
    item: Mapping[str, Any],
    record: ForceRecord,
    inspection: Mapping[str, Any],
    recommendations: tuple[Finding, ...] = (),
) -> Finding:
    return Finding(
        kind=item["kind"],
        kind_label=KIND_LABELS.get(item["kind"], item["kind"]),
        text=item["text"],
        source=describe_source(item["provenance"], record.documents, inspection),
        heading=item["heading"],
        lead_in=item["lead_in"],
        sub_items=tuple(item["sub_items"]),
        deadline=item["deadline"],
        recommendations=recommendations,
    )


def findings_by_area(record: ForceRecord) -> dict[str | None, dict[str, list[Finding]]]:
    """Findings of every inspection used, by area then kind; recommendations follow their
    cause of concern (and are listed on their own only when they have none)."""
    out: dict[str | None, dict[str, list[Finding]]] = {}
    for inspection in record.inspections:
        items = inspection["findings"]
        by_cause: dict[int, list[Finding]] = {}
        for item in items:
            if item["kind"] == FindingKind.RECOMMENDATION.value and item["cause_of_concern"]:
                by_cause.setdefault(item["cause_of_concern"], []).append(
                    _finding(item, record, inspection)
                )
        ids = {i["id"] for i in items}
        for item in items:
            is_recommendation = item["kind"] == FindingKind.RECOMMENDATION.value
            if is_recommendation and item["cause_of_concern"] in ids:
                continue  # printed under its cause of concern
            recommendations = tuple(by_cause.get(item["id"], ()))
            found = _finding(item, record, inspection, recommendations)
            out.setdefault(item["area"], {}).setdefault(item["kind"], []).append(found)
    return out


def finding_sections(kinds: Mapping[str, list[Finding]]) -> tuple[Section, ...]:
    return tuple(
        Section(heading, (FindingList(tuple(kinds[kind])),))
        for kind, heading in KIND_HEADINGS
        if kinds.get(kind)
    )


def area_section(
    area: Area,
    record: ForceRecord,
    findings: Mapping[str | None, Mapping[str, list[Finding]]],
    children: Sequence[Area] = (),
) -> Section:
    blocks: list[Block] = []
    if area.question:
        blocks.append(Paragraph(area.question, "question"))
    if area.graded or area.id in record.judgments:
        blocks.append(GradeLine(grade_of(record, area)))
    subsections = [*finding_sections(findings.get(area.id, {}))]
    subsections.extend(area_section(child, record, findings) for child in children)
    title = f"{area.code}: {area.name}" if area.code else area.name
    return Section(title, tuple(blocks), tuple(subsections), anchor=f"area-{css_token(area.id)}")


# --- indicators ----------------------------------------------------------------------------------


def indicator_period(framework: Framework, year: str) -> tuple[Period, int]:
    """The statistics period a report of this framework and year uses, and its population year.

    The 2005 baseline: the financial year, mid-year population of its first year. PEEL 2015 and
    2016: the 12 months to 30 June of the year, population of the year before (as the 2016
    report). Later PEEL: the 12 months to 30 September of the first year, its population.
    """
    first = start_year(year)
    style = STYLES.get(framework.id, "integrated")
    if style == "baseline":
        return Period.financial_year(f"{first}/{(first + 1) % 100:02d}"), first
    if style == "effectiveness":
        return Period.year_ending(first, 6), first - 1
    return Period.year_ending(first, 9), first


def engine_rows(
    ws: Workspace,
    period: Period,
    force: str | None,
    ids: Sequence[str],
    comparator: str,
    population_year: int,
) -> list[dict[str, Any]]:
    """The indicator engine's rows, exactly as ``peel indicators`` gives them."""
    return ws.indicators(
        period,
        force=force,
        indicator_ids=list(ids),
        comparator=comparator,
        population_year=population_year,
    )


def safe_indicators(
    ws: Workspace,
    period: Period,
    force: str | None,
    ids: Sequence[str],
    comparator: str,
    population_year: int,
) -> list[dict[str, Any]]:
    """Engine rows; for all forces an indicator without data gives no rows (not an error)."""
    if force is not None:
        return engine_rows(ws, period, force, ids, comparator, population_year)
    try:
        return engine_rows(ws, period, None, ids, comparator, population_year)
    except PeelkitError:
        pass
    rows: list[dict[str, Any]] = []
    for indicator_id in ids:
        try:
            rows.extend(engine_rows(ws, period, None, [indicator_id], comparator, population_year))
        except PeelkitError:
            continue
    return rows


def comparator_name(row: Mapping[str, Any]) -> str:
    if row.get("comparator") == "most_similar_group":
        return "Most similar group"
    if row.get("comparator") == "england_and_wales":
        return "England and Wales"
    return "Comparator"


def _rank_text(row: Mapping[str, Any]) -> str:
    if row.get("rank_display") and row.get("of"):
        return f"{row['rank_display']} of {row['of']}"
    return NOT_AVAILABLE


def indicator_table(
    caption: str, rows: Sequence[Mapping[str, Any]], force_label: str, comparator: str
) -> Table:
    """Force against a comparator, one row per indicator, numbers as the engine displays them."""
    out = []
    notes = []
    for row in rows:
        out.append(
            Row(
                (
                    Cell(row["label"], header=True),
                    Cell(row["period"]),
                    Cell(row["unit"]),
                    Cell(row["display"] or NOT_AVAILABLE, css="value"),
                    Cell(row["comparator_display"] or NOT_AVAILABLE, css="value"),
                    Cell(_rank_text(row)),
                    Cell(row["band"] or NOT_AVAILABLE),
                ),
                kind="computed",
            )
        )
        if row.get("missing"):
            what = "not available" if row["display"] is None else "comparator not available"
            notes.append(f"{row['label']}: {what} ({row['missing']}).")
        if row.get("note"):
            notes.append(f"{row['label']}: {row['note']}")
    years = sorted({r["population_year"] for r in rows if r.get("population_year")})
    if years:
        notes.append(
            "Rates use the ONS mid-year population estimate for "
            + ", ".join(f"mid-{y}" for y in years)
            + "."
        )
    notes.append("Rank: 1 is the best of the forces with data; = marks a tie.")
    return Table(
        caption,
        (
            "Measure",
            "Period",
            "Unit",
            force_label,
            comparator,
            "Rank",
            "Compared with other forces",
        ),
        tuple(out),
        tuple(notes),
        css="figures",
    )


@dataclass
class DataUse:
    """The statistics rows a report printed, for the About the data annex."""

    rows: list[dict[str, Any]] = field(default_factory=list)

    def add(self, rows: Iterable[dict[str, Any]]) -> None:
        self.rows.extend(rows)


def publications_of(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    for row in rows:
        for source in row.get("provenance") or []:
            key = source.get("sha256") or source.get("file") or ""
            if key and key not in seen:
                seen[key] = {
                    k: source.get(k) for k in ("publisher", "title", "release", "file", "sha256")
                }
    return sorted(seen.values(), key=lambda s: (str(s["publisher"]), str(s["title"])))


def computed_from(rows: Iterable[Mapping[str, Any]]) -> str:
    titles = [f"{p['title']} ({p['release']})" for p in publications_of(rows)]
    return "computed from " + ("; ".join(titles) if titles else "the statistics (no figures)")


def about_the_data(
    ws: Workspace,
    used: DataUse,
    record: ForceRecord | None,
    documents: Mapping[int, Mapping[str, Any]],
) -> Section:
    """The annex: the publications every figure came from, population years and caveats."""
    sections: list[Section] = []
    publications = publications_of(used.rows)
    if publications:
        table_rows = tuple(
            Row(
                (
                    Cell(str(p["title"]), header=True),
                    Cell(str(p["publisher"])),
                    Cell(str(p["release"])),
                    Cell(str(p["file"])),
                    Cell(str(p["sha256"]), css="checksum"),
                )
            )
            for p in publications
        )
        sections.append(
            Section(
                "Publications",
                (
                    Table(
                        "Official statistics the figures in this report were computed from",
                        ("Publication", "Publisher", "Release", "File", "SHA-256"),
                        table_rows,
                        css="sources",
                    ),
                ),
            )
        )
    caveats: list[str] = []
    years = sorted({r["population_year"] for r in used.rows if r.get("population_year")})
    if years:
        caveats.append(
            "Rates per 1,000 population use the ONS mid-year population estimate for "
            + ", ".join(f"mid-{y}" for y in years)
            + "; households use the household estimates of the same publication."
        )
    excluded = [f.name for f in all_forces() if not f.in_england_and_wales_totals]
    if excluded:
        caveats.append(
            f"England and Wales figures are the 43 territorial forces pooled (the sum of their "
            f"counts over the sum of their populations); {', '.join(excluded)} is excluded."
        )
    caveats.append(
        "Most similar group figures are pooled over the group including the force itself."
    )
    territorial = len(territorial_forces())
    fewer = []
    for row in used.rows:
        forces = row.get("comparator_forces") or []
        if row.get("comparator") == "england_and_wales" and 0 < len(forces) < territorial:
            fewer.append(
                f"England and Wales {row['label'].lower()} ({row['period']}) was computed over "
                f"{len(forces)} of {territorial} forces."
            )
        if row.get("note"):
            fewer.append(f"{row['label']} ({row['period']}): {row['note']}")
    caveats.extend(dict.fromkeys(fewer))
    files = {p["file"] for p in publications}
    revised = [
        p
        for p in ws.statistics_problems()
        if p.get("code") == "revised_between_releases" and p.get("file") in files
    ]
    caveats.append(
        "Each figure comes from the latest release of its publication; later releases revise "
        "earlier figures, so a figure here can differ from the one a report printed at the time"
        + (
            f" ({len(revised)} figures of these files were revised between releases)."
            if revised
            else "."
        )
    )
    missing = [r for r in used.rows if r.get("missing")]
    if missing:
        caveats.append(
            f"{len(missing)} figures are not available from the statistics held and print as "
            f'"{NOT_AVAILABLE}".'
        )
    sections.append(
        Section("Caveats", tuple(Paragraph(c) for c in caveats)),
    )
    if record is not None:
        judged = []
        for inspection in record.inspections:
            document = documents.get(inspection.get("document") or -1)
            judged.append(
                Row(
                    (
                        Cell(describe_inspection(inspection, documents), header=True),
                        Cell(str(document.get("filename") or "") if document else "—"),
                        Cell(str(document.get("published") or "") if document else "—"),
                        Cell(
                            str(document.get("sha256") or "") if document else "—", css="checksum"
                        ),
                        Cell(str(inspection.get("entered_by") or "—")),
                    )
                )
            )
        if judged:
            sections.append(
                Section(
                    "Sources of the judgments and findings",
                    (
                        Table(
                            "Inspections this report took judgments and findings from, in the "
                            "order they were used",
                            ("Inspection", "File", "Published", "SHA-256", "Entered by"),
                            tuple(judged),
                            css="sources",
                        ),
                    ),
                )
            )
    intro = Paragraph(
        "Figures marked as computed were calculated by peelkit's indicator engine from the "
        "official statistics listed below; figures marked as imported are printed as the "
        "inspection report printed them."
    )
    return Section("About the data", (intro,), tuple(sections), anchor="about-the-data")


# --- summary tables -------------------------------------------------------------------------------


def grade_cell(grade: Grade, force_id: str | None = None) -> Cell:
    text = grade.label
    return Cell(text, css=grade.css, area=grade.area_id, force=force_id)


def summary_table(caption: str, grades: Sequence[tuple[Area, Grade]], force_id: str) -> Table:
    rows = []
    directions = any(area.direction for area, _ in grades)
    last = any(g.year_last_inspected for _, g in grades)
    for area, grade in grades:
        cells = [Cell(area.name if not area.code else f"{area.code} {area.name}", header=True)]
        cells.append(grade_cell(grade, force_id))
        if directions:
            cells.append(Cell(grade.direction or (NOT_AVAILABLE if area.direction else "—")))
        if last:
            cells.append(Cell(grade.year_last_inspected or "—"))
        source = grade.source + (f" ({grade.note})" if grade.note else "")
        cells.append(Cell(source, css="source"))
        rows.append(Row(tuple(cells)))
    columns = ["Area", "Grade"]
    if directions:
        columns.append("Direction of travel")
    if last:
        columns.append("Last inspected")
    columns.append("Source")
    return Table(caption, tuple(columns), tuple(rows), css="grades")


# --- most similar group comparison ------------------------------------------------------------


def _earlier_peel(framework: Framework) -> list[Framework]:
    frameworks = load_all()
    index = next(i for i, f in enumerate(frameworks) if f.id == framework.id)
    return [
        f
        for f in reversed(frameworks[:index])
        if f.programme == framework.programme and f.grade_scale is not None
    ]


def group_comparison(
    ws: Workspace,
    record: ForceRecord,
    force_name: str,
    documents: Mapping[int, Mapping[str, Any]],
) -> Section:
    """The figure of the force's pillar grades beside each most-similar-group force's."""
    from peelkit.reports.charts import grade_comparison_chart

    framework = record.framework
    pillars = graded_columns(framework)
    groups = ws.groups(record.force_id, record.period)
    if not groups:
        reason = ws.no_group_reason(record.force_id) or "the record holds no group for the year"
        return Section(
            "Grades compared with the most similar group",
            (Paragraph(f"No most similar group: {reason}."),),
            anchor="group-grades",
        )
    group = groups[0]
    cells: dict[tuple[str, str], tuple[str | None, str | None]] = {}
    names = [force_name]
    for area in pillars:
        grade = grade_of(record, area)
        cells[(force_name, area.name)] = (grade.label if grade.available else None, None)
    notes = []
    for peer_id in group.peers:
        peer = resolve_force(peer_id)
        names.append(peer.name)
        peer_record = force_record(ws, peer.id, framework, record.period, documents)
        used_framework = framework
        if not peer_record.judgments:
            for earlier in _earlier_peel(framework):
                earlier_listed = ws.inspections(peer.id, earlier.id)
                if earlier_listed:
                    latest = max(earlier_listed, key=lambda s: (start_year(s["period"]), s["id"]))
                    peer_record = force_record(
                        ws, peer.id, earlier, latest["period"], documents, earlier_listed
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
            if held is not None and held[0]["grade"] is not None:
                label = grade_label(used_framework, held[0]["grade"], held[0]["grade_as_printed"])
            cells[(peer.name, area.name)] = (label, note)
        if used_framework.id != framework.id:
            notes.append(
                f"{peer.name} has no judgments under {framework.title} in the record; its grades "
                f"are its previous judgments, from {used_framework.title} ({peer_record.period})."
            )
        elif not peer_record.judgments:
            notes.append(f"{peer.name}: no judgments in the record ({NOT_AVAILABLE}).")
    scale = tuple(g.label for g in framework.grade_scale.grades) if framework.grade_scale else ()
    chart = grade_comparison_chart(
        f"{force_name} and its most similar group: {framework.title} grades",
        names,
        [a.name for a in pillars],
        cells,
        scale,
    )
    blocks: list[Block] = [
        Paragraph(
            f"The most similar group of {force_name} ({group.year}): "
            + ", ".join(resolve_force(p).name for p in group.peers)
            + f". Source: {group.source}."
        ),
        Figure(chart),
    ]
    blocks.extend(Paragraph(n, "note") for n in notes)
    return Section(
        "Grades compared with the most similar group", tuple(blocks), anchor="group-grades"
    )


# --- Force in context ---------------------------------------------------------------------------


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
    ws: Workspace, force_id: str, force_name: str, framework: Framework, year: str, used: DataUse
) -> Section:
    from peelkit.reports.charts import trend_chart

    period, population_year = indicator_period(framework, year)
    crime_ids = _crime_rate_ids()
    workforce = _workforce_ids()
    other_ids = [i for i in catalogue().indicators if i not in crime_ids and i not in workforce]
    everyone = safe_indicators(ws, period, None, crime_ids, "msg", population_year)
    mine_msg = [r for r in everyone if r["force"] == force_id]
    if not mine_msg:
        mine_msg = safe_indicators(ws, period, force_id, crime_ids, "msg", population_year)
    mine_ew = safe_indicators(
        ws, period, force_id, [RANKED_INDICATOR, *other_ids, *workforce], "ew", population_year
    )
    used.add(mine_msg)
    used.add(mine_ew)
    ew_by_id = {r["indicator"]: r for r in mine_ew}
    msg_label = "Most similar group"
    if mine_msg and all(r["comparator"] != "most_similar_group" for r in mine_msg):
        msg_label = comparator_name(mine_msg[0])
    blocks: list[Block] = [
        Paragraph(
            f"Figures for the {period.label()}, computed by the indicator engine from the "
            f"official statistics (population: mid-{population_year} estimates)."
        ),
        indicator_table(
            "Recorded crime per 1,000 population, against the most similar group",
            mine_msg,
            force_name,
            msg_label,
        ),
        indicator_table(
            "Change in recorded crime and anti-social behaviour, against England and Wales",
            [ew_by_id[i] for i in other_ids if i in ew_by_id],
            force_name,
            "England and Wales",
        ),
        indicator_table(
            "Workforce, against England and Wales",
            [ew_by_id[i] for i in workforce if i in ew_by_id],
            force_name,
            "England and Wales",
        ),
    ]
    ranked = [r for r in everyone if r["indicator"] == RANKED_INDICATOR]
    mine = next((r for r in mine_msg if r["indicator"] == RANKED_INDICATOR), None)
    ew = ew_by_id.get(RANKED_INDICATOR)
    figure = ranked_figure(force_id, force_name, ranked, mine, ew)
    if figure is not None:
        blocks.append(figure)
    trend = trend_series(ws, force_id, force_name, period, population_year, mine, ew, used)
    if trend is not None:
        periods, series, unit, label = trend
        blocks.append(
            Figure(
                trend_chart(
                    f"{label}: {force_name}, its most similar group and England and Wales",
                    periods,
                    series,
                    unit,
                    highlight=force_name,
                )
            )
        )
    return Section("Force in context", tuple(blocks), anchor="force-in-context")


def ranked_figure(
    force_id: str,
    force_name: str,
    ranked: Sequence[Mapping[str, Any]],
    mine: Mapping[str, Any] | None,
    ew: Mapping[str, Any] | None,
) -> Figure | None:
    """The ranked ("ski slope") chart of every force with this force highlighted and the
    England and Wales and most similar group values marked."""
    from peelkit.reports.charts import ranked_bar_chart

    if not ranked or mine is None:
        return None
    names = {f.id: f.short_name for f in all_forces()}
    references = []
    if ew and ew.get("comparator_value") is not None:
        references.append(("England and Wales", ew["comparator_value"], ew["comparator_display"]))
    if mine.get("comparator_value") is not None and mine["comparator"] == "most_similar_group":
        references.append(
            ("Most similar group", mine["comparator_value"], mine["comparator_display"])
        )
    ordered = sorted(ranked, key=lambda r: (r["value"] is None, r["value"] or 0.0))
    return Figure(
        ranked_bar_chart(
            f"{mine['label']}, {mine['period']}: every force",
            [(names.get(r["force"], r["force"]), r["value"], r["display"] or "") for r in ordered],
            names.get(force_id, force_name),
            references,
            str(mine["unit"]),
            ranks={
                names.get(r["force"], r["force"]): r["rank_display"]
                for r in ordered
                if r["rank_display"]
            },
        )
    )


def trend_series(
    ws: Workspace,
    force_id: str,
    force_name: str,
    period: Period,
    population_year: int,
    current_msg: Mapping[str, Any] | None,
    current_ew: Mapping[str, Any] | None,
    used: DataUse,
) -> tuple[list[str], list[tuple[str, list[float | None]]], str, str] | None:
    """Five years of the trend indicator: the force, its group and England and Wales."""
    if current_msg is None or current_ew is None:
        return None
    force_values: list[float | None] = []
    group_values: list[float | None] = []
    ew_values: list[float | None] = []
    labels = []
    for back in range(TREND_YEARS - 1, -1, -1):
        when = period.shifted(-back)
        year = population_year - back
        if back == 0:
            msg_row, ew_row = current_msg, current_ew
        else:
            msg_rows = safe_indicators(ws, when, force_id, [TREND_INDICATOR], "msg", year)
            ew_rows = safe_indicators(ws, when, force_id, [TREND_INDICATOR], "ew", year)
            used.add(msg_rows)
            used.add(ew_rows)
            msg_row, ew_row = msg_rows[0], ew_rows[0]
        labels.append(when.label())
        force_values.append(msg_row["value"])
        group_values.append(
            msg_row["comparator_value"] if msg_row["comparator"] == "most_similar_group" else None
        )
        ew_values.append(ew_row["comparator_value"])
    series: list[tuple[str, list[float | None]]] = [(force_name, force_values)]
    if any(v is not None for v in group_values):
        series.append(("Most similar group", group_values))
    series.append(("England and Wales", ew_values))
    return labels, series, str(current_msg["unit"]), str(current_msg["label"])


# --- the three styles -----------------------------------------------------------------------


def _intro(record: ForceRecord, force_name: str) -> list[Block]:
    primary = record.primary
    blocks: list[Block] = []
    if primary is None:
        blocks.append(
            Paragraph(
                f"The record holds no inspection of {force_name} under "
                f"{record.framework.title} for {record.period}: every grade prints as "
                f'"{NOT_AVAILABLE}".',
                "note",
            )
        )
        return blocks
    blocks.append(
        Paragraph(
            f"Judgments and findings are taken from "
            f"{describe_inspection(primary, record.documents)}"
            + (
                "; areas it does not grade are filled from "
                + "; ".join(
                    describe_inspection(i, record.documents) for i in record.inspections[1:]
                )
                if len(record.inspections) > 1
                else ""
            )
            + ". Each grade and finding says where it came from."
        )
    )
    return blocks


def _integrated(
    ws: Workspace, record: ForceRecord, force_id: str, force_name: str, used: DataUse
) -> list[Section]:
    framework = record.framework
    findings = findings_by_area(record)
    top = [a for a in framework.areas]
    summary: list[tuple[Area, Grade]] = []
    for area in framework.walk():
        if area.graded or area.id in record.judgments:
            summary.append((area, grade_of(record, area)))
    sections = [
        Section(
            "Overall summary",
            (
                *_intro(record, force_name),
                summary_table(f"{force_name}: {framework.title} grades", summary, force_id),
            ),
            anchor="summary",
        ),
        group_comparison(ws, record, force_name, record.documents),
        force_in_context(ws, force_id, force_name, framework, record.period, used),
    ]
    for area in top:
        children = [c for c in area.children]
        sections.append(area_section(area, record, findings, children))
    general = findings.get(None)
    if general:
        sections.append(Section("Other findings", (), finding_sections(general)))
    return sections


def _effectiveness(
    ws: Workspace, record: ForceRecord, force_id: str, force_name: str, used: DataUse
) -> list[Section]:
    framework = record.framework
    findings = findings_by_area(record)
    summary = [(a, grade_of(record, a)) for a in reported_areas(record)]
    inspected_pillars = {
        a.id
        for a in framework.areas
        if a.id in record.judgments or any(c.id in record.judgments for c in a.walk())
    }
    sections = [
        Section(
            "Overall summary",
            (
                *_intro(record, force_name),
                summary_table(f"{force_name}: overall and question grades", summary, force_id),
            ),
            anchor="summary",
        ),
        force_in_numbers(ws, record, force_id, force_name, used),
    ]
    for pillar in framework.areas:
        if pillar.id not in inspected_pillars and not findings.get(pillar.id):
            continue
        questions = [q for q in pillar.children if q.level == "question"]
        sections.append(area_section(pillar, record, findings, questions))
    general = findings.get(None)
    if general:
        sections.append(Section("Other findings", (), finding_sections(general)))
    return sections


def imported_figures_table(
    caption: str, figures: Sequence[Mapping[str, Any]], record: ForceRecord, force_name: str
) -> Table:
    rows = []
    primary = record.primary
    for figure in figures:
        rows.append(
            Row(
                (
                    Cell(figure["measure"], header=True),
                    Cell(figure["period"] or "—"),
                    Cell(figure["unit"] or "—"),
                    Cell(figure["force_value_as_printed"] or NOT_AVAILABLE, css="value"),
                    Cell(
                        (figure["comparator_label"] or "")
                        + (": " if figure["comparator_label"] else "")
                        + (figure["comparator_value_as_printed"] or NOT_AVAILABLE),
                        css="value",
                    ),
                    Cell(describe_source(figure["provenance"], record.documents, primary)),
                ),
                origin="imported",
                kind="imported",
            )
        )
    return Table(
        caption,
        ("Measure", "Period", "Unit", force_name, "Comparator", "Source"),
        tuple(rows),
        ("Imported: printed exactly as the inspection report printed them.",),
        css="figures",
    )


def force_in_numbers(
    ws: Workspace, record: ForceRecord, force_id: str, force_name: str, used: DataUse
) -> Section:
    period, population_year = indicator_period(record.framework, record.period)
    figures = [f for i in record.inspections for f in i["figures"]]
    blocks: list[Block] = []
    if figures:
        blocks.append(
            imported_figures_table(
                "Force in numbers as the report printed it", figures, record, force_name
            )
        )
    else:
        blocks.append(Paragraph("The record holds no printed figures for this inspection."))
    rows = safe_indicators(
        ws, period, force_id, list(catalogue().indicators), "ew", population_year
    )
    used.add(rows)
    everyone = safe_indicators(ws, period, None, [RANKED_INDICATOR], "msg", population_year)
    mine = next((r for r in everyone if r["force"] == force_id), None)
    ew = next((r for r in rows if r["indicator"] == RANKED_INDICATOR), None)
    if mine is not None:
        used.add([mine])
    figure = ranked_figure(force_id, force_name, everyone, mine, ew)
    blocks.append(
        indicator_table(
            f"Force in numbers computed from the statistics, {period.label()}",
            rows,
            force_name,
            "England and Wales",
        )
    )
    if figure is not None:
        blocks.append(figure)
    return Section("Force in numbers", tuple(blocks), anchor="force-in-numbers")


def _baseline(
    ws: Workspace, record: ForceRecord, force_id: str, force_name: str, used: DataUse
) -> list[Section]:
    framework = record.framework
    findings = findings_by_area(record)
    summary_tables: list[Block] = list(_intro(record, force_name))
    for domain in framework.areas:
        graded = [(a, grade_of(record, a)) for a in domain.walk() if a.graded]
        if graded:
            summary_tables.append(
                summary_table(f"Domain {domain.code or domain.id}: {domain.name}", graded, force_id)
            )
    sections = [Section("Summary of judgements", tuple(summary_tables), anchor="summary")]
    for domain in framework.areas:
        sections.append(
            Section(
                f"Domain {domain.code or domain.id}: {domain.name}",
                (),
                tuple(area_section(a, record, findings) for a in domain.children),
                anchor=f"domain-{css_token(domain.id)}",
            )
        )
    sections.append(performance_tables(ws, record, force_id, used))
    general = findings.get(None)
    if general:
        sections.append(Section("Other findings", (), finding_sections(general)))
    return sections


def _cell(cell: Mapping[str, Any] | None) -> str:
    printed = (cell or {}).get("printed")
    return str(printed) if printed not in (None, "") else "*"


def _year_label(period: Period) -> str:
    return period.label()


def performance_tables(ws: Workspace, record: ForceRecord, force_id: str, used: DataUse) -> Section:
    """The Appendix 1 tables: imported rows as printed, and rows the engine computes."""
    period, population_year = indicator_period(record.framework, record.period)
    previous = period.shifted(-1)
    computed = computed_performance_rows(ws, force_id, period, population_year, used)
    rows_by_table: dict[str, list[Row]] = {}
    order: list[str] = []
    placed: set[str] = set()
    primary = record.primary
    for inspection in record.inspections:
        for item in inspection["performance_table"]:
            table = item["table"]
            if table not in rows_by_table:
                rows_by_table[table] = []
                order.append(table)
            source = describe_source(item["provenance"], record.documents, primary)
            rows_by_table[table].append(
                Row(
                    (
                        Cell(item["indicator"], header=True),
                        Cell(_cell(item["previous"]), css="value"),
                        Cell(_cell(item["current"]), css="value"),
                        Cell(_cell(item["change"]), css="value"),
                        Cell(_cell(item["msf_average"]), css="value"),
                        Cell(_cell(item["msf_rank"]), css="value"),
                        Cell(_cell(item["national_average"]), css="value"),
                        Cell(_cell(item["national_rank"]), css="value"),
                        Cell(f"imported from {source}", css="source"),
                    ),
                    origin=f"imported from {source}",
                    kind="imported",
                )
            )
            folded = item["indicator"].lower()
            for indicator_id, row in computed.items():
                if folded.startswith(BASELINE_COMPUTED[indicator_id]):
                    rows_by_table[table].append(row)
                    placed.add(indicator_id)
    columns = (
        "Indicator",
        _year_label(previous),
        _year_label(period),
        "Change",
        "MSF average",
        "MSF rank",
        "National average",
        "National rank",
        "Origin",
    )
    tables: list[Block] = [
        Paragraph(
            "Rows imported from the report print each cell as the report printed it (* where "
            "the figure was not available). Rows marked computed were calculated by the "
            "indicator engine from the official statistics: the most similar forces average is "
            "pooled over the group including the force; change is in percent."
        )
    ]
    for table in order:
        tables.append(Table(table, columns, tuple(rows_by_table[table]), css="performance"))
    rest = [row for i, row in computed.items() if i not in placed]
    if rest:
        tables.append(
            Table("Computed from the statistics", columns, tuple(rest), css="performance")
        )
    if not order and not rest:
        tables.append(Paragraph("The record holds no performance tables for this inspection."))
    return Section("Appendix 1: performance tables", tuple(tables), anchor="performance-tables")


def computed_performance_rows(
    ws: Workspace, force_id: str, period: Period, population_year: int, used: DataUse
) -> dict[str, Row]:
    from peelkit.indicators.rounding import display

    ids = list(BASELINE_COMPUTED)
    everyone = safe_indicators(ws, period, None, ids, "msg", population_year)
    current = {r["indicator"]: r for r in everyone if r["force"] == force_id}
    ew = {
        r["indicator"]: r for r in safe_indicators(ws, period, force_id, ids, "ew", population_year)
    }
    before = {
        r["indicator"]: r
        for r in safe_indicators(ws, period.shifted(-1), force_id, ids, "ew", population_year - 1)
    }
    used.add(current.values())
    used.add(ew.values())
    used.add(before.values())
    out: dict[str, Row] = {}
    from decimal import Decimal

    for indicator_id in ids:
        row = current.get(indicator_id)
        if row is None or row["value"] is None:
            continue
        previous = before.get(indicator_id)
        change = "*"
        if previous is not None and previous["value"]:
            delta = (Decimal(str(row["value"])) / Decimal(str(previous["value"])) - 1) * 100
            change = f"{display(delta, 1)}%"
        msf_rank = "*"
        group = row.get("comparator_forces") or []
        if row["comparator"] == "most_similar_group" and group and row["rank"] is not None:
            ranks = [
                r["rank"]
                for r in everyone
                if r["indicator"] == indicator_id and r["force"] in group and r["rank"] is not None
            ]
            position = 1 + sum(1 for rank in ranks if rank < row["rank"])
            tied = sum(1 for rank in ranks if rank == row["rank"]) > 1
            msf_rank = f"{position}{'=' if tied else ''} out of {len(ranks)}"
        national = ew.get(indicator_id)
        rows_used = [r for r in (row, national, previous) if r is not None]
        origin = computed_from(rows_used)
        out[indicator_id] = Row(
            (
                Cell(f"{row['label']} ({row['period']})", header=True),
                Cell((previous or {}).get("display") or "*", css="value"),
                Cell(row["display"] or "*", css="value"),
                Cell(change, css="value"),
                Cell(
                    row["comparator_display"] or "*"
                    if row["comparator"] == "most_similar_group"
                    else "*",
                    css="value",
                ),
                Cell(msf_rank, css="value"),
                Cell((national or {}).get("comparator_display") or "*", css="value"),
                Cell(
                    f"{row['rank_display']} out of {row['of']}" if row["rank"] else "*", css="value"
                ),
                Cell(origin, css="source"),
            ),
            origin=origin,
            kind="computed",
        )
    return out


# --- the report -------------------------------------------------------------------------------


def build_force_report(
    ws: Workspace, force: str, framework: str, period: str | None = None
) -> ForceReport:
    """The report of one force under one framework and year, from the record and the engine."""
    spec = load_framework(framework)
    resolved = resolve_force(force)
    year = choose_period(spec, period)
    documents = load_documents(ws)
    record = force_record(ws, resolved.id, spec, year, documents)
    style = STYLES.get(spec.id, "integrated")
    used = DataUse()
    if style == "baseline":
        sections = _baseline(ws, record, resolved.id, resolved.name, used)
    elif style == "effectiveness":
        sections = _effectiveness(ws, record, resolved.id, resolved.name, used)
    else:
        sections = _integrated(ws, record, resolved.id, resolved.name, used)
    sections.append(about_the_data(ws, used, record, documents))
    grades = tuple(grade_of(record, a) for a in reported_areas(record))
    primary = record.primary
    subtitle = spec.title if year in spec.title else f"{spec.title}, {year}"
    if primary is not None and primary.get("published"):
        subtitle += f" (published {primary['published']})"
    return ForceReport(
        force_id=resolved.id,
        force_name=resolved.name,
        framework_id=spec.id,
        framework_title=spec.title,
        period=year,
        title=f"{resolved.name}: {spec.title}" + ("" if year in spec.title else f" {year}"),
        subtitle=subtitle,
        sections=tuple(sections),
        grades=grades,
        inspections=record.used_inspections(),
        style=style,
    )
