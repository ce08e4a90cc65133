"""The ways a copy of a report is damaged, as pure functions of the damage's parameters.

Shared by the property-based test (``test_fuzz.py``, hypothesis draws the parameters) and the
long run (``benchmarks/fuzz_import.py``, a seeded ``random.Random`` draws them). Every place
is a share of the text (0 to 1), so one recipe fits a text of any length.

- ``delete``, ``duplicate``, ``shuffle``: a run of lines dropped, printed twice, or its
  lines in another order;
- ``cut``: the text ends at a point, mid-line;
- ``banner``: a line of a web site's furniture put in (the sort a saved page has);
- ``control``: control characters put in (NUL, bell, escape...);
- ``noise``: characters from elsewhere in Unicode put in;
- and last the bytes: UTF-8, with a byte order mark, UTF-16 (with and without one),
  Windows-1252 (what it cannot encode replaced), or Latin-1 read as it is.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

# The maker's own furniture lines (patterns of site furniture, not report text).
BANNERS = (
    "Skip to content",
    "Print this document",
    "Menu",
    "Home > Publications > PEEL assessments",
    "We use cookies on this site. Accept all cookies",
    "Last updated 01/02/2019",
    "Back to top",
    "Share this page",
    "Page 4 of 12",
    "Contents ........................................ 3",
)
CONTROLS = ("\x00", "\x07", "\x1b", "\x0b", "\x7f", "\x85", "\x9b", "\x01\x02\x03")
NOISE = ("\ufffd", "\u202e", "\u00ad", "\ufeff", "é", "ﬁ", "𝔓𝔈𝔈𝔏", "\u2028", "漢字", "\t\t\t")
OPERATIONS = ("delete", "duplicate", "shuffle", "cut", "banner", "control", "noise")
ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252", "latin-1")


@dataclass(frozen=True)
class Damage:
    """One change to a text: what, where (a share of the lines), how much, and which."""

    operation: str
    at: float  # 0 to 1: where in the text
    size: float  # 0 to 1: how much of it (a share of the lines, at most a tenth)
    pick: int = 0  # which banner, control character or noise

    def apply(self, lines: list[str]) -> list[str]:
        if not lines:
            return lines
        start = min(int(self.at * len(lines)), len(lines) - 1)
        count = max(1, int(self.size * len(lines) / 10))
        end = min(len(lines), start + count)
        if self.operation == "delete":
            return lines[:start] + lines[end:]
        if self.operation == "duplicate":
            return lines[:end] + lines[start:end] + lines[end:]
        if self.operation == "shuffle":
            run = lines[start:end]
            shift = self.pick % len(run) if run else 0
            return lines[:start] + run[shift:][::-1] + run[:shift] + lines[end:]
        if self.operation == "cut":
            line = lines[start]
            return [*lines[:start], line[: int(self.size * len(line))]]
        if self.operation == "banner":
            return [*lines[:start], BANNERS[self.pick % len(BANNERS)], *lines[start:]]
        choices = CONTROLS if self.operation == "control" else NOISE
        inserted = choices[self.pick % len(choices)]
        line = lines[start]
        cut = int(self.size * len(line))
        return [*lines[:start], line[:cut] + inserted + line[cut:], *lines[start + 1 :]]


def damaged(text: str, damages: list[Damage], encoding: str) -> bytes:
    """The bytes of ``text`` with ``damages`` done to it, in ``encoding``."""
    lines = text.splitlines()
    for damage in damages:
        lines = damage.apply(lines)
    result = "\n".join(lines) + "\n"
    if encoding == "utf-8-sig":
        return codecs.BOM_UTF8 + result.encode("utf-8", "surrogatepass")
    if encoding in ("cp1252", "latin-1"):
        return result.encode(encoding, "replace")
    return result.encode(encoding, "surrogatepass")
