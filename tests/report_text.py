"""Sentences of the reference reports, read from ../shared/reference-reports by the tests that
expect them (the repository holds no report text): the whole printed sentence that starts with
the few words a test names, its wrapped lines joined and its bullet removed."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

REFERENCE_REPORTS = Path(__file__).resolve().parents[1].parent / "shared" / "reference-reports"
BULLET = re.compile(r"^\s*(?:[-•]\s+)?")


@cache
def _lines(report: str) -> tuple[str, ...]:
    return tuple((REFERENCE_REPORTS / report).read_text(encoding="utf-8").splitlines())


def printed_sentence(report: str, opening: str) -> str:
    """The one sentence of ``report`` (a file name) whose line starts with ``opening`` (after a
        bullet), continued over the lines it wraps onto (and over a blank line where it goes on in
    lower case, as at a page break) until it ends with a full stop."""
    lines = _lines(report)
    starts = [i for i, line in enumerate(lines) if BULLET.sub("", line).startswith(opening)]
    assert len(starts) == 1, f"{report}: {len(starts)} lines start with {opening!r}"
    parts = [BULLET.sub("", lines[starts[0]]).strip()]
    following = starts[0] + 1
    while not parts[-1].endswith(".") and following < len(lines):
        line = lines[following].strip()
        following += 1
        if line:
            parts.append(line)
        elif not (following < len(lines) and lines[following][:1].islower()):
            break  # a blank line ends it, unless the sentence goes on in lower case (a page break)
    assert parts[-1].endswith("."), f"{report}: the sentence at line {starts[0] + 1} never ends"
    return " ".join(parts)
