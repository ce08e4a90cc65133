"""Reader for HMICFRS's PEEL 2021/22 and 2023–25 documents: force reports and press releases.

It reads the frameworks whose ``era.readers`` name ``peel-2021-25``; which one a document is
about comes from the framework files' year spellings (the title, "PEEL Assessment Framework
<year>", "PEEL <year>", the year alone: the strongest sign wins, see
:func:`~peelkit.reportimport.readers.peel_2021_25_text.framework_signals`).

Three families of document name these cycles, told apart by what they say:

- the **force report** (web page or PDF text): "Our inspection assessed how good <force> is in
  N areas of policing", "graded judgments in N of these M", "Our judgments", "HM Inspector's
  observations" (:mod:`~peelkit.reportimport.readers.peel_2021_25_report`);
- HMICFRS's **press release**: "graded <force>'s performance across N areas", "'inadequate'
  in three areas" (:mod:`~peelkit.reportimport.readers.press_release`);
- HMICFRS's **grade definitions and glossary page** of a cycle ("Outstanding – The force has
  substantially exceeded ..."), which grades no force: it is refused with a one-line error
  (``not_a_force_report``) as soon as it is recognised, before the importer asks which force
  it is about.
"""

from __future__ import annotations

import re
from enum import StrEnum

from peelkit.errors import DataFileError
from peelkit.frameworks import load_framework
from peelkit.reportimport.model import ParsedDocument
from peelkit.reportimport.readers import Reader
from peelkit.reportimport.readers.eras import frameworks_read_by
from peelkit.reportimport.readers.peel_2021_25_report import GRADED_IN, OPENING, read_report
from peelkit.reportimport.readers.peel_2021_25_text import (
    NUMBER,
    READER_NAME,
    detect_framework,
    grades,
    plain,
)
from peelkit.reportimport.readers.press_release import read_press_release
from peelkit.reportimport.text import SourceText


class Family(StrEnum):
    REPORT = "force report"
    PRESS_RELEASE = "press release"
    DEFINITIONS = "grade definitions page"


_OUR_JUDGMENTS = re.compile(r"^our judge?ments?$", re.IGNORECASE)
_HMI = re.compile(
    r"^(?:HM|His Majesty's|Her Majesty's)\s+Inspector's\s+(?:observations|summary)$",
    re.IGNORECASE,
)
_VICTIMS = re.compile(r"\bhow effective a service\b.{0,80}?\bvictims of crime\b", re.IGNORECASE)
_ACROSS = re.compile(
    rf"\b(?:graded|assessed|rated|inspected)\b.{{0,100}}?\bperformance\s+across\s+{NUMBER}\s+"
    r"(?:core\s+|graded\s+)?areas\b",
    re.IGNORECASE,
)
_SAID = re.compile(
    r"\b(?:the (?:police )?inspectorate|HMICFRS|the watchdog)\s+(?:has\s+)?said\b", re.IGNORECASE
)
# The link to the report a release is about: "PEEL 2023-25: An inspection of <force>".
_REPORT_LINK = re.compile(r"^PEEL\b.{0,40}\bAn inspection of\b", re.IGNORECASE)
_GLOSSARY = re.compile(
    r"^back to glossary$|\bthis page sets out information specific to\b", re.IGNORECASE
)


def _grade_words() -> str | None:
    frameworks = frameworks_read_by(READER_NAME)
    return grades(frameworks[-1]).any if frameworks else None


def _definitions(lines: list[str]) -> int:
    """How many lines define a grade ("• Good – The force has demonstrated ...")."""
    words = _grade_words()
    if words is None:
        return 0
    pattern = re.compile(
        rf"^(?:[•●▪\-–*]\s*)?(?:{words})\s+[–—-]\s+(?:the force|we have|we)\b", re.IGNORECASE
    )
    return sum(1 for line in lines if pattern.match(line))


def _counted(lines: list[str]) -> bool:
    """Whether a line counts areas by grade ("'inadequate' in three areas")."""
    words = _grade_words()
    if words is None:
        return False
    pattern = re.compile(rf"['\"]?(?:{words})['\"]?\s+in\s+{NUMBER}\s+areas?\b", re.IGNORECASE)
    return any(pattern.search(line) for line in lines)


def _with(lines: list[str], *words: str) -> list[str]:
    """The lines that hold one of the words, made plain (a cheap filter before the patterns;
    no-break spaces count as spaces)."""
    return [
        plain(line)
        for line in lines
        if any(word in line.lower().replace("\u00a0", " ") for word in words)
    ]


def family(text: SourceText) -> Family | None:
    """Which of the three families a text is, from what it says; None if none."""
    lines = text.lines
    judgments = _with(lines, "judg")
    report = (
        any(OPENING.search(line) for line in _with(lines, "how good"))
        or any(GRADED_IN.search(line) for line in judgments)
        or any(_HMI.match(line) for line in _with(lines, "inspector"))
    )
    if report or (
        any(_OUR_JUDGMENTS.match(line) for line in judgments)
        and any(_VICTIMS.search(line) for line in _with(lines, "victims of crime"))
    ):
        return Family.REPORT
    areas = _with(lines, " area")
    said = any(_SAID.search(line) for line in _with(lines, " said"))
    if any(_ACROSS.search(line) for line in areas if "across" in line.lower()) or (
        said
        and (_counted(areas) or any(_REPORT_LINK.search(x) for x in _with(lines, "inspection")))
    ):
        return Family.PRESS_RELEASE
    definitions = _with(lines, " – ", " - ", " — ")
    glossary = _with(lines, "glossary", "this page")
    if _definitions(definitions) >= 3 or any(_GLOSSARY.search(line) for line in glossary):
        return Family.DEFINITIONS
    return None


def _not_a_force_report(text: SourceText, framework_id: str) -> DataFileError:
    title = load_framework(framework_id).title
    return DataFileError(
        text.filename,
        "",
        f"this is HMICFRS's grade definitions and glossary page ({title}), not a force report: "
        "it defines the grades and grades no force; import a force's report or press release",
        code="not_a_force_report",
    )


def detect(text: SourceText) -> str | None:
    """The framework of a force report or press release of these cycles, else None.

    HMICFRS's grade definitions page of a cycle is recognised and refused here, with an error
    that says what it is (it names no force, so it would otherwise fail on the force).
    """
    kind = family(text)
    if kind is None:
        return None
    framework = detect_framework(text.lines)
    if framework is None:
        return None
    if kind is Family.DEFINITIONS:
        raise _not_a_force_report(text, framework)
    return framework


def read(text: SourceText, framework_id: str, force_id: str) -> ParsedDocument:
    """Read a force report or a press release (a text of neither family is read as a report:
    ``--framework`` was given for it)."""
    kind = family(text)
    if kind is Family.DEFINITIONS:
        raise _not_a_force_report(text, framework_id)
    if kind is Family.PRESS_RELEASE:
        return read_press_release(text, framework_id, force_id)
    return read_report(text, framework_id, force_id)


READER = Reader(name=READER_NAME, detect=detect, read=read)
