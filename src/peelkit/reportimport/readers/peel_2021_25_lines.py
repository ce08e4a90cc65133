"""The lines of a PEEL 2021/22 or 2023–25 force report, sorted into what each one is.

A report's text (a saved web page: a paragraph a line; or a PDF's text: paragraphs wrapped over
lines, running headers and page numbers) becomes a list of :class:`Item`: a heading of a kind
the reports use ("Areas for improvement", "Cause of concern", "Innovative practice", an area's
name...), a grade printed on its own, a bullet, a paragraph, or a ``[...]`` gap. Wrapped lines
are joined into their paragraph; furniture (banners, page numbers, a header or footer repeated
on every page) is left out. The reader then walks the items.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum

from peelkit.domain.frameworks import Area, Framework
from peelkit.domain.grades import GradeValue
from peelkit.reportimport import furniture
from peelkit.reportimport.readers.eras import spelling_pattern
from peelkit.reportimport.readers.peel_2021_25_text import (
    GAP,
    area_index,
    grades,
    is_date_line,
    is_furniture,
    plain,
    printed,
)
from peelkit.reportimport.text import SourceText, bullet_text, join_wrapped


class Kind(StrEnum):
    AREA = "area"  # an area's name on its own: a section heading, or a cell of the grid
    GRADE = "grade"  # a grade on its own ("Requires improvement")
    HMI = "hm_inspector"  # "HM Inspector's observations" / "summary"
    AFI = "areas_for_improvement"  # "Areas for improvement"
    AFI_LABEL = "area_for_improvement"  # "Area for improvement 1" (text after a colon, if any)
    CONCERN = "cause_of_concern"  # "Cause of concern", "Causes of concern", "Cause of concern 2"
    RECOMMENDATIONS = "recommendations"  # "Recommendations"
    PRACTICE = "practice"  # "Innovative practice", "Promising practice"
    NARRATIVE = "narrative"  # a heading of the report's other parts ("Main findings")
    OUR_JUDGMENTS = "our_judgments"
    GAP = "gap"
    BULLET = "bullet"
    PARAGRAPH = "paragraph"


_HMI = re.compile(
    r"^(?:HM|HMI|His Majesty's|Her Majesty's)\s+Inspector's\s+"
    r"(?:observations|summary|foreword|overview)$",
    re.IGNORECASE,
)
_OUR_JUDGMENTS = re.compile(r"^our judge?ments?$", re.IGNORECASE)
_AFI = re.compile(r"^areas? for improvement$", re.IGNORECASE)
_AFI_LABEL = re.compile(
    r"^area for improvement\s+(?P<n>\d{1,2})\s*(?:[:.–—-]\s*(?P<text>.+))?$", re.IGNORECASE
)
_CONCERN = re.compile(
    r"^causes? (?:of|for) concern(?:\s+(?P<n>\d{1,2}))?\s*(?:[:.–—-]\s*(?P<text>.+))?$",
    re.IGNORECASE,
)
_RECOMMENDATIONS = re.compile(r"^recommendations?(?:\s+\d{1,2})?:?$", re.IGNORECASE)
_PRACTICE = re.compile(
    r"^(?:(?:innovative|promising|notable|good)\s+(?:(?:and|or)\s+(?:innovative|promising)\s+)?"
    r"practice)s?(?:\s*[:–—-]\s*(?P<text>.+))?$",
    re.IGNORECASE,
)
_NARRATIVE = re.compile(
    r"^(?:overall summary|main findings|summary|important changes to peel|terminology in this "
    r"report|about (?:this report|us|the data)|introduction|annex\b.*|appendix\b.*|data in this "
    r"report|(?:the )?force in (?:numbers|context)|context|what we found|our findings|next "
    r"steps|how we inspect.*|our approach|the grades we award|glossary)$",
    re.IGNORECASE,
)
_NUMBERED = re.compile(r"^(?:\(?[a-z]\)|\(?\d{1,2}[.)])\s+(?P<text>\S.*)$")


@dataclass
class Item:
    kind: Kind
    first: int  # 1-based line numbers
    last: int
    text: str  # the heading or paragraph as matching reads it (plain; lines joined)
    raw: str = ""  # the first line as extracted (the grid's cells are tab-separated)
    printed: str = ""  # the heading or paragraph as printed (quotes kept), to be stored
    area: Area | None = None
    grade: GradeValue | None = None
    number: int | None = None  # "Area for improvement 2", "Cause of concern 2"
    rest: str | None = None  # a heading's text after its colon
    lines: list[int] = field(default_factory=list)


def bullet(line: str) -> str | None:
    """The text of a bullet ("• ...", "- ...", "1. ...", "(a) ..."), or None."""
    found = bullet_text(line)
    if found is not None:
        return found
    numbered = _NUMBERED.match(line)
    return numbered["text"] if numbered else None


def ends_sentence(text: str) -> bool:
    """Whether a paragraph ends a sentence (a closing quote may follow the stop)."""
    return text.rstrip().rstrip("'\"’”)").endswith((".", "!", "?", ":", ";"))


@dataclass
class Lines:
    """The report's items, and the lines it skipped as furniture."""

    items: list[Item]
    skipped: list[int]


_CYCLES: dict[tuple[str, str], re.Pattern[str]] = {}


def _cycle_heading(framework: Framework) -> re.Pattern[str]:
    """ "PEEL 2023–2025" on its own: a heading of the report's introduction."""
    key = (framework.id, framework.checksum)
    if key not in _CYCLES:
        years = spelling_pattern(framework.year_spellings)
        _CYCLES[key] = re.compile(rf"^PEEL\s+{years}$", re.IGNORECASE)
    return _CYCLES[key]


def classify(text: str, framework: Framework) -> Item | None:
    """The heading or lone grade a (plain) line is, or None for prose and bullets."""
    if GAP.match(text):
        return Item(Kind.GAP, 0, 0, text)
    if not text[:1].isupper():
        return None  # headings start with a capital; "investigating crime" is prose wrapped
    if _HMI.match(text):
        return Item(Kind.HMI, 0, 0, text)
    if _OUR_JUDGMENTS.match(text):
        return Item(Kind.OUR_JUDGMENTS, 0, 0, text)
    if _AFI.match(text):
        return Item(Kind.AFI, 0, 0, text)
    if found := _AFI_LABEL.match(text):
        return Item(Kind.AFI_LABEL, 0, 0, text, number=int(found["n"]), rest=found["text"])
    if found := _CONCERN.match(text):
        number = int(found["n"]) if found["n"] else None
        return Item(Kind.CONCERN, 0, 0, text, number=number, rest=found["text"])
    if _RECOMMENDATIONS.match(text):
        return Item(Kind.RECOMMENDATIONS, 0, 0, text)
    if found := _PRACTICE.match(text):
        return Item(Kind.PRACTICE, 0, 0, text, rest=found["text"])
    if _NARRATIVE.match(text) or _cycle_heading(framework).match(text):
        return Item(Kind.NARRATIVE, 0, 0, text)
    value = grades(framework).line(text)
    if value is not None:
        return Item(Kind.GRADE, 0, 0, text, grade=value)
    area = area_index(framework).find(text)
    if area is not None:
        return Item(Kind.AREA, 0, 0, text, area=area)
    return None


def read_lines(text: SourceText, framework: Framework) -> Lines:
    """The items of the text, wrapped lines joined, furniture skipped."""
    plains = [plain(line) for line in text.lines]
    # A short line printed on three pages or more that is nothing the reader knows is a running
    # header or footer ("PEEL 2021/22 – <force>").
    counts = Counter(p for p in plains if p and len(p) <= 120)
    margins = _page_margins(text, plains)
    page = furniture.find(text)  # what the importer's furniture rules find, besides ours
    items: list[Item] = []
    skipped: list[int] = []
    for number, (raw, line) in enumerate(zip(text.lines, plains, strict=True), start=1):
        if not line:
            continue
        heading = classify(line, framework)
        if heading is None and (
            is_furniture(line)
            or is_date_line(line)
            or page.is_furniture(number)
            or number in margins
            or (counts[line] >= 3 and not bullet(line))
        ):
            skipped.append(number)
            continue
        as_printed = printed(raw)
        if heading is not None:
            heading.first = heading.last = number
            heading.raw = raw
            heading.printed = as_printed
            heading.lines = [number]
            items.append(heading)
            continue
        text_of_bullet = bullet(line)
        previous = items[-1] if items else None
        if (
            previous is not None
            and previous.kind in (Kind.BULLET, Kind.PARAGRAPH)
            and text_of_bullet is None
            and _continues(previous.text, line)
        ):
            previous.text = join_wrapped([previous.text, line])
            previous.printed = join_wrapped([previous.printed, as_printed])
            previous.last = number
            previous.lines.append(number)
            if previous.kind is Kind.PARAGRAPH:
                _reclassify(previous, framework)  # a heading or grid cell wrapped in a PDF
            continue
        kind = Kind.BULLET if text_of_bullet is not None else Kind.PARAGRAPH
        if text_of_bullet is not None:
            as_printed = bullet(as_printed) or text_of_bullet
        item = Item(kind, number, number, text_of_bullet or line, raw=raw, printed=as_printed)
        item.lines = [number]
        items.append(item)
    return Lines(items, skipped)


def _page_margins(text: SourceText, plains: list[str]) -> set[int]:
    """The lines of a PDF's page heads and feet that repeat from page to page, their page
    numbers apart ("HM Inspectorate of Constabulary 2", "... 3"): a running header or footer."""
    if not text.pages or max(text.pages) < 2:
        return set()
    ends: dict[int, list[int]] = {}
    for number, page in enumerate(text.pages, start=1):
        if plains[number - 1]:
            ends.setdefault(page, []).append(number)
    keyed: dict[str, set[int]] = {}
    found: set[int] = set()
    for page, lines in ends.items():
        for number in {lines[0], lines[-1]}:
            key = re.sub(r"\d+", "#", plains[number - 1])
            keyed.setdefault(key, set()).add(number)
            # a head or foot line that carries the page's own number, in a cell of its own
            cells = [c.strip() for c in text.lines[number - 1].split("\t") if c.strip()]
            if len(cells) > 1 and str(page) in (cells[0], cells[-1]):
                found.add(number)
    for repeated in keyed.values():
        if len({text.pages[n - 1] for n in repeated}) >= 2:
            found |= repeated
    return found


def _reclassify(item: Item, framework: Framework) -> None:
    """A paragraph whose lines, joined, are a heading or an area's name is that heading."""
    heading = classify(item.text, framework)
    if heading is None or heading.kind is Kind.GAP:
        return
    item.kind, item.area, item.grade = heading.kind, heading.area, heading.grade
    item.number, item.rest = heading.number, heading.rest


def _continues(previous: str, line: str) -> bool:
    """A line wrapped from the paragraph before: that one unfinished, this one in lower case
    (or the paragraph broken after a hyphen or a comma)."""
    if ends_sentence(previous):
        return False
    return line[:1].islower() or previous.endswith(("-", ",", "–"))
