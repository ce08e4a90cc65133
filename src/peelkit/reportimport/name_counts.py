"""How many times a text names each of many names, in one pass over it.

Telling a document's force by the force it names most counts every force's names (64 of them)
in the whole text: 64 scans of a 300 KB report with ``str.count`` were a tenth of its import.
:class:`NameCounter` scans once for the names' first words (one regular expression) and checks,
where one is found, the names that begin there. It gives exactly what ``str.count`` gives for
each name, which counts occurrences that do not overlap; the single pass gives the same counts
when

- no name can overlap itself (a proper end of it is a start of it: "ab ab" in "ab ab ab"), so
  that its non-overlapping occurrences are all of them; and
- no first word can begin inside another first word found before it (the expression's matches
  do not overlap), nor inside a longer one tried first at the same place.

Names for which that does not hold are counted with ``str.count``, so the counts are always
``str.count``'s (tests/reportimport/test_name_counts.py checks both on real and made-up names).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable


class NameCounter:
    """Counts of a fixed set of names in texts, each as ``text.count(name)`` would give it."""

    def __init__(self, names: Iterable[str]) -> None:
        distinct = sorted({name for name in names if name})
        firsts = {name: _first_word(name) for name in distinct}
        unsafe = {name for name in distinct if _overlaps_itself(name)}
        words = sorted({firsts[name] for name in distinct if name not in unsafe})
        clashing = {w for w in words if any(_starts_inside(other, w) for other in words)}
        unsafe |= {name for name in distinct if firsts[name] in clashing}
        scanned = sorted({firsts[n] for n in distinct if n not in unsafe}, key=lambda w: -len(w))
        self._plain = sorted(unsafe)
        # Longest first: where one first word starts another ("North", "Northumbria"), the
        # longer is matched and the names of both are checked there.
        self._pattern = re.compile("|".join(map(re.escape, scanned))) if scanned else None
        self._names_at: dict[str, list[str]] = {
            word: [n for n in distinct if n not in unsafe and word.startswith(firsts[n])]
            for word in scanned
        }

    def counts(self, text: str) -> Counter[str]:
        """Each name's count in ``text`` (names not found are absent)."""
        found: Counter[str] = Counter()
        if self._pattern is not None:
            for match in self._pattern.finditer(text):
                start = match.start()
                for name in self._names_at[match.group()]:
                    if text.startswith(name, start):
                        found[name] += 1
        for name in self._plain:
            count = text.count(name)
            if count:
                found[name] = count
        return found


def _first_word(name: str) -> str:
    return name.split(" ", 1)[0] or name


def _overlaps_itself(name: str) -> bool:
    return any(name.startswith(name[k:]) for k in range(1, len(name)))


def _starts_inside(word: str, other: str) -> bool:
    """Whether ``other`` can begin at a place inside ``word`` (after its first character):
    there, a match of ``word`` hides it."""
    return any(
        other.startswith(word[k:]) or word[k:].startswith(other) for k in range(1, len(word))
    )
