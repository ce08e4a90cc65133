"""What readers take from the framework files instead of hard-coding it: which frameworks a
reader reads (``era.readers``), how documents spell their years (``era.year_spellings``), the
framework before (``era.predecessor``) and the words of their grade scales (labels and aliases
in grade-scales.yaml).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache, wraps
from typing import TypeVar

from peelkit.domain.frameworks import Framework
from peelkit.domain.grades import GradeScale, GradeValue
from peelkit.frameworks import load_all, load_framework

_T = TypeVar("_T")


def per_catalogue(function: Callable[[], _T]) -> Callable[[], _T]:
    """Cache what a function makes from the framework files for as long as the frameworks
    loaded are the same (``peelkit.frameworks.reload`` and a changed search path load others):
    readers ask for the same spellings on every line, and working them out each time from
    every framework was a large part of a parse."""
    held: list[tuple[tuple[Framework, ...], _T]] = []

    @wraps(function)
    def cached() -> _T:
        frameworks = tuple(load_all())
        if held:
            loaded, value = held[0]
            if len(loaded) == len(frameworks) and all(
                a is b for a, b in zip(loaded, frameworks, strict=True)
            ):
                return value
        value = function()
        held[:] = [(frameworks, value)]
        return value

    return cached


def frameworks_read_by(reader: str) -> tuple[Framework, ...]:
    """The frameworks whose ``era.readers`` name this reader, in chronological order."""
    return tuple(f for f in load_all() if reader in f.era.readers)


def framework_ids_read_by(reader: str) -> tuple[str, ...]:
    return tuple(f.id for f in frameworks_read_by(reader))


def year_map(reader: str) -> dict[str, str]:
    """Every spelling of a year, as documents of this reader write it, to its framework id.

    The loader makes sure no two frameworks of one reader share a spelling.
    """
    return {s: f.id for f in frameworks_read_by(reader) for s in f.year_spellings}


def spelling_pattern(spellings: Iterable[str]) -> str:
    """A regex alternation of year spellings, longest first, that never matches inside a longer
    number or range ("2018" does not match within "2018/19" or "12018")."""
    ordered = sorted(set(spellings), key=lambda s: (-len(s), s))
    alternatives = "|".join(r"\s*".join(re.escape(part) for part in s.split()) for s in ordered)
    return rf"(?<![\d/–-])(?:{alternatives})(?![\d/–-]*\d)"


@cache
def spelling_regex(spellings: tuple[str, ...], flags: int = 0) -> re.Pattern[str]:
    """:func:`spelling_pattern` compiled, once per set of spellings (readers ask per line)."""
    return re.compile(spelling_pattern(spellings), flags)


def predecessor_period(framework: Framework) -> str | None:
    """The period of the framework before this one (what "last year's inspection" means)."""
    if framework.predecessor is None:
        return None
    return load_framework(framework.predecessor).period


def _is_abbreviation(word: str) -> bool:
    return word.isupper() and " " not in word  # "RI", "NG": table cells, not prose


def _phrase(word: str) -> str:
    """A grade word as prose writes it: spaces may be any run of white space; a multi-word
    grade that starts with a verb agrees with its subject ("requires" / "require improvement")."""
    parts = [re.escape(part) for part in word.split()]
    if len(parts) > 1 and parts[0].endswith("s"):
        parts[0] = f"{parts[0]}?"
    return r"\s+".join(parts)


@dataclass(frozen=True)
class GradeWords:
    """The grades of one scale as prose states them, from the scale's labels and aliases.

    Single words ("good", "adequate") are ordinary English: a reader looks for them after a
    verb ("is good at"). Phrases ("requires improvement") say a grade wherever they stand.
    Non-grades (Ungraded) and abbreviations (RI) are not prose and are left out.
    """

    scale: GradeScale
    words: tuple[tuple[str, GradeValue], ...]  # (pattern, value), longest first

    @property
    def any(self) -> str:
        """A regex alternation of every grade word and phrase."""
        return "|".join(pattern for pattern, _ in self.words)

    @property
    def single(self) -> str:
        """The single-word grades."""
        return "|".join(p for p, _ in self.words if r"\s+" not in p) or "(?!)"

    @property
    def phrases(self) -> str:
        """The grades of more than one word."""
        return "|".join(p for p, _ in self.words if r"\s+" in p) or "(?!)"

    def value(self, printed: str) -> GradeValue | None:
        """The grade a printed word or phrase names ("require improvement" included)."""
        found = self.scale.find(printed)
        if found is not None:
            return found
        for pattern, value in self.words:
            if re.fullmatch(pattern, printed.strip(), re.IGNORECASE):
                return value
        return None


@cache
def grade_words(scale: GradeScale) -> GradeWords:
    spellings = {
        spelling: value
        for value in scale.grades
        for spelling in (value.label, *value.aliases)
        if not _is_abbreviation(spelling)
    }
    ordered = sorted(spellings, key=lambda s: (-len(s), s))
    return GradeWords(scale, tuple((_phrase(s), spellings[s]) for s in ordered))
