"""The layout of an HMICFRS per-force PEEL web page: its title, and its sections.

A page is a run of sections, each headed by a pillar (its name, its question, or both) or by a
question, in any of the families the site published:

- a pillar page: one pillar section (the pillar's grade, its summary), then its questions;
- the question view of a pillar: each question with its grade (in a box or a sentence) or a
  sentence saying the judgment was carried over, its summary and its blocks of areas for
  improvement, causes of concern and recommendations;
- the force overview: a section per pillar, each with its grade and summary.

Furniture (:mod:`peelkit.reportimport.furniture`) is skipped first, so banners, breadcrumbs,
"Last updated" lines and a repeated title block never start or end a section. Lines keep the
numbers of the user's file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from peelkit.domain.frameworks import Area, Framework
from peelkit.reportimport.furniture import Page
from peelkit.reportimport.signals import Title, pillar_title, title_line
from peelkit.reportimport.text import bullet_text

GAP = re.compile(r"^\[\s*(\.\.\.|…)\s*\]$")
QUESTION = re.compile(r"^(?:How|To what extent|What|Is|Does|Do|Are|Has|Have|Can)\b.*\?$")
# "1 How effective ...?", "Question 2: How ...?", "Effectiveness - Question 1 - How ...?"
NUMBERING = re.compile(
    r"^(?:(?:[A-Z][a-z]+\s*[-–:]\s*)?Question\s+\d{1,2}\s*[-–:.)]?\s*|\d{1,2}\s*[.:)]?\s+)"
)
# A grade printed on its own: "Good", "Grade: Requires improvement", "Overall judgment: Good".
BOX = re.compile(
    r"^(?:(?:overall |current )?(?:grade|judgment|judgement|rating|overall)\s*[:–-]?\s*)?"
    r"(?P<grade>[A-Za-z][A-Za-z ]*?)\.?$",
    re.IGNORECASE,
)
FINDINGS = re.compile(
    r"^(?P<kind>areas? for improvement|causes? of concern|recommendations?)"
    r"(?:\s*\(\d+\))?\s*:?$",
    re.IGNORECASE,
)
FINDING_KINDS = {
    "area": "area_for_improvement",
    "cause": "cause_of_concern",
    "recommendation": "recommendation",
}


def findings_kind(line: str) -> str | None:
    """The kind of findings a heading line opens ("Areas for improvement" ...), or None."""
    match = FINDINGS.match(line)
    return FINDING_KINDS[match.group("kind").split()[0].lower().rstrip("s")] if match else None


def heading_text(line: str) -> str:
    """A heading without its numbering."""
    return NUMBERING.sub("", line, count=1).strip()


@dataclass
class Section:
    """A pillar or a question of the page and the lines under it."""

    area: Area | None  # None: a question no area of the framework is worded as
    heading: str
    heading_lines: list[int]
    lines: list[int] = field(default_factory=list)  # content lines after the heading

    @property
    def is_pillar(self) -> bool:
        return self.area is not None and self.area.level == "pillar"

    @property
    def line(self) -> int:
        return self.heading_lines[0]

    @property
    def name(self) -> str:
        return self.area.name if self.area else self.heading


@dataclass
class Layout:
    title: Title | None
    preamble: list[int]  # content lines before the first section
    sections: list[Section]
    unknown_questions: list[int]  # heading lines of questions no area is worded as

    @property
    def pillars(self) -> list[Section]:
        return [s for s in self.sections if s.is_pillar]

    @property
    def questions(self) -> list[Section]:
        return [s for s in self.sections if not s.is_pillar]

    @property
    def family(self) -> str:
        """``force_overview`` (several pillars), ``pillar_page`` (a pillar's grade and summary,
        with its questions or not) or ``question_view`` (questions without the summary)."""
        if len({s.area.id for s in self.pillars if s.area}) > 1:
            return "force_overview"
        if any(s.lines for s in self.pillars) or not self.questions:
            return "pillar_page"
        return "question_view"


def lay_out(page: Page, framework: Framework, years: tuple[str, ...]) -> Layout:
    """The page's title and sections (``years``: the year spellings a title may print)."""
    title = title_line(page, years) or pillar_title(page, years)
    layout = Layout(title=title, preamble=[], sections=[], unknown_questions=[])
    seen_pillars: set[str] = set()
    titled = framework.find_area(title.pillar) if title and title.pillar else None
    if title is not None and titled is not None and titled.level == "pillar":
        # "PEEL: Police legitimacy 2016": the title heads the pillar's section (the page may
        # print the pillar's name or question under it, or go straight to its grade)
        seen_pillars.add(titled.id)
        layout.sections.append(Section(titled, title.text, [title.line]))
    for number in page.content:
        if title is not None and number == title.line:
            continue
        line = page.line(number)
        area, is_heading = _heading(line, framework)
        current = layout.sections[-1] if layout.sections else None
        if is_heading and area is not None and area.level == "pillar":
            if current is not None and current.area is area and not current.lines:
                current.heading_lines.append(number)  # the name, then the question
            elif area.id not in seen_pillars:
                seen_pillars.add(area.id)
                layout.sections.append(Section(area, heading_text(line), [number]))
            # else: the pillar's heading printed again above its questions
            continue
        if is_heading:
            if area is None:
                layout.unknown_questions.append(number)
            layout.sections.append(Section(area, heading_text(line), [number]))
            continue
        if current is None:
            layout.preamble.append(number)
        else:
            current.lines.append(number)
    layout.sections = _without_contents(layout.sections)
    return layout


def _without_contents(sections: list[Section]) -> list[Section]:
    """Headings listed as the page's contents (a section with no lines, whose area has a
    section of its own further on) are not sections."""
    kept = []
    for index, section in enumerate(sections):
        later = [s for s in sections[index + 1 :] if s.area is not None and s.area is section.area]
        if section.lines or not later or section.is_pillar:
            kept.append(section)
    return kept


def _heading(line: str, framework: Framework) -> tuple[Area | None, bool]:
    """The area a line heads, and whether it is a heading at all: a pillar's name or question,
    a question (resolved or not), or the name of a graded area on a line of its own."""
    if bullet_text(line) is not None or GAP.match(line):
        return None, False
    text = heading_text(line)
    area = framework.find_area(text) or framework.find_area(line)
    if area is not None and area.level == "pillar":
        return area, True
    if QUESTION.match(text):
        return area, True
    if area is not None and area.graded and not text.endswith((".", ":", ";")):
        return area, True
    return None, False


def box(page: Page, framework: Framework, section: Section) -> int | None:
    """The line of the section's grade box: its first line, when it is a grade on its own."""
    if not section.lines:
        return None
    number = section.lines[0]
    return number if box_grade(page.line(number), framework) is not None else None


def box_grade(line: str, framework: Framework) -> tuple[str, str] | None:
    """(grade id, as printed) of a line that is a grade on its own, or None."""
    scale = framework.grade_scale
    match = BOX.match(line)
    if scale is None or match is None:
        return None
    printed = match.group("grade").strip()
    value = scale.find(printed)
    return (value.id, printed) if value is not None else None
