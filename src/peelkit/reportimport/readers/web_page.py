"""Reader for HMICFRS's per-force PEEL web pages (2015 to 2018/19), saved as text or HTML.

It reads the frameworks whose ``era.readers`` name ``web-page``; the years it recognises, the
year a carried-over judgment comes from, the question wordings and the grade words all come
from the framework data. The families it reads (:mod:`.web_page_layout`): a pillar page, the
question view of a pillar, and the force overview with every pillar's grade::

    Skip to content                      <- furniture, skipped wherever it is
    Kent PEEL 2017                       <- the title line: "<force> PEEL <year>"
    Effectiveness                        <- the pillar's name and/or its question
    How effective is the force at ...?
    Last updated 22/03/2018              <- the publication date (furniture; its date kept)
    Good                                 <- the pillar's grade, in a box
    Kent Police is good at ...           <- summary sentences: grades stated in sentences
    How effective is the force at ...?   <- a question: its grade (box or sentence), or a
    This question was not inspected ...     sentence saying its judgment was carried over
    Areas for improvement                <- findings: areas for improvement, causes of
    - dashed or bulleted findings           concern, recommendations

A copy may have stretches cut out, marked ``[...]``. The reader takes what is there and lists in
``not_found`` what a cut hid: a grade, a question, or the rest of a question's findings.

A page is recognised by its title line; without one (cut off, or a copy that starts elsewhere),
by its pillar's question near the top together with a year its breadcrumb, web address or file
name gives, or that only one framework words its pillar so. A page republished elsewhere (a
police and crime commissioner's site) may instead start with HMIC's title of the pillar's
publication, "PEEL: Police legitimacy 2016", and go straight to the grade: that title gives the
year and the pillar, heads the pillar's section, and the force is read from the text
(:mod:`peelkit.reportimport.named_force`).
"""

from __future__ import annotations

import re

from peelkit.domain.frameworks import Framework
from peelkit.frameworks import load_framework
from peelkit.names import fold
from peelkit.reportimport import furniture
from peelkit.reportimport.model import DetectionSignal, ImportWarning, ParsedDocument
from peelkit.reportimport.readers import Reader
from peelkit.reportimport.readers.eras import framework_ids_read_by, grade_words, year_map
from peelkit.reportimport.readers.web_page_findings import Findings
from peelkit.reportimport.readers.web_page_grades import Grades, opening_grade
from peelkit.reportimport.readers.web_page_layout import GAP, Layout, lay_out
from peelkit.reportimport.signals import (
    Signal,
    Title,
    locator_signals,
    pillar_signals,
    pillar_title,
    title_line,
)
from peelkit.reportimport.text import SourceText

READER_NAME = "web-page"


def frameworks() -> dict[str, str]:
    """Each spelling of a year the pages print, to the framework id it denotes."""
    return year_map(READER_NAME)


def _years() -> tuple[str, ...]:
    return tuple(frameworks())


def header(text: SourceText) -> Title | None:
    """The page's title line, "<force> PEEL <year>" (a year of these pages), or its pillar
    title, "PEEL: Police <pillar> <year>"."""
    return header_of(furniture.find(text))


# -- detection -----------------------------------------------------------------------------------


def detect(text: SourceText) -> str | None:
    """The framework of a page of this family, or None."""
    found = detection(text)
    return found[0] if found else None


def detection(text: SourceText) -> tuple[str, list[Signal]] | None:
    """The framework of a page, and the signals that told it."""
    page = furniture.find(text)
    ours = framework_ids_read_by(READER_NAME)
    title = title_line(page, tuple(frameworks()))
    if title is not None:
        framework = next((f for f in title.frameworks if f in ours), None)
        if framework is None or title.force is None:
            return None
        return framework, [
            Signal("title_line", title.text, title.line, (framework,), force=title.force.id)
        ]
    titled = pillar_title(page, tuple(frameworks()))
    if titled is not None:
        return _pillar_titled(titled, ours)
    if any(GAP.match(page.line(n)) for n in page.content[:1]) and len(page.content) <= 1:
        return None
    pillars = [s for s in pillar_signals(page, ours) if s.kind == "pillar_question"]
    published = page.published()
    if not pillars or published is None:
        return None  # a page without a title shows its pillar's question and its date
    question = pillars[0]
    candidates = [owner.split(":", 1)[0] for owner in question.pillar_of]
    located = [s for s in locator_signals(text, page) if set(s.frameworks) & set(candidates)]
    if located:
        framework = next(f for f in located[0].frameworks if f in candidates)
        return framework, [question, located[0]]
    if len(candidates) == 1:
        return candidates[0], [question]
    return None


def _pillar_titled(title: Title, ours: tuple[str, ...]) -> tuple[str, list[Signal]] | None:
    """A page titled "PEEL: Police <pillar> <year>" (republished, by a police and crime
    commissioner's site for one): the year gives the framework, the title the pillar (one of
    that framework's); the force is the one named after the title or in the text
    (:func:`peelkit.reportimport.detect.detect_force_signal`)."""
    framework = next((f for f in title.frameworks if f in ours), None)
    if framework is None or title.pillar is None:
        return None
    area = load_framework(framework).find_area(title.pillar)
    if area is None or area.level != "pillar":
        return None  # "PEEL: Police leadership 2017": no such pillar that year
    signal = Signal(
        "title_line",
        title.text,
        title.line,
        (framework,),
        force=title.force.id if title.force else None,
        pillar=area.id,
    )
    return framework, [signal]


def header_of(page: furniture.Page) -> Title | None:
    """The page's title: "<force> PEEL <year>", or a pillar title "PEEL: Police <pillar>
    <year>"."""
    years = tuple(frameworks())
    return title_line(page, years) or pillar_title(page, years)


# -- reading ---------------------------------------------------------------------------------------


def read(text: SourceText, framework_id: str, force_id: str) -> ParsedDocument:
    framework = load_framework(framework_id)
    page = furniture.find(text)
    doc = ParsedDocument(
        source=text.source_info(),
        force=force_id,
        framework=framework_id,
        period=framework.period,
    )
    layout = lay_out(page, framework, _years())
    _read_head(page, layout, doc)
    grades = Grades(page, framework, layout, doc)
    grades.read()
    findings = Findings(page, doc)
    for section in layout.sections:
        findings.read(section)
    _summary_gaps(page, layout, doc)
    grades.not_found()
    doc.detected_by.extend(_layout_signals(page, framework, layout))
    for number in layout.unknown_questions:
        doc.warnings.append(
            ImportWarning(
                code="unknown_area",
                message=f"Question not in {framework.id}: {page.line(number)!r}",
                span=text.span(number),
            )
        )
    return doc


def _read_head(page: furniture.Page, layout: Layout, doc: ParsedDocument) -> None:
    """The title (with the pillar's name on a pillar page) and the publication date."""
    if layout.title is None:
        doc.not_found.append("Page header (<force> PEEL <year>)")
    else:
        doc.title = layout.title.text
    pillars = layout.pillars
    named_pillar = layout.title is not None and layout.title.pillar is not None  # in its title
    if not pillars:
        doc.not_found.append("Pillar of the page")
    elif layout.family != "force_overview" and pillars and doc.title and not named_pillar:
        doc.title = f"{doc.title}: {pillars[0].name}"
    published = page.published()
    if published is None:
        doc.not_found.append("Last updated date")
        return
    date, number = published
    if date is None:
        doc.warnings.append(
            ImportWarning(
                code="impossible_date",
                message=f"Not a date: {page.line(number)!r}",
                span=page.text.span(number),
            )
        )
        doc.not_found.append("Last updated date")
    else:
        doc.published = date


def _summary_gaps(page: furniture.Page, layout: Layout, doc: ParsedDocument) -> None:
    """A cut in a pillar's summary may have hidden the summary's end and questions."""
    overview = layout.family == "force_overview"
    for section in layout.pillars:
        if any(GAP.match(page.line(n)) for n in section.lines):
            what = f"the {section.name.lower()}" if overview else "the pillar"
            doc.not_found.append(f"Part of {what} summary (in a missing stretch)")


def _layout_signals(
    page: furniture.Page, framework: Framework, layout: Layout
) -> list[DetectionSignal]:
    """The page's pillars (the heading lines that named them) and its layout."""
    found = []
    for section in layout.pillars:
        assert section.area is not None
        for number in section.heading_lines:
            line = page.line(number)
            named = fold(line) in (fold(section.area.name), fold(section.area.id))
            kind = "pillar_name" if named else "pillar_question"
            if layout.title is not None and number == layout.title.line:
                kind = "title_line"  # "PEEL: Police legitimacy 2016"
            found.append(DetectionSignal("pillar", section.area.id, kind, line, number))
    pillars, questions = len(layout.pillars), len(layout.questions)
    evidence = (
        f"{pillars} pillar section{'s' if pillars != 1 else ''}, "
        f"{questions} question section{'s' if questions != 1 else ''}"
    )
    found.append(DetectionSignal("layout", layout.family, "sections", evidence))
    return found


class PageReader:
    """The grade words of a framework as a page's lines state them: a lone grade line, or a
    question's opening sentence (:func:`.web_page_grades.opening_grade`)."""

    def __init__(self, text: SourceText, framework_id: str, force_id: str) -> None:
        self.text = text
        self.framework = load_framework(framework_id)
        self.force = force_id

    def grade_word(self, sentence: str) -> str | None:
        return opening_grade(first_sentence(sentence), self.framework)

    def grade_id(self, word: str) -> str | None:
        scale = self.framework.grade_scale
        value = grade_words(scale).value(word) if scale else None
        return value.id if value else None


def first_sentence(line: str) -> str:
    return re.split(r"(?<=[.!?:])\s+", line.strip(), maxsplit=1)[0]


READER = Reader(name=READER_NAME, detect=detect, read=read)
