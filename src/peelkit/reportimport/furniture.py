"""Page furniture: what a saved web page, a browser's print-out or a PDF adds around the text.

Site banners ("Skip to content"), cookie notices, "Print this document", breadcrumbs, "Last
updated" lines, navigation menus, the site's footer, a print-out's date header and address
footer, page numbers, entries of a table of contents ("Contents ..... 3"), the page's title
block repeated (a second copy of the page's head) and running headers are recognised wherever
they are, so they never decide what a document is or what it says. They are *skipped*, never
removed: the line numbers a reader records stay those of the user's file. The patterns are
data (``reportimport/data/furniture.yaml``).

Characters that print alike (ligatures, soft hyphens, no-break and zero-width spaces, curly
quotes) are made plain by :func:`plain` before a line is matched against anything; what is
stored keeps its quotes (:func:`tidy`).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from peelkit.regex_literals import leading_literal
from peelkit.reportimport.months import MONTHS
from peelkit.reportimport.text import SourceText, normalise_space, same_characters
from peelkit.yamlfiles import load_yaml

FURNITURE_FILE = "furniture.yaml"
# The kinds of furniture, in the order a line is tried against them.
KINDS = (
    "banner",
    "cookies",
    "breadcrumb",
    "footer",
    "print_header",
    "url",
    "page_number",
    "contents",
    "last_updated",
)
# Furniture is short: a longer line (a paragraph) is never tried against the patterns.
FURNITURE_LENGTH = 400
# How many content lines a page's head (its title block) has at most.
HEAD_LINES = 3
# A running header or footer: a short line printed this many times or more.
RUNNING_REPEATS = 3
RUNNING_LENGTH = 100

_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "“": '"', "”": '"'})
_QUOTES.update(str.maketrans({"„": '"', "″": '"'}))
_SPACE_LIKE = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000]")


_ANY_QUOTE = re.compile("[" + "".join(chr(c) for c in _QUOTES) + "]")


def plain(line: str) -> str:
    """A line as matching wants it: NFC, ligatures spelt out, soft hyphens and zero-width
    characters dropped, every space a plain one (runs made one), quotes straight."""
    if line.isascii():
        return normalise_space(line)
    text = tidy(line)
    # (translating with a table of strings looks up every character in Python: only a line
    # with a curly quote is translated)
    return text.translate(_QUOTES) if _ANY_QUOTE.search(text) else text


def tidy(line: str) -> str:
    """A line as it is stored: NFC, ligatures spelt out, soft hyphens, zero-width characters
    and byte order marks dropped, spaces plain; quotes and dashes as printed."""
    text = same_characters(unicodedata.normalize("NFC", line))
    if _SPACE_LIKE.search(text):
        text = _SPACE_LIKE.sub(" ", text)
    return normalise_space(text)


@dataclass(frozen=True)
class Rules:
    patterns: dict[str, tuple[re.Pattern[str], ...]]
    navigation: frozenset[str]
    navigation_run: int
    site_names: tuple[str, ...]
    site_addresses: tuple[str, ...]
    # Every pattern at once (most lines are no furniture at all): those anchored at the start
    # of the line, tried there only, and the others.
    any_anchored: re.Pattern[str]
    any_other: re.Pattern[str]
    # Words each of the others starts with (a line in lower case holding none of them cannot
    # match any), or None when one of them starts otherwise.
    other_words: tuple[str, ...] | None = None


@cache
def rules() -> Rules:
    data: dict[str, Any] = load_yaml(
        resources.files("peelkit.reportimport.data").joinpath(FURNITURE_FILE).read_text("utf-8")
    )
    patterns = {
        kind: tuple(re.compile(p, re.IGNORECASE) for p in data.get(kind) or ()) for kind in KINDS
    }
    every = [p.pattern for kind in KINDS for p in patterns[kind]]
    anchored = "|".join(f"(?:{p})" for p in every if p.startswith("^"))
    other = "|".join(f"(?:{p})" for p in every if not p.startswith("^")) or "(?!)"
    return Rules(
        patterns=patterns,
        navigation=frozenset(plain(item).lower() for item in data["navigation"]),
        navigation_run=int(data["navigation_run"]),
        site_names=tuple(data["site_names"]),
        site_addresses=tuple(data["site_addresses"]),
        any_anchored=re.compile(anchored, re.IGNORECASE),
        any_other=re.compile(other, re.IGNORECASE),
        other_words=_leading_words([p for p in every if not p.startswith("^")]),
    )


def _leading_words(patterns: Sequence[str]) -> tuple[str, ...] | None:
    words = [leading_literal(pattern).strip() for pattern in patterns]
    return tuple(words) if all(words) else None


def _lower(text: str) -> str:
    """A line in lower case as matching ignoring case sees it (dotted and dotless i are i)."""
    return text.lower().replace("\u0131", "i").replace("\u0307", "")


def kind_of(line: str) -> str | None:
    """The kind of furniture a line is on its own (banner, cookies, ...), or None."""
    return _kind_of_plain(plain(line))


def _kind_of_plain(text: str) -> str | None:
    if not text or len(text) > FURNITURE_LENGTH:
        return None
    found = rules()
    if not found.any_anchored.match(text):
        if found.other_words is not None:
            lowered = _lower(text)
            if not any(word in lowered for word in found.other_words):
                return None
        if not found.any_other.search(text):
            return None
    for kind, patterns in found.patterns.items():
        if any(p.search(text) for p in patterns):
            return kind
    return None


@dataclass(frozen=True)
class Furniture:
    line: int  # 1-based, in the user's file
    kind: str  # one of KINDS, "navigation", "repeated_header" or "running_header"
    text: str


@dataclass(frozen=True)
class Page:
    """A text with its furniture found: which lines are furniture, and the others in order."""

    text: SourceText
    furniture: dict[int, Furniture]
    content: tuple[int, ...]  # numbers of the non-blank lines that are not furniture
    plain_lines: tuple[str, ...] = ()  # every line, made plain (:func:`plain`)

    def is_furniture(self, number: int) -> bool:
        return number in self.furniture

    def line(self, number: int) -> str:
        if self.plain_lines:
            return self.plain_lines[number - 1]
        return plain(self.text.line(number))

    def first_content(self) -> int | None:
        return self.content[0] if self.content else None

    def of_kind(self, kind: str) -> list[Furniture]:
        return [f for f in self.furniture.values() if f.kind == kind]

    def published(self) -> tuple[dt.date | None, int] | None:
        """The first "Last updated" (or "Published") line's date and its line; the date is None
        when the line holds no date that exists."""
        for item in sorted(self.of_kind("last_updated"), key=lambda f: f.line):
            return read_date(item.text), item.line
        return None


# The pages found last, by the text they were found in (detection and reading look at one
# text several times).
_FOUND: dict[int, tuple[SourceText, tuple[str, ...], Page]] = {}
_KEPT = 4


def find(text: SourceText) -> Page:
    """The furniture of a text, and its content lines."""
    lines = tuple(text.lines)
    cached = _FOUND.get(id(text))
    if cached is not None and cached[0] is text and cached[1] == lines:
        return cached[2]
    page = _find(text, [plain(line) for line in lines])
    if len(_FOUND) >= _KEPT:
        _FOUND.pop(next(iter(_FOUND)))
    _FOUND[id(text)] = (text, lines, page)
    return page


def _find(text: SourceText, lines: list[str]) -> Page:
    found: dict[int, Furniture] = {}
    for number, line in enumerate(lines, start=1):
        kind = _kind_of_plain(line)
        if kind is not None:
            found[number] = Furniture(number, kind, line)
    _navigation_runs(lines, found)
    content = [n for n, line in enumerate(lines, start=1) if line and n not in found]
    _repeated_heads(lines, content, found)
    _running_headers(lines, content, found)
    return Page(text, found, tuple(n for n in content if n not in found), tuple(lines))


def content_lines(text: SourceText) -> tuple[int, ...]:
    return find(text).content


def first_content_line(text: SourceText) -> str:
    """The first line that is neither blank nor furniture ("" if none)."""
    page = find(text)
    first = page.first_content()
    return page.line(first) if first is not None else ""


def _navigation_runs(lines: Sequence[str], found: dict[int, Furniture]) -> None:
    """Runs of consecutive non-blank lines that are all menu items (blank lines between them
    do not break a run; any other line does)."""
    items = rules().navigation
    run: list[int] = []

    def close() -> None:
        if len(run) >= rules().navigation_run:
            for number in run:
                found[number] = Furniture(number, "navigation", lines[number - 1])
        run.clear()

    for number, line in enumerate(lines, start=1):
        if not line:
            continue
        if line.lower().rstrip(":") in items or (
            number in found and found[number].kind in ("banner", "breadcrumb") and run
        ):
            run.append(number)
        else:
            close()
    close()


def _repeated_heads(
    lines: Sequence[str], content: Sequence[int], found: dict[int, Furniture]
) -> None:
    """The page's title block printed again (a print-out repeats it at the top of each page;
    a saved page repeats it above each tab): the first content line, found again later, and
    the lines after it that repeat, in order, the lines after the first."""
    if not content:
        return
    head = [lines[n - 1] for n in content[:HEAD_LINES]]
    position = 1
    while position < len(content):
        number = content[position]
        if lines[number - 1] != head[0]:
            position += 1
            continue
        found[number] = Furniture(number, "repeated_header", head[0])
        offset = 1
        while (
            offset < len(head)
            and position + offset < len(content)
            and lines[content[position + offset] - 1] == head[offset]
        ):
            repeat = content[position + offset]
            found[repeat] = Furniture(repeat, "repeated_header", head[offset])
            offset += 1
        position += offset


def _running_headers(
    lines: Sequence[str], content: Sequence[int], found: dict[int, Furniture]
) -> None:
    """Short lines printed again and again that name the site, the programme or an address: a
    PDF's running header or footer ("PEEL: Police effectiveness 2016 - Kent Police")."""
    candidates = {n: lines[n - 1] for n in content if n not in found}
    counts = Counter(candidates.values())
    names = [name.lower() for name in rules().site_names]
    for number, line in candidates.items():
        if counts[line] < RUNNING_REPEATS or len(line) > RUNNING_LENGTH:
            continue
        lowered = line.lower()
        if "peel" in lowered or "://" in lowered or any(name in lowered for name in names):
            found[number] = Furniture(number, "running_header", line)


# -- dates -------------------------------------------------------------------------------------

_NUMERIC = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})\b")
_WORDS = re.compile(r"^(?:\w+day,?\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})\b")


def date_line(line: str) -> str | None:
    """The date part of a "Last updated" (or "Published") line, or None if it is not one."""
    text = plain(line)
    for pattern in rules().patterns["last_updated"]:
        match = pattern.match(text)
        if match:
            return match.group("date")
    return None


def read_date(line: str) -> dt.date | None:
    """The date a "Last updated dd/mm/yyyy" (or "22 March 2018") line states, or None."""
    printed = date_line(line) or plain(line)
    numeric = _NUMERIC.match(printed)
    iso = _ISO.match(printed)
    words = _WORDS.match(printed)
    try:
        if numeric:
            day, month, year = (int(g) for g in numeric.groups())
            return dt.date(year, month, day)
        if iso:
            year, month, day = (int(g) for g in iso.groups())
            return dt.date(year, month, day)
        if words and words.group(2).lower() in MONTHS:
            return dt.date(int(words.group(3)), MONTHS[words.group(2).lower()], int(words.group(1)))
    except ValueError:
        return None
    return None
