"""Text tools the follow-up readers share.

- dates as documents print them ("10 February 2023", "4th September 2014", "03/04/2017", day
  first as in the UK) and the "Published on:" line;
- page furniture of saved pages ("Print this document", "Contents") and ``[...]`` elisions (a
  stretch cut out of the copy: skipped with a ``followup_text_elided`` warning naming its line);
- the text as blocks: headings on their own lines, paragraphs (wrapped lines joined), bulleted
  ("•", "-", "  •") and numbered items, so readers see one statement per block;
- the force a document is about (its title's force, else the force it names most);
- the framework of the inspection followed up: named with its year ("PEEL Effectiveness Report
  2016"), or the cycle of a programme whose years contain a date, both from the framework files
  (``period`` and ``era.year_spellings``), or a title like a framework's title;
- matching a statement to a list of findings by their words;
- the words of HMICFRS's monitoring stages (scan, engage).
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache

from rapidfuzz import fuzz

from peelkit.domain.frameworks import Framework
from peelkit.domain.years import normalise_year
from peelkit.errors import PeelkitError
from peelkit.frameworks import load_all
from peelkit.names import fold
from peelkit.reference import resolve_force, territorial_forces
from peelkit.reportimport.detect import detect_force
from peelkit.reportimport.model import ImportWarning, Span
from peelkit.reportimport.months import MONTHS
from peelkit.reportimport.readers.eras import spelling_pattern
from peelkit.reportimport.text import (
    SourceText,
    bullet_text,
    join_wrapped,
    normalise_space,
    strip_markup,
)

# --- dates -------------------------------------------------------------------------------------

_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
WORD_DATE = re.compile(
    rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<month>{_MONTH})\.?,?\s+(?P<year>\d{{4}})\b",
    re.IGNORECASE,
)
NUMERIC_DATE = re.compile(r"\b(?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>\d{4})\b")
# A month and year with no day ("In January 2022"); the month is capitalised, as printed.
MONTH_YEAR = re.compile(
    r"\b(?P<month>" + "|".join(n.capitalize() for n in MONTHS) + r")\.?\s+(?P<year>\d{4})\b"
)
YEAR = re.compile(r"\b(?P<year>(?:19|20)\d{2})\b")


@dataclass(frozen=True)
class PrintedDate:
    printed: str
    date: dt.date | None  # None for a day that does not exist ("31 February 2023")
    start: int
    end: int


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def find_dates(text: str) -> list[PrintedDate]:
    """Every date printed in ``text``, in order: "10 February 2023", "4th September 2014",
    "03/04/2017" (day, month, year)."""
    found: list[PrintedDate] = []
    for match in WORD_DATE.finditer(text):
        month = MONTHS[match["month"].lower()]
        date = _date(int(match["year"]), month, int(match["day"]))
        found.append(PrintedDate(match.group(0), date, match.start(), match.end()))
    for match in NUMERIC_DATE.finditer(text):
        date = _date(int(match["year"]), int(match["month"]), int(match["day"]))
        found.append(PrintedDate(match.group(0), date, match.start(), match.end()))
    return sorted(found, key=lambda d: d.start)


def leading_date(text: str) -> PrintedDate | None:
    """The date ``text`` starts with, if it starts with one."""
    stripped = text.lstrip()
    dates = find_dates(stripped)
    return dates[0] if dates and dates[0].start == 0 else None


def parse_date(printed: str) -> dt.date | None:
    """The date a whole string prints ("29 March 2022", "03/04/2017"), else None."""
    text = normalise_space(printed).rstrip(".")
    dates = find_dates(text)
    if len(dates) == 1 and dates[0].printed == text:
        return dates[0].date
    return None


def first_year(text: str) -> int | None:
    match = YEAR.search(text)
    return int(match["year"]) if match else None


def day_month_year(date: dt.date) -> str:
    """A date as the documents print it: "2 March 2017"."""
    return f"{date.day} {date:%B %Y}"


@dataclass(frozen=True)
class PrintedPeriod:
    """A stretch of days a sentence prints: "Between 17 January and 11 February 2022" (17
    January to 11 February), "In January 2022" (the whole month), "On 5 May 2022" (one day)."""

    printed: str
    first: dt.date
    last: dt.date


_DAY = r"(?P<{0}>\d{{1,2}})(?:st|nd|rd|th)?"
_RANGE_DAYS = re.compile(
    r"\b(?:between|from)\s+"
    + _DAY.format("d1")
    + rf"(?:\s+(?P<m1>{_MONTH}))?(?:\s+(?P<y1>\d{{4}}))?\s+(?:and|to|until|till|–|-)\s+"
    + _DAY.format("d2")
    + rf"\s+(?P<m2>{_MONTH})\s+(?P<y2>\d{{4}})\b",
    re.IGNORECASE,
)
_RANGE_MONTHS = re.compile(
    rf"\b(?:(?:between|from)\s+)?(?P<m1>{_MONTH})(?:\s+(?P<y1>\d{{4}}))?\s+(?:and|to|until|till|–|-)"
    rf"\s+(?P<m2>{_MONTH})\s+(?P<y2>\d{{4}})\b",
    re.IGNORECASE,
)


def _month_end(year: int, month: int) -> dt.date:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def printed_period(sentence: str) -> PrintedPeriod | None:
    """The first stretch of days ``sentence`` prints (a range of days or months, one day, one
    month), or None; a day that does not exist gives None."""
    found = _RANGE_DAYS.search(sentence)
    if found:
        m2, y2 = MONTHS[found["m2"].lower()], int(found["y2"])
        m1 = MONTHS[found["m1"].lower()] if found["m1"] else m2
        y1 = int(found["y1"]) if found["y1"] else y2
        first, last = _date(y1, m1, int(found["d1"])), _date(y2, m2, int(found["d2"]))
        if first is None or last is None or first > last:
            return None
        return PrintedPeriod(normalise_space(found.group(0)), first, last)
    found = _RANGE_MONTHS.search(sentence)
    if found:
        m1, m2, y2 = MONTHS[found["m1"].lower()], MONTHS[found["m2"].lower()], int(found["y2"])
        y1 = int(found["y1"]) if found["y1"] else y2
        first, last = dt.date(y1, m1, 1), _month_end(y2, m2)
        if first > last:
            return None
        return PrintedPeriod(normalise_space(found.group(0)), first, last)
    dates = find_dates(sentence)
    if dates:
        day = dates[0].date
        return PrintedPeriod(dates[0].printed, day, day) if day is not None else None
    month = MONTH_YEAR.search(sentence)
    if month:
        number, year = MONTHS[month["month"].lower()], int(month["year"])
        return PrintedPeriod(month.group(0), dt.date(year, number, 1), _month_end(year, number))
    return None


# "Published on: 29 March 2022", "Published: 29 March 2022"
PUBLISHED = re.compile(r"^Published(?:\s+on)?\s*:?\s*(?P<value>.*\d.*)$", re.IGNORECASE)

# --- page furniture and elisions ---------------------------------------------------------------

# Lines of saved pages that are not the document (compared folded: case and punctuation aside).
FURNITURE = frozenset(
    fold(line)
    for line in (
        "Print this document",
        "Print this page",
        "Print",
        "Contents",
        "Table of contents",
        "Skip to content",
        "Skip to main content",
        "Back to top",
        "Share this page",
        "Download this document",
    )
)
ELISION = re.compile(r"^\s*\[\s*(?:\.\.\.|…)\s*\]\s*$")
# A paragraph or item is finished when it ends with one of these.
FINISHED = (".", ":", ";", "!", "?")


def clean(line: str) -> str:
    """A line without markup and with its white space collapsed."""
    return normalise_space(strip_markup(line))


def is_furniture(line: str) -> bool:
    return fold(line) in FURNITURE


def is_elision(line: str) -> bool:
    """A line that is exactly "[...]": the copy leaves a stretch out here."""
    return ELISION.match(line) is not None


def warning(
    text: SourceText, code: str, message: str, first: int, last: int | None = None
) -> ImportWarning:
    return ImportWarning(code=code, message=message, span=text.span(first, last))


def elision_warning(text: SourceText, number: int) -> ImportWarning:
    """The warning for the "[...]" on line ``number``; it says if the text before is cut short."""
    before = next(
        (clean(text.line(n)) for n in range(number - 1, 0, -1) if text.line(n).strip()), ""
    )
    message = f"line {number} is '[...]': a stretch of the document is missing from the copy"
    if before and not before.endswith(FINISHED):
        message += "; the text before it is cut mid-sentence and kept as printed"
    return warning(text, "followup_text_elided", message, number)


def elision_warnings(text: SourceText) -> list[ImportWarning]:
    return [elision_warning(text, n) for n, line in enumerate(text.lines, 1) if is_elision(line)]


def content_lines(text: SourceText, limit: int | None = None) -> list[tuple[int, str]]:
    """The numbered, cleaned lines that are neither blank, furniture nor elisions."""
    found: list[tuple[int, str]] = []
    for number, raw in enumerate(text.lines, start=1):
        line = clean(raw)
        if line and not is_furniture(line) and not is_elision(raw):
            found.append((number, line))
            if limit is not None and len(found) >= limit:
                break
    return found


# --- blocks: headings, paragraphs, items -------------------------------------------------------

NUMBERED = re.compile(r"^\(?(?P<number>\d{1,2})[.)]\s+(?P<text>\S.*)$")
HEADING_MAX_WORDS = 12


def item_text(line: str) -> str | None:
    """The text of a bulleted ("•", "-") or numbered ("1.", "2)") line, else None."""
    text = bullet_text(line)
    if text is not None:
        return text
    match = NUMBERED.match(line.strip())
    return normalise_space(match["text"]) if match else None


def looks_like_heading(line: str) -> bool:
    """A short line on its own, capitalised and without closing punctuation."""
    words = line.split()
    return (
        0 < len(words) <= HEADING_MAX_WORDS
        and not line.endswith((*FINISHED, ","))
        and (line[0].isupper() or line[0].isdigit())
    )


@dataclass
class Block:
    kind: str  # heading | paragraph | item | elision
    text: str
    first: int  # line numbers, 1-based and inclusive
    last: int

    def span(self, text: SourceText) -> Span:
        return text.span(self.first, self.last)


def _continues(block: Block, line: str) -> bool:
    """Whether ``line`` is the wrapped rest of ``block`` (an unfinished paragraph or item)."""
    if block.text.endswith(FINISHED):
        return False
    return block.kind == "paragraph" or (block.kind == "item" and line[:1].islower())


def read_blocks(text: SourceText, skip: Iterable[int] = ()) -> list[Block]:
    """The document as blocks, leaving out the lines in ``skip`` (a reader's header lines),
    blank lines and furniture. A paragraph runs on while its last line is unfinished; a heading
    is a short line that starts afresh (see :func:`looks_like_heading`)."""
    skipped = set(skip)
    blocks: list[Block] = []
    current: Block | None = None
    for number, raw in enumerate(text.lines, start=1):
        if number in skipped or not raw.strip():
            current = None
            continue
        if is_elision(raw):
            blocks.append(Block("elision", raw.strip(), number, number))
            current = None
            continue
        line = clean(raw)
        if is_furniture(line):
            current = None
            continue
        item = item_text(line)
        if item is not None:
            current = Block("item", item, number, number)
            blocks.append(current)
            continue
        if current is not None and _continues(current, line):
            current.text = join_wrapped([current.text, line])
            current.last = number
            continue
        kind = "heading" if looks_like_heading(line) else "paragraph"
        block = Block(kind, line, number, number)
        blocks.append(block)
        current = block if kind == "paragraph" else None
    return blocks


@dataclass
class Section:
    """A heading (None before the first) and the blocks up to the next heading."""

    heading: Block | None
    blocks: list[Block] = field(default_factory=list)

    @property
    def title(self) -> str | None:
        return self.heading.text if self.heading else None


def sections(blocks: Sequence[Block]) -> list[Section]:
    found = [Section(None)]
    for block in blocks:
        if block.kind == "heading":
            found.append(Section(block))
        else:
            found[-1].blocks.append(block)
    return [s for s in found if s.heading is not None or s.blocks]


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z‘“'\"(])")


def sentences(paragraph: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(paragraph) if s.strip()]


# "...contact; and" -> "...contact": the joins of a printed list are not part of its items.
_LIST_JOIN = re.compile(r"\s*(?:;|,)?\s*(?:\b(?:and|or)\b)?\s*$")


def list_item(text: str) -> str:
    """An item of a printed list without the list's joins ("; and", ";"); a full stop stays."""
    stripped = text.rstrip()
    if stripped.endswith((";", "; and", "; or", ", and", ", or")):
        return _LIST_JOIN.sub("", stripped).rstrip(";, ")
    return stripped


# --- deadlines ---------------------------------------------------------------------------------

# A deadline as printed at the start of a recommendation or its lead-in: "Not later than 31 March
# 2015", "By 31 March 2015", "Within three months", "With immediate effect"; or "should
# immediately".
DEADLINES = (
    re.compile(
        r"^(?P<deadline>(?:(?:Not|No)\s+later\s+than|By|Before)\s+[^,.]*?\b\d{4})\b",
        re.IGNORECASE,
    ),
    re.compile(
        r"^(?P<deadline>Within\s+\w+\s+(?:days?|weeks?|months?|years?)(?:\s+of\s+[^,]+)?)",
        re.IGNORECASE,
    ),
    re.compile(r"^(?P<deadline>With\s+immediate\s+effect|Immediately)\b", re.IGNORECASE),
    re.compile(r"\bshould\s+(?P<deadline>immediately)\b", re.IGNORECASE),
)


def printed_deadline(text: str) -> str | None:
    """The deadline a recommendation (or its lead-in) starts with, as printed, or None."""
    for pattern in DEADLINES:
        match = pattern.search(text.strip())
        if match:
            return normalise_space(match["deadline"])
    return None


# --- counting and ordinals ---------------------------------------------------------------------

COUNT_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "both": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
ORDINAL_WORDS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
}


def count_of(word: str) -> int | None:
    """ "two" -> 2, "3" -> 3, "a" -> 1; None for any other word."""
    lowered = word.lower()
    if lowered.isdigit():
        return int(lowered)
    return COUNT_WORDS.get(lowered)


# --- words: matching a statement to findings ---------------------------------------------------

# Words that say nothing about which finding a sentence is about.
_STOPWORDS = """
    a an and or of to in on at for by with from that this these those is are was were be been
    being it its has have had not no does did do isnt wasnt didnt doesnt hasnt havent arent
    werent dont cant we our us they their them which who how what when where there the force
    forces police constabulary needs need failing fail make sure should also into as any all
    cause causes concern concerns found find during original inspection inspected therefore
"""
STOPWORDS = frozenset(_STOPWORDS.split())
STEM_LENGTH = 5  # "identify", "identifying" and "identified" share "ident"
MATCH_THRESHOLD = 0.4  # share of the shorter text's words the texts must share
MATCH_MARGIN = 0.2  # how far the best candidate must be ahead of the next


def stems(text: str) -> frozenset[str]:
    return frozenset(
        word[:STEM_LENGTH] for word in fold(text).split() if len(word) > 2 and word not in STOPWORDS
    )


def likeness(left: str, right: str) -> float:
    """The share of the shorter text's words (stems) the two texts share, 0 to 1."""
    a, b = stems(left), stems(right)
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def best_match(query: str, candidates: Sequence[str]) -> int | None:
    """The index of the candidate ``query`` is clearly about; None if none or unclear."""
    scores = [likeness(query, candidate) for candidate in candidates]
    if not scores:
        return None
    ranked = sorted(range(len(scores)), key=lambda i: -scores[i])
    best = ranked[0]
    if scores[best] < MATCH_THRESHOLD:
        return None
    if len(ranked) > 1 and scores[best] - scores[ranked[1]] < MATCH_MARGIN:
        return None
    return best


# --- the force ---------------------------------------------------------------------------------


@dataclass
class ForceFound:
    force: str | None  # force id
    warnings: list[ImportWarning] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)


@cache
def _force_spellings() -> tuple[tuple[str, str], ...]:
    """(folded spelling, force id) of every territorial force's names, longest first."""
    pairs = {
        (fold(spelling), force.id)
        for force in territorial_forces()
        for spelling in (force.name, force.short_name, *force.aliases)
        if len(fold(spelling)) > 3
    }
    return tuple(sorted(pairs, key=lambda p: (-len(p[0]), p)))


def force_spelled_in(phrase: str) -> str | None:
    """The force whose longest name, short name or alias appears in ``phrase`` (whole words)."""
    folded = f" {fold(phrase)} "
    for spelling, force_id in _force_spellings():
        if f" {spelling} " in folded:
            return force_id
    return None


def document_force(
    text: SourceText, printed: str | None, line: int | None, given: str | None
) -> ForceFound:
    """The force of a document: the one ``printed`` names (its title's force, from ``line``),
    else, if it prints none, the one it names most (:func:`detect_force`). ``given`` (the
    user's --force, any of a force's names) wins; if the document names another, a warning says
    so. A printed name peelkit does not know is a warning and leaves the force unknown."""
    found = ForceFound(None)
    named: str | None = None
    if printed:
        try:
            named = resolve_force(printed).id
        except PeelkitError as error:
            named = force_spelled_in(printed)
            if named is None and line is not None:
                found.warnings.append(
                    warning(
                        text,
                        "followup_unknown_force",
                        f"line {line} names the force {printed!r}, which peelkit does not know "
                        f"({error}); the document is read without its force",
                        line,
                    )
                )
    else:
        detected = detect_force(text)
        named = detected.id if detected else None
    if given is not None:
        chosen = resolve_force(given).id
        if named is not None and named != chosen:
            found.warnings.append(
                warning(
                    text,
                    "followup_force_differs",
                    f"the document is about {named} (line {line or 1}) but the force given is "
                    f"{chosen}; the force given is used",
                    line or 1,
                )
            )
        found.force = chosen
    else:
        found.force = named
    if found.force is None:
        found.not_found.append("the force the document is about")
    return found


# --- the framework of the inspection followed up -----------------------------------------------


def programme_frameworks(programme: str) -> tuple[Framework, ...]:
    return tuple(f for f in load_all() if fold(f.programme) == fold(programme))


def period_years(period: str) -> range:
    """The calendar years a framework's period spans: "2016" -> 2016, "2021/22" -> 2021-2022,
    "2023-25" -> 2023-2025."""
    normal = normalise_year(period)
    start = int(normal[:4])
    if len(normal) == 4:
        return range(start, start + 1)
    end = (start // 100) * 100 + int(normal[5:])
    if end < start:
        end += 100
    return range(start, end + 1)


def frameworks_covering(year: int, programme: str) -> list[Framework]:
    """The frameworks of a programme whose period's years contain ``year``."""
    return [f for f in programme_frameworks(programme) if year in period_years(f.period)]


def framework_named(text: str, programme: str) -> Framework | None:
    """The framework a text names by programme and year: "PEEL Effectiveness Report 2016",
    "our 2021/22 PEEL inspection" (the year as one of the framework's ``year_spellings``; a
    year after a month, "May 2024", is a date, not a framework)."""
    spellings = {s: f for f in programme_frameworks(programme) for s in f.year_spellings}
    if not spellings:
        return None
    years = spelling_pattern(spellings)
    name = re.escape(programme)
    patterns = (rf"\b{name}\b[^.\n]{{0,60}}?(?P<year>{years})", rf"(?P<year>{years})\s+{name}\b")
    for pattern in patterns:
        for match in re.finditer(pattern, text):
            before = text[: match.start("year")].split()
            if before and before[-1].lower().rstrip(".,") in MONTHS:
                continue
            key = normalise_space(match["year"])
            return spellings.get(key) or next(
                (f for s, f in spellings.items() if normalise_space(s) == key), None
            )
    return None


TITLE_THRESHOLD = 85  # rapidfuzz token_sort_ratio of folded titles, 0 to 100


def framework_by_title(title: str) -> tuple[Framework | None, str]:
    """The framework whose title is most like ``title`` (word order and case aside), and why:
    none above TITLE_THRESHOLD, or two equally like it, gives None."""
    scored = sorted(
        ((fuzz.token_sort_ratio(fold(title), fold(f.title)), f) for f in load_all()),
        key=lambda pair: -pair[0],
    )
    if not scored or scored[0][0] < TITLE_THRESHOLD:
        best = f" (closest: {scored[0][1].id}, {scored[0][0]:.0f}%)" if scored else ""
        return None, f"no framework's title is like it{best}"
    if len(scored) > 1 and scored[1][0] == scored[0][0]:
        return None, f"{scored[0][1].id} and {scored[1][1].id} are equally like it"
    return scored[0][1], f"{scored[0][0]:.0f}% like the title of {scored[0][1].id}"


# --- monitoring stages -------------------------------------------------------------------------

# Phrases that name a stage of HMICFRS's monitoring process, as letters print them.
STAGE_PHRASES: dict[str, str] = {
    "enhanced level of monitoring": "engage",
    "enhanced monitoring": "engage",
    "engage phase": "engage",
    "engage stage": "engage",
    "default level of monitoring": "scan",
    "default monitoring": "scan",
    "routine monitoring": "scan",
    "scan phase": "scan",
    "scan stage": "scan",
}
# A stage's own name counts when it is quoted ("known as ‘engage’") or capitalised ("in Engage"):
# "engage" alone is also an ordinary verb.
STAGE_NAMES: dict[str, str] = {"engage": "engage", "scan": "scan"}
# Verbs that move a force between stages ("remains in engage" states no move).
STAGE_MOVES = re.compile(
    r"\b(?:mov(?:e|ed|es|ing)|plac(?:e|ed|es|ing)|put|return(?:ed|s|ing)?|escalat(?:e|ed|es|ing)"
    r"|enter(?:ed|s|ing)?|transferr?(?:ed|ing)?)\b",
    re.IGNORECASE,
)


def _stage_patterns() -> list[tuple[re.Pattern[str], str]]:
    patterns = [
        (re.compile(r"\b" + r"\s+".join(map(re.escape, p.split())) + r"\b", re.IGNORECASE), stage)
        for p, stage in STAGE_PHRASES.items()
    ]
    for name, stage in STAGE_NAMES.items():
        quoted = rf"[‘'\"“]{name}[’'\"”]"
        capitalised = rf"(?<![.!?]\s)\b{name.capitalize()}\b"
        # "into engage", "back to scan": the name after a move, never a verb there
        moved = rf"\b(?:into|back\s+(?:in)?to)\s+(?:the\s+)?{name}\b"
        patterns.append((re.compile(quoted, re.IGNORECASE), stage))
        patterns.append((re.compile(capitalised), stage))
        patterns.append((re.compile(moved, re.IGNORECASE), stage))
    return patterns


STAGE_PATTERNS = _stage_patterns()


def stage_moved_to(sentence: str) -> str | None:
    """The stage a sentence moves a force to ("we moved X to the engage phase", "return X to our
    default level of monitoring, known as 'scan'"): the last stage it names, as in "from engage
    to scan"; None if it names no stage or moves nothing."""
    if not STAGE_MOVES.search(sentence) or re.search(r"\bremain", sentence, re.IGNORECASE):
        return None
    mentions = [(m.start(), stage) for p, stage in STAGE_PATTERNS for m in p.finditer(sentence)]
    if not mentions:
        return None
    return max(mentions)[1]


# --- a document's text as one string with offsets ----------------------------------------------


@dataclass
class Stream:
    """The document's lines joined by newlines, with each offset's line number."""

    source: SourceText
    text: str
    starts: list[int]

    @classmethod
    def of(cls, source: SourceText) -> Stream:
        starts, offset = [], 0
        for line in source.lines:
            starts.append(offset)
            offset += len(line) + 1
        return cls(source, "\n".join(source.lines), starts)

    def line_of(self, offset: int) -> int:
        return max(1, bisect_right(self.starts, offset))

    def span(self, start: int, end: int) -> Span:
        """The lines from ``start`` to ``end``, without blank or "[...]" lines at the end."""
        first, last = self.line_of(start), self.line_of(max(start, end - 1))
        while last > first and (
            not self.source.line(last).strip() or is_elision(self.source.line(last))
        ):
            last -= 1
        return self.source.span(first, last)

    def piece(self, start: int, end: int) -> str:
        """The text between two offsets as one paragraph, without elision lines."""
        lines = [line for line in self.text[start:end].splitlines() if not is_elision(line)]
        return join_wrapped(clean(line) for line in lines)
