"""The Findings section and the "Summary of Judgements" table of a 2005 baseline assessment.

The Findings give, for each of the 27 framework areas, a heading ``code name``, the delivery
grade and direction of travel (on one tab-separated line or on two lines), then a "Strengths"
and an "Areas for Improvement" bullet list. A domain heading (``3 Investigating Crime (Domain
2)``) and its summary paragraph sit between the areas; the paragraph is not a finding.

Page breaks fall inside bullets: the running header ("<force> – Baseline Assessment" / "October
2005") is dropped and the lines after it are joined to the bullet they continue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from peelkit.domain.frameworks import Area, Framework
from peelkit.reportimport.model import ImportWarning, ParsedFinding
from peelkit.reportimport.text import SourceText, bullet_text, join_wrapped, normalise_space

MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
# The running header of every page, printed in italics ("*...*") on most pages.
RUNNING_HEADER = re.compile(r"^\*?[^\t*]+ [–-] Baseline Assessment\*?\s*$")
RUNNING_DATE = re.compile(rf"^\*?(?:{MONTHS}) \d{{4}}\*?\s*$")

STRENGTHS = "strength"
AREAS_FOR_IMPROVEMENT = "area_for_improvement"
LIST_HEADINGS = {
    "strengths": STRENGTHS,
    "areas for improvement": AREAS_FOR_IMPROVEMENT,
}

_AREA_HEADING = re.compile(r"^([1-7][A-Z]) (\S.*)$")
_DOMAIN_HEADING = re.compile(r"^([1-7]) (\S.*?)(?: \((?:PPAF )?[Dd]omain \w+\))?\**$")
_APPENDIX_1 = re.compile(r"^Appendix 1\b")
_SUMMARY_HEADER = re.compile(r"^Summary of Judgements\s*\t")
_SEPARATOR = re.compile(r"^[-–—\s]+$")
_SENTENCE_END = re.compile(r"[.!?][’'\")\]]*$")
_EMPHASIS = re.compile(r"\*([^*\s][^*]*?)\*")

# Directions printed outside the scale, and the scale value each unambiguously means.
NEAREST_DIRECTION = {"improving": "improved", "deteriorating": "deteriorated"}


def is_furniture(line: str) -> bool:
    stripped = line.strip()
    return bool(RUNNING_HEADER.match(stripped) or RUNNING_DATE.match(stripped))


@dataclass
class PrintedJudgment:
    """The grade and direction words printed for one area, where they were printed."""

    area: Area
    first_line: int
    last_line: int
    grade: str | None = None
    direction: str | None = None
    grade_line: int | None = None


@dataclass
class FindingsSection:
    judgments: dict[str, PrintedJudgment] = field(default_factory=dict)  # by area id
    findings: list[ParsedFinding] = field(default_factory=list)
    # area id -> finding kinds seen, to report lists that are missing
    lists: dict[str, set[str]] = field(default_factory=dict)
    found: bool = False


def area_heading(line: str, framework: Framework) -> Area | None:
    """The area a line heads ("3A Investigating Major and Serious Crime"), if it is one."""
    if "\t" in line:
        return None  # framework and summary table rows carry tabs; headings do not
    match = _AREA_HEADING.match(line.strip())
    if not match:
        return None
    area = _resolve(framework, match.group(2))
    return area if area is not None and area.id == match.group(1) else None


def domain_heading(line: str, framework: Framework) -> Area | None:
    if "\t" in line:
        return None
    match = _DOMAIN_HEADING.match(line.strip())
    if not match:
        return None
    area = _resolve(framework, match.group(2))
    return area if area is not None and area.id == match.group(1) else None


def _resolve(framework: Framework, name: str) -> Area | None:
    # find_area, not resolve_area: a miss must not rank suggestions (a fuzzy match per
    # spelling, slow on long lines), as every candidate heading line is tried here.
    return framework.find_area(name)


def is_direction_word(word: str, framework: Framework) -> bool:
    scale = framework.direction_scale
    found = scale.find(word) if scale else None
    return found is not None or word.lower() in NEAREST_DIRECTION


def clean_finding(parts: list[str]) -> str:
    """A bullet's text from its pieces: wrapped lines joined, italics markup (``*Title*``) gone.

    No footnote-marker stripping: this report has no footnotes, and the generic rule would eat
    the "33" of ratios printed "1:1.33".
    """
    return _EMPHASIS.sub(r"\1", join_wrapped(parts))


class _FindingsParser:
    """A line-by-line state machine over the Findings section."""

    def __init__(self, text: SourceText, framework: Framework) -> None:
        self.text = text
        self.framework = framework
        self.section = FindingsSection()
        self.area: PrintedJudgment | None = None
        self.kind: str | None = None
        self.heading: str | None = None
        self.in_grades = False
        self.parts: list[str] = []
        self.first = 0
        self.last = 0

    def run(self, start: int, end: int) -> FindingsSection:
        for number in range(start, end + 1):
            self.line(number, self.text.line(number))
        self.flush()
        return self.section

    def line(self, number: int, line: str) -> None:
        stripped = line.strip()
        if not stripped or is_furniture(stripped):
            return  # blank lines and page furniture never end a bullet
        area = area_heading(line, self.framework)
        if area is not None:
            self.start_area(area, number)
            return
        if domain_heading(line, self.framework) is not None:
            self.flush()
            self.area, self.kind = None, None  # the domain summary is not a finding
            return
        if self.area is None:
            return
        self.area.last_line = number
        kind = LIST_HEADINGS.get(stripped.lower())
        if kind is not None:
            self.flush()
            self.kind, self.heading, self.in_grades = kind, None, False
            self.section.lists.setdefault(self.area.area.id, set()).add(kind)
            return
        if self.kind is None:
            if self.in_grades:
                self.grade_line(number, line)
            return  # paragraphs before any list (1D's explanation) are not findings
        self.list_line(number, stripped)

    def start_area(self, area: Area, number: int) -> None:
        self.flush()
        self.section.found = True
        self.area = PrintedJudgment(area=area, first_line=number, last_line=number)
        self.section.judgments.setdefault(area.id, self.area)
        self.kind, self.heading, self.in_grades = None, None, True

    def grade_line(self, number: int, line: str) -> None:
        """Grade and direction: "Fair\\tStable" on one line or "Good" then "Improved"."""
        assert self.area is not None
        if _SEPARATOR.match(line):
            return
        cells = [normalise_space(c) for c in line.split("\t") if c.strip()]
        scale = self.framework.grade_scale
        recognised = False
        for cell in cells:
            if self.area.grade is None and scale is not None and scale.find(cell) is not None:
                self.area.grade, self.area.grade_line = cell, number
                recognised = True
            elif self.area.direction is None and is_direction_word(cell, self.framework):
                self.area.direction = cell
                recognised = True
        if not recognised:
            self.in_grades = False  # a paragraph: this area prints no grade (1D)

    def list_line(self, number: int, stripped: str) -> None:
        text = bullet_text(stripped)
        if text is not None:
            self.flush()
            self.parts, self.first, self.last = [text], number, number
        elif self.is_sub_heading(stripped):
            self.flush()
            self.heading = stripped
        elif self.parts:
            # An unbulleted line inside a list continues the bullet before it: a bullet broken
            # by a page break, or (2C) a paragraph the report prints under a bullet.
            self.parts.append(stripped)
            self.last = number
        else:
            self.parts, self.first, self.last = [stripped], number, number

    def is_sub_heading(self, stripped: str) -> bool:
        """Short title-like lines after a finished bullet ("Major Crime" in 3A's strengths)."""
        words = stripped.split()
        if len(words) > 6 or not stripped[0].isupper() or stripped[-1] in ".,;:!?)":
            return False
        return not self.parts or bool(_SENTENCE_END.search(self.parts[-1]))

    def flush(self) -> None:
        if self.parts and self.area is not None and self.kind is not None:
            self.section.findings.append(
                ParsedFinding(
                    kind=self.kind,
                    text=clean_finding(self.parts),
                    area=self.area.area.id,
                    heading=self.heading,
                    span=self.text.span(self.first, self.last),
                )
            )
        self.parts = []


def findings_bounds(text: SourceText, framework: Framework) -> tuple[int, int] | None:
    """First and last line of the Findings: first area or domain heading to Appendix 1."""
    start = None
    for number, line in enumerate(text.lines, start=1):
        if area_heading(line, framework) or domain_heading(line, framework):
            start = number
            break
    if start is None:
        return None
    appendix = text.find(_APPENDIX_1, start=start)
    return start, (appendix - 1 if appendix else len(text.lines))


def read_findings(text: SourceText, framework: Framework) -> FindingsSection:
    bounds = findings_bounds(text, framework)
    if bounds is None:
        return FindingsSection()
    return _FindingsParser(text, framework).run(*bounds)


def read_summary_table(text: SourceText, framework: Framework) -> dict[str, PrintedJudgment]:
    """The "Summary of Judgements" table: one row per area, grade and direction cells."""
    header = text.find(_SUMMARY_HEADER)
    rows: dict[str, PrintedJudgment] = {}
    if header is None:
        return rows
    for number in range(header + 1, len(text.lines) + 1):
        line = text.line(number)
        if not line.strip():
            break
        cells = [normalise_space(c) for c in line.split("\t")]
        match = _AREA_HEADING.match(cells[0])
        if not match:
            continue  # domain rows ("1 Citizen Focus")
        area = _resolve(framework, match.group(2))
        if area is None or area.id != match.group(1):
            area = _resolve(framework, match.group(1))
        if area is None:
            continue
        grade = cells[1] if len(cells) > 1 and cells[1] else None
        direction = cells[2] if len(cells) > 2 and cells[2] else None
        rows[area.id] = PrintedJudgment(area, number, number, grade, direction, number)
    return rows


def outside_scale_warning(
    word: str, meaning: str | None, table: str, row: str, column: str, line: int, text: SourceText
) -> ImportWarning:
    reading = f'read as "{meaning}"' if meaning else "left without a value"
    return ImportWarning(
        code="grade_outside_scale",
        message=f'"{word}" is not on the framework\'s scale; {reading}',
        table=table,
        row=row,
        column=column,
        span=text.span(line),
    )
