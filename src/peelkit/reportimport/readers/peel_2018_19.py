"""Reader for the integrated PEEL assessment (IPA) report of 2018/19.

The reference extraction is markdown-like: ``#`` headings whose depth means nothing (a grade may
be ``## Good``, ``### Good`` or a bold ``**Good**`` line), ``<b>`` tags, tab-separated tables and
``[text](#)`` links. So the reader finds its way by what headings *say*, never by their level:

- the "Overall summary" table gives every pillar and component grade with the year each component
  was last inspected; a grade the table lacks (this extraction lost the Legitimacy pillar grade)
  is taken from the section's own grade heading, with a warning;
- each component section carries its causes of concern, the recommendations that follow each
  cause (linked to it), and its areas for improvement;
- the "Force in context" blocks (one at the start, one per pillar) are small tables comparing the
  force with England and Wales, its most similar group, the local population or itself in 2014.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import pairwise

from peelkit.domain.frameworks import Area, Framework
from peelkit.domain.grades import GradeValue
from peelkit.errors import PeelkitError
from peelkit.frameworks import load_framework
from peelkit.names import fold
from peelkit.reference import resolve_force
from peelkit.reportimport.furniture import first_content_line
from peelkit.reportimport.model import (
    ImportWarning,
    ParsedDocument,
    ParsedFigure,
    ParsedFinding,
    ParsedJudgment,
)
from peelkit.reportimport.readers import Reader
from peelkit.reportimport.readers.eras import frameworks_read_by, spelling_pattern, year_map
from peelkit.reportimport.text import (
    SourceText,
    bullet_text,
    join_wrapped,
    normalise_space,
    parse_number,
    strip_markup,
)

READER_NAME = "peel-2018-19"  # reads the frameworks whose era.readers name it

# ---------------------------------------------------------------------------------------------
# Detection


_IPA = re.compile(r"integrated PEEL assessment", re.IGNORECASE)
_PILLAR_QUESTION = re.compile(
    r"How (effectively|efficiently|legitimately) does the force", re.IGNORECASE
)


def _web_page_header() -> re.Pattern[str]:
    """The per-force web pages start "<force> PEEL <year>" (a year the web page reader reads);
    they belong to that reader even when they mention the integrated assessment."""
    years = spelling_pattern(year_map("web-page"))
    return re.compile(rf"^\S.*\bPEEL\s+(?:{years})\s*$")


def detect(text: SourceText) -> str | None:
    """``peel-2018-19`` for an IPA report: it names the assessment, the year and a pillar.

    The year is the period of a framework this reader reads, as the report prints it
    ("2018/19"; the bare "2018" the web pages also write would match any date).
    """
    first = first_content_line(text)  # page furniture ("Skip to content") is no title
    if _web_page_header().match(first.strip()):
        return None
    head = text.lines[:400]  # the markers all sit in the report's opening pages
    if not any(_IPA.search(line) for line in head):
        return None
    if text.find(_PILLAR_QUESTION) is None:
        return None
    for fw in frameworks_read_by(READER_NAME):
        year = re.compile(spelling_pattern([fw.period]))
        if any(year.search(line) for line in head):
            return fw.id
    return None


# ---------------------------------------------------------------------------------------------
# Headings and lines


@dataclass(frozen=True)
class Heading:
    line: int
    text: str  # markup removed


def clean(line: str) -> str:
    """A line's text without tags, links, bold stars or heading marks."""
    text = strip_markup(line).replace("**", "")
    return normalise_space(text.lstrip("#"))


def heading_text(line: str) -> str | None:
    """The text of a heading line: ``# ...`` at any depth, or a line that is wholly bold."""
    stripped = line.strip()
    if not stripped or "\t" in line:
        return None  # tab lines are table rows, even when their cells are bold
    if stripped.startswith("#"):
        return clean(stripped) or None
    bold = (stripped.startswith("**") and stripped.endswith("**")) or (
        stripped.lower().startswith("<b>") and stripped.lower().endswith("</b>")
    )
    if bold and len(stripped) > 4:
        return clean(stripped) or None
    return None


def headings(text: SourceText) -> list[Heading]:
    found = []
    for number, line in enumerate(text.lines, start=1):
        title = heading_text(line)
        if title:
            found.append(Heading(number, title))
    return found


def grade_of(fw: Framework, word: str) -> GradeValue | None:
    """The grade (or non-grade, "Ungraded") a printed word names on the framework's scale."""
    return fw.grade_scale.find(word) if fw.grade_scale else None


def resolve(fw: Framework, name: str) -> Area | None:
    """The area a printed name denotes, or None (most lines tried here are not area names, so
    the suggestions ``resolve_area`` computes for a miss are not wanted)."""
    return fw.find_area(name)


# ---------------------------------------------------------------------------------------------
# The report's outline


@dataclass
class Section:
    area: Area
    start: int  # heading line
    end: int  # last line of the section
    heading: str


@dataclass
class Outline:
    """Where the parts of the report are: headings that start sections, by line."""

    overall_summary: int | None = None
    annex: int | None = None
    pillars: list[Section] = field(default_factory=list)
    pillar_questions: dict[str, int] = field(default_factory=dict)  # pillar id -> heading line
    components: list[Section] = field(default_factory=list)
    context_blocks: list[tuple[str | None, int, int]] = field(default_factory=list)


def outline(text: SourceText, fw: Framework, found: list[Heading]) -> Outline:
    out = Outline()
    markers: list[int] = []  # lines where a part of the report starts
    starts: list[tuple[Area, Heading]] = []
    for head in found:
        folded = head.text.lower()
        if folded == "overall summary" and out.overall_summary is None:
            out.overall_summary = head.line
            markers.append(head.line)
        elif folded.startswith("annex") and out.annex is None:
            out.annex = head.line
            markers.append(head.line)
        elif folded == "force in context":
            markers.append(head.line)
        else:
            area = resolve(fw, head.text)
            if area is None or area.level not in ("pillar", "component"):
                continue
            if area.level == "pillar" and area.question and fold(area.question) == fold(head.text):
                out.pillar_questions.setdefault(area.id, head.line)
            elif any(a.id == area.id for a, _ in starts):
                continue  # a section is taken at its first heading only
            else:
                starts.append((area, head))
            markers.append(head.line)
    markers.sort()
    last_line = len(text.lines)

    def end_of(start: int, stops: list[int]) -> int:
        later = [m for m in stops if m > start]
        return (min(later) - 1) if later else last_line

    part_starts = [h.line for _, h in starts] + [x for x in (out.annex,) if x]
    for area, head in starts:
        if area.level == "pillar":
            stops = [h.line for a, h in starts if a.level == "pillar"] + [out.annex or last_line]
            out.pillars.append(Section(area, head.line, end_of(head.line, stops), head.text))
        else:
            stops = part_starts + list(out.pillar_questions.values())
            out.components.append(Section(area, head.line, end_of(head.line, stops), head.text))
    for head in found:
        if head.text.lower() == "force in context":
            pillar = next((p for p in out.pillars if p.start < head.line <= p.end), None)
            block_end = end_of(head.line, markers)
            out.context_blocks.append((pillar.area.id if pillar else None, head.line, block_end))
    return out


# ---------------------------------------------------------------------------------------------
# Judgments


@dataclass
class SummaryRow:
    """One judgment printed in the Overall summary table."""

    area: Area
    grade_word: str
    line: int
    last_inspected: str | None


def summary_rows(text: SourceText, fw: Framework, start: int, end: int) -> list[SummaryRow]:
    """The Overall summary table: pillar headers, a pillar grade row, component rows."""
    rows: list[SummaryRow] = []
    pillar: Area | None = None
    for number in range(start + 1, end + 1):
        cells = [clean(c) for c in text.line(number).split("\t")]
        cells = [c for c in cells if c]
        if not cells:
            continue
        area = resolve(fw, cells[0])
        if area is not None and area.level == "pillar":
            pillar = area  # "Effectiveness | Last inspected" header
        elif area is not None and len(cells) >= 2 and grade_of(fw, cells[1]):
            year = cells[2] if len(cells) > 2 else None
            rows.append(SummaryRow(area, cells[1], number, year))
        elif len(cells) == 1 and pillar is not None and grade_of(fw, cells[0]):
            rows.append(SummaryRow(pillar, cells[0], number, None))
    return rows


def section_grade(
    text: SourceText, found: list[Heading], fw: Framework, after: int, end: int
) -> Heading | None:
    """The grade heading right after a section or question heading, if the next heading is one."""
    nxt = next((h for h in found if after < h.line <= end), None)
    if nxt is not None and grade_of(fw, nxt.text) is not None:
        return nxt
    return None


class Judgments:
    """Builds the judgments from the summary table, checked against the sections' headings."""

    def __init__(self, text: SourceText, fw: Framework, doc: ParsedDocument) -> None:
        self.text, self.fw, self.doc = text, fw, doc

    def judgment(self, area: Area, word: str, line: int, year: str | None) -> ParsedJudgment:
        value = grade_of(self.fw, word)
        return ParsedJudgment(
            area=area.id,
            level=area.level,
            grade=value.id if value else None,
            grade_as_printed=word,
            year_last_inspected=year,
            span=self.text.span(line),
        )

    def build(
        self,
        rows: list[SummaryRow],
        sections: dict[str, Heading | None],
        section_areas: dict[str, Area],
    ) -> None:
        by_area = {row.area.id: row for row in rows}
        for area in self.fw.walk():
            if area.level not in ("pillar", "component"):
                continue
            row, heading = by_area.get(area.id), sections.get(area.id)
            if row is not None:
                self.doc.judgments.append(
                    self.judgment(area, row.grade_word, row.line, row.last_inspected)
                )
                self.check_agrees(area, row, heading)
            elif heading is not None:
                self.doc.judgments.append(self.judgment(area, heading.text, heading.line, None))
                self.warn_from_heading(area, heading)
            elif area.id in section_areas or rows:
                self.doc.not_found.append(f"Grade of {area.name}")

    def check_agrees(self, area: Area, row: SummaryRow, heading: Heading | None) -> None:
        if heading is None:
            return
        table, own = grade_of(self.fw, row.grade_word), grade_of(self.fw, heading.text)
        if table and own and table.id != own.id:
            self.doc.warnings.append(
                ImportWarning(
                    code="grade_mismatch",
                    message=(
                        f"{area.name}: the Overall summary table prints {row.grade_word!r} but "
                        f"the section heading prints {heading.text!r}"
                    ),
                    table="Overall summary",
                    row=area.name,
                    column="grade",
                    span=self.text.span(heading.line),
                )
            )

    def warn_from_heading(self, area: Area, heading: Heading) -> None:
        self.doc.warnings.append(
            ImportWarning(
                code="grade_missing_from_summary",
                message=(
                    f"The Overall summary table prints no grade for {area.name}; "
                    f"{heading.text!r} was taken from the {area.level}'s own heading"
                ),
                table="Overall summary",
                row=area.name,
                column="grade",
                span=self.text.span(heading.line),
            )
        )


# ---------------------------------------------------------------------------------------------
# Findings

_BLOCKS = {
    "cause of concern": "cause_of_concern",
    "causes of concern": "cause_of_concern",
    "recommendation": "recommendation",
    "recommendations": "recommendation",
    "area for improvement": "area_for_improvement",
    "areas for improvement": "area_for_improvement",
}
# The template's sentence after a component's findings: the narrative that follows is not
# a list of findings.
_BOILERPLATE = re.compile(r"^We set out our detailed findings below", re.IGNORECASE)
_WITHIN = re.compile(r"^Within (\d+|[a-z]+) (months?|weeks?|years?)\b", re.IGNORECASE)
_IMMEDIATE = re.compile(r"\bimmediate(ly)?\b", re.IGNORECASE)
_CONNECTIVE = re.compile(r"(?:[;,]\s*(?:and|or)?|\s+(?:and|or))\s*$")


@dataclass
class Item:
    first: int
    last: int
    parts: list[str]
    subs: list[list[str]] = field(default_factory=list)


def deadline(text: str) -> str | None:
    """A recommendation's time limit as a short phrase: "within 12 months", "immediately"."""
    within = _WITHIN.match(text)
    if within:
        return f"within {within.group(1)} {within.group(2)}".lower()
    if _IMMEDIATE.search(text):
        return "immediately"
    return None


def list_items(text: SourceText, start: int, end: int) -> list[Item]:
    """Bulleted items (with indented sub-bullets) from ``start``; ends at the first paragraph."""
    items: list[Item] = []
    for number in range(start, end + 1):
        raw = text.line(number)
        if not raw.strip():
            continue
        marked = bullet_text(strip_markup(raw))
        if marked is not None and raw[:1].isspace() and items:
            items[-1].subs.append([marked])
        elif marked is not None:
            items.append(Item(number, number, [marked]))
        elif items and text.line(number - 1).strip():
            # a wrapped line glued to the item above: no blank line between them
            target = items[-1].subs[-1] if items[-1].subs else items[-1].parts
            target.append(clean(raw))
        else:
            break  # a paragraph after the list is narrative, not a finding
        items[-1].last = number
    return items


def paragraphs(text: SourceText, start: int, end: int) -> list[Item]:
    """Paragraphs (or bullets) until the next heading: causes of concern are printed as either."""
    items: list[Item] = []
    for number in range(start, end + 1):
        raw = text.line(number)
        if not raw.strip():
            continue
        if _BOILERPLATE.search(clean(raw)):
            break
        piece = bullet_text(strip_markup(raw)) or clean(raw)
        if items and items[-1].last == number - 1 and bullet_text(raw) is None:
            items[-1].parts.append(piece)
            items[-1].last = number
        else:
            items.append(Item(number, number, [piece]))
    return items


def sub_item_text(parts: list[str]) -> str:
    """A sub-item's text without the list's "; and" joining it to the next one."""
    text = join_wrapped(parts)
    return _CONNECTIVE.sub("", text) if not text.endswith(".") else text


class Findings:
    def __init__(self, text: SourceText, found: list[Heading], doc: ParsedDocument) -> None:
        self.text, self.found, self.doc = text, found, doc

    def read_section(self, section: Section) -> None:
        inner = [h for h in self.found if section.start < h.line <= section.end]
        concern: int | None = None
        for index, head in enumerate(inner):
            kind = _BLOCKS.get(head.text.lower())
            if kind is None:
                continue
            stop = inner[index + 1].line - 1 if index + 1 < len(inner) else section.end
            if kind == "cause_of_concern":
                for item in paragraphs(self.text, head.line + 1, stop):
                    concern = self.add(kind, item, section, head)
            else:
                items = list_items(self.text, head.line + 1, stop)
                for item in items:
                    self.add(kind, item, section, head, concern)
                self.check_list_gaps(items, section, head)
        self.check_lists_read(section, inner)

    def check_list_gaps(self, items: list[Item], section: Section, head: Heading) -> None:
        """A list of findings that goes on after a blank line: the items after it may be
        another list whose heading is missing ("Areas for improvement" after the
        recommendations). They are read under this heading, and said."""
        for before, item in pairwise(items):
            if item.first > before.last + 1:
                self.doc.warnings.append(
                    ImportWarning(
                        code="unexpected_structure",
                        message=(
                            f"the list of {head.text} of {section.area.name} goes on after a "
                            f"blank line (line {item.first}): a heading missing? Read as "
                            f"{head.text}"
                        ),
                        row=section.area.name,
                        span=self.text.span(item.first, items[-1].last),
                    )
                )
                return

    def check_lists_read(self, section: Section, inner: list[Heading]) -> None:
        """A list in a component's summary (before its detailed findings) under no heading of
        findings (its "Areas for improvement" line missing) is not read: say so."""
        details = self.text.find(_BOILERPLATE, section.start + 1, section.end)
        end = details if details is not None else section.end + 1
        starts = [section.start] + [h.line for h in inner if h.line < end] + [end]
        titles = [None] + [h.text for h in inner if h.line < end]
        for first, stop, title in zip(starts, starts[1:], titles, strict=False):
            if title is not None and title.lower() in _BLOCKS:
                continue
            bullet = next(
                (
                    n
                    for n in range(first + 1, stop)
                    if bullet_text(strip_markup(self.text.line(n))) is not None
                ),
                None,
            )
            items = list_items(self.text, bullet, stop - 1) if bullet is not None else []
            if items:
                self.doc.warnings.append(
                    ImportWarning(
                        code="unexpected_structure",
                        message=(
                            f"a list of {len(items)} in the summary of {section.area.name} under "
                            'no heading of findings (an "Areas for improvement" line '
                            "missing?); not read"
                        ),
                        row=section.area.name,
                        span=self.text.span(items[0].first, items[-1].last),
                    )
                )

    def add(
        self, kind: str, item: Item, section: Section, head: Heading, concern: int | None = None
    ) -> int:
        text = join_wrapped(item.parts)
        finding = ParsedFinding(
            kind=kind,
            text=text,
            area=section.area.id,
            heading=head.text,
            lead_in=text if item.subs else None,
            sub_items=[sub_item_text(sub) for sub in item.subs],
            cause_of_concern=concern if kind == "recommendation" else None,
            deadline=deadline(text) if kind == "recommendation" else None,
            span=self.text.span(item.first, item.last),
        )
        if kind == "recommendation" and concern is None:
            self.doc.warnings.append(
                ImportWarning(
                    code="recommendation_without_concern",
                    message=f"A recommendation of {section.area.name} follows no cause of concern",
                    span=finding.span,
                )
            )
        self.doc.findings.append(finding)
        return len(self.doc.findings) - 1


# ---------------------------------------------------------------------------------------------
# Force in context

_PERIOD = re.compile(
    r"^(12 months ending|in post on|as (of|at)\b|on \d|\d{4}/\d{2}\b"
    r"|\d{1,2}(st|nd|rd|th)? \w+ \d{4})",
    re.IGNORECASE,
)
_DATE = re.compile(r"\d{1,2}(?:st|nd|rd|th)? [A-Z][a-z]+ \d{4}")
_BOLD = re.compile(r"^\s*<b>(.*?)</b>\s*(.*)$", re.IGNORECASE)


@dataclass
class Table:
    title: str | None
    period: str | None
    header: list[str]  # value column headers, markup removed
    rows: int = 0


def comparator_of(header: list[str]) -> tuple[str, str | None]:
    """The comparator a table's second value column is, and its label."""
    label = header[1] if len(header) > 1 else ""
    lowered = label.lower()
    if "england and wales" in lowered:
        return "england_and_wales", label
    if "most similar" in lowered:
        return "most_similar_group", label
    if "local population" in lowered:
        return "local_population", label
    date = _DATE.search(label)
    if date:
        return "earlier_date", date.group(0)
    return "none", label or None


def unit_of(value: str, table: Table, measure: str) -> str | None:
    if value.endswith("%"):
        return "percent"
    if value.startswith("£"):
        return "pounds"
    if "per 1,000" in f"{table.title} {measure}":
        return "per 1,000 population"
    if "FTE" in " ".join(table.header):
        return "FTE"
    return None


def split_measure(first_cell: str, table: Table) -> tuple[str, str | None]:
    """The measure and its period: "<b>Measure</b> period" or a plain first cell."""
    bold = _BOLD.match(first_cell)
    if bold is None:
        return clean(first_cell), table.period
    measure, rest = clean(bold.group(1)), clean(bold.group(2))
    if rest and _PERIOD.match(rest):
        return measure, rest
    return normalise_space(f"{measure} {rest}"), table.period


class Context:
    """Reads the tables of one Force in context block."""

    def __init__(self, text: SourceText, doc: ParsedDocument, area: str | None) -> None:
        self.text, self.doc, self.area = text, doc, area

    def read(self, start: int, end: int) -> int:
        title: str | None = None
        period: str | None = None
        table: Table | None = None
        count = 0
        for number in range(start + 1, end + 1):
            raw = self.text.line(number)
            head = heading_text(raw)
            if head is not None:
                self.chart_check(title, table, number)
                title, period, table = head, None, None
            elif not raw.strip():
                if table is not None and table.rows:
                    title, period, table = None, None, None
            elif raw.startswith("\t"):
                header = [clean(c) for c in raw.split("\t")[1:]]
                table = Table(title, period, header)
            elif "\t" in raw and table is not None:
                count += self.row(table, number)
            elif table is None:
                period = clean(raw)
        self.chart_check(title, table, end + 1)
        return count

    def chart_check(self, title: str | None, table: Table | None, line: int) -> None:
        """A titled block with no table is a chart whose data the text does not carry."""
        if title is not None and table is None:
            self.doc.warnings.append(
                ImportWarning(
                    code="chart_without_data",
                    message=f"The chart {title!r} has no data in the text",
                    table=title,
                    span=self.text.span(line - 1),
                )
            )

    def row(self, table: Table, number: int) -> int:
        cells = self.text.line(number).split("\t")
        measure, period = split_measure(cells[0], table)
        values = [clean(c) for c in cells[1:]]
        force_value = values[0] if values else ""
        other = values[1] if len(values) > 1 and values[1] else None
        change = values[2] if len(values) > 2 and values[2] else None
        comparator, label = comparator_of(table.header)
        if comparator == "earlier_date" and period is None:
            first = _DATE.search(table.header[0]) if table.header else None
            period = first.group(0) if first else None
        self.doc.figures.append(
            ParsedFigure(
                measure=measure,
                comparator=comparator,
                table=table.title or measure,
                area=self.area,
                period=period,
                unit=unit_of(force_value, table, measure),
                force_value_as_printed=force_value or None,
                force_value=parse_number(force_value) if force_value else None,
                comparator_label=label,
                comparator_value_as_printed=other,
                comparator_value=parse_number(other) if other else None,
                change_as_printed=change,
                change=parse_number(change) if change else None,
                span=self.text.span(number),
            )
        )
        table.rows += 1
        return 1


# ---------------------------------------------------------------------------------------------
# Front and back matter

_TITLE = re.compile(r"Police effectiveness, efficiency and legitimacy \d{4}/\d{2}", re.IGNORECASE)
_MSG = re.compile(r"MSG forces are (.+?)\.(\s|$)")
_INSPECTOR = re.compile(r"^HM (Chief )?Inspector of (Constabulary|Fire)", re.IGNORECASE)
_MONTH_YEAR = re.compile(
    r"^(January|February|March|April|May|June|July|August|September|October|November|December)"
    r" (\d{4})\b"
)
_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]


def title_of(text: SourceText) -> str | None:
    number = text.find(_TITLE, end=40)
    if number is None:
        return None
    return f"PEEL: {clean(text.line(number))}"


def published_of(text: SourceText) -> dt.date | None:
    """The month of publication printed on the back page ("September 2019 | ©HMICFRS 2019").

    The report prints a month, not a day: the date is the first of that month.
    """
    for number in range(len(text.lines), 0, -1):
        match = _MONTH_YEAR.match(clean(text.line(number)))
        if match and ("©" in text.line(number) or "ISBN" in text.line(number)):
            return dt.date(int(match.group(2)), _MONTHS.index(match.group(1).lower()) + 1, 1)
    return None


def names_of_forces(listed: str) -> Iterator[str | None]:
    """Force ids of "A, B and C"; a name may itself hold "and" (Avon and Somerset)."""
    pieces = [p for p in re.split(r",\s*|\s+and\s+", listed) if p.strip()]
    index = 0
    while index < len(pieces):
        for width in (1, 2, 3):
            name = " and ".join(pieces[index : index + width])
            try:
                yield resolve_force(name).id
                index += width
                break
            except PeelkitError:
                continue
        else:
            yield None
            index += 1


def inspector_of(text: SourceText) -> str | None:
    for number in text.find_all(_INSPECTOR):
        previous = number - 1
        while previous > 0 and not text.line(previous).strip():
            previous -= 1
        if previous > 0:
            name = clean(text.line(previous))
            if name and len(name.split()) <= 5:
                return name
    return None


# ---------------------------------------------------------------------------------------------
# Reading


def read(text: SourceText, framework_id: str, force_id: str) -> ParsedDocument:
    fw = load_framework(framework_id)
    doc = ParsedDocument(
        source=text.source_info(),
        force=force_id,
        framework=framework_id,
        title=title_of(text),
        published=published_of(text),
        period=fw.period,
        hm_inspector=inspector_of(text),
    )
    found = headings(text)
    parts = outline(text, fw, found)
    read_judgments(text, fw, found, parts, doc)
    findings = Findings(text, found, doc)
    for section in parts.components:
        findings.read_section(section)
    read_context(text, parts, doc)
    read_most_similar_group(text, doc)
    report_missing(fw, parts, doc)
    return doc


def read_judgments(
    text: SourceText, fw: Framework, found: list[Heading], parts: Outline, doc: ParsedDocument
) -> None:
    rows: list[SummaryRow] = []
    if parts.overall_summary is None:
        doc.not_found.append("Overall summary")
    else:
        stop = next((h.line - 1 for h in found if h.line > parts.overall_summary), len(text.lines))
        rows = summary_rows(text, fw, parts.overall_summary, stop)
        if not rows:
            doc.not_found.append("Overall summary table")
    own: dict[str, Heading | None] = {}
    areas: dict[str, Area] = {}
    for pillar in parts.pillars:
        question = parts.pillar_questions.get(pillar.area.id)
        if question is not None:
            own[pillar.area.id] = section_grade(text, found, fw, question, pillar.end)
            areas[pillar.area.id] = pillar.area
    for section in parts.components:
        own[section.area.id] = section_grade(text, found, fw, section.start, section.end)
        areas[section.area.id] = section.area
    Judgments(text, fw, doc).build(rows, own, areas)


def read_context(text: SourceText, parts: Outline, doc: ParsedDocument) -> None:
    seen: set[str | None] = set()
    for area, start, end in parts.context_blocks:
        if area in seen:
            continue
        seen.add(area)
        if Context(text, doc, area).read(start, end) == 0:
            doc.not_found.append(f"Force in context tables ({area or 'report start'})")
    if None not in seen:
        doc.not_found.append("Force in context (report start)")
    for pillar in parts.pillars:
        if pillar.area.id not in seen:
            doc.not_found.append(f"Force in context ({pillar.area.name})")


def read_most_similar_group(text: SourceText, doc: ParsedDocument) -> None:
    number = text.find(_MSG)
    if number is None:
        doc.not_found.append("Most similar group")
        return
    match = _MSG.search(clean(text.line(number)))
    if match is None:
        doc.not_found.append("Most similar group")
        return
    for force in names_of_forces(match.group(1)):
        if force is None:
            doc.warnings.append(
                ImportWarning(
                    code="unknown_force",
                    message=f"A force of the most similar group is not known: {match.group(1)!r}",
                    span=text.span(number),
                )
            )
        else:
            doc.most_similar_group.append(force)


def report_missing(fw: Framework, parts: Outline, doc: ParsedDocument) -> None:
    seen_pillars = {p.area.id for p in parts.pillars}
    seen_components = {c.area.id for c in parts.components}
    for area in fw.walk():
        if area.level == "pillar" and area.id not in seen_pillars:
            doc.not_found.append(f"{area.name} pillar section")
        elif area.level == "component" and area.id not in seen_components:
            doc.not_found.append(f"{area.name} section")
    if doc.hm_inspector is None:
        doc.not_found.append("HM Inspector")
    if doc.published is None:
        doc.not_found.append("Publication date")
    if doc.title is None:
        doc.not_found.append("Title")


READER = Reader(name=READER_NAME, detect=detect, read=read)
