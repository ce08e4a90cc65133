"""Readers take their frameworks, year spellings, predecessors and grade words from the data.

The synthetic pages below are made up for the test, in the web pages' layout; the new framework
is written to a temporary directory on PEELKIT_FRAMEWORKS_PATH.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from peelkit.domain.frameworks import READER_NAMES
from peelkit.frameworks import load_framework, reload
from peelkit.frameworks.loader import PATH_VARIABLE
from peelkit.reportimport.detect import detect_reader, reader_for
from peelkit.reportimport.readers import all_readers, peel_2021_25, web_page
from peelkit.reportimport.readers.eras import grade_words, spelling_pattern
from peelkit.reportimport.text import SourceText

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
GLOSSARY = (
    SHARED
    / "examples"
    / "hmicfrs-2021-25"
    / "reference_hmicfrs_peel-2023-25-grade-definitions-and-glossary.txt"
)


def page(content: str) -> SourceText:
    return SourceText.from_string(content, filename="page.txt")


def test_reader_names_are_the_readers() -> None:
    assert sorted(READER_NAMES) == sorted(r.name for r in all_readers())


def test_frameworks_of_each_reader() -> None:
    # the web pages are "one per force, year and pillar (2015 to 2018/19)" (examples README)
    assert web_page.READER.frameworks == ("peel-2015", "peel-2016", "peel-2017", "peel-2018-19")
    # the dedicated report readers come first, so a framework with one is read by it
    effectiveness = reader_for("peel-2016")
    assert effectiveness is not None and effectiveness.name == "peel-effectiveness"
    assert reader_for("peel-2017") is web_page.READER
    # the 2021/22 and 2023-25 reports and press releases have one reader
    assert reader_for("peel-2021-22") is reader_for("peel-2023-25") is peel_2021_25.READER


@pytest.mark.parametrize(
    ("first_line", "framework"),
    [
        ("Kent PEEL 2018/2019", "peel-2018-19"),
        ("Kent PEEL 2018-19", "peel-2018-19"),
        ("Kent PEEL 2018 / 19", None),  # not a spelling the data lists
        ("Kent PEEL 2014", None),  # PEEL 2014 is not a web-page year
        ("Kent PEEL 2021/22", None),
    ],
)
def test_web_page_years_come_from_the_spellings(first_line: str, framework: str | None) -> None:
    assert web_page.detect(page(f"{first_line}\n\nEffectiveness\n")) == framework


def test_spelling_pattern_keeps_years_whole() -> None:
    pattern = re.compile(spelling_pattern(["2018", "2018/19"]))
    assert [m.group(0) for m in pattern.finditer("2018/19, 2018, 2018/2019, 12018")] == [
        "2018/19",
        "2018",
    ]


def test_carried_over_year_is_the_predecessors_period() -> None:
    text = page(
        "Kent PEEL 2016\n\nLegitimacy\n\n"
        "How legitimate is the force at keeping people safe and reducing crime?\n\n"
        "Last updated 08/12/2016\nGood\n\n"
        "To what extent does the force treat its workforce with fairness and respect?\n"
        "This question was not inspected in 2016. The grade from last year's inspection "
        "still stands.\n"
    )
    doc = web_page.read(text, "peel-2016", "kent")
    carried = [j for j in doc.judgments if j.carried_over]
    assert [(j.area, j.year_last_inspected) for j in carried] == [
        ("fair-treatment-of-the-workforce", "2015")
    ]


# --- the grade words of the five-point scale -------------------------------------------------


def _glossary_grades() -> list[str]:
    """The grades the HMICFRS 2023-25 glossary defines ("  • Adequate – The force has ...")."""
    text = GLOSSARY.read_text(encoding="utf-8")
    start = text.index("The grades are:")
    return re.findall(r"^\s*•\s*([A-Z][a-z]+(?: [a-z]+)?) – ", text[start:], re.MULTILINE)


def test_peel_2021_22_grade_words_come_from_its_scale() -> None:
    defined = _glossary_grades()
    assert "Adequate" in defined and len(defined) == 5
    for framework_id in ("peel-2021-22", "peel-2023-25"):
        scale = load_framework(framework_id).grade_scale
        assert scale is not None
        words = grade_words(scale)
        pattern = re.compile(rf"^(?:{words.any})$", re.IGNORECASE)
        assert all(pattern.match(grade) for grade in defined)
        adequate = words.value("adequate")
        assert adequate is not None and adequate.id == "adequate"
    # the four-point scale has no Adequate
    four_point = load_framework("peel-2018-19").grade_scale
    assert four_point is not None
    assert grade_words(four_point).value("Adequate") is None


@pytest.mark.parametrize(
    ("line", "grade"),
    [
        ("Adequate", "adequate"),  # a lone grade line
        ("Staffordshire Police is adequate at investigating crime.", "adequate"),
        ("Staffordshire Police is inadequate at responding to the public.", "inadequate"),
        (
            "The force requires improvement in how it protects vulnerable people.",
            "requires_improvement",
        ),
        ("The force's investigations require improvement.", "requires_improvement"),
        ("The force has a good understanding of demand.", None),  # no grade stated
    ],
)
def test_a_2021_22_page_states_adequate(tmp_path: Path, line: str, grade: str | None) -> None:
    """The web-page layout has pillars and questions, which 2021/22 has not (a later reader's
    work), so the page's lines are tried with the reader's grade words for peel-2021-22."""
    path = tmp_path / "staffordshire_2021-22.txt"
    path.write_text(f"Staffordshire PEEL 2021/22\n\nLast updated 22/09/2022\n{line}\n", "utf-8")
    text = SourceText.from_string(path.read_text(encoding="utf-8"), filename=path.name)
    reader = web_page.PageReader(text, "peel-2021-22", "staffordshire")
    word = reader.grade_word(line)
    found = reader.grade_id(word) if word else None
    assert found == grade


# --- a new cycle as a data file, read by the web-page reader ---------------------------------

NEW_CYCLE = """\
id: peel-2025-27
title: A future PEEL cycle published as per-force web pages
programme: PEEL
inspectorate: HMICFRS
period: "2025-27"
grade_scale: peel-5-point
description: A made-up framework for the test.
sources: [nowhere]
era:
  report_layout: integrated
  statistics: {basis: year_ending, month: 9, population_year: first}
  predecessor: peel-2023-25
  year_spellings: ["2025-27", "2025–27"]
  readers: [web-page]
areas:
  - id: effectiveness
    level: pillar
    name: Effectiveness
    question: "How effective is the force at keeping people safe?"
    graded: true
    areas:
      - id: investigating-crime
        level: question
        name: Investigating crime
        question: "How good is the force at investigating crime?"
        graded: true
      - id: protecting-vulnerable-people
        level: question
        name: Protecting vulnerable people
        question: "How good is the force at protecting vulnerable people?"
        graded: true
"""

NEW_PAGE = """Kent PEEL 2025–27

Effectiveness

How effective is the force at keeping people safe?

Last updated 01/10/2026
Adequate

Made-up summary paragraph.

How good is the force at investigating crime?
Kent Police is adequate at investigating crime. More made-up words.
How good is the force at protecting vulnerable people?
This question was not inspected this time. The grade from last year's inspection still stands.
"""


@pytest.fixture
def new_cycle(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    directory = tmp_path / "frameworks"
    directory.mkdir()
    (directory / "peel-2025-27.yaml").write_text(NEW_CYCLE, encoding="utf-8")
    monkeypatch.setenv(PATH_VARIABLE, str(directory))
    reload()
    yield
    monkeypatch.delenv(PATH_VARIABLE)
    reload()


@pytest.mark.usefixtures("new_cycle")
def test_a_new_cycle_file_is_read_by_the_web_page_reader() -> None:
    text = page(NEW_PAGE)
    found = detect_reader(text)
    assert found is not None and (found[0].name, found[1]) == ("web-page", "peel-2025-27")
    doc = web_page.read(text, "peel-2025-27", "kent")
    grades = {j.area: (j.grade, j.grade_as_printed) for j in doc.judgments}
    assert grades["effectiveness"] == ("adequate", "Adequate")
    assert grades["investigating-crime"] == ("adequate", "adequate")
    carried = next(j for j in doc.judgments if j.area == "protecting-vulnerable-people")
    assert (carried.carried_over, carried.year_last_inspected) == (True, "2023-25")
