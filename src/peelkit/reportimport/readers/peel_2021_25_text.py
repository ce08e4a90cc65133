"""Text tools shared by the readers of PEEL 2021/22 and 2023–25 documents.

The force reports and HMICFRS's press releases of these cycles come as saved web pages and as
text extracted from PDFs. Both spell things differently from one copy to the next: curly or
straight quotes, no-break spaces, soft hyphens and ligatures, "anti-social" or "antisocial",
numbers in words ("eight of these nine") or figures ("10 of these 11"). The helpers here make
those spellings compare equal, skip the page furniture around the text, find the framework's
areas named in prose (by the framework's names and aliases: data, not code) and tell which
framework a document is about from the year spellings of the framework files.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from peelkit.domain.frameworks import Area, Framework
from peelkit.domain.grades import GradeValue
from peelkit.names import fold
from peelkit.reportimport.readers.eras import frameworks_read_by, grade_words, spelling_pattern
from peelkit.reportimport.text import normalise_space

READER_NAME = "peel-2021-25"  # reads the frameworks whose era.readers name it

# Characters that print alike: quotes, spaces and invisible marks (NFKC spells out ligatures
# and turns a no-break space into a space).
_SAME = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "‛": "'",
        "′": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "\u00ad": None,
        "\u200b": None,
        "\u200c": None,
        "\u200d": None,
        "\ufeff": None,
    }
)


def plain(line: str) -> str:
    """A line as matching wants it: quotes straight, white space single, invisible marks
    dropped, ligatures spelt out."""
    return normalise_space(unicodedata.normalize("NFKC", line).translate(_SAME).replace("\t", " "))


_LIGATURES = str.maketrans(
    {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}
)
_INVISIBLE = str.maketrans(
    {"\u00ad": None, "\u200b": None, "\u200c": None, "\u200d": None, "\ufeff": None}
)
_SPACES = re.compile(r"[\s\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


def printed(line: str) -> str:
    """A line as it is stored: as printed (quotes and dashes kept), with invisible marks
    dropped, ligatures spelt out and white space single."""
    text = unicodedata.normalize("NFC", line).translate(_LIGATURES).translate(_INVISIBLE)
    return _SPACES.sub(" ", text).strip()


# A stretch cut out of a copy.
GAP = re.compile(r"^\[\s*(?:\.\.\.|…)\s*\]$")

# What a saved page or a PDF prints around the text: site banners, links, breadcrumbs, page
# numbers, cookie notices. Matched against the whole (plain) line, case ignored.
_FURNITURE = re.compile(
    r"^(?:skip to (?:main )?content|print this (?:document|page|report)|back to (?:top|glossary)"
    r"|get the report|read the report|share this (?:page|report)|share on \w+"
    r"|download (?:the )?(?:full )?(?:report|pdf|document)\b.*|contents|table of contents|menu"
    r"|home\s*(?:[>/›»|].*)?|you are here:?.*|cookies?(?: settings| on .*| policy)?"
    r"|(?:accept|reject) (?:all |additional |analytics )?cookies.*"
    r"|we use (?:some essential )?cookies.*|page \d{1,3}(?: of \d{1,3})?|\d{1,3}"
    r"|last updated:?\s.*|©.*|crown copyright.*|open government licence.*)$",
    re.IGNORECASE,
)


def is_furniture(line: str) -> bool:
    """Whether a (plain) line is page furniture, never read as the document's text."""
    return bool(_FURNITURE.match(line))


# --- numbers as the documents print them ------------------------------------------------------

_WORDS = (
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
)
NUMBER_WORDS = {word: value for value, word in enumerate(_WORDS, start=1)}
# A count as printed: "eight", "Eight", "10".
NUMBER = r"(?:\d{1,2}|" + "|".join(sorted(_WORDS, key=len, reverse=True)) + ")"


def number(printed: str) -> int | None:
    """The count a printed number means: "eight" -> 8, "10" -> 10."""
    text = printed.strip().lower()
    if text.isdigit():
        return int(text)
    return NUMBER_WORDS.get(text)


# --- dates -----------------------------------------------------------------------------------

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_ISO_DATE = re.compile(r"^date\s+(\d{4})-(\d{2})-(\d{2})\b", re.IGNORECASE)
_PUBLISHED = re.compile(
    r"^(?:published(?: on)?|publication date|date of publication|date)\s*:?\s*"
    r"(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})$",
    re.IGNORECASE,
)


def date_line(line: str) -> dt.date | None:
    """The date a dateline states ("Published on: 22 September 2022", "date 2022-09-22")."""
    found = _ISO_DATE.match(line)
    try:
        if found:
            return dt.date(int(found[1]), int(found[2]), int(found[3]))
        found = _PUBLISHED.match(line)
        if found and found[2].lower() in _MONTHS:
            return dt.date(int(found[3]), _MONTHS[found[2].lower()], int(found[1]))
    except ValueError:
        return None
    return None


def is_date_line(line: str) -> bool:
    return bool(_ISO_DATE.match(line) or _PUBLISHED.match(line))


# --- areas named in the text -----------------------------------------------------------------


def area_key(name: str) -> str:
    """A name folded so that "anti-social" and "antisocial", "&" and "and" compare equal."""
    return fold(re.sub(r"(?<=[A-Za-z])-(?=[A-Za-z])", "", plain(name)))


@dataclass(frozen=True)
class AreaIndex:
    """The framework's areas by their names and aliases (never by id: "workforce" is a word)."""

    framework: Framework
    by_key: dict[str, Area]
    keys: tuple[tuple[str, Area], ...]  # longest first, for finding names in prose

    def find(self, line: str) -> Area | None:
        """The area a line names, whole ("Investigating crime", "Good use of resources")."""
        return self.by_key.get(area_key(line))

    def named_in(self, text: str) -> list[Area]:
        """The areas a stretch of prose names, in order, each once; the longest name wins
        ("preventing crime and anti-social behaviour" is one area, not "preventing crime")."""
        folded = area_key(text)
        taken: list[tuple[int, int, Area]] = []
        for key, area in self.keys:
            for match in re.finditer(rf"(?<![a-z0-9]){re.escape(key)}(?![a-z0-9])", folded):
                start, end = match.span()
                if all(end <= s or start >= e for s, e, _ in taken):
                    taken.append((start, end, area))
        found: list[Area] = []
        for _, _, area in sorted(taken, key=lambda t: t[0]):
            if area not in found:
                found.append(area)
        return found


def _key(framework: Framework) -> tuple[str, str]:
    """A framework's cache key: its id and checksum (a reloaded file is another framework)."""
    return framework.id, framework.checksum


_AREA_INDEXES: dict[tuple[str, str], AreaIndex] = {}
_GRADES: dict[tuple[str, str], Grades] = {}


def area_index(framework: Framework) -> AreaIndex:
    found = _AREA_INDEXES.get(_key(framework))
    if found is None:
        found = _AREA_INDEXES[_key(framework)] = _area_index(framework)
    return found


def _area_index(framework: Framework) -> AreaIndex:
    by_key: dict[str, Area] = {}
    for area in framework.walk():
        for spelling in (area.name, *area.aliases):
            by_key.setdefault(area_key(spelling), area)
    keys = tuple(sorted(by_key.items(), key=lambda item: (-len(item[0]), item[0])))
    return AreaIndex(framework, by_key, keys)


# --- grade words -----------------------------------------------------------------------------


def _participle(pattern: str) -> str | None:
    """ "requires improvement" as "requiring improvement" ("the areas requiring improvement")."""
    first, _, rest = pattern.partition(r"\s+")
    if not rest or not first.endswith("s?"):
        return None
    stem = first[: -len("s?")]
    stem = stem[:-1] if stem.endswith("e") else stem
    return rf"{stem}ing\s+{rest}"


@dataclass(frozen=True)
class Grades:
    """The grade words of a framework's scale as prose and grids print them."""

    framework: Framework
    any: str  # every grade word or phrase, and the participles of phrases
    single: str  # one-word grades ("good", "adequate")
    phrases: str  # grades of several words ("requires improvement", "requiring improvement")

    def value(self, printed: str) -> GradeValue | None:
        """The grade (or non-grade, "Ungraded") a printed word or phrase names."""
        scale = self.framework.grade_scale
        if scale is None:
            return None
        text = plain(printed).strip(" '\"")
        found = scale.find(text) or grade_words(scale).value(text)
        if found is not None:
            return found
        for pattern, value in grade_words(scale).words:
            participle = _participle(pattern)
            if participle and re.fullmatch(participle, text, re.IGNORECASE):
                return value
        return None

    def line(self, line: str) -> GradeValue | None:
        """The grade a line prints on its own ("Requires improvement", "Ungraded"), or None."""
        scale = self.framework.grade_scale
        return scale.find(plain(line)) if scale else None


def grades(framework: Framework) -> Grades:
    found = _GRADES.get(_key(framework))
    if found is None:
        found = _GRADES[_key(framework)] = _grades(framework)
    return found


def _grades(framework: Framework) -> Grades:
    scale = framework.grade_scale
    if scale is None:
        return Grades(framework, "(?!)", "(?!)", "(?!)")
    words = grade_words(scale)
    participles = [p for p in (_participle(w) for w, _ in words.words) if p]
    phrases = "|".join([words.phrases, *participles]) if participles else words.phrases
    return Grades(framework, f"{phrases}|{words.single}", words.single, phrases)


# --- which framework ------------------------------------------------------------------------


@dataclass(frozen=True)
class FrameworkSignal:
    framework: str
    signal: str  # what told: "title", "assessment framework", "PEEL and the year", "the year"
    line: int  # 1-based


_SIGNALS = (
    ("title", r"^PEEL\b.{0,40}?{years}.{0,20}\binspection of\b"),
    ("assessment framework", r"\bPEEL Assessment Framework\s+{years}"),
    ("PEEL and the year", r"\bPEEL\s*:?\s*(?:assessments?\s+|inspection\s+)?{years}"),
    ("the year", r"{years}"),
)


def framework_signals(lines: Sequence[str], limit: int = 400) -> list[FrameworkSignal]:
    """Every sign of a framework of this reader in the first ``limit`` lines, strongest first
    (a title naming the cycle, then "PEEL Assessment Framework <year>", then "PEEL <year>",
    then the year alone), each kind in the order of the lines."""
    found: list[FrameworkSignal] = []
    frameworks = frameworks_read_by(READER_NAME)
    for signal, template in _SIGNALS:
        for framework in frameworks:
            pattern = re.compile(
                template.replace("{years}", spelling_pattern(framework.year_spellings)),
                re.IGNORECASE,
            )
            for number, line in enumerate(lines[:limit], start=1):
                if pattern.search(plain(line)):
                    found.append(FrameworkSignal(framework.id, signal, number))
    order = [s for s, _ in _SIGNALS]
    return sorted(found, key=lambda s: (order.index(s.signal), s.line))


def detect_framework(lines: Sequence[str]) -> str | None:
    """The framework the strongest sign names, or None."""
    signals = framework_signals(lines)
    return signals[0].framework if signals else None


_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"']))\s+(?=[\"'(]?[A-Z0-9])")


def sentences(text: str) -> list[str]:
    """The sentences of a paragraph (split after . ! ? before a capital, a figure or a quote)."""
    return [part.strip() for part in _SENTENCE_END.split(text) if part.strip()]
