"""A document's text as numbered lines, and the clean-ups every reader needs.

Readers work on :class:`SourceText`: the lines exactly as extracted (so provenance line numbers
point at the file a user has), with the page each line came from when the source was a PDF.
The helpers below remove what extraction adds: markup, page furniture, hyphenation breaks and
footnote markers.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from peelkit.reportimport.model import ImportWarning, SourceInfo, Span


@dataclass
class SourceText:
    lines: list[str]  # without line endings; lines[0] is line 1
    sha256: str  # of the file's bytes
    filename: str
    media_type: str = "text/plain"
    pages: list[int] = field(default_factory=list)  # page of each line, when known
    encoding: str | None = None  # how a text file was decoded ("utf-8", "utf-16-le", ...)
    # What reading the file found (its encoding, control characters removed): every reader's
    # document carries these first.
    warnings: list[ImportWarning] = field(default_factory=list)

    @classmethod
    def from_string(
        cls, text: str, filename: str = "<text>", media_type: str = "text/plain"
    ) -> SourceText:
        data = text.encode("utf-8")
        return cls(
            lines=text.splitlines(),
            sha256=hashlib.sha256(data).hexdigest(),
            filename=filename,
            media_type=media_type,
            encoding="utf-8",
        )

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def text_sha256(self) -> str:
        """The checksum of what the document says (:func:`content_checksum`)."""
        return content_checksum(self.lines)

    @property
    def page_count(self) -> int | None:
        return max(self.pages) if self.pages else None

    def source_info(self) -> SourceInfo:
        """What a parsed document records about its source file."""
        return SourceInfo(
            sha256=self.sha256,
            filename=self.filename,
            media_type=self.media_type,
            line_count=len(self.lines),
            page_count=self.page_count,
            text_sha256=self.text_sha256,
            encoding=self.encoding,
        )

    def line(self, number: int) -> str:
        """Line ``number`` (1-based)."""
        return self.lines[number - 1]

    def span(self, first: int, last: int | None = None) -> Span:
        """The span of lines ``first``..``last`` (1-based, inclusive), with pages if known."""
        last = first if last is None else last
        if self.pages:
            return Span(first, last, self.pages[first - 1], self.pages[last - 1])
        return Span(first, last)

    def find(
        self, pattern: str | re.Pattern[str], start: int = 1, end: int | None = None, flags: int = 0
    ) -> int | None:
        """The number of the first line from ``start`` matching ``pattern`` (a regex)."""
        regex = re.compile(pattern, flags) if isinstance(pattern, str) else pattern
        stop = len(self.lines) if end is None else min(end, len(self.lines))
        for number in range(max(start, 1), stop + 1):
            if regex.search(self.lines[number - 1]):
                return number
        return None

    def find_all(self, pattern: str | re.Pattern[str], flags: int = 0) -> list[int]:
        regex = re.compile(pattern, flags) if isinstance(pattern, str) else pattern
        return [i + 1 for i, line in enumerate(self.lines) if regex.search(line)]


# Characters that print alike and are spelt differently by different extractions: ligatures
# (PDF text layers), soft hyphens (invisible unless a line breaks there), zero-width spaces and
# byte order marks.
_SAME_TEXT = str.maketrans(
    {
        "\ufb00": "ff",
        "\ufb01": "fi",
        "\ufb02": "fl",
        "\ufb03": "ffi",
        "\ufb04": "ffl",
        "\ufb05": "st",
        "\ufb06": "st",
        "\u00ad": None,
        "\u200b": None,
        "\ufeff": None,
    }
)


# Any of those characters: ``str.translate`` with a table of strings is slow (it looks up each
# character of the text in Python), and most texts hold none of them.
_ANY_SAME_TEXT = re.compile("[" + "".join(chr(c) for c in _SAME_TEXT) + "]")


def same_characters(text: str) -> str:
    """Ligatures spelt out; soft hyphens, zero-width spaces and byte order marks dropped."""
    if text.isascii() or _ANY_SAME_TEXT.search(text) is None:
        return text
    return text.translate(_SAME_TEXT)


def content_checksum(lines: Iterable[str]) -> str:
    """The SHA-256 of a text's words: what it says, whatever its bytes.

    The text is NFC-normalised, ligatures are spelt out, soft hyphens and zero-width characters
    dropped and every run of white space (line breaks, tabs, no-break spaces) made one space, so
    a copy in another encoding, with other line endings, or the PDF of the same text (cells
    apart instead of tab-separated) has the same checksum.
    """
    text = same_characters(unicodedata.normalize("NFC", "\n".join(lines)))
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


# fold_text: every byte but a-z, 0-9 and the space made a space.
_FOLD_KEEP = frozenset(b"abcdefghijklmnopqrstuvwxyz0123456789 ")
_FOLD_BYTES = bytes(c if c in _FOLD_KEEP else 0x20 for c in range(256))


def fold_text(text: str) -> str:
    """:func:`peelkit.names.fold` of a whole text, about three times faster: a reader that
    looks for a phrase anywhere in a report folds all of it, and the regular expressions of
    ``fold`` are slow over a long text with non-ASCII characters. After lower-casing, ``&``
    spelt out and apostrophes dropped, every character that is not a-z, 0-9 or a space
    becomes a space (as ASCII bytes: a non-ASCII character becomes "?", then a space) and runs
    of spaces are made one, which is what ``fold`` does."""
    lowered = text.lower().replace("&", " and ").replace("’", "").replace("'", "")
    ascii_only = lowered.encode("ascii", "replace").translate(_FOLD_BYTES).decode("ascii")
    return " ".join(ascii_only.split())


_TAG = re.compile(r"</?(?:b|i|strong|em|u|span|p|br)\b[^>]*>", re.IGNORECASE)
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_SPACES = re.compile(r"[ \t\u00a0]+")


def strip_markup(line: str) -> str:
    """Drop ``<b>``-style tags and turn ``[text](#)`` links into their text."""
    return _LINK.sub(r"\1", _TAG.sub("", line))


def normalise_space(text: str) -> str:
    """Runs of spaces, tabs and no-break spaces made one space; the ends stripped.

    Most lines have no such run: they are only stripped (a regex substitution on every line
    was a fifth of the parse)."""
    if "  " in text or "\t" in text or "\u00a0" in text:
        text = _SPACES.sub(" ", text)
    return text.strip()


_BULLETS = (
    "•",
    "●",
    "▪",
    "◦",
    "-",
    "–",
    "—",
    "*",
    "\uf0b7",
    "\uf0a7",
)  # the last two: Symbol-font bullets


def bullet_text(line: str) -> str | None:
    """The text of a bulleted line ("• text", "- text"), or None if the line is not a bullet."""
    stripped = line.strip()
    for mark in _BULLETS:
        if stripped.startswith(mark) and len(stripped) > len(mark):
            rest = stripped[len(mark) :]
            if mark in ("-", "*") and not rest.startswith((" ", "\t")):
                return None  # "-2%" or "*" cells are not bullets
            return normalise_space(rest)
    return None


def join_wrapped(parts: Iterable[str]) -> str:
    """Join the pieces of a paragraph wrapped across lines, mending hyphenation breaks.

    A line ending in a hyphen followed by a lower-case word is a word broken by the layout
    ("inves-" + "tigation"), unless the part before the hyphen is a prefix that English keeps
    hyphenated ("anti-" + "social", "re-" + "offending"): see ``KEEP_HYPHEN``.
    """
    text = ""
    for part in parts:
        piece = normalise_space(part)
        if not piece:
            continue
        if not text:
            text = piece
        elif text.endswith("-") and piece[:1].islower() and not _keeps_hyphen(text, piece):
            text = text[:-1] + piece
        else:
            text = f"{text} {piece}"
    return text


KEEP_HYPHEN = (
    "anti",
    "re",
    "co",
    "non",
    "self",
    "cross",
    "multi",
    "cyber",
    "pre",
    "post",
    "well",
    "long",
    "short",
    "high",
    "low",
    "under",
    "over",
    "year",
    "month",
    "day",
    "force",
    "face",
    "front",
    "one",
    "two",
    "three",
    "four",
    "five",
    "twelve",
)


def _keeps_hyphen(before: str, after: str) -> bool:
    word = re.split(r"[\s(\"'‘“]", before[:-1])[-1].lower()
    return word in KEEP_HYPHEN or any(ch.isdigit() for ch in word)


def remove_lines(lines: Sequence[str], patterns: Sequence[re.Pattern[str]]) -> list[bool]:
    """For each line, whether it is furniture (matches one of ``patterns``) to be skipped."""
    return [any(p.search(line) for p in patterns) for line in lines]


_FOOTNOTE_AFTER_WORD = re.compile(
    r"(?:(?<=[A-Za-z][.,;:)’'])|(?<=[a-z]))\d{1,2}(?=\s|[,.;:]\s|[,.;:]?$)"
)


def strip_footnote_markers(text: str) -> str:
    """Remove footnote numbers glued to the end of words ("victims.12 The" -> "victims. The").

    Only one or two digits directly after a lower-case letter, or after a letter and its closing
    punctuation ("people,2"), are removed, so "2018/19", "12 months", "£1.58 billion" and "Q3"
    are left alone.
    """
    return _FOOTNOTE_AFTER_WORD.sub("", text)


_NUMBER = re.compile(r"^[£$]?\s*(-?[\d,]*\.?\d+)\s*(%|pts|points?|m|bn)?$", re.IGNORECASE)


def parse_number(printed: str) -> float | None:
    """The number a printed figure means: "30,435" -> 30435, "18.4%" -> 18.4, "£297" -> 297.

    Returns None for anything that is not a plain number ("*", "N/A", "-", "1: 1.17").
    """
    text = printed.strip().replace("\u2212", "-").replace("–", "-")
    if text.startswith("+"):
        text = text[1:]
    match = _NUMBER.match(text.replace(" ", "")) or _NUMBER.match(text)
    if not match:
        return None
    digits = match.group(1).replace(",", "")
    try:
        return float(digits)
    except ValueError:
        return None
