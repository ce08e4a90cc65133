"""The parse's fast paths (issue 14) give what the plain computations give.

Each shortcut taken for speed (a check before a regular expression, a whole-text fold through
bytes, a split on line feeds alone) is compared here with the straightforward computation it
replaces, written out in the test, on every line of the reference reports and saved pages and
on generated strings full of the characters that make the difference (no-break spaces, curly
quotes, dotted and dotless i, the Kelvin sign, soft hyphens, line and paragraph separators).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import cache
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from peelkit.names import fold
from peelkit.reportimport import furniture
from peelkit.reportimport.sources import split_lines
from peelkit.reportimport.text import (
    content_checksum,
    fold_text,
    normalise_space,
    same_characters,
)

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
TEXTS = [
    *sorted((SHARED / "reference-reports").glob("0*.txt")),
    *sorted((SHARED / "examples" / "hmicfrs-web-pages").glob("*.txt")),
    *sorted((SHARED / "examples" / "hmicfrs-2021-25").glob("*.txt")),
]
TRICKY = (
    "aZ09 \t.,;:-/&'’‘“”\u00a0\u2009\u200b\u00ad\ufb01\ufeff\u0130\u0131\u212a"
    "éßÉ\r\n\f\u2028\u2029\x0b\x00\x85İK"
)
words = st.text(alphabet=TRICKY + "cookie open government licence", max_size=40)


@cache
def report_lines() -> tuple[str, ...]:
    return tuple(line for path in TEXTS for line in path.read_text("utf-8").splitlines())


def test_fold_text_is_fold_on_every_text() -> None:
    for path in TEXTS:
        text = " ".join(path.read_text("utf-8").splitlines())
        assert fold_text(text) == fold(text), path.name


@settings(max_examples=500, deadline=None)
@given(words)
def test_fold_text_is_fold(text: str) -> None:
    assert fold_text(text) == fold(text)


def _normalise_space_by_regex(text: str) -> str:
    return re.sub(r"[ \t\u00a0]+", " ", text).strip()


@settings(max_examples=500, deadline=None)
@given(words)
def test_normalise_space_is_the_substitution(text: str) -> None:
    assert normalise_space(text) == _normalise_space_by_regex(text)


def test_normalise_space_on_every_line() -> None:
    for line in report_lines():
        assert normalise_space(line) == _normalise_space_by_regex(line)


_SAME = {
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb05": "st",
    "\ufb06": "st",
    "\u00ad": "",
    "\u200b": "",
    "\ufeff": "",
}


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=TRICKY + "".join(_SAME), max_size=30))
def test_same_characters_and_the_checksum(text: str) -> None:
    expected = "".join(_SAME.get(ch, ch) for ch in text)
    assert same_characters(text) == expected
    words_of = " ".join(
        "".join(_SAME.get(ch, ch) for ch in unicodedata.normalize("NFC", text)).split()
    )
    assert content_checksum([text]) == hashlib.sha256(words_of.encode("utf-8")).hexdigest()


def _split_by_regex(text: str) -> tuple[list[str], dict[int, list[str]]]:
    lines = re.split("\r\n|[\n\r\f\u2028\u2029]", text)
    if lines and lines[-1] == "":
        lines.pop()
    control = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
    found = {}
    for index, line in enumerate(lines):
        if control.search(line):
            found[index + 1] = control.findall(line)
            lines[index] = control.sub("", line)
    return lines, found


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=TRICKY, max_size=30))
def test_split_lines_is_the_regex_split(text: str) -> None:
    assert split_lines(text) == _split_by_regex(text)


def _kind_by_every_pattern(line: str) -> str | None:
    """A line's furniture kind, every pattern tried (no shortcut)."""
    text = furniture.plain(line)
    if not text or len(text) > furniture.FURNITURE_LENGTH:
        return None
    for kind, patterns in furniture.rules().patterns.items():
        if any(p.search(text) for p in patterns):
            return kind
    return None


def test_the_furniture_shortcut_on_every_line() -> None:
    assert furniture.rules().other_words is not None  # the shortcut is taken
    for line in report_lines():
        assert furniture.kind_of(line) == _kind_by_every_pattern(line), line


@settings(max_examples=500, deadline=None)
@given(
    st.sampled_from(
        [
            "We use cookies. Accept?",
            "COOKİE settings: accept",
            "cookıe preferences",
            "Content under the Open Government Licence v3.0",
            "OPEN GOVERNMENT LICENSE",
            "Skip to content",
            "Good",
        ]
    ),
    words,
)
def test_the_furniture_shortcut_on_made_up_lines(line: str, noise: str) -> None:
    for candidate in (line, noise + line, line + noise, noise):
        assert furniture.kind_of(candidate) == _kind_by_every_pattern(candidate)


def test_plain_is_tidy_with_straight_quotes() -> None:
    quotes = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "“": '"', "”": '"'})
    quotes.update(str.maketrans({"„": '"', "″": '"'}))
    for line in report_lines():
        expected = normalise_space(line) if line.isascii() else furniture.tidy(line)
        assert furniture.plain(line) == (expected if line.isascii() else expected.translate(quotes))
