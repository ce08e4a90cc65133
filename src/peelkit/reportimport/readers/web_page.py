"""Reader for HMICFRS's per-force PEEL web pages (2015 to 2018/19), saved as text.

It reads the frameworks whose ``era.readers`` name ``web-page``; the years it recognises, the
year a carried-over judgment comes from and the grade words all come from the framework data.

One page covers one force, year and pillar::

    Kent PEEL 2017                       <- "<force> PEEL <year>": framework and force
    Effectiveness                        <- the pillar
    How effective is the force at ...?   <- the pillar question
    Last updated 22/03/2018              <- the publication date
    Good                                 <- the pillar grade, on its own line
    summary paragraphs
    How effective is the force at ...?   <- a core question, then either a sentence stating its
    Kent Police is good at ...              grade or one saying it was not inspected this year and
    summary lines                           the earlier grade stands (carried over)
    Areas for improvement
    - dashed or bulleted findings

A copy may have stretches cut out, marked ``[...]``. The reader takes what is there and lists in
``not_found`` what a cut hid: a grade, a question, or the rest of a question's findings.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cache

from peelkit.domain.frameworks import Area, Framework
from peelkit.errors import PeelkitError
from peelkit.frameworks import load_framework
from peelkit.reference import resolve_force
from peelkit.reportimport.model import (
    ImportWarning,
    ParsedDocument,
    ParsedFinding,
    ParsedJudgment,
)
from peelkit.reportimport.readers import Reader
from peelkit.reportimport.readers.eras import (
    grade_words,
    predecessor_period,
    spelling_pattern,
    year_map,
)
from peelkit.reportimport.readers.peel_2018_19 import resolve
from peelkit.reportimport.text import SourceText, bullet_text, join_wrapped, normalise_space

READER_NAME = "web-page"
# The first line, "<force> PEEL <year>"; the years are the spellings of the frameworks whose
# era.readers name this reader (frameworks_read_by).
HEADER = r"^(?P<force>\S.*?)\s+PEEL\s+(?P<year>{years})$"


def frameworks() -> dict[str, str]:
    """Each spelling of a year the pages print, to the framework id it denotes."""
    return year_map(READER_NAME)


def header_pattern() -> re.Pattern[str]:
    return _compiled(HEADER.format(years=spelling_pattern(frameworks())))


@cache
def _compiled(pattern: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(pattern, flags)


GAP = re.compile(r"^\[\s*(\.\.\.|…)\s*\]$")
LAST_UPDATED = re.compile(r"^Last updated:?\s+(\d{1,2})/(\d{1,2})/(\d{4})\b", re.IGNORECASE)
QUESTION = re.compile(r"^(How|To what extent|What|Is|Does)\b.*\?$")
CARRIED_OVER = re.compile(
    r"\bnot (?:been )?inspected\b|\b(?:grade|judgment)s?\b.*\bstill stands?\b"
    r"|\bcarried (?:over|forward)\b",
    re.IGNORECASE,
)
# A sentence stating a grade: a single-word grade after a verb ("is good at", "is judged to be
# adequate"), or a grade phrase anywhere ("requires improvement"); the words are those of the
# framework's grade scale (grade_words).
GRADE_SENTENCE = (
    r"\b(?:is|are|was|has been|remains)\s+(?:(?:judged|assessed|graded|rated)\s+(?:to be|as)\s+)?"
    r"(?P<word>{single})\b"
    r"|\b(?P<ri>{phrases})\b"
)
BLOCKS = {
    "areas for improvement": "area_for_improvement",
    "area for improvement": "area_for_improvement",
    "causes of concern": "cause_of_concern",
    "cause of concern": "cause_of_concern",
    "recommendations": "recommendation",
    "recommendation": "recommendation",
}
HEADINGS = {
    "area_for_improvement": "Areas for improvement",
    "cause_of_concern": "Causes of concern",
    "recommendation": "Recommendations",
}


def header(text: SourceText) -> tuple[int, re.Match[str]] | None:
    """The page's first line, "<force> PEEL <year>", and its line number."""
    for number, line in enumerate(text.lines, start=1):
        if line.strip():
            match = header_pattern().match(normalise_space(line))
            return (number, match) if match else None
    return None


def detect(text: SourceText) -> str | None:
    """The framework of a page whose first line names a known force, "PEEL" and a year."""
    found = header(text)
    if found is None:
        return None
    _, match = found
    framework = frameworks().get(normalise_space(match.group("year")))
    if framework is None:
        return None
    try:
        resolve_force(match.group("force"))
    except PeelkitError:
        return None
    return framework


def first_sentence(line: str) -> str:
    return re.split(r"(?<=[.!?:])\s+", line.strip(), maxsplit=1)[0]


# ---------------------------------------------------------------------------------------------


@dataclass
class Block:
    """A core question of the page and the lines under it."""

    area: Area | None
    question: str
    line: int
    lines: list[int] = field(default_factory=list)


class PageReader:
    def __init__(self, text: SourceText, framework_id: str, force_id: str) -> None:
        self.text = text
        self.fw: Framework = load_framework(framework_id)
        self.doc = ParsedDocument(
            source=text.source_info(),
            force=force_id,
            framework=framework_id,
            period=self.fw.period,
        )
        # the grade words of the framework's scale, as sentences and lone lines state them
        self.words = grade_words(self.fw.grade_scale) if self.fw.grade_scale else None
        # the non-blank lines, by number: the page's layout is one item a line
        self.numbers = [i for i, line in enumerate(text.lines, start=1) if line.strip()]

    def line(self, number: int) -> str:
        return normalise_space(self.text.line(number))

    def resolve(self, name: str) -> Area | None:
        return resolve(self.fw, name)

    def grade_id(self, word: str) -> str | None:
        value = self.words.value(word) if self.words else None
        return value.id if value else None

    def grade_sentence(self) -> re.Pattern[str] | None:
        if self.words is None:
            return None
        pattern = GRADE_SENTENCE.format(single=self.words.single, phrases=self.words.phrases)
        return _compiled(pattern, re.IGNORECASE)

    def grade_word_pattern(self) -> re.Pattern[str] | None:
        if self.words is None:
            return None
        return _compiled(rf"\b({self.words.any})\b", re.IGNORECASE)

    # -- the page head ------------------------------------------------------------------------

    def read(self) -> ParsedDocument:
        found = header(self.text)
        position = 0
        if found is None:
            self.doc.not_found.append("Page header (<force> PEEL <year>)")
        else:
            number, _ = found
            self.doc.title = self.line(number)
            position = self.numbers.index(number) + 1
        pillar, position = self.read_pillar(position)
        position = self.read_pillar_grade(pillar, position)
        blocks = self.split_blocks(pillar, position)
        self.check_summary_gap(position, blocks)
        for block in blocks:
            self.read_block(block)
        self.report_missing_questions(pillar, blocks)
        return self.doc

    def read_pillar(self, position: int) -> tuple[Area | None, int]:
        """The pillar, from its name line or its question line (either may be cut)."""
        pillar: Area | None = None
        for _ in range(2):  # name, then question
            if position >= len(self.numbers):
                break
            number = self.numbers[position]
            area = self.resolve(self.line(number))
            if area is None or area.level != "pillar" or (pillar and area.id != pillar.id):
                break
            pillar = area
            position += 1
        if pillar is None:
            self.doc.not_found.append("Pillar of the page")
        elif self.doc.title:
            self.doc.title = f"{self.doc.title}: {pillar.name}"
        return pillar, position

    def read_pillar_grade(self, pillar: Area | None, position: int) -> int:
        """The publication date ("Last updated dd/mm/yyyy") and the pillar's grade line."""
        for offset in range(2):
            if position + offset >= len(self.numbers):
                break
            number = self.numbers[position + offset]
            date = LAST_UPDATED.match(self.line(number))
            if date:
                day, month, year = (int(g) for g in date.groups())
                try:
                    self.doc.published = dt.date(year, month, day)
                except ValueError:
                    self.warn("impossible_date", f"Not a date: {self.line(number)!r}", number)
                position += offset + 1
                break
        if self.doc.published is None:
            self.doc.not_found.append("Last updated date")
        if position < len(self.numbers):
            number = self.numbers[position]
            grade = self.grade_id(self.line(number))
            if grade is not None and pillar is not None:
                self.doc.judgments.append(
                    ParsedJudgment(
                        area=pillar.id,
                        level=pillar.level,
                        grade=grade,
                        grade_as_printed=self.line(number),
                        span=self.text.span(number),
                    )
                )
                return position + 1
        name = pillar.name if pillar else "the page's pillar"
        self.doc.not_found.append(f"Grade of {name}")
        return position

    # -- the questions ------------------------------------------------------------------------

    def split_blocks(self, pillar: Area | None, position: int) -> list[Block]:
        blocks: list[Block] = []
        for number in self.numbers[position:]:
            line = self.line(number)
            if QUESTION.match(line) and bullet_text(line) is None:
                area = self.resolve(line)
                if area is not None and pillar is not None and area.id == pillar.id:
                    continue  # the pillar question repeated
                if area is None:
                    self.warn("unknown_area", f"Question not in {self.fw.id}: {line!r}", number)
                blocks.append(Block(area, line, number))
            elif blocks:
                blocks[-1].lines.append(number)
        return blocks

    def check_summary_gap(self, position: int, blocks: list[Block]) -> None:
        """A cut in the pillar's summary may have hidden the summary's end and questions."""
        stop = blocks[0].line if blocks else len(self.text.lines) + 1
        for number in self.numbers[position:]:
            if number >= stop:
                break
            if GAP.match(self.line(number)):
                self.doc.not_found.append("Part of the pillar summary (in a missing stretch)")
                return

    def read_block(self, block: Block) -> None:
        name = block.area.name if block.area else block.question
        if not block.lines or GAP.match(self.line(block.lines[0])):
            self.doc.not_found.append(f"Grade of {name} (in a missing stretch)")
            self.read_findings(block, name)
            return
        first = block.lines[0]
        sentence = self.line(first)
        if CARRIED_OVER.search(sentence):
            self.carried_over(block, name, first, sentence)
        else:
            self.graded(block, name, first, sentence)
        self.read_findings(block, name)

    def graded(self, block: Block, name: str, number: int, sentence: str) -> None:
        word = self.grade_word(sentence)
        if word is None:
            if block.area is None or block.area.graded:  # an ungraded question prints none
                self.doc.not_found.append(f"Grade of {name}")
            return
        if block.area is None:
            return
        self.doc.judgments.append(
            ParsedJudgment(
                area=block.area.id,
                level=block.area.level,
                grade=self.grade_id(word),
                grade_as_printed=word,
                span=self.text.span(number),
            )
        )

    def grade_word(self, sentence: str) -> str | None:
        """The grade a sentence states ("Kent Police is good at ..."), or a lone grade line."""
        if self.grade_id(sentence) is not None:
            return sentence
        pattern = self.grade_sentence()
        match = pattern.search(first_sentence(sentence)) if pattern else None
        if match is None:
            return None
        return match.group("word") or match.group("ri")

    def carried_over(self, block: Block, name: str, number: int, sentence: str) -> None:
        """A question not inspected this year: its earlier judgment stands, often unprinted."""
        pattern = self.grade_word_pattern()
        printed = pattern.search(sentence) if pattern else None
        previous = predecessor_period(self.fw) if re.search(r"last year", sentence, re.I) else None
        if block.area is not None:
            self.doc.judgments.append(
                ParsedJudgment(
                    area=block.area.id,
                    level=block.area.level,
                    grade=self.grade_id(printed.group(1)) if printed else None,
                    grade_as_printed=printed.group(1) if printed else None,
                    year_last_inspected=previous,
                    carried_over=True,
                    span=self.text.span(number),
                )
            )
        if printed is None:
            self.doc.not_found.append(
                f"Grade of {name} (carried over from an earlier inspection, not printed)"
            )

    def read_findings(self, block: Block, name: str) -> None:
        kind: str | None = None
        concern: int | None = None
        previous: ParsedFinding | None = None
        for index, number in enumerate(block.lines):
            line = self.line(number)
            if GAP.match(line):
                if not self.block_has_findings_after(block, index):
                    self.doc.not_found.append(f"Rest of {name} (in a missing stretch)")
                    return
                kind, previous = None, None
                continue
            heading = BLOCKS.get(line.lower().rstrip(":"))
            if heading is not None:
                kind, previous = heading, None
                continue
            if kind is None:
                continue
            text = bullet_text(line)
            if text is None and previous is not None and self.continues(previous, line):
                previous.text = join_wrapped([previous.text, line])
                previous.span = self.text.span(
                    previous.span.line_start if previous.span else number, number
                )
                continue
            if text is None and kind != "cause_of_concern":
                kind = None  # a paragraph after the list is narrative again
                continue
            self.cut_check(block, index, name)
            previous = self.add(kind, text or line, block, number, concern)
            if kind == "cause_of_concern":
                concern = len(self.doc.findings) - 1

    @staticmethod
    def continues(finding: ParsedFinding, line: str) -> bool:
        """A line wrapped from the finding above: the finding is unfinished, the line lower-case."""
        return not finding.text.endswith((".", ";", "?", "!", ":")) and line[:1].islower()

    def add(
        self, kind: str, text: str, block: Block, number: int, concern: int | None
    ) -> ParsedFinding:
        finding = ParsedFinding(
            kind=kind,
            text=text,
            area=block.area.id if block.area else None,
            heading=HEADINGS[kind],
            cause_of_concern=concern if kind == "recommendation" else None,
            span=self.text.span(number),
        )
        self.doc.findings.append(finding)
        return finding

    def block_has_findings_after(self, block: Block, index: int) -> bool:
        """Whether a findings heading follows a cut, so the cut hid no findings of the block."""
        return any(self.line(n).lower().rstrip(":") in BLOCKS for n in block.lines[index + 1 :])

    def cut_check(self, block: Block, index: int, name: str) -> None:
        """A finding that runs into a ``[...]`` was cut short: say so."""
        nxt = block.lines[index + 1] if index + 1 < len(block.lines) else None
        if nxt is not None and GAP.match(self.line(nxt)):
            number = block.lines[index]
            if not self.line(number).endswith((".", ";", "?", "!")):
                self.warn(
                    "text_cut", f"A finding of {name} is cut short by a missing stretch", number
                )

    def report_missing_questions(self, pillar: Area | None, blocks: list[Block]) -> None:
        if pillar is None:
            return
        seen = {b.area.id for b in blocks if b.area is not None}
        for area in pillar.children:
            if area.id not in seen:
                self.doc.not_found.append(f"Question: {area.name}")

    def warn(self, code: str, message: str, number: int) -> None:
        self.doc.warnings.append(
            ImportWarning(code=code, message=message, span=self.text.span(number))
        )


def read(text: SourceText, framework_id: str, force_id: str) -> ParsedDocument:
    return PageReader(text, framework_id, force_id).read()


READER = Reader(name=READER_NAME, detect=detect, read=read)
