"""Detection: the family, framework, force and pillar of a document, from several signals,
and what the import says it used; an unknown document's error names what it found.

The saved pages are read from the shared examples folder; their expected framework, force and
pillar are read from their own title lines and file names (independently of the reader). The
small synthetic pages are made up for the test, each named after the quirk it reproduces.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from peelkit.errors import DataFileError
from peelkit.reference import resolve_force
from peelkit.reportimport.detect import (
    FAMILIES,
    detect_document,
    detect_force,
    detect_force_signal,
    unknown_document,
)
from peelkit.reportimport.importer import parse_file, parse_text
from peelkit.reportimport.readers import all_readers
from peelkit.reportimport.text import SourceText

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
PAGES = SHARED / "examples" / "hmicfrs-web-pages"
REPORTS = SHARED / "reference-reports"
TITLE = re.compile(r"^(?P<force>[A-Z][\w ]*?) PEEL (?P<year>\d{4})$", re.MULTILINE)


def text_of(content: str, filename: str = "page.txt") -> SourceText:
    return SourceText.from_string(content, filename=filename)


def saved(path: Path) -> SourceText:
    return text_of(path.read_text(encoding="utf-8"), path.name)


@pytest.mark.parametrize("path", sorted(PAGES.glob("*.txt")), ids=lambda p: p.name)
def test_every_saved_page_is_detected_by_its_title_line(path: Path) -> None:
    content = path.read_text(encoding="utf-8")
    title = TITLE.search(content)
    assert title is not None
    line = content[: title.start()].count("\n") + 1
    found = detect_document(saved(path))
    assert found is not None
    assert (found.reader.name, found.framework) == ("web-page", f"peel-{title['year']}")
    signals = [(s.decides, s.signal, s.line) for s in found.detected_by]
    assert ("framework", "title_line", line) in signals
    force = detect_force_signal(saved(path))
    assert force is not None
    assert force[0].id == resolve_force(title["force"]).id == path.name.split("_")[0]
    assert (force[1].signal, force[1].line) == ("title_line", line)


@pytest.mark.parametrize("path", sorted(PAGES.glob("*.txt")), ids=lambda p: p.name)
def test_the_import_says_what_told_it(path: Path) -> None:
    parsed = parse_file(path)
    decided = {s.decides: s for s in parsed.detected_by}
    assert set(decided) >= {"family", "framework", "force", "pillar", "layout"}
    pillar = path.stem.split("_")[-1]  # the file names end with the pillar
    assert decided["pillar"].value == pillar
    number = decided["pillar"].line
    assert number is not None
    line = path.read_text(encoding="utf-8").splitlines()[number - 1]
    assert line == decided["pillar"].evidence
    assert pillar in line.lower() or line.endswith("?")
    assert parsed.to_json()["detected_by"][0]["decides"] == "family"


@pytest.mark.parametrize("path", sorted(REPORTS.glob("0*.txt")), ids=lambda p: p.name)
def test_reports_are_detected_by_their_readers_markers(path: Path) -> None:
    found = detect_document(saved(path))
    assert found is not None and found.reader.name != "web-page"
    assert found.detected_by[0].signal == "reader_markers"


NO_TITLE_BREADCRUMB = """Skip to content
Home > PEEL assessments > PEEL 2016 > Dorset > Legitimacy
How legitimate is the force at keeping people safe and reducing crime?
Last updated 08/12/2016
Good
"""


def test_a_page_without_a_title_line_is_told_by_its_pillar_question_and_breadcrumb() -> None:
    found = detect_document(text_of(NO_TITLE_BREADCRUMB))
    assert found is not None and found.framework == "peel-2016"
    assert [(s.decides, s.signal, s.line) for s in found.detected_by] == [
        ("family", "pillar_question", 3),
        ("framework", "pillar_question", 3),
        ("framework", "breadcrumb", 2),
    ]
    force = detect_force_signal(text_of(NO_TITLE_BREADCRUMB))
    assert force is not None and (force[0].id, force[1].signal) == ("dorset", "breadcrumb")


def test_a_page_without_a_title_line_is_told_by_its_file_name() -> None:
    content = NO_TITLE_BREADCRUMB.replace("Home > PEEL assessments > PEEL 2016 > Dorset > ", "")
    found = detect_document(text_of(content, "dorset_peel-2017_legitimacy.txt"))
    assert found is not None and found.framework == "peel-2017"
    assert ("framework", "file_name") in [(s.decides, s.signal) for s in found.detected_by]
    # without a year anywhere, three frameworks word the legitimacy question so: not guessed
    assert detect_document(text_of(content, "notes.txt")) is None


def test_a_page_without_a_title_whose_pillar_question_only_one_framework_words() -> None:
    content = (
        "Skip to content\n"
        "How legitimately does the force treat the public and its workforce?\n"
        "Last updated 27/09/2019\nGood\n"
    )
    found = detect_document(text_of(content))
    assert found is not None and found.framework == "peel-2018-19"


def test_a_title_with_the_sites_name_after_it() -> None:
    found = detect_document(text_of("Kent PEEL 2017 - HMICFRS\nEffectiveness\n"))
    assert found is not None and found.framework == "peel-2017"


def test_furniture_is_never_the_title_for_the_force() -> None:
    # the head a force is read from starts after the banner and the print link
    text = text_of("Skip to content\nPrint this document\nSuffolk PEEL 2017\nEfficiency\n")
    force = detect_force(text)
    assert force is not None and force.id == "suffolk"


def test_given_framework_and_force_are_said_to_be_given() -> None:
    path = PAGES / "kent_peel-2017_effectiveness.txt"
    parsed = parse_text(saved(path), framework="peel-2017", force="Kent")
    given = [(s.decides, s.signal) for s in parsed.detected_by if s.signal == "given"]
    assert given == [("family", "given"), ("framework", "given"), ("force", "given")]


UNKNOWN_PAGE = """Skip to content

A made-up heading that is no title

How efficient is the force at keeping people safe and reducing crime?
Made-up words.
"""


def test_an_unknown_document_names_the_signals_it_found_and_the_families_known() -> None:
    text = text_of(UNKNOWN_PAGE, "kent_notes_2016.txt")
    assert detect_document(text) is None
    error = unknown_document(text)
    assert isinstance(error, DataFileError) and error.code == "unknown_report"
    message = error.message
    assert "\n" not in message
    assert "'A made-up heading that is no title' (line 3" in message
    assert "pillar question" in message and "(line 5) of efficiency" in message
    assert "file name 'kent_notes_2016.txt' naming peel-2016, Kent Police" in message
    for reader in all_readers():
        assert FAMILIES.get(reader.name, reader.name) in message
        for framework in reader.frameworks:
            assert framework in message
    with pytest.raises(DataFileError) as raised:
        parse_text(text)
    assert raised.value.code == "unknown_report"
    assert raised.value.message == message


def test_an_unknown_document_with_no_signals_says_so() -> None:
    error = unknown_document(text_of("\n\n", "<text>"))
    assert "found no title line, year, force or pillar question" in error.message
