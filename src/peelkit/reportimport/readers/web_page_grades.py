"""The grades of a web page: printed in boxes, stated in sentences, carried over.

A section's first line may be its grade printed on its own (a box, ``read_from="box"``). Its
summary sentences state grades too ("Kent Police is good at investigating crime ..."), its own
and other areas' (a pillar's summary states its questions' grades): those are read by
:mod:`peelkit.reportimport.sentences` and kept where no box prints the area's grade
(``read_from="sentence"``); a box and a sentence that disagree keep the box, with a warning.
A question section that says its judgment was not made this year is carried over, from the
year it names (or, for "last year", the framework's predecessor); its grade is the one a box or
a sentence gives, if any. Whatever grade cannot be read is named in ``not_found``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from peelkit.domain.frameworks import Area, Framework
from peelkit.reportimport.furniture import Page
from peelkit.reportimport.model import ParsedDocument, ParsedJudgment
from peelkit.reportimport.readers.eras import grade_words
from peelkit.reportimport.readers.web_page_layout import (
    GAP,
    Layout,
    Section,
    box,
    box_grade,
    findings_kind,
)
from peelkit.reportimport.sentences import (
    StatedGrade,
    combine,
    earlier_period,
    says_carried_over,
    sentences,
    stated_grades,
)


@dataclass
class Grades:
    page: Page
    framework: Framework
    layout: Layout
    doc: ParsedDocument

    def read(self) -> None:
        for section in self.layout.sections:
            self.read_box(section)
        for section in self.layout.sections:
            if not section.is_pillar:
                self.read_carried_over(section)
        stated: list[StatedGrade] = []
        stated.extend(self.sentences(self.layout.preamble, ()))
        for section in self.layout.sections:
            stated.extend(self.section_sentences(section))
        self.doc.warnings.extend(combine(self.doc.judgments, stated, self.framework))
        order = {area.id: index for index, area in enumerate(self.framework.walk())}
        self.doc.judgments.sort(key=lambda j: order.get(j.area, len(order)))

    # -- boxes and carried-over questions --------------------------------------------------------

    def read_box(self, section: Section) -> None:
        number = box(self.page, self.framework, section)
        if number is None or section.area is None:
            return
        found = box_grade(self.page.line(number), self.framework)
        assert found is not None
        grade, printed = found
        # (an area boxed twice is kept twice: the import warns of a judgment printed twice)
        self.doc.judgments.append(
            ParsedJudgment(
                area=section.area.id,
                level=section.area.level,
                grade=grade,
                grade_as_printed=printed,
                span=self.page.text.span(number),
            )
        )

    def read_carried_over(self, section: Section) -> None:
        summary = summary_lines(self.page, section)
        said = [n for n in summary if says_carried_over(self.page.line(n))]
        if not said or section.area is None:
            return
        lines = [self.page.line(n) for n in said]
        judgment = next((j for j in self.doc.judgments if j.area == section.area.id), None)
        if judgment is None:
            printed = self.grade_in(lines)
            judgment = ParsedJudgment(
                area=section.area.id,
                level=section.area.level,
                grade=self.grade_id(printed) if printed else None,
                grade_as_printed=printed,
                read_from="sentence",
                span=self.page.text.span(said[0]),
            )
            self.doc.judgments.append(judgment)
        judgment.carried_over = True
        judgment.year_last_inspected = earlier_period(lines, self.framework)

    def grade_in(self, lines: list[str]) -> str | None:
        """A grade word in a carried-over statement ("the grade of outstanding ... stands")."""
        if self.framework.grade_scale is None:
            return None
        words = grade_words(self.framework.grade_scale)
        pattern = re.compile(rf"\b({words.any})\b", re.IGNORECASE)
        for line in lines:
            match = pattern.search(line)
            if match:
                return match.group(1)
        return None

    def grade_id(self, printed: str) -> str | None:
        if self.framework.grade_scale is None:
            return None
        value = grade_words(self.framework.grade_scale).value(printed)
        return value.id if value else None

    # -- sentences -------------------------------------------------------------------------------

    def sentences(self, lines: list[int], scope: tuple[Area, ...]) -> list[StatedGrade]:
        return stated_grades(
            self.page.text, self.framework, lines, force=self.doc.force, scope=scope
        )

    def section_sentences(self, section: Section) -> list[StatedGrade]:
        lines = summary_lines(self.page, section)
        if section.area is None:
            return self.sentences(lines, ())
        if section.is_pillar:
            return self.sentences(lines, (section.area, *section.area.children))
        found = self.sentences(lines, (section.area,))
        opening = self.opening(section, lines, found)
        if opening is not None:
            found = [s for s in found if s.sentence != opening.sentence or s.area is not None]
            found.insert(0, opening)
        return found

    def opening(
        self, section: Section, lines: list[int], found: list[StatedGrade]
    ) -> StatedGrade | None:
        """The grade the sentence that opens a question's section states, whatever words it
        uses for the question ("Kent Police is good at this", "... require improvement"):
        in HMICFRS's layout that sentence states the question's grade. None where a box
        prints the grade, the section is carried over, or a pattern read the sentence."""
        area = section.area
        if area is None or not lines or box(self.page, self.framework, section) is not None:
            return None
        if any(j.area == area.id and j.carried_over for j in self.doc.judgments):
            return None
        first = sentences(self.page.text, lines[:1])
        if not first:
            return None
        sentence = first[0]
        read = [s for s in found if s.sentence == sentence.text]
        if any(s.area is not None for s in read):
            return None
        word = opening_grade(sentence.text, self.framework)
        grade = self.grade_id(word) if word else None
        if word is None or grade is None:
            return None
        return StatedGrade(
            area=area,
            phrase=area.name,
            grade=grade,
            grade_as_printed=word,
            sentence=sentence.text,
            span=sentence.span,
            pattern="opening_sentence",
        )

    # -- what could not be read ------------------------------------------------------------------

    def not_found(self) -> None:
        judgments = {j.area: j for j in self.doc.judgments if j.force is None}
        sections = {s.area.id: s for s in self.layout.sections if s.area is not None}
        for area in self.expected():
            section = sections.get(area.id)
            judgment = judgments.get(area.id)
            graded = judgment is not None and judgment.grade is not None
            if section is None and area.level != "pillar" and self.questions_expected():
                lacking = " (and its grade)" if area.graded and not graded else ""
                self.doc.not_found.append(f"Question: {area.name}{lacking}")
                continue
            if not area.graded or graded:
                continue
            if judgment is not None and judgment.carried_over:
                self.doc.not_found.append(
                    f"Grade of {area.name} (carried over from an earlier inspection, not printed)"
                )
            elif (
                section is not None
                and section.lines
                and GAP.match(self.page.line(section.lines[0]))
            ):
                self.doc.not_found.append(f"Grade of {area.name} (in a missing stretch)")
            else:
                self.doc.not_found.append(f"Grade of {area.name}")

    def questions_expected(self) -> bool:
        """A pillar page lists its pillar's questions; an overview does not."""
        return self.layout.family != "force_overview"

    def expected(self) -> list[Area]:
        """The areas the page should grade: its pillars and (on a pillar page) their
        questions; an overview, every graded pillar of the framework."""
        if self.layout.family == "force_overview":
            return [a for a in self.framework.areas if a.level == "pillar" and a.graded]
        pillars = [s.area for s in self.layout.pillars if s.area is not None]
        if not pillars:
            areas = {s.area.parent_id for s in self.layout.questions if s.area is not None}
            pillars = [a for a in self.framework.areas if a.id in areas]
        found: list[Area] = []
        for pillar in pillars:
            found.extend([pillar, *pillar.children])
        return found


# The loose way a question's opening sentence states its grade: a one-word grade after a verb
# ("is good", "is judged to be adequate"), or a grade phrase anywhere ("require improvement").
OPENING = (
    r"\b(?:is|are|was|has been|remains)\s+(?:(?:judged|assessed|graded|rated)\s+(?:to be|as)\s+)?"
    r"(?P<word>{single})\b"
    r"|\b(?P<phrase>{phrases})\b"
)


def opening_grade(sentence: str, framework: Framework) -> str | None:
    """The grade word a question's opening sentence states (:data:`OPENING`), or that a line
    prints on its own, as printed; None if it states none."""
    if framework.grade_scale is None:
        return None
    words = grade_words(framework.grade_scale)
    if words.value(sentence.strip()) is not None:
        return sentence.strip()
    pattern = re.compile(OPENING.format(single=words.single, phrases=words.phrases), re.I)
    match = pattern.search(sentence)
    if match is None:
        return None
    return match.group("word") or match.group("phrase")


def summary_lines(page: Page, section: Section) -> list[int]:
    """A section's lines before its first block of findings, gaps left out."""
    lines: list[int] = []
    for number in section.lines:
        line = page.line(number)
        if findings_kind(line) is not None:
            break
        if not GAP.match(line):
            lines.append(number)
    return lines
