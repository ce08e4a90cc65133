"""The open data: the public record and the indicators as tables (forces, inspections, grades,
findings, indicators, most similar groups) plus the whole record as ``peel export`` writes it.

Each table is declared once (:data:`TABLES`): its fields with type, description and the
constraints that hold, its primary key and foreign keys. The CSV files, the Frictionless
``datapackage.json`` (``peelkit.opendata``) and the data dictionary in docs/open-data.md come
from these declarations; the rows come from the record's views and the indicator engine.

Only public inspections are here: the workspace loads them with ``public_at`` (published, out
of embargo at that time), so nothing else can reach a file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from peelkit.domain.findings import FindingKind
from peelkit.domain.forces import Force, MostSimilarGroup
from peelkit.domain.frameworks import Framework
from peelkit.domain.periods import Period
from peelkit.indicators.catalogue import COMPARATORS, Indicator
from peelkit.views.force_record import grade_label
from peelkit.views.indicators import IndicatorQuery, IndicatorRow
from peelkit.views.inspections import DocumentView, InspectionView, ProvenanceView
from peelkit.views.provenance import describe_source

FieldType = Literal["string", "integer", "number", "boolean", "date", "datetime"]
Cell = str | int | float | bool | None
# How a cell holding several values (peers, comparator forces, sources) separates them.
LIST_SEPARATOR = ";"
FORCE_ID_PATTERN = "[a-z][a-z0-9-]*"
FORCE_LIST_PATTERN = f"{FORCE_ID_PATTERN}(;{FORCE_ID_PATTERN})*"
SHA256_PATTERN = "[0-9a-f]{64}"
BANDS = ("one of the highest", "broadly in line", "one of the lowest")


@dataclass(frozen=True)
class FieldSpec:
    """One column: its name, Frictionless type, meaning and the constraints that hold."""

    name: str
    type: FieldType
    description: str
    required: bool = False
    unique: bool = False
    enum: tuple[str, ...] = ()
    pattern: str | None = None
    minimum: int | None = None


@dataclass(frozen=True)
class ForeignKey:
    """Values of ``fields`` are values of ``reference_fields`` of table ``table`` (itself when
    ``table`` is the table's own name)."""

    fields: tuple[str, ...]
    table: str
    reference_fields: tuple[str, ...]


@dataclass(frozen=True)
class TableSpec:
    name: str  # the resource name; the file is ``<name>.csv``
    title: str
    description: str
    fields: tuple[FieldSpec, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)


def _f(name: str, type_: FieldType, description: str, **constraints: Any) -> FieldSpec:
    return FieldSpec(name, type_, description, **constraints)


def _force_fields(described: str = "The force") -> tuple[FieldSpec, ...]:
    return (
        _f("force", "string", f"{described}: its id (forces.csv).", required=True,
           pattern=FORCE_ID_PATTERN),
        _f("force_name", "string", f"{described}: its name.", required=True),
    )  # fmt: skip


def _source_fields(what: str) -> tuple[FieldSpec, ...]:
    return (
        _f("source", "string", f"Where the {what} came from, in words: the document and its "
           "lines or pages, or who entered it.", required=True),
        _f("document", "integer", "The source document's id (record.json documents).",
           minimum=1),
        _f("document_title", "string", "The source document's title, else its file name."),
        _f("line_start", "integer", "First line of the document it was read from.", minimum=1),
        _f("line_end", "integer", "Last line of the document it was read from.", minimum=1),
        _f("page_start", "integer", "First page of the document it was read from.", minimum=1),
        _f("page_end", "integer", "Last page of the document it was read from.", minimum=1),
    )  # fmt: skip


_FORCE_KEY = ForeignKey(("force",), "forces", ("id",))
_INSPECTION_KEY = ForeignKey(("inspection",), "inspections", ("id",))

FORCES = TableSpec(
    name="forces",
    title="Forces",
    description="The 43 territorial police forces of England and Wales and British Transport "
    "Police, with their ONS police force area codes and regions.",
    fields=(
        _f("id", "string", "The force's id, used by every other file.", required=True,
           unique=True, pattern=FORCE_ID_PATTERN),
        _f("name", "string", "The force's name.", required=True, unique=True),
        _f("short_name", "string", "The name reports use for short.", required=True),
        _f("ons_code", "string", "ONS police force area code (none for British Transport "
           "Police).", unique=True, pattern="[EW][0-9]{8}"),
        _f("region", "string", "Region (Wales for the Welsh forces)."),
        _f("country", "string", "England, Wales, or Great Britain for British Transport Police.",
           required=True),
        _f("territorial", "boolean", "A territorial force (false for British Transport "
           "Police).", required=True),
        _f("in_england_and_wales_totals", "boolean", "Counted in England and Wales figures.",
           required=True),
    ),
    primary_key=("id",),
)  # fmt: skip

INSPECTIONS = TableSpec(
    name="inspections",
    title="Inspections",
    description="Every public inspection (published, out of embargo): one per force, "
    "framework and period.",
    fields=(
        _f("id", "integer", "The inspection's id (as in record.json and the API).",
           required=True, unique=True, minimum=1),
        *_force_fields(),
        _f("framework", "string", "The inspection framework's id (peel frameworks).",
           required=True),
        _f("framework_title", "string", "The framework's title.", required=True),
        _f("period", "string", "The assessment year, e.g. 2018/19.", required=True),
        _f("title", "string", "The inspection's title."),
        _f("status", "string", "The inspection's status (only published ones are public).",
           required=True, enum=("published",)),
        _f("published", "date", "The date the report was published."),
        _f("embargo_until", "datetime", "The time (UTC) the embargo ended, if it had one."),
        _f("document", "integer", "The report document's id (record.json documents).",
           minimum=1),
        _f("document_title", "string", "The report document's title, else its file name."),
        _f("document_sha256", "string", "SHA-256 checksum of the report document.",
           pattern=SHA256_PATTERN),
        _f("judgments", "integer", "How many graded judgments the inspection shows (grades.csv).",
           required=True, minimum=0),
        _f("findings", "integer", "How many findings it holds (findings.csv).", required=True,
           minimum=0),
    ),
    primary_key=("id",),
    foreign_keys=(_FORCE_KEY,),
)  # fmt: skip

GRADES = TableSpec(
    name="grades",
    title="Grades",
    description="Every graded judgment the public inspections show, one per inspection and "
    "area, as entered or imported (never derived), with its source.",
    fields=(
        _f("id", "integer", "The judgment's id.", required=True, unique=True, minimum=1),
        _f("inspection", "integer", "The inspection's id (inspections.csv).", required=True,
           minimum=1),
        *_force_fields(),
        _f("framework", "string", "The inspection framework's id.", required=True),
        _f("period", "string", "The assessment year, e.g. 2018/19.", required=True),
        _f("area", "string", "The area's id in the framework (peel frameworks ID).",
           required=True),
        _f("area_name", "string", "The area's name.", required=True),
        _f("level", "string", "The area's level in the framework: overall, pillar, question, "
           "component, domain, area...", required=True),
        _f("grade", "string", "The grade's id on the framework's scale (empty: not available)."),
        _f("grade_label", "string", "The grade as the scale names it."),
        _f("grade_as_printed", "string", "The grade as the source printed it."),
        _f("direction", "string", "Direction of travel, where the framework has one (2005)."),
        _f("carried_over", "boolean", "The grade was carried over from an earlier year.",
           required=True),
        _f("read_from", "string", "Where an imported report printed the grade: box (on its "
           "own: a grade box, line or table cell) or sentence (stated in a summary sentence or "
           "a press release); empty for hand entries, tables and older imports.",
           enum=("box", "sentence")),
        *_source_fields("grade"),
        _f("source_url", "string", "The web page the grade was transcribed from, where the "
           "source is a transcribed table.", pattern="https?://.+"),
    ),
    primary_key=("id",),
    foreign_keys=(_INSPECTION_KEY, _FORCE_KEY),
)  # fmt: skip

FINDINGS = TableSpec(
    name="findings",
    title="Findings",
    description="Every finding of the public inspections: causes of concern and their "
    "recommendations, areas for improvement, strengths, good practice, key findings.",
    fields=(
        _f("id", "integer", "The finding's id.", required=True, unique=True, minimum=1),
        _f("inspection", "integer", "The inspection's id (inspections.csv).", required=True,
           minimum=1),
        *_force_fields(),
        _f("framework", "string", "The inspection framework's id.", required=True),
        _f("period", "string", "The assessment year, e.g. 2018/19.", required=True),
        _f("area", "string", "The area's id in the framework (empty: the whole inspection)."),
        _f("area_name", "string", "The area's name."),
        _f("kind", "string", "What the finding is.", required=True,
           enum=tuple(k.value for k in FindingKind)),
        _f("heading", "string", "The heading the report printed it under."),
        _f("lead_in", "string", "The sentence that introduces its sub-items."),
        _f("text", "string", "The finding as printed.", required=True),
        _f("sub_items", "string", "Its bulleted sub-items, one per line."),
        _f("cause_of_concern", "integer", "For a recommendation: the id of the cause of "
           "concern it answers (in this file).", minimum=1),
        _f("deadline", "string", "The deadline a recommendation sets, as printed."),
        *_source_fields("finding"),
    ),
    primary_key=("id",),
    foreign_keys=(
        _INSPECTION_KEY,
        _FORCE_KEY,
        ForeignKey(("cause_of_concern",), "findings", ("id",)),
    ),
)  # fmt: skip

INDICATORS = TableSpec(
    name="indicators",
    title="Indicators",
    description="Every indicator of the catalogue for every force and every financial year "
    "(12 months to 31 March; workforce at 31 March) the statistics cover, against England and "
    "Wales and against the force's most similar group: one row per force, indicator, year and "
    "comparator, computed as the reports' annexes define them, with the publications used.",
    fields=(
        *_force_fields()[:1],
        _f("indicator", "string", "The indicator's id (docs/statistics.md).", required=True),
        _f("period", "string", "The financial year, e.g. 2017/18.", required=True,
           pattern="[0-9]{4}/[0-9]{2}"),
        _f("period_end", "date", "The last day of the period.", required=True),
        _f("comparator", "string", "What the force is compared with.", required=True,
           enum=COMPARATORS),
        _f("unit", "string", "The indicator's unit.", required=True),
        _f("value", "number", "The force's figure, unrounded (empty: see missing)."),
        _f("display", "string", "The figure rounded as published (half up)."),
        _f("numerator", "number", "The count the figure was computed from."),
        _f("denominator", "number", "The population, households or earlier count it was "
           "divided by or compared with."),
        _f("population_year", "integer", "The mid-year population estimate used (rates)."),
        _f("comparator_value", "number", "The comparator's figure, pooled over its forces."),
        _f("comparator_display", "string", "The comparator's figure rounded as published."),
        _f("comparator_forces", "string", "For the most similar group: the forces pooled "
           "(the force, then its peers), semicolon-separated ids; empty for England and Wales "
           "(every force with data: see of and note).", pattern=FORCE_LIST_PATTERN),
        _f("rank", "integer", "Rank among the forces with data, 1 the best by the "
           "indicator's polarity.", minimum=1),
        _f("rank_display", "string", "The rank as printed (9= when tied)."),
        _f("of", "integer", "How many forces have data.", minimum=1),
        _f("band", "string", "Where the force stands among the forces.", enum=BANDS),
        _f("missing", "string", "Why there is no figure or no comparator."),
        _f("note", "string", "A note on the figure (e.g. a comparator over fewer forces)."),
        _f("source_publishers", "string", "The publishers of the publications used, "
           "semicolon-separated, in the order of source_sha256."),
        _f("source_files", "string", "The files of the publications used, semicolon-separated, "
           "in the order of source_sha256."),
        _f("source_sha256", "string", "SHA-256 checksums of the publications used, "
           "semicolon-separated.", pattern=f"{SHA256_PATTERN}(;{SHA256_PATTERN})*"),
    ),
    primary_key=("force", "indicator", "period", "comparator"),
    foreign_keys=(_FORCE_KEY,),
)  # fmt: skip

MOST_SIMILAR_GROUPS = TableSpec(
    name="most_similar_groups",
    title="Most similar groups",
    description="Each force's most similar group by year: the peers its figures are compared "
    "with (shipped with peelkit and any loaded into the record).",
    fields=(
        _f("year", "string", "The assessment year the group is for, e.g. 2018/19.",
           required=True),
        *_force_fields()[:1],
        _f("peers", "string", "The peer forces, semicolon-separated ids in the source's order.",
           required=True, pattern=FORCE_LIST_PATTERN),
        _f("source", "string", "Where the group was published.", required=True),
    ),
    primary_key=("force", "year"),
    foreign_keys=(_FORCE_KEY,),
)  # fmt: skip

TABLES = (FORCES, INSPECTIONS, GRADES, FINDINGS, INDICATORS, MOST_SIMILAR_GROUPS)
_SPECS = {t.name: t for t in TABLES}
RECORD_FILE = "record.json"
RECORD_DESCRIPTION = (
    "The public record in the format peel export writes and peel load reads "
    "(docs/json-output.md): the public inspections with every judgment, finding, evidence, "
    "figure and performance-table row and its provenance, the documents they cite with their "
    "import warnings, and the loaded most similar groups."
)
PACKAGE_FILE = "datapackage.json"
PACKAGE_DESCRIPTION = "The Frictionless Data Package describing every file and field."


@dataclass(frozen=True)
class OpenDataTable:
    spec: TableSpec
    rows: tuple[tuple[Cell, ...], ...]


@dataclass(frozen=True)
class StatisticsSource:
    """A publication an indicator row used."""

    publisher: str
    title: str
    release: str
    file: str
    sha256: str
    licence: str


@dataclass(frozen=True)
class OpenDataView:
    """Everything the open-data folder holds, at ``public_at`` (naive UTC)."""

    public_at: dt.datetime
    tables: tuple[OpenDataTable, ...]
    record: Mapping[str, Any]  # exchange.export_record(public_at=...)
    documents: tuple[DocumentView, ...]  # the documents the public record cites
    statistics_sources: tuple[StatisticsSource, ...]

    def table(self, name: str) -> OpenDataTable:
        return next(t for t in self.tables if t.spec.name == name)


@dataclass(frozen=True)
class OpenDataFile:
    """One file of the folder as written: what it is, its size and checksum."""

    name: str
    title: str
    description: str
    media_type: str
    fields: int | None  # columns of a CSV file; None for the JSON files
    rows: int | None
    bytes: int
    sha256: str


@dataclass(frozen=True)
class OpenDataFilesView:
    """The folder ``peel export-open`` (or ``/data``) wrote: its files, when and for when."""

    folder: str
    created: str
    public_at: str
    inspections: int
    files: tuple[OpenDataFile, ...]

    def file(self, name: str) -> OpenDataFile | None:
        return next((f for f in self.files if f.name == name), None)


# --- building the rows -------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenDataIndicators:
    """The rows of indicators.csv and the publications they used: they depend only on the
    statistics and the most similar groups (the engine), not on the record, so the workspace
    keeps them while its engine stays the same."""

    rows: tuple[tuple[Cell, ...], ...]
    sources: tuple[StatisticsSource, ...]


@dataclass(frozen=True)
class OpenDataInputs:
    public_at: dt.datetime
    forces: Sequence[Force]
    frameworks: Mapping[str, Framework]
    inspections: Sequence[InspectionView]  # the public ones only
    documents: Mapping[int, DocumentView]
    groups: Sequence[MostSimilarGroup]
    indicators: OpenDataIndicators
    record: Mapping[str, Any]


def build_open_data_indicators(
    query: IndicatorQuery, indicators: Sequence[Indicator]
) -> OpenDataIndicators:
    rows = _indicator_rows(query, indicators)
    table = [_indicator_cells(r, c) for r, c in rows]
    return OpenDataIndicators(
        rows=_cells(INDICATORS, table), sources=_statistics_sources(query, rows)
    )


def build_open_data(inputs: OpenDataInputs) -> OpenDataView:
    names = {f.id: f.name for f in inputs.forces}
    tables = {
        "forces": [_force_row(f) for f in inputs.forces],
        "inspections": [_inspection_row(i, inputs, names) for i in inputs.inspections],
        "grades": [
            _grade_row(j, i, inputs, names)
            for i in inputs.inspections
            for j in i.shown_judgments()
        ],
        "findings": [_finding_row(f, i, inputs, names) for i in inputs.inspections
                     for f in i.findings],
        "most_similar_groups": [_group_row(g) for g in inputs.groups],
    }  # fmt: skip
    cited = {d for i in inputs.inspections for d in _cited(i)}
    built = {name: _cells(_SPECS[name], rows) for name, rows in tables.items()}
    built["indicators"] = inputs.indicators.rows
    return OpenDataView(
        public_at=inputs.public_at,
        tables=tuple(OpenDataTable(s, built[s.name]) for s in TABLES),
        record=inputs.record,
        documents=tuple(inputs.documents[d] for d in sorted(cited) if d in inputs.documents),
        statistics_sources=inputs.indicators.sources,
    )


def _cells(spec: TableSpec, rows: list[dict[str, Cell]]) -> tuple[tuple[Cell, ...], ...]:
    names = spec.field_names
    for row in rows:
        assert tuple(row) == names, f"{spec.name}: fields {tuple(row)} != {names}"
    return tuple(tuple(row.values()) for row in rows)


def _cited(inspection: InspectionView) -> list[int]:
    items: list[Any] = [
        *inspection.judgments,
        *inspection.findings,
        *inspection.evidence,
        *inspection.figures,
        *inspection.performance_table,
    ]
    found = [inspection.document, *(item.provenance.document for item in items)]
    return [d for d in found if d is not None]


def _force_row(force: Force) -> dict[str, Cell]:
    return {
        "id": force.id,
        "name": force.name,
        "short_name": force.short_name,
        "ons_code": force.ons_code,
        "region": force.region,
        "country": force.country,
        "territorial": force.territorial,
        "in_england_and_wales_totals": force.in_england_and_wales_totals,
    }


def _inspection_row(
    inspection: InspectionView, inputs: OpenDataInputs, names: Mapping[str, str]
) -> dict[str, Cell]:
    document = inputs.documents.get(inspection.document or -1)
    return {
        "id": inspection.id,
        "force": inspection.force,
        "force_name": names[inspection.force],
        "framework": inspection.framework,
        "framework_title": inputs.frameworks[inspection.framework].title,
        "period": inspection.period,
        "title": inspection.title,
        "status": inspection.status,
        "published": inspection.published,
        "embargo_until": inspection.embargo_until,
        "document": inspection.document,
        "document_title": document.name if document else None,
        "document_sha256": document.sha256 if document else None,
        "judgments": len(inspection.shown_judgments()),
        "findings": len(inspection.findings),
    }


def _source_cells(
    provenance: ProvenanceView, inspection: InspectionView, inputs: OpenDataInputs
) -> dict[str, Cell]:
    document = inputs.documents.get(provenance.document or -1)
    return {
        "source": describe_source(provenance, inputs.documents, inspection),
        "document": provenance.document,
        "document_title": document.name if document else None,
        "line_start": provenance.line_start,
        "line_end": provenance.line_end,
        "page_start": provenance.page_start,
        "page_end": provenance.page_end,
    }


def _grade_row(
    judgment: Any, inspection: InspectionView, inputs: OpenDataInputs, names: Mapping[str, str]
) -> dict[str, Cell]:
    framework = inputs.frameworks[inspection.framework]
    area = framework.area(judgment.area)
    return {
        "id": judgment.id,
        "inspection": inspection.id,
        "force": inspection.force,
        "force_name": names[inspection.force],
        "framework": inspection.framework,
        "period": inspection.period,
        "area": area.id,
        "area_name": area.name,
        "level": area.level,
        "grade": judgment.grade,
        "grade_label": (
            grade_label(framework, judgment.grade, judgment.grade_as_printed)
            if judgment.grade is not None
            else None
        ),
        "grade_as_printed": judgment.grade_as_printed,
        "direction": judgment.direction,
        "carried_over": judgment.carried_over,
        "read_from": judgment.read_from,
        **_source_cells(judgment.provenance, inspection, inputs),
        "source_url": _source_url(judgment.rationale),
    }


def _source_url(rationale: str | None) -> str | None:
    """The page a transcribed grade names as its source (``Source: https://...``)."""
    text = (rationale or "").removeprefix("Source: ").strip()
    return text if text.startswith(("http://", "https://")) and " " not in text else None


def _finding_row(
    finding: Any, inspection: InspectionView, inputs: OpenDataInputs, names: Mapping[str, str]
) -> dict[str, Cell]:
    framework = inputs.frameworks[inspection.framework]
    area = framework.area(finding.area) if finding.area else None
    return {
        "id": finding.id,
        "inspection": inspection.id,
        "force": inspection.force,
        "force_name": names[inspection.force],
        "framework": inspection.framework,
        "period": inspection.period,
        "area": finding.area,
        "area_name": area.name if area else None,
        "kind": finding.kind,
        "heading": finding.heading,
        "lead_in": finding.lead_in,
        "text": finding.text,
        "sub_items": "\n".join(finding.sub_items) or None,
        "cause_of_concern": finding.cause_of_concern,
        "deadline": finding.deadline,
        **_source_cells(finding.provenance, inspection, inputs),
    }


def _group_row(group: MostSimilarGroup) -> dict[str, Cell]:
    return {
        "year": group.year,
        "force": group.force_id,
        "peers": LIST_SEPARATOR.join(group.peers),
        "source": group.source,
    }


# --- indicators ----------------------------------------------------------------------------------


def annual_periods(query: IndicatorQuery, indicator: Indicator) -> list[Period]:
    """The financial years the statistics cover for the indicator's main measure: 12 months to
    31 March for counts, 31 March for the workforce (a stock counted at the year's end)."""
    measure = indicator.numerator or indicator.measure
    assert measure is not None
    ends = {
        p.end.year
        for p in query.engine.index.periods(measure)
        if p.kind in ("year_ending", "at_date") and (p.end.month, p.end.day) == (3, 31)
    }
    return [Period.year_ending(year, 3) for year in sorted(ends)]


def population_year(query: IndicatorQuery, indicator: Indicator, period: Period) -> int | None:
    """For a rate, the mid-year estimate of the year the period ends in or, when the statistics
    do not have it yet, the latest one before (None: not a rate, or no estimate before)."""
    if indicator.kind != "rate" or indicator.denominator is None:
        return None
    years = [
        p.end.year
        for p in query.engine.index.periods(indicator.denominator)
        if p.kind == "mid_year" and p.end.year <= period.end.year
    ]
    return max(years) if years else None


def _indicator_rows(
    query: IndicatorQuery, indicators: Sequence[Indicator]
) -> list[tuple[IndicatorRow, str]]:
    """Every force's row for every indicator, financial year and comparator the indicator is
    compared with; a year where no force has a figure (a 5-year change in the first years) is
    left out, a force without a figure keeps its row with ``missing`` saying why."""
    found: list[tuple[IndicatorRow, str]] = []
    for indicator in indicators:
        for period in annual_periods(query, indicator):
            year = population_year(query, indicator, period)
            for comparator in indicator.comparators:
                rows = query.rows(period, None, [indicator.id], comparator, year)
                if any(r.value is not None for r in rows):
                    found.extend((r, comparator) for r in rows)
    return found


def _distinct_sources(row: IndicatorRow) -> list[Any]:
    seen: dict[str, Any] = {}
    for cell in row.provenance:
        seen.setdefault(cell.sha256, cell)
    return list(seen.values())


def _indicator_cells(row: IndicatorRow, comparator: str) -> dict[str, Cell]:
    sources = _distinct_sources(row)
    return {
        "force": row.force,
        "indicator": row.indicator,
        "period": row.period,
        "period_end": row.period_end,
        "comparator": comparator,
        "unit": row.unit,
        "value": row.value,
        "display": row.display,
        "numerator": row.numerator,
        "denominator": row.denominator,
        "population_year": row.population_year,
        "comparator_value": row.comparator_value,
        "comparator_display": row.comparator_display,
        "comparator_forces": (
            LIST_SEPARATOR.join(row.comparator_forces) or None
            if comparator == "most_similar_group"
            else None
        ),
        "rank": row.rank,
        "rank_display": row.rank_display,
        "of": row.of,
        "band": row.band,
        "missing": row.missing,
        "note": row.note,
        "source_publishers": LIST_SEPARATOR.join(s.publisher or "" for s in sources) or None,
        "source_files": LIST_SEPARATOR.join(s.file or "" for s in sources) or None,
        "source_sha256": LIST_SEPARATOR.join(s.sha256 for s in sources) or None,
    }


def _statistics_sources(
    query: IndicatorQuery, rows: list[tuple[IndicatorRow, str]]
) -> tuple[StatisticsSource, ...]:
    used = {cell.sha256 for row, _ in rows for cell in row.provenance}
    publications = query.engine.index.publications
    return tuple(
        StatisticsSource(
            publisher=p.publisher,
            title=p.title,
            release=p.release,
            file=p.filename,
            sha256=p.sha256,
            licence=p.licence,
        )
        for p in sorted(publications.values(), key=lambda p: (p.publisher, p.title, p.release))
        if p.sha256 in used
    )
