"""HMICFRS press releases of PEEL 2021/22 and 2023–25 reports: grades stated in prose.

A release states the grades in sentences, never in a grid::

    <headline>
    PEEL 2021/22 – An inspection of <force>          <- the cycle (the framework)
    HMICFRS graded <force>'s performance across nine areas of policing and found the force
    was 'adequate' in one area, 'requires improvement' in five areas, and 'inadequate' in
    three areas – responding to the public, investigating crime and managing offenders.
    HMICFRS said the areas requiring improvement are A; B; C; D, and E.
    ... the constabulary is good at preventing and deterring crime ...

The reader takes three kinds of statement: the total ("across nine areas"), a count per grade
("'inadequate' in three areas", "two areas were rated good"), and a grade with the areas it is
given to ("– responding to the public, ...", "the areas requiring improvement are ...", "is
good at preventing ..."). Areas are found by the framework's names and aliases (data). Each
area named becomes a judgment read from the sentence (``read_from="sentence"``, the sentence's
line as its span). A grade counted but naming no area is in ``not_found``, never guessed; a
count its named areas do not add up to, or counts that do not add up to the total, is a
warning. Quotations (a paragraph that opens with a quote mark) are not read: they are the
inspector's words about the force, not the release's statement of grades.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from peelkit.domain.frameworks import Area, Framework
from peelkit.domain.grades import GradeValue
from peelkit.frameworks import load_framework
from peelkit.reportimport.model import ImportWarning, ParsedDocument, ParsedJudgment, StatedCounts
from peelkit.reportimport.readers.peel_2021_25_text import (
    GAP,
    NUMBER,
    Grades,
    area_index,
    date_line,
    grades,
    is_date_line,
    is_furniture,
    number,
    plain,
    printed,
    sentences,
)
from peelkit.reportimport.text import SourceText

_Q = "['\"]?"  # a grade may be quoted: 'adequate'
TOTAL = re.compile(rf"\bacross\s+(?P<n>{NUMBER})\s+(?:core\s+|graded\s+)?areas\b", re.IGNORECASE)
# What ends a list of areas: the next clause of another kind.
LIST_END = re.compile(
    r"\b(?:but|while|whilst|whereas|although|though|however|yet)\b", re.IGNORECASE
)
LIST_START = re.compile(r"^\s*(?:[–—:(]|-\s)\s*")


_PATTERNS: dict[tuple[str, str], tuple[re.Pattern[str], ...]] = {}


def _patterns(framework: Framework) -> tuple[re.Pattern[str], ...]:
    key = (framework.id, framework.checksum)
    if key not in _PATTERNS:
        _PATTERNS[key] = _compile(framework)
    return _PATTERNS[key]


def _compile(framework: Framework) -> tuple[re.Pattern[str], ...]:
    """The clause patterns, with the framework's grade words: (count by grade) x2, then (grade
    with its areas) x3."""
    words: Grades = grades(framework)
    grade = rf"{_Q}(?P<grade>{words.any}){_Q}"
    single = rf"{_Q}(?P<grade>{words.single}){_Q}"
    phrase = rf"{_Q}(?P<grade>{words.phrases}){_Q}"
    judged = r"(?:(?:rated|graded|judged|assessed|found\s+to\s+be|found)\s+)?(?:as\s+)?"
    flags = re.IGNORECASE
    return (
        # "'inadequate' in three areas", "good in two areas"
        re.compile(
            rf"{grade}\s+(?:in|for|across|on)\s+(?P<n>{NUMBER})\s+(?:other\s+|more\s+)?areas?\b",
            flags,
        ),
        # "two areas were rated good", "one area as outstanding"
        re.compile(
            rf"\b(?P<n>{NUMBER})\s+(?:other\s+)?areas?\s+(?:(?:were|was|are|is)\s+)?{judged}{grade}",
            flags,
        ),
        # "the areas requiring improvement are ...", "areas rated good were ..."
        re.compile(
            rf"\bareas?\s+(?:(?:that|which)\s+(?:are|were)\s+|where\s+it\s+(?:is|was)\s+)?"
            rf"{judged}{grade}\s+(?:are|were|is|was|include|included|:)\s*:?",
            flags,
        ),
        # "is good at preventing ...", "was rated inadequate for ..."
        re.compile(
            rf"\b(?:is|was|are|were|been|be)\s+{judged}{single}\s+(?:at|in|for|on)\b", flags
        ),
        # "requires improvement in investigating crime"
        re.compile(rf"{phrase}\s+(?:at|in|for|on)\b(?!\s+{NUMBER}\s+(?:other\s+)?areas?\b)", flags),
    )


@dataclass
class Clause:
    start: int
    end: int
    grade: GradeValue
    printed: str
    count: int | None  # the number of areas stated, for a count
    areas: list[Area] = field(default_factory=list)


@dataclass
class Sentence:
    text: str
    line: int


@dataclass
class Count:
    grade: GradeValue
    n: int
    printed: str
    line: int


class PressReleaseReader:
    def __init__(self, text: SourceText, framework_id: str, force_id: str) -> None:
        self.text = text
        self.fw = load_framework(framework_id)
        self.index = area_index(self.fw)
        self.grades = grades(self.fw)
        self.doc = ParsedDocument(
            source=text.source_info(), force=force_id, framework=framework_id, period=self.fw.period
        )
        self.counts: list[Count] = []
        self.named: dict[str, list[Area]] = {}  # grade id -> areas named with it
        self.total: tuple[int, int] | None = None  # (areas, line)

    def read(self) -> ParsedDocument:
        for sentence in self.sentences():
            self.read_sentence(sentence)
        self.check()
        return self.doc

    def sentences(self) -> list[Sentence]:
        """The release's sentences outside quotations, after its title and date lines."""
        found: list[Sentence] = []
        for number_, raw in enumerate(self.text.lines, start=1):
            line = plain(raw)
            if not line or is_furniture(line) or GAP.match(line):
                continue
            if is_date_line(line):
                self.doc.published = self.doc.published or date_line(line)
                continue
            if self.doc.title is None:
                self.doc.title = printed(raw)  # the headline (read for grades like any sentence)
            if line.startswith(('"', "'")):
                continue  # a quotation
            found.extend(Sentence(part, number_) for part in sentences(line))
        return found

    def read_sentence(self, sentence: Sentence) -> None:
        text = sentence.text
        total = TOTAL.search(text)
        if total and self.total is None:
            areas = number(total["n"])
            if areas is not None:
                self.total = (areas, sentence.line)
        clauses = self.clauses(text)
        for position, here in enumerate(clauses):
            after = clauses[position + 1] if position + 1 < len(clauses) else None
            stop = after.start if after else len(text)
            stretch = text[here.end : stop]
            if here.count is not None and not LIST_START.match(stretch):
                stretch = ""  # a count names areas only after a dash, colon or bracket
            cut = LIST_END.search(stretch)
            if cut:
                stretch = stretch[: cut.start()]
            here.areas = self.index.named_in(stretch) if stretch else []
            self.record(here, sentence)

    def clauses(self, text: str) -> list[Clause]:
        """The clauses of a sentence that state grades, in order, none overlapping."""
        found: list[Clause] = []
        for kind, pattern in enumerate(_patterns(self.fw)):
            for match in pattern.finditer(text):
                start, end = match.span()
                if any(start < c.end and end > c.start for c in found):
                    continue
                value = self.grades.value(match["grade"])
                if value is None or not value.is_grade:
                    continue
                count = number(match["n"]) if kind < 2 else None
                found.append(Clause(start, end, value, match["grade"], count))
        return sorted(found, key=lambda c: c.start)

    def record(self, clause: Clause, sentence: Sentence) -> None:
        if clause.count is not None:
            self.counts.append(Count(clause.grade, clause.count, clause.printed, sentence.line))
        named = self.named.setdefault(clause.grade.id, [])
        for area in clause.areas:
            if area in named:
                continue
            named.append(area)
            if not area.graded:
                self.warn(
                    "unexpected_structure",
                    f"the release gives {area.name} a grade ({clause.printed}), an area the "
                    "framework does not grade; not imported",
                    sentence.line,
                )
                continue
            self.doc.judgments.append(
                ParsedJudgment(
                    area=area.id,
                    level=area.level,
                    grade=clause.grade.id,
                    grade_as_printed=clause.printed,
                    read_from="sentence",
                    span=self.text.span(sentence.line),
                )
            )

    def check(self) -> None:
        """Counts against the areas named, and against the total."""
        if self.total is not None or self.counts:
            lines = [c.line for c in self.counts] + ([self.total[1]] if self.total else [])
            self.doc.stated_counts = StatedCounts(
                areas=self.total[0] if self.total else None,
                graded=sum(c.n for c in self.counts if c.grade.is_grade) or None,
                by_grade={c.grade.id: c.n for c in self.counts},
                span=self.text.span(min(lines), max(lines)),
            )
        for count in self.counts:
            named = self.named.get(count.grade.id, [])
            label = count.grade.label
            if not named:
                self.doc.not_found.append(
                    f"Areas graded {label} (line {count.line}): the release counts {count.n} and "
                    "names none"
                )
                continue
            if len(named) != count.n:
                names = ", ".join(a.name for a in named)
                self.warn(
                    "named_areas_mismatch",
                    f"the release says {label} in {count.n} area{'s' if count.n != 1 else ''} "
                    f"but names {len(named)}: {names}",
                    count.line,
                )
            if len(named) < count.n:
                self.doc.not_found.append(
                    f"{count.n - len(named)} more of the {count.n} areas graded {label} (line "
                    f"{count.line}): counted, not named"
                )
        if self.total is not None and self.counts:
            stated, line = self.total
            added = sum(c.n for c in self.counts)
            if added != stated:
                self.warn(
                    "judgment_count_mismatch",
                    f"the release grades {stated} areas but its counts by grade add up to {added}",
                    line,
                )
        if not self.doc.judgments and not self.counts:
            self.doc.not_found.append("Any grade stated in the release")

    def warn(self, code: str, message: str, line: int) -> None:
        self.doc.warnings.append(
            ImportWarning(code=code, message=message, span=self.text.span(line))
        )


def read_press_release(text: SourceText, framework_id: str, force_id: str) -> ParsedDocument:
    return PressReleaseReader(text, framework_id, force_id).read()
