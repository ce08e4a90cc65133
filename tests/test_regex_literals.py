"""The letters every match of a pattern starts with: each shortcut checked against the
regular expression itself on texts with and without those letters."""

from __future__ import annotations

import random
import re

import pytest

from peelkit.regex_literals import alternatives_at_top, leading_literal


@pytest.mark.parametrize(
    ("pattern", "letters"),
    [
        (r"\bensur(e|es|ing)( that)?\b", "ensur"),
        (r"print this (page|document)", "print this "),
        (r"\bmak?e\b", "ma"),  # the k may be absent
        (r"\bmake+s", "mak"),  # "+" taken as a quantifier too: fewer letters, never wrong
        (r"\bab\|cd", "ab"),  # an escaped "|" is a character
        (r"\bab[|]cd", "ab"),  # so is one in a class
        (r"\bab|cd", ""),  # a match may start with "cd"
        (r"(ab|cd)x", ""),
        (r"^the force", ""),
        (r"Skip to content", ""),  # (letters are read in lower case only)
    ],
)
def test_the_letters_every_match_starts_with(pattern: str, letters: str) -> None:
    assert leading_literal(pattern) == letters
    chance = random.Random(pattern)
    pieces = [
        "ab",
        "cd",
        "x",
        "|",
        " ",
        "ma",
        "mak",
        "make",
        "mae",
        "s",
        "e",
        "ensur",
        "es",
        "that",
        "print this ",
        "page",
        "the force",
    ]
    for _ in range(2000):
        text = "".join(chance.choices(pieces, k=chance.randint(0, 8)))
        match = re.search(pattern, text)
        if match is not None:
            assert text[match.start() :].startswith(letters), (pattern, text)


def test_alternatives_are_found_outside_groups_and_classes_only() -> None:
    assert alternatives_at_top("a|b")
    assert alternatives_at_top(r"(a)|[b]")
    assert not alternatives_at_top("(a|b)")
    assert not alternatives_at_top("[a|b]")
    assert not alternatives_at_top(r"a\|b")
    assert not alternatives_at_top(r"[\]|]")  # an escaped "]" does not close the class
