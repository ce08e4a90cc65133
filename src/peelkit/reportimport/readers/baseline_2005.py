"""Reader for HMIC's 2005 baseline assessment reports (assessment year 2004/05).

One report per force: a Summary of Judgements table; Findings with a delivery grade, a
direction of travel, strengths and areas for improvement for each of the 27 framework areas;
Appendix 1 performance tables; a glossary; and a national table of every force's grades and
directions. The parts are read by the ``baseline_2005_*`` modules; this module puts them
together, cross-checks the three places a force's own judgments are printed, and fills in the
document's title, date, HM Inspector and most similar forces.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache

from peelkit.domain.frameworks import Framework
from peelkit.errors import UnknownForce
from peelkit.frameworks import load_framework
from peelkit.names import fold
from peelkit.reference import all_forces, resolve_force, territorial_forces
from peelkit.reportimport.model import (
    ImportWarning,
    ParsedDocument,
    ParsedJudgment,
)
from peelkit.reportimport.readers import Reader
from peelkit.reportimport.readers.baseline_2005_checks import check_tables
from peelkit.reportimport.readers.baseline_2005_findings import (
    AREAS_FOR_IMPROVEMENT,
    MONTHS,
    NEAREST_DIRECTION,
    STRENGTHS,
    FindingsSection,
    PrintedJudgment,
    is_furniture,
    outside_scale_warning,
    read_findings,
    read_summary_table,
)
from peelkit.reportimport.readers.baseline_2005_national import (
    DIRECTIONS_TABLE,
    GRADES_TABLE,
    NationalTables,
    national_judgments,
    read_national_tables,
)
from peelkit.reportimport.readers.baseline_2005_tables import read_performance_tables
from peelkit.reportimport.readers.eras import frameworks_read_by, spelling_pattern
from peelkit.reportimport.text import SourceText, normalise_space

READER_NAME = "baseline-2005"  # reads the frameworks whose era.readers name it
FINDINGS = "Findings"
SUMMARY = "Summary of Judgements"

_BASELINE = re.compile(r"baseline assessment", re.IGNORECASE)
_MONTH_YEAR = re.compile(rf"^\*?({MONTHS}) (\d{{4}})\*?$")
# The title page's date and the report's own tables name the year the assessment is called
# by (the framework's year spellings: "Baseline Assessment 2005").
_DATED = rf"\b(?:{MONTHS}) (?:{{years}})\b"
_DISTINCTIVE = (
    r"Summary of Judgements|Baseline Assessment (?:{years}) Frameworks"
    r"|HMIC BASELINE ASSESSMENT (?:{years})"
)
_INSPECTOR = re.compile(r"on behalf of HM Inspector ((?:Sir |Dame )?[A-Z][^,;()]*?)(?:,|\bin\b|$)")
_MSF = re.compile(r"most similar to [^:]*:\s*(.+?)\.(?:\s|$)")
_PERIOD = re.compile(r"performance during (\d{4}/\d{2})")
_HEAD_LINES = 40  # title page and the lines of the contents


def detect(text: SourceText) -> str | None:
    """``baseline-2005`` for a 2005 baseline assessment: its title, year and summary tables."""
    head = text.lines[:_HEAD_LINES]
    if not any(_BASELINE.search(line) for line in head):
        return None
    for framework in frameworks_read_by(READER_NAME):
        years = spelling_pattern(framework.year_spellings)
        dated = re.compile(_DATED.format(years=years))
        distinctive = re.compile(_DISTINCTIVE.format(years=years), re.IGNORECASE)
        if any(dated.search(line) for line in head) and any(
            distinctive.search(line) for line in text.lines
        ):
            return framework.id
    return None


def read(text: SourceText, framework_id: str, force_id: str) -> ParsedDocument:
    framework = load_framework(framework_id)
    document = ParsedDocument(
        source=text.source_info(),
        force=force_id,
        framework=framework.id,
    )
    _read_front_matter(text, document)
    own = _read_judgments(text, framework, document)
    _read_national(text, framework, document, own)
    _read_appendix(text, framework, document)
    return document


# -- front matter -------------------------------------------------------------------------


def _read_front_matter(text: SourceText, document: ParsedDocument) -> None:
    head = [line.strip() for line in text.lines[:_HEAD_LINES]]
    title = next((line for line in head if _BASELINE.search(line) and not is_furniture(line)), None)
    document.title = normalise_space(title) if title else None
    dates = [_MONTH_YEAR.match(line) for line in head]
    date = next((m for m in dates if m), None)
    # The report prints only a month ("October 2005"): the date is the first of that month.
    document.published = (
        dt.datetime.strptime(f"1 {date.group(1)} {date.group(2)}", "%d %B %Y").date()
        if date
        else None
    )
    body = " ".join(normalise_space(line) for line in text.lines)
    inspector = _INSPECTOR.search(body)
    document.hm_inspector = normalise_space(inspector.group(1)) if inspector else None
    period = _PERIOD.search(body)
    document.period = period.group(1) if period else None
    msf = _MSF.search(body)
    document.most_similar_group = split_forces(msf.group(1)) if msf else []
    for value, name in (
        (document.title, "title"),
        (document.published, "publication date"),
        (document.hm_inspector, "HM Inspector"),
        (document.most_similar_group, "most similar forces"),
    ):
        if not value:
            document.not_found.append(name)


def split_forces(printed: str) -> list[str]:
    """Force ids from "West Midlands; Greater Manchester; Merseyside and West Yorkshire".

    "and" both joins the last two names and belongs to some names ("Avon and Somerset"), so
    the pieces between "and"s are joined back while together they name a force.
    """
    forces: list[str] = []
    for part in re.split(r"[;,]", printed):
        pieces = [p.strip() for p in re.split(r"\band\b", part) if p.strip()]
        index = 0
        while index < len(pieces):
            found = None
            for end in range(len(pieces), index, -1):
                found = _force_id(" and ".join(pieces[index:end]))
                if found:
                    index = end
                    break
            if found is None:
                index += 1  # not a force: skip the word
            elif found not in forces:
                forces.append(found)
    return forces


def _force_id(name: str) -> str | None:
    # Check the spelling first: a failed resolve_force is slow (it ranks suggestions).
    if fold(name) not in _force_spellings():
        return None
    try:
        return resolve_force(name).id
    except UnknownForce:
        return None


@cache
def _force_spellings() -> frozenset[str]:
    return frozenset(
        fold(spelling)
        for force in all_forces()
        for spelling in (force.id, force.name, force.short_name, force.police_uk_id, *force.aliases)
        if spelling
    )


# -- the force's own judgments and findings -------------------------------------------------


def _read_judgments(
    text: SourceText, framework: Framework, document: ParsedDocument
) -> dict[str, ParsedJudgment]:
    """Judgments from the Findings, cross-checked against the Summary of Judgements."""
    section = read_findings(text, framework)
    summary = read_summary_table(text, framework)
    if not section.found:
        document.not_found.append("Findings")
    if not summary:
        document.not_found.append(SUMMARY)
    document.findings.extend(section.findings)
    own: dict[str, ParsedJudgment] = {}
    for area in framework.walk():
        if area.level != "area":
            continue
        printed = section.judgments.get(area.id)
        in_summary = summary.get(area.id)
        if printed is None and section.found:
            document.not_found.append(f"Findings for {area.id}")
        source, table = (printed, FINDINGS) if printed else (in_summary, SUMMARY)
        if source is None:
            document.not_found.append(f"Judgment for {area.id}")
            continue
        own[area.id] = _judgment(source, table, framework, text, document.warnings)
        if printed is not None and in_summary is not None:
            _compare_with_summary(own[area.id], in_summary, framework, text, document.warnings)
        if printed is not None and printed.grade is not None:
            _expect_lists(section, area.id, document)
    document.judgments.extend(own.values())
    return own


def _judgment(
    printed: PrintedJudgment,
    table: str,
    framework: Framework,
    text: SourceText,
    warnings: list[ImportWarning],
) -> ParsedJudgment:
    area = printed.area
    row = f"{area.id} {area.name}"
    grade = _grade_id(printed, framework)
    if printed.grade is not None and grade is None:
        line = printed.grade_line or printed.first_line
        warnings.append(outside_scale_warning(printed.grade, None, table, row, "Grade", line, text))
    direction = None
    if printed.direction is not None:
        direction = _direction_id(printed.direction, framework)
        if framework.direction_scale and framework.direction_scale.find(printed.direction) is None:
            line = printed.grade_line or printed.first_line
            warnings.append(
                outside_scale_warning(
                    printed.direction, direction, table, row, "Direction of Travel", line, text
                )
            )
    return ParsedJudgment(
        area=area.id,
        level=area.level,
        grade=grade,
        grade_as_printed=printed.grade,
        direction=direction,
        direction_as_printed=printed.direction,
        span=text.span(printed.first_line, printed.grade_line or printed.first_line),
    )


def _grade_id(printed: PrintedJudgment, framework: Framework) -> str | None:
    scale = framework.grade_scale
    if printed.grade is None:
        # Nothing printed where the grade goes: the area was not graded (1D Professional
        # Standards, whose grading was deferred; the national table prints "NG").
        return "not_graded"
    value = scale.find(printed.grade) if scale else None
    return value.id if value else None


def _direction_id(word: str, framework: Framework) -> str | None:
    scale = framework.direction_scale
    value = scale.find(word) if scale else None
    return value.id if value else NEAREST_DIRECTION.get(word.lower())


def _compare_with_summary(
    judgment: ParsedJudgment,
    summary: PrintedJudgment,
    framework: Framework,
    text: SourceText,
    warnings: list[ImportWarning],
) -> None:
    row = f"{summary.area.id} {summary.area.name}"
    in_summary = _judgment(summary, SUMMARY, framework, text, warnings)
    for column, ours, theirs, printed in (
        ("Grade", judgment.grade, in_summary.grade, summary.grade),
        ("Direction of Travel", judgment.direction, in_summary.direction, summary.direction),
    ):
        if ours != theirs:
            warnings.append(
                ImportWarning(
                    code="judgment_mismatch",
                    message=f'{SUMMARY} prints "{printed or ""}" where the Findings give '
                    f'"{ours or "nothing"}"',
                    table=SUMMARY,
                    row=row,
                    column=column,
                    span=text.span(summary.first_line),
                )
            )


def _expect_lists(section: FindingsSection, area_id: str, document: ParsedDocument) -> None:
    seen = section.lists.get(area_id, set())
    if STRENGTHS not in seen:
        document.not_found.append(f"Strengths of {area_id}")
    if AREAS_FOR_IMPROVEMENT not in seen:
        document.not_found.append(f"Areas for improvement of {area_id}")


# -- national tables ------------------------------------------------------------------------


def _read_national(
    text: SourceText,
    framework: Framework,
    document: ParsedDocument,
    own: dict[str, ParsedJudgment],
) -> None:
    tables = read_national_tables(text, framework)
    if not tables.grades_found:
        document.not_found.append(GRADES_TABLE)
    if not tables.directions_found:
        document.not_found.append(DIRECTIONS_TABLE)
    document.judgments.extend(national_judgments(tables, framework, document.force, text))
    document.warnings.extend(tables.warnings)
    if (tables.grades_found or tables.directions_found) and document.force not in tables.forces:
        document.not_found.append(f"{document.force} in the national tables")
    _national_completeness(tables, framework, document)
    _compare_with_national(tables, framework, own, document, text)


def _national_completeness(
    tables: NationalTables, framework: Framework, document: ParsedDocument
) -> None:
    """Name what a truncated national table lacks: forces, or cells of the force x area grid."""
    if not tables.forces:
        return
    missing_forces = len(territorial_forces()) - len(tables.forces)
    if missing_forces > 0:
        document.not_found.append(f"{missing_forces} forces of the national tables")
    for cells, table, found in (
        (tables.grades, GRADES_TABLE, tables.grades_found),
        (tables.directions, DIRECTIONS_TABLE, tables.directions_found),
    ):
        expected = len(tables.forces) * framework.count("area")
        if found and len(cells) < expected:
            document.not_found.append(f"{expected - len(cells)} cells of the {table.lower()}")


def _compare_with_national(
    tables: NationalTables,
    framework: Framework,
    own: dict[str, ParsedJudgment],
    document: ParsedDocument,
    text: SourceText,
) -> None:
    """The national tables repeat the force's own judgments: warn where they disagree."""
    for area_id, judgment in own.items():
        for cells, table, ours, column in (
            (tables.grades, GRADES_TABLE, judgment.grade, "Grade"),
            (tables.directions, DIRECTIONS_TABLE, judgment.direction, "Direction of Travel"),
        ):
            cell = cells.get((document.force, area_id))
            if cell is None:
                continue
            theirs = _national_value(cell.word, column, framework)
            # "NG" (not graded) is what the national table prints where no direction is given.
            if theirs != ours and not (theirs == "not_graded" and ours is None):
                document.warnings.append(
                    ImportWarning(
                        code="national_table_mismatch",
                        message=f'the national table prints "{cell.word}" for {area_id} where '
                        f'the Findings give "{ours or "nothing"}"',
                        table=table,
                        row=area_id,
                        column=document.force,
                        span=text.span(cell.line),
                    )
                )


def _national_value(word: str, column: str, framework: Framework) -> str | None:
    scale = framework.grade_scale if column == "Grade" else framework.direction_scale
    value = scale.find(word) if scale else None
    return value.id if value else None


# -- Appendix 1 -----------------------------------------------------------------------------


def _read_appendix(text: SourceText, framework: Framework, document: ParsedDocument) -> None:
    tables = read_performance_tables(text, framework)
    if not tables.found:
        document.not_found.append("Appendix 1 performance tables")
        return
    if not tables.rows:
        document.not_found.append("rows of the Appendix 1 performance tables")
    if not tables.complete:
        document.not_found.append("end of the Appendix 1 performance tables (Appendix 2)")
    document.performance_table.extend(tables.rows)
    document.warnings.extend(tables.warnings)
    msf_size = len(document.most_similar_group) + 1 if document.most_similar_group else 5
    document.warnings.extend(check_tables(tables.rows, tables.columns, msf_size))


READER = Reader(name=READER_NAME, detect=detect, read=read)
