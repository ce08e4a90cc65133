"""Reader for HMIC's PEEL effectiveness reports of 2015 and 2016 (PDF-to-text extractions).

Both reports answer one overall question ("How effective is the force at keeping people safe and
reducing crime?"), which carries the effectiveness pillar grade, through graded core questions
(four in 2015, five in 2016, the fifth ungraded). Each core question ends with a "Summary of
findings" block: the grade box, paragraphs, then "Areas for improvement" bullets and, in 2016,
"Cause of concern" with its "Recommendations". "Should" sentences in the body and the bullets of
the narrative are not findings: only the bullets under those headings are.

The extractions differ. 2015 is hard-wrapped, starts at the Overview (no title page), has
footnotes inline after a separator line of spaces, and a leading space marks each new page.
2016 has one paragraph per line, superscript footnote markers, footnote lines that can split a
paragraph, and a "Force in numbers" graphic whose values are split across lines.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from peelkit.domain.frameworks import Area, Framework
from peelkit.domain.grades import GradeScale, GradeValue
from peelkit.frameworks import load_framework
from peelkit.names import fold
from peelkit.reference.forces import get_force
from peelkit.reportimport.model import (
    ImportWarning,
    ParsedDocument,
    ParsedFigure,
    ParsedFinding,
    ParsedJudgment,
)
from peelkit.reportimport.readers import Reader
from peelkit.reportimport.readers.eras import (
    frameworks_read_by,
    grade_words,
    spelling_pattern,
    spelling_regex,
)
from peelkit.reportimport.text import (
    SourceText,
    bullet_text,
    fold_text,
    join_wrapped,
    normalise_space,
)

READER_NAME = "peel-effectiveness"  # reads the frameworks whose era.readers name it
PILLAR = "effectiveness"  # the pillar whose headline question is the "overall" question
FIN_TABLE = "Force in numbers"
ENGLAND_AND_WALES = "England and Wales"

_OVERALL_QUESTION = "how effective is the force at keeping people safe and reducing crime"
# Clues to the year: the title ("PEEL: Police effectiveness <year>", a year spelling of the
# framework) or, for extractions without a title page (2015 begins at the Overview), the number
# of core questions the introduction announces ("four in-depth questions", "five 'core'
# questions"), counted in the framework's tree.
# Words of the phrases detection looks for (each is in the text if the phrase is).
_DETECTION_WORDS = ("effective", "summary", "findings", "overall", "judgment")
_NUMBERS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")

_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUPERSCRIPT_RUN = re.compile(f"[{_SUPERSCRIPTS}]+")
_FOOTNOTE_LINE = re.compile(f"^\\s*[{_SUPERSCRIPTS}]+\\s")  # 2016: "² HMIC judgments are ..."
_NOTE_SEPARATOR = re.compile(r"^[ \t]{20,}$")  # 2015: a line of spaces opens the footnotes
_NUMBERED_NOTE = re.compile(r"^\d{1,2} \S")  # 2015: "4 HMIC inspected forces on ..."
_URL_LINE = re.compile(r"^\s*(?:https?://|www\.)\S*\s*$")
_PAGE_START = re.compile(r"^[ \t]+\S")  # 2015: a new page's first line has a leading space
# Bullet marks as the extractions print them: "•", a dash, or a Symbol-font glyph.
_MARKER = re.compile(r"(?<=[a-z\)’'”,;:.])(\d{1,2})(?=[\s,.;:)]|$)")
_YEAR_END = re.compile(r"(?<!\d)(?:19|20)\d\d$")
_EMPHASIS = re.compile(r"\*([^*\n]+)\*")
_SENTENCE_END = re.compile(r"[.;:?!]['’”)]?$|; and$")
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z‘'“])")
# Grades stated in prose, with the words of the framework's grade scale (grade_words): a single
# word after a verb ("is good"), a phrase anywhere ("requires improvement").
_GRADE_PHRASE = r"\b(?:is|be|are)\s+({single})\b|\b({phrases})\b"
_PREVIOUS_GRADE = r"assessment of ['‘’]?({any})|judged\b.*?\bto (?:be )?({any})"
_SECTION_END = re.compile(r"^\s*(?:Annex [A-Z]\b|Next steps\s*$)")
_MONTH_YEAR = re.compile(
    r"^\s*(January|February|March|April|May|June|July|August|September|October|November|"
    r"December) (\d{4})\s*$"
)
_TITLE = r"^\s*PEEL: Police effectiveness (?:{years})\s*$"
_FIN_VALUE = re.compile(r"^[+\-–−]?\d[\d,]*(?:\.\d+)?%?$|^[-–]$")
_PERIOD = re.compile(r"\s+(?:for the )?((?:\d+ years to the )?12 months to .*|as at .*)$")


# --- detection --------------------------------------------------------------------------------


def detect(text: SourceText) -> str | None:
    """``peel-2015`` or ``peel-2016`` for a PEEL effectiveness report of that year, else None."""
    joined = " ".join(text.lines)
    # Folding a whole report takes a while: a text without the words is passed over first.
    letters = _letters(joined)
    if not all(word in letters for word in _DETECTION_WORDS):
        return None
    folded = fold_text(joined)
    if _OVERALL_QUESTION not in folded or "summary of findings" not in folded:
        return None  # web pages and the integrated 2018/19 report have no such blocks
    if "overall judgment" not in folded:
        return None
    head = fold(" ".join(text.lines[:60]))
    frameworks = frameworks_read_by(READER_NAME)
    for fw in frameworks:
        years = spelling_pattern(fold(s) for s in fw.year_spellings)
        if re.search(rf"\bpolice effectiveness {years}", head):  # a title page names the year
            return fw.id
    for fw in frameworks:
        count = len(_question_areas(fw))
        if count <= len(_NUMBERS) and re.search(
            rf"\b{_NUMBERS[count - 1]} (?:in depth |core )?questions\b", folded
        ):  # no title page (2015): the number of core questions tells
            return fw.id
    return None


# --- cleaning ---------------------------------------------------------------------------------


def _strip_markers(text: str) -> str:
    """Drop footnote numbers glued to words ("people,2", "crime3", "2015.19") and superscripts.

    A number after a decimal point or thousands comma ("£1.58", "3.3") is kept unless what
    precedes the point is a year, which a note number follows at the end of a sentence.
    """

    def drop(match: re.Match[str]) -> str:
        before = text[: match.start()]
        if before.endswith(("'", "’")) and not before[-2:-1].strip():
            return match.group(0)  # an opening quote: "'4 Ps'"
        if (
            before.endswith((".", ","))
            and before[-2:-1].isdigit()
            and not _YEAR_END.search(before[:-1])
        ):
            return match.group(0)
        return ""

    text = _SUPERSCRIPT_RUN.sub("", text)
    return _MARKER.sub(drop, text)


def _clean(text: str) -> str:
    return normalise_space(_strip_markers(_EMPHASIS.sub(r"\1", text)))


def _furniture(lines: Sequence[str]) -> list[bool]:
    """For each line, whether it is footnote or link furniture rather than the report's text."""
    mask = [False] * len(lines)
    in_notes = after_blank = False
    for index, line in enumerate(lines):
        if _NOTE_SEPARATOR.match(line):
            in_notes, after_blank, mask[index] = True, False, True
            continue
        if in_notes:
            if not line.strip():
                after_blank = mask[index] = True
                continue
            # The notes end where the next page starts, or where text that is neither a link
            # nor a numbered note follows a blank line (a table placed at the top of a page).
            ends = _PAGE_START.match(line) or (
                after_blank and not _URL_LINE.match(line) and not _NUMBERED_NOTE.match(line)
            )
            if not ends:
                mask[index] = True
                continue
            in_notes = False
        if _URL_LINE.match(line) or _FOOTNOTE_LINE.match(line):
            mask[index] = True
    return mask


# --- the document as blocks -------------------------------------------------------------------


@dataclass
class _Block:
    first: int  # 1-based line numbers
    last: int
    text: str


@dataclass
class _Section:
    area: Area
    heading: int
    summary: int
    end: int  # first line after the section


class _Document:
    """The source text with its furniture marked, and the block readers the sections need."""

    def __init__(self, text: SourceText) -> None:
        self.text = text
        self.lines = text.lines
        self.mask = _furniture(text.lines)

    def content(self, number: int) -> str | None:
        """Line ``number``'s text, or None for furniture."""
        return None if self.mask[number - 1] else self.lines[number - 1]

    def next_content(self, start: int, end: int) -> int | None:
        """The first non-blank content line from ``start`` (inclusive) before ``end``."""
        for number in range(start, min(end, len(self.lines) + 1)):
            line = self.content(number)
            if line is not None and line.strip():
                return number
        return None

    def paragraph(self, start: int, end: int) -> _Block | None:
        """The paragraph beginning at ``start``, rejoined across footnotes and page breaks."""
        found = self._paragraph_lines(start, end)
        if found is None:
            return None
        first, last, parts = found
        return _Block(first, last, _clean(join_wrapped(parts)))

    def _paragraph_lines(self, start: int, end: int) -> tuple[int, int, list[str]] | None:
        """The first and last line of the paragraph beginning at ``start``, and its lines."""
        first = self.next_content(start, end)
        if first is None:
            return None
        parts: list[str] = []
        last = number = first
        while number < end and number <= len(self.lines):
            line = self.content(number)
            if line is None or not line.strip():
                following = self.next_content(number, end)
                if following is None or not _continues(parts, self.lines[following - 1]):
                    break
                number = following
                continue
            if parts and bullet_text(line) is not None:
                break  # a list straight after its lead-in
            parts.append(line)
            last = number
            number += 1
        return first, last, parts

    def paragraphs(
        self, start: int, end: int, having: re.Pattern[str] | None = None
    ) -> list[_Block]:
        """The paragraphs from ``start``; with ``having``, only those with a line it finds.

        Rejoining and cleaning a paragraph's text is most of the work: a reader that wants
        only the paragraphs that mention something (a year) has the others passed over. (What
        cleaning does, dropping note markers and joining lines, never makes a match where no
        line has one.)"""
        blocks: list[_Block] = []
        number = start
        while (found := self._paragraph_lines(number, end)) is not None:
            first, last, parts = found
            if having is None or any(having.search(part) for part in parts):
                blocks.append(_Block(first, last, _clean(join_wrapped(parts))))
            number = last + 1
        return blocks

    def bullets(self, start: int, end: int) -> list[_Block]:
        """The bullets from ``start``, each rejoined; the list ends at the first other text."""
        items: list[tuple[int, int, list[str]]] = []
        for number in range(start, min(end, len(self.lines) + 1)):
            line = self.content(number)
            if line is None or not line.strip():
                continue
            item = bullet_text(line)
            if item is not None:
                items.append((number, number, [item]))
            elif items and _continues(items[-1][2], line):
                first, _, parts = items[-1]
                items[-1] = (first, number, [*parts, line])
            else:
                break
        return [_Block(first, last, _clean(join_wrapped(parts))) for first, last, parts in items]


def _continues(parts: Sequence[str], line: str) -> bool:
    """Whether ``line`` carries on the text in ``parts`` (cut by a wrap, note or page break)."""
    if not parts:
        return True
    stripped = line.strip()
    if bullet_text(line) is not None or not stripped:
        return False
    unfinished = not _SENTENCE_END.search(normalise_space(parts[-1]))
    return unfinished or stripped[0].islower()


# --- structure --------------------------------------------------------------------------------


def _question_areas(fw: Framework) -> list[Area]:
    pillar = fw.area(PILLAR)
    return [area for area in pillar.children if area.level == "question"]


def _question_headings(doc: _Document, areas: Sequence[Area]) -> list[tuple[int, int, Area]]:
    """Every place a core question is printed as a heading (wrapped over up to five lines)."""
    wordings = {fold(s): area for area in areas for s in area.spellings() if s.endswith("?")}
    longest = max((len(key) for key in wordings), default=0)
    found: list[tuple[int, int, Area]] = []
    for number, line in enumerate(doc.lines, start=1):
        # (folding every line of the report was most of the time taken: a line that cannot
        # fold to "how effective ..." is passed over first)
        if not _HOW_EFFECTIVE.match(_letters(line)) or not fold(line).startswith("how effective"):
            continue
        joined = ""
        for last in range(number, min(number + 5, len(doc.lines) + 1)):
            piece = doc.lines[last - 1]
            if not piece.strip():
                break
            joined = fold(f"{joined} {piece}")
            if joined in wordings:
                found.append((number, last, wordings[joined]))
                break
            if len(joined) > longest:
                break
    return found


# What a line folding to "how effective ..." starts with, in lower case (fold makes "&" a word).
_HOW_EFFECTIVE = re.compile(r"[^a-z0-9&]*how[^a-z0-9&]+effective")


def _letters(line: str) -> str:
    """The line in lower case, apostrophes dropped: a word :func:`fold` finds is in it."""
    return line.lower().replace("'", "").replace("’", "")


def _sections(
    doc: _Document, areas: Sequence[Area]
) -> tuple[list[_Section], list[tuple[int, str]]]:
    """Each core question's section, found from its "Summary of findings" back to its heading."""
    headings = _question_headings(doc, areas)
    ends = [n for n, line in enumerate(doc.lines, start=1) if _SECTION_END.match(line)]
    sections: list[_Section] = []
    problems: list[tuple[int, str]] = []
    for summary, line in enumerate(doc.lines, start=1):
        if line.strip() != "Summary of findings":
            continue
        before = [h for h in headings if h[1] < summary]
        if not before:
            problems.append((summary, "a summary of findings under no core question"))
            continue
        heading, _, area = before[-1]
        if any(s.area.id == area.id for s in sections):
            problems.append((summary, f"a second summary of findings for {area.name}"))
            continue
        later = [h[0] for h in headings if h[0] > summary] + [e for e in ends if e > summary]
        end = min(later, default=len(doc.lines) + 1)
        sections.append(_Section(area, heading, summary, end))
    return sections, problems


# --- judgments --------------------------------------------------------------------------------


@dataclass
class _Grade:
    value: GradeValue
    printed: str
    line: int


def _grade_box(doc: _Document, scale: GradeScale, after: int) -> tuple[_Grade | None, int | None]:
    """The grade printed in the box after line ``after``, and the first line of text after it."""
    number = doc.next_content(after + 1, after + 8)
    if number is None:
        return None, None
    printed = normalise_space(doc.lines[number - 1])
    value = scale.find(printed)
    return (_Grade(value, printed, number), number) if value else (None, number)


@cache
def _pattern(template: str, scale: GradeScale) -> re.Pattern[str]:
    words = grade_words(scale)
    pattern = template.format(single=words.single, phrases=words.phrases, any=words.any)
    return re.compile(pattern, re.IGNORECASE)


def _grade_in_sentence(scale: GradeScale, sentence: str) -> tuple[GradeValue, str] | None:
    match = _pattern(_GRADE_PHRASE, scale).search(sentence)
    if not match:
        return None
    printed = match.group(1) or match.group(2)
    value = grade_words(scale).value(printed)
    return (value, printed) if value else None


class _Reading:
    """One read of one document: the parsed document being filled in."""

    def __init__(self, text: SourceText, framework_id: str, force_id: str) -> None:
        self.text = text
        self.doc = _Document(text)
        self.fw = load_framework(framework_id)
        scale = self.fw.grade_scale
        if scale is None:  # both PEEL frameworks are graded; a broken framework file is a bug
            raise ValueError(f"framework {framework_id} has no grade scale")
        self.scale = scale
        self.force_id = force_id
        self.parsed = ParsedDocument(
            source=text.source_info(),
            force=force_id,
            framework=framework_id,
            period=self.fw.period,
        )

    def warn(
        self, code: str, message: str, first: int, last: int | None = None, row: str | None = None
    ) -> None:
        self.parsed.warnings.append(
            ImportWarning(code=code, message=message, row=row, span=self.text.span(first, last))
        )

    def judgment(
        self, area: Area, grade: _Grade, first: int, previous: GradeValue | None = None
    ) -> ParsedJudgment:
        return ParsedJudgment(
            area=area.id,
            level=area.level,
            grade=grade.value.id,
            grade_as_printed=grade.printed,
            previous_grade=previous.id if previous else None,
            span=self.text.span(first, max(first, grade.line)),
        )

    # -- title page --

    def read_title_page(self) -> None:
        years = spelling_pattern(self.fw.year_spellings)
        title_line = self.text.find(_TITLE.format(years=years), end=60)
        if title_line is None:
            self.parsed.not_found.append("Title page")
        else:
            subtitle = self.doc.next_content(title_line + 1, title_line + 4)
            title = normalise_space(self.text.line(title_line))
            if subtitle and self.text.line(subtitle).strip().startswith("An inspection of"):
                title = f"{title} – {normalise_space(self.text.line(subtitle))}"
            self.parsed.title = title
        # The title page prints only a month and year ("March 2017"): the date is the first
        # of that month, the finest date the document supports.
        date_line = self.text.find(_MONTH_YEAR, end=60)
        if date_line is None:
            self.parsed.not_found.append("Publication date")
            return
        match = _MONTH_YEAR.match(self.text.line(date_line))
        if match:
            month = dt.datetime.strptime(match.group(1), "%B").month
            self.parsed.published = dt.date(int(match.group(2)), month, 1)

    # -- overall --

    def read_overall(self) -> None:
        pillar = self.fw.area(PILLAR)
        box = self.text.find(r"^\s*Overall judgment")
        if box is None:
            self.parsed.not_found.append("Overall judgment")
            return
        grade, first_text = _grade_box(self.doc, self.scale, box)
        statement = None
        if grade is not None:
            statement = self.doc.paragraph(grade.line + 1, grade.line + 40)
        elif first_text is not None:
            statement = self.doc.paragraph(first_text, first_text + 40)
            if statement is not None:
                grade = self.overall_from_statement(box, statement)
        if grade is None:
            self.parsed.not_found.append("Overall judgment grade")
            return
        previous = None
        if statement and re.search(r"same as last year", statement.text, re.IGNORECASE):
            previous = grade.value  # "Our overall judgment is the same as last year."
        self.parsed.judgments.append(self.judgment(pillar, grade, box, previous))

    def overall_from_statement(self, box: int, statement: _Block) -> _Grade | None:
        """The 2016 grade box is blank in the extraction: read the grade from the statement."""
        first_sentence = _SENTENCE_SPLIT.split(statement.text)[0]
        found = _grade_in_sentence(self.scale, first_sentence)
        if found is None:
            return None
        value, printed = found
        self.warn(
            "grade_box_blank",
            f"the overall judgment box is blank; grade '{value.label}' read from the sentence "
            "after it",
            box,
            statement.first,
            row="Overall judgment",
        )
        return _Grade(value, printed, statement.first)

    # -- core questions --

    def read_questions(self) -> None:
        areas = _question_areas(self.fw)
        sections, problems = _sections(self.doc, areas)
        for line, problem in problems:
            self.warn("unexpected_structure", problem, line)
        if sections and max(s.end for s in sections) > len(self.text.lines):
            # The last question runs to the end of the text: the annex (or "Next steps") that
            # follows it in every report is missing, so the text may be cut short in it.
            self.parsed.not_found.append(
                "Annex or next steps after the last core question (is the text cut short?)"
            )
        summary_table = self.read_summary_table(areas)
        by_area = {section.area.id: section for section in sections}
        for area in areas:
            section = by_area.get(area.id)
            if section is None:
                self.parsed.not_found.append(f"Summary of findings of '{area.name}'")
                if area.id in summary_table:
                    self.parsed.judgments.append(
                        self.judgment(area, summary_table[area.id], summary_table[area.id].line)
                    )
                continue
            self.read_question(section, summary_table.get(area.id))

    def read_question(self, section: _Section, in_table: _Grade | None) -> None:
        grade, _ = _grade_box(self.doc, self.scale, section.summary)
        if grade is None:
            self.parsed.not_found.append(f"Grade of '{section.area.name}'")
            grade = in_table
        elif in_table is not None and in_table.value.id != grade.value.id:
            self.warn(
                "grade_mismatch",
                f"the overall summary prints '{in_table.printed}' for {section.area.name} but its "
                f"summary of findings prints '{grade.printed}'",
                in_table.line,
                row=section.area.name,
            )
        if grade is not None:
            previous = self.previous_grade(section)
            self.parsed.judgments.append(
                self.judgment(section.area, grade, section.summary, previous)
            )
        self.read_findings(section)

    def read_summary_table(self, areas: Sequence[Area]) -> dict[str, _Grade]:
        """2016's "Overall summary" table: question, tab, grade (a check and a fallback)."""
        wordings = {fold(s): area for area in areas for s in area.spellings()}
        grades: dict[str, _Grade] = {}
        for number, line in enumerate(self.text.lines, start=1):
            cells = [c.strip() for c in line.split("\t") if c.strip()]
            if len(cells) != 2 or fold(cells[0]) not in wordings:
                continue
            value = self.scale.find(cells[1])
            area = wordings[fold(cells[0])]
            if value is not None and area.id not in grades:
                grades[area.id] = _Grade(value, cells[1], number)
        return grades

    def previous_grade(self, section: _Section) -> GradeValue | None:
        """The grade the report says the question had the year before, where it says so."""
        if self.fw.predecessor is None:
            return None
        last_year = spelling_regex(load_framework(self.fw.predecessor).year_spellings)
        previous = _pattern(_PREVIOUS_GRADE, self.scale)
        for block in self.doc.paragraphs(section.heading, section.end, having=last_year):
            for sentence in _SENTENCE_SPLIT.split(block.text):
                if not last_year.search(sentence):
                    continue
                match = previous.search(sentence)
                if match:
                    return grade_words(self.scale).value(match.group(1) or match.group(2))
        return None

    # -- findings --

    def heading_line(self, label: str | tuple[str, ...], section: _Section) -> int | None:
        labels = (label,) if isinstance(label, str) else label
        for number in range(section.summary, section.end):
            if normalise_space(self.text.line(number)) in labels:
                return number
        return None

    def read_findings(self, section: _Section) -> None:
        afi = self.heading_line("Areas for improvement", section)
        if afi is not None:
            items = self.doc.bullets(afi + 1, section.end)
            if not items:
                self.parsed.not_found.append(f"Areas for improvement of '{section.area.name}'")
            for block in items:
                self.add_finding("area_for_improvement", block, section, "Areas for improvement")
        concern = self.heading_line(("Cause of concern", "Causes of concern"), section)
        concern_index = None
        recommendations = self.heading_line("Recommendations", section)
        if concern is not None:
            stop = recommendations if recommendations is not None else section.end
            blocks = self.doc.paragraphs(concern + 1, stop)
            if blocks:
                joined = _Block(blocks[0].first, blocks[-1].last, " ".join(b.text for b in blocks))
                concern_index = len(self.parsed.findings)
                self.add_finding("cause_of_concern", joined, section, "Cause of concern")
                listed = [
                    n
                    for n in range(joined.first, joined.last + 1)
                    if bullet_text(self.text.line(n)) is not None
                ]
                if recommendations is None and listed:
                    self.warn(
                        "unexpected_structure",
                        f"the cause of concern of '{section.area.name}' runs into a list (its "
                        '"Recommendations" line missing?); the list is read as part of it',
                        listed[0],
                        listed[-1],
                        row=section.area.name,
                    )
            else:
                self.parsed.not_found.append(f"Cause of concern of '{section.area.name}'")
        if recommendations is not None:
            self.read_recommendations(recommendations, section, concern_index)
        self.check_bullets_read(section)

    def check_bullets_read(self, section: _Section) -> None:
        """Bullets of a summary of findings that no heading introduces (its "Areas for
        improvement" or "Recommendations" line missing) are not read: say so."""
        read = {
            number
            for finding in self.parsed.findings
            if finding.area == section.area.id and finding.span is not None
            for number in range(finding.span.line_start, finding.span.line_end + 1)
        }
        unread = [
            number
            for number in range(section.summary + 1, min(section.end, len(self.text.lines) + 1))
            if number not in read and bullet_text(self.text.line(number)) is not None
        ]
        if unread:
            self.warn(
                "unexpected_structure",
                f"{len(unread)} bullet{'s' if len(unread) > 1 else ''} in the summary of findings "
                f"of '{section.area.name}' under no heading (an \"Areas for improvement\" or "
                '"Recommendations" line missing?); not read',
                unread[0],
                unread[-1],
                row=section.area.name,
            )

    def read_recommendations(
        self, heading: int, section: _Section, concern_index: int | None
    ) -> None:
        lead_in = self.doc.paragraph(heading + 1, section.end)
        if lead_in is not None and bullet_text(self.text.line(lead_in.first)) is not None:
            lead_in = None  # no lead-in: the bullets follow the heading at once
        start = lead_in.last + 1 if lead_in else heading + 1
        items = self.doc.bullets(start, section.end)
        if not items:
            self.parsed.not_found.append(f"Recommendations of '{section.area.name}'")
        elif concern_index is None:
            self.warn(
                "recommendation_without_concern",
                f"the recommendations of '{section.area.name}' follow no cause of concern",
                heading,
                row=section.area.name,
            )
        for block in items:
            self.add_finding(
                "recommendation",
                block,
                section,
                "Recommendations",
                lead_in=lead_in.text if lead_in else None,
                cause_of_concern=concern_index,
            )

    def add_finding(
        self,
        kind: str,
        block: _Block,
        section: _Section,
        heading: str,
        lead_in: str | None = None,
        cause_of_concern: int | None = None,
    ) -> None:
        text = block.text
        if kind == "recommendation":
            # List punctuation joins the bullets to the lead-in; it is not part of any one item.
            text = re.sub(r";(?: and)?$", "", text).rstrip()
        self.parsed.findings.append(
            ParsedFinding(
                kind=kind,
                text=text,
                area=section.area.id,
                heading=heading,
                lead_in=lead_in,
                cause_of_concern=cause_of_concern,
                span=self.text.span(block.first, block.last),
            )
        )

    # -- force in numbers --

    def read_force_in_numbers(self) -> None:
        start = self.text.find(r"^\s*Force in numbers\s*$")
        if start is None:
            self.parsed.not_found.append(FIN_TABLE)
            return
        end = (
            self.text.find(
                r"^\s*(?:Introduction|Overview\b)|For further information about", start + 1
            )
            or len(self.text.lines) + 1
        )
        figures = _FinParser(self, force_labels(self.force_id)).parse(start + 1, end)
        if not figures:
            self.parsed.not_found.append(FIN_TABLE)
        self.parsed.figures.extend(figures)


def force_labels(force_id: str) -> set[str]:
    """The folded names the force's column may be printed under."""
    force = get_force(force_id)
    return {fold(n) for n in (force.name, force.short_name, *force.aliases) if n}


@dataclass
class _Printed:
    text: str
    line: int


class _FinParser:
    """The Force in numbers graphic: group headings, measures, then labels and values in turn.

    The extraction prints each measure, then its two labels and two values either alternating
    (label, value, label, value) or labels first then values: values pair with labels in order.
    """

    def __init__(self, reading: _Reading, force_names: set[str]) -> None:
        self.reading = reading
        self.force_names = force_names

    def parse(self, start: int, end: int) -> list[ParsedFigure]:
        figures: list[ParsedFigure] = []
        texts: list[_Printed] = []
        labels: list[_Printed] = []
        values: list[_Printed] = []
        measure: _Printed | None = None
        group = ""
        starred: list[ParsedFigure] = []  # figures of a group whose heading ends with "*"
        for number in range(start, end):
            line = normalise_space(self.reading.text.line(number))
            if not line:
                continue
            if _FIN_VALUE.match(line):
                values.append(_Printed(line, number))
            elif fold(line) in self.force_names or line == ENGLAND_AND_WALES:
                if measure is None and texts:
                    if values:  # values before the measure's first label: a figure's rest
                        self.incomplete(None, labels, values)
                        labels, values = [], []
                    measure = texts[-1]
                    group = texts[-2].text if len(texts) >= 2 else group
                labels.append(_Printed(line, number))
            elif line.startswith("*"):
                _apply_note(line, starred)
                starred = []
            else:
                if measure is not None:  # the next measure before this one's labels and values
                    self.incomplete(measure, labels, values)
                    texts, labels, values, measure = [], [], [], None
                texts.append(_Printed(line, number))
            if measure is not None and len(values) == 2 and len(labels) == 2:
                figure = self.figure(measure, labels, values)
                figures.append(figure)
                if group.endswith("*"):
                    starred.append(figure)
                texts, labels, values, measure = [], [], [], None
        return figures

    def incomplete(
        self, measure: _Printed | None, labels: list[_Printed], values: list[_Printed]
    ) -> None:
        """A figure whose labels or values are not all printed (a line missing): not read,
        and said (values must not pair with the next figure's labels)."""
        printed = [p.line for p in (*labels, *values)] or [measure.line if measure else 0]
        first = min(printed + ([measure.line] if measure else []))
        name = f'"{measure.text}"' if measure else "a figure before the next measure"
        self.reading.warn(
            "unexpected_structure",
            f"{FIN_TABLE}: {name} has {len(labels)} of 2 labels and {len(values)} of 2 values "
            "(a line missing?); it is not read",
            first,
            max(printed),
            row=measure.text if measure else None,
        )

    def figure(
        self, measure: _Printed, labels: list[_Printed], values: list[_Printed]
    ) -> ParsedFigure:
        pairs = dict(zip((label.text for label in labels), values, strict=True))
        comparator = pairs.get(ENGLAND_AND_WALES)
        force = next((v for k, v in pairs.items() if k != ENGLAND_AND_WALES), None)
        name, period = _measure_and_period(measure.text)
        printed = [v.text for v in values]
        last = max(v.line for v in values)
        return ParsedFigure(
            measure=name,
            comparator="england_and_wales",
            table=FIN_TABLE,
            period=period,
            unit=_unit(name, printed),
            force_value_as_printed=force.text if force else None,
            force_value=_number(force.text) if force else None,
            comparator_label=ENGLAND_AND_WALES,
            comparator_value_as_printed=comparator.text if comparator else None,
            comparator_value=_number(comparator.text) if comparator else None,
            span=self.reading.text.span(measure.line, last),
        )


def _apply_note(note: str, figures: list[ParsedFigure]) -> None:
    """A starred note ("*Figures are shown as ... in the 12 months to 30 June 2016.") gives the
    period of the figures of its group that print none."""
    match = re.search(r"(12 months to \d{1,2} \w+ \d{4})", note)
    if not match:
        return
    for figure in figures:
        if figure.period is None:
            figure.period = match.group(1)


def _measure_and_period(printed: str) -> tuple[str, str | None]:
    match = _PERIOD.search(printed)
    if not match:
        return printed, None
    return printed[: match.start()].strip(), match.group(1).strip()


def _unit(measure: str, values: Sequence[str]) -> str | None:
    if any(v.endswith("%") for v in values):
        return "percent"
    for unit in ("per 1,000 population", "per 1,000 households", "per million population"):
        if unit in measure:
            return unit
    return None


def _number(printed: str) -> float | None:
    text = printed.replace("−", "-").replace("–", "-").rstrip("%").replace(",", "")
    try:
        return float(text)
    except ValueError:
        return None  # "-": the force could not supply the figure


# --- entry point ------------------------------------------------------------------------------


def read(text: SourceText, framework_id: str, force_id: str) -> ParsedDocument:
    """The grades, findings and Force in numbers figures of a 2015 or 2016 report."""
    reading = _Reading(text, framework_id, force_id)
    reading.read_title_page()
    reading.read_overall()
    reading.read_questions()
    reading.read_force_in_numbers()
    return reading.parsed


READER = Reader(name=READER_NAME, detect=detect, read=read)
