"""Every saved HMICFRS page in the shared examples folder, imported end to end.

What each page states is checked against the page's own text, read here independently of the
reader: its title line (force, year), its "Last updated" date, its grade boxes (a line that is
a grade alone), the grade statements of its sentences (a simple regex of its own below), and
the bullets under each "Areas for improvement" heading. The table ``STATED`` is a reading of
each page by hand: which area each grade the page states is of. Every grade statement the
regex finds is accounted for by the table or by ``NOT_AREA_GRADES`` (with the reason), so a
grade the reader missed, or one it made up, fails.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from peelkit import Workspace
from peelkit.frameworks import load_framework
from peelkit.reference import resolve_force
from peelkit.reportimport.importer import parse_file
from peelkit.reportimport.model import ParsedDocument

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
PAGES = SHARED / "examples" / "hmicfrs-web-pages"

TITLE = re.compile(r"^(?P<force>[A-Z][\w ]*?) PEEL (?P<year>\d{4})$")
UPDATED = re.compile(r"^Last updated (\d{2})/(\d{2})/(\d{4})$")
GRADE_WORDS = {
    "outstanding": "outstanding",
    "good": "good",
    "inadequate": "inadequate",
    "requires improvement": "requires_improvement",
    "requiring improvement": "requires_improvement",
}
# A grade stated in a sentence, found independently of the reader: a grade word after a verb
# ("is good", "is judged to be outstanding", "has been assessed as good"), or "requires
# improvement" after the force.
STATEMENT = re.compile(
    r"\b(?:is|are|be|as|been)\s+(?:also\s+)?(?:judged\s+|assessed\s+)?(?:to be\s+|as\s+)?"
    r"(outstanding|good|inadequate|requir(?:es|ing) improvement)\b"
    r"|\b(?:it|force|constabulary|Police)\s+(requires improvement)\b",
    re.IGNORECASE,
)
BULLET = re.compile(r"^\s*[-•]\s+(?P<text>.+)$")


@dataclass(frozen=True)
class Stated:
    """A grade a page states: the area, the grade id, where it is read from and its line (for
    a sentence: the line of the sentence; for a box: the box's line). ``also_on``: lines where
    a sentence states the same grade again (it agrees, so the box's judgment stands)."""

    area: str
    grade: str | None
    read_from: str
    line: int | None
    also_on: tuple[int, ...] = ()
    carried_over: bool = False
    year_last_inspected: str | None = None
    previous_grade: str | None = None
    previous_on: int | None = None  # the line of the sentence stating last year's grade


STATED: dict[str, list[Stated]] = {
    "cleveland_2017_legitimacy.txt": [
        Stated("legitimacy", "requires_improvement", "box", 10, also_on=(12,)),
        Stated("fair-treatment-of-the-public", "requires_improvement", "sentence", 12),
        Stated("ethical-and-lawful-workforce-behaviour", "requires_improvement", "sentence", 12),
        Stated("fair-treatment-of-the-workforce", "requires_improvement", "sentence", 12),
    ],
    "durham_2017_efficiency.txt": [
        Stated("efficiency", "outstanding", "sentence", 10),
        Stated("understanding-demand", "outstanding", "sentence", 10),
        Stated("use-of-resources", "outstanding", "sentence", 10),
        Stated("planning-for-the-future", "outstanding", "sentence", 10),
    ],
    "essex_2016_legitimacy.txt": [
        Stated(
            "legitimacy", "good", "box", 10, also_on=(12,), previous_grade="good", previous_on=12
        ),
        Stated("fair-treatment-of-the-public", "good", "sentence", 16),
    ],
    "kent_peel-2017_effectiveness.txt": [
        Stated("effectiveness", "good", "box", 8, also_on=(10,)),
        # "not inspected in 2017 ... last year's inspection still stand": carried over from
        # 2016, its grade not printed
        Stated(
            "preventing-crime",
            None,
            "sentence",
            None,
            carried_over=True,
            year_last_inspected="2016",
        ),
        Stated("investigating-crime", "good", "sentence", 21),
        Stated("protecting-vulnerable-people", "good", "sentence", 32),
    ],
}
# Grade statements the regex finds that grade no area: (line, why).
NOT_AREA_GRADES: dict[str, dict[int, str]] = {
    "essex_2016_legitimacy.txt": {
        14: "good at identifying issues: a strength, no question of the framework",
        20: "vetting processes are good: a process, not an area",
    },
}

SAMPLES = sorted(PAGES.glob("*.txt"))


@cache
def parsed(path: Path) -> ParsedDocument:
    return parse_file(path)


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def plain(line: str) -> str:
    return " ".join(line.replace("\u00a0", " ").split())


def test_every_sample_is_in_the_table() -> None:
    assert len(SAMPLES) >= 4
    assert {p.name for p in SAMPLES} == set(STATED)


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_force_framework_pillar_title_and_date(path: Path) -> None:
    text = lines(path)
    title = next(m for line in text if (m := TITLE.match(line.strip())))
    updated = next(m for line in text if (m := UPDATED.match(line.strip())))
    doc = parsed(path)
    assert doc.force == resolve_force(title["force"]).id
    assert doc.framework == f"peel-{title['year']}"
    day, month, year = (int(g) for g in updated.groups())
    assert doc.published == dt.date(year, month, day)
    assert doc.title is not None and doc.title.startswith(title.group(0))
    pillar = path.stem.split("_")[-1]
    assert doc.title.endswith(load_framework(doc.framework).area(pillar).name)
    assert pillar in {j.area for j in doc.judgments}


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_every_grade_the_page_states(path: Path) -> None:
    doc = parsed(path)
    expected = STATED[path.name]
    got = {
        j.area: (j.grade, j.read_from, j.span.line_start if j.span and j.grade else None)
        for j in doc.judgments
    }
    assert got == {s.area: (s.grade, s.read_from, s.line) for s in expected}
    assert len(doc.judgments) == len(expected)
    text = lines(path)
    for item in expected:
        judgment = next(j for j in doc.judgments if j.area == item.area)
        assert (judgment.carried_over, judgment.year_last_inspected) == (
            item.carried_over,
            item.year_last_inspected,
        )
        assert judgment.previous_grade == item.previous_grade
        if item.line is None:
            continue
        line = plain(text[item.line - 1])
        if item.read_from == "box":  # the line is the grade alone
            assert GRADE_WORDS[line.lower()] == item.grade == judgment.grade
            assert judgment.grade_as_printed == line
        else:  # the line states the grade in a sentence
            said = [GRADE_WORDS[(m[1] or m[2]).lower()] for m in STATEMENT.finditer(line)]
            assert item.grade in said
            assert judgment.grade_as_printed is not None
            assert judgment.grade_as_printed.lower() in line.lower()


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_every_grade_statement_is_accounted_for(path: Path) -> None:
    """Each grade statement in the page's sentences: a grade the table says is an area's (as
    its sentence, a sentence agreeing with its box, or last year's grade) or one of the
    statements that grade no area."""
    found: Counter[int] = Counter()
    for number, line in enumerate(lines(path), start=1):
        if BULLET.match(line):
            continue
        found[number] += len(STATEMENT.findall(plain(line)))
    accounted: Counter[int] = Counter()
    for item in STATED[path.name]:
        if item.read_from == "sentence" and item.line is not None:
            accounted[item.line] += 1
        accounted.update(item.also_on)
        if item.previous_on is not None:
            accounted[item.previous_on] += 1
    accounted.update(list(NOT_AREA_GRADES.get(path.name, {})))
    assert +found == +accounted


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_every_area_for_improvement_the_page_prints(path: Path) -> None:
    text = lines(path)
    framework = load_framework(parsed(path).framework)
    expected = []  # (line, text, the area of the question above it)
    for number, line in enumerate(text, start=1):
        if line.strip() != "Areas for improvement":
            continue
        question = next(t for t in reversed(text[: number - 1]) if t.strip().endswith("?"))
        area = framework.find_area(question.strip())
        assert area is not None
        for following in range(number + 1, len(text) + 1):
            item = text[following - 1].strip()
            if item.endswith("?") or item in ("[...]", "Areas for improvement"):
                break
            bullet = BULLET.match(item)
            if bullet:
                expected.append((following, bullet["text"], area.id))
    doc = parsed(path)
    afis = [f for f in doc.findings if f.kind == "area_for_improvement"]
    assert [(f.span.line_start if f.span else None, f.text, f.area) for f in afis] == expected
    # no page prints causes of concern or recommendations
    concerns = [t for t in text if re.match(r"^(Causes? of concern|Recommendations?)$", t)]
    assert len(doc.findings) == len(expected) and not concerns


def test_a_lead_in_before_bullets_is_kept() -> None:
    path = PAGES / "cleveland_2017_legitimacy.txt"
    text = lines(path)
    lead = next(n for n, t in enumerate(text, 1) if t.endswith(":") and "remains" in t)
    (after,) = [f for f in parsed(path).findings if f.span and f.span.line_start == lead + 1]
    assert after.lead_in == text[lead - 1]
    assert after.kind == "area_for_improvement"


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_what_the_page_lacks_is_named(path: Path) -> None:
    """A graded question of the page's pillar either has a grade, or not_found names it; a
    question the page prints no section for is named too."""
    doc = parsed(path)
    framework = load_framework(doc.framework)
    pillar = framework.area(path.stem.split("_")[-1])
    text = " ".join(plain(line) for line in lines(path))
    graded = {j.area for j in doc.judgments if j.grade is not None}
    missing = " | ".join(doc.not_found)
    for question in pillar.children:
        if question.graded and question.id not in graded:
            assert question.name in missing, question.id
        assert question.question is not None
        if question.question not in text:
            assert f"Question: {question.name}" in missing
    if "[...]" in text:
        assert "(in a missing stretch)" in missing


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_the_import_stores_where_each_grade_was_read(
    path: Path, tmp_path: Path, open_workspace: Callable[[str], Workspace]
) -> None:
    workspace = open_workspace(f"sqlite:///{tmp_path / 'pages.sqlite'}")
    doc, result = workspace.import_report(path)
    assert not result.already_imported
    inspection = workspace.inspection(result.inspections[0])
    stored = {j.area: (j.grade, j.read_from, j.carried_over) for j in inspection.judgments}
    assert stored == {s.area: (s.grade, s.read_from, s.carried_over) for s in STATED[path.name]}
    assert result.counts["not_found"] == len(doc.not_found) > 0
