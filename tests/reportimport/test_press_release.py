"""HMICFRS press releases of PEEL 2021/22 and 2023–25 reports: grades stated in prose.

The two saved releases are read from ../shared/examples/hmicfrs-2021-25/; what each test expects
is found in their text with simple regular expressions (the counts by grade, the areas listed
after a dash or after "the areas requiring improvement are", the area after "is good at").
The other releases are small synthetic ones, made up for the test in the releases' wording.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest

from peelkit import Workspace
from peelkit.errors import DataFileError
from peelkit.frameworks import load_framework
from peelkit.reference import resolve_force
from peelkit.reportimport.importer import parse_file, parse_text
from peelkit.reportimport.model import ParsedDocument
from peelkit.reportimport.readers import press_release
from peelkit.reportimport.text import SourceText
from peelkit.views.json import to_json

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "examples" / "hmicfrs-2021-25"
STAFFORDSHIRE = SAMPLES / "staffordshire_2021-22_press-release.txt"
DURHAM = SAMPLES / "durham_2023-25_press-release.txt"
RELEASES = [STAFFORDSHIRE, DURHAM]

NUMBERS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
WORDS = {word: value for value, word in enumerate(NUMBERS, start=1)}
GRADES = r"outstanding|good|adequate|requires improvement|inadequate"
CYCLES = {"PEEL 2021/22": "peel-2021-22", "PEEL 2023-25": "peel-2023-25"}


def count(printed: str) -> int:
    return int(printed) if printed.isdigit() else WORDS[printed.lower()]


def grade_id(word: str) -> str:
    return word.lower().replace(" ", "_")


@cache
def text_of(path: Path) -> str:
    return path.read_text(encoding="utf-8").replace("‘", "'").replace("’", "'")


def framework_of(path: Path) -> str:
    found = re.search(r"PEEL 20\d\d[/-]\d\d", text_of(path))
    assert found, path.name
    return CYCLES[found[0]]


def stated_counts(path: Path) -> dict[str, int]:
    """'<grade>' in <n> area(s), by grade."""
    numbers = "|".join(NUMBERS)
    found = re.findall(rf"'?({GRADES})'? in ({numbers}|\d+) areas?", text_of(path), re.I)
    return {grade_id(g): count(n) for g, n in found}


def names(listed: str) -> list[str]:
    """The items of a printed list: "A; B; C, and D", "A, B and C"."""
    parts = re.split(r";|,\s*and\s+|,|\s+and\s+", listed.strip().rstrip("."))
    return [p.strip() for p in parts if p.strip()]


def area(framework: str, name: str) -> str:
    return load_framework(framework).resolve_area(name).id


def line_of(path: Path, needle: str) -> int:
    lines = text_of(path).splitlines()
    return next(i for i, line in enumerate(lines, start=1) if needle in line)


@cache
def parsed(path: Path) -> ParsedDocument:
    return parse_file(path)


def judged(doc: ParsedDocument) -> dict[str, str | None]:
    return {j.area: j.grade for j in doc.judgments}


# --- the samples -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", RELEASES, ids=lambda p: p.name)
def test_release_force_framework_and_title(path: Path) -> None:
    doc = parsed(path)
    headline = next(line for line in text_of(path).splitlines() if not line.startswith(" date"))
    force = re.match(r"(.+? (?:Police|Constabulary))\b", headline)
    assert force
    assert (doc.force, doc.framework) == (resolve_force(force[1]).id, framework_of(path))
    assert doc.title == headline


@pytest.mark.parametrize("path", RELEASES, ids=lambda p: p.name)
def test_every_grade_of_a_release_is_read_from_a_sentence(path: Path) -> None:
    doc = parsed(path)
    assert doc.judgments
    lines = text_of(path).splitlines()
    for judgment in doc.judgments:
        assert judgment.read_from == "sentence"
        assert judgment.span is not None and judgment.span.line_start == judgment.span.line_end
        sentence = lines[judgment.span.line_start - 1]
        assert judgment.grade_as_printed and judgment.grade_as_printed in sentence


@pytest.mark.parametrize("path", RELEASES, ids=lambda p: p.name)
def test_the_counts_add_up_to_the_areas_graded(path: Path) -> None:
    total = re.search(r"across (\w+) areas of policing", text_of(path))
    assert total
    assert sum(stated_counts(path).values()) == count(total[1])
    assert not [w for w in parsed(path).warnings if w.code == "judgment_count_mismatch"]
    kept = parsed(path).stated_counts
    assert kept is not None
    assert (kept.areas, kept.by_grade) == (count(total[1]), stated_counts(path))


def test_staffordshire_release_grades_every_area_it_names() -> None:
    text = text_of(STAFFORDSHIRE)
    framework = framework_of(STAFFORDSHIRE)
    counts = stated_counts(STAFFORDSHIRE)
    dash = re.search(r"'(\w+)' in (\w+) areas – ([^.]+)\.", text)
    listed = re.search(r"the areas requiring improvement are ([^.]+)\.", text)
    assert dash and listed
    expected = {area(framework, n): grade_id(dash[1]) for n in names(dash[3])}
    assert len(expected) == count(dash[2]) == counts[grade_id(dash[1])]
    improvement = {area(framework, n): "requires_improvement" for n in names(listed[1])}
    assert len(improvement) == counts["requires_improvement"]
    expected |= improvement
    doc = parsed(STAFFORDSHIRE)
    assert judged(doc) == expected
    # the area graded adequate is counted and not named: not found, not guessed
    unnamed = [g for g in counts if g not in expected.values()]
    assert unnamed == ["adequate"]
    assert any(n.startswith("Areas graded Adequate") for n in doc.not_found)
    assert not [w for w in doc.warnings if w.code == "named_areas_mismatch"]
    assert doc.published is not None and doc.published.isoformat() == "2022-09-22"


def test_durham_release_names_one_of_its_two_good_areas() -> None:
    text = text_of(DURHAM)
    framework = framework_of(DURHAM)
    counts = stated_counts(DURHAM)
    good_at = re.search(r"is good at ([^,]+),", text)
    assert good_at
    doc = parsed(DURHAM)
    assert judged(doc) == {area(framework, good_at[1]): "good"}
    (warning,) = [w for w in doc.warnings if w.code == "named_areas_mismatch"]
    assert f"in {counts['good']} areas but names 1" in warning.message
    assert warning.span is not None
    assert warning.span.line_start == line_of(DURHAM, "good in two areas")
    scale = load_framework(framework).grade_scale
    assert scale is not None
    for grade, n in counts.items():
        label = scale.get(grade).label
        if grade == "good":
            assert any(
                x.startswith(f"{n - 1} more of the {n} areas graded Good") for x in doc.not_found
            )
        else:
            assert any(x.startswith(f"Areas graded {label}") for x in doc.not_found), grade


def test_releases_import_end_to_end(
    database_url: str, open_workspace: Callable[[str], Workspace]
) -> None:
    workspace = open_workspace(database_url)
    for path in RELEASES:
        _, result = workspace.import_report(path)
        inspection = to_json(workspace.inspection(result.inspections[0]))
        assert inspection["framework"] == framework_of(path)
        assert inspection["findings"] == []
        assert {j["read_from"] for j in inspection["judgments"]} == {"sentence"}
        assert {j["area"]: j["grade"] for j in inspection["judgments"]} == judged(parsed(path))


# --- synthetic releases ------------------------------------------------------------------------


def release(body: str, cycle: str = "PEEL 2023-25") -> SourceText:
    content = (
        "Kent Police must tidy its lantern store\n"
        "Kent Police needs to improve, the police inspectorate has said.\n"
        f"{cycle}: An inspection of Kent Police\n"
        f"{body}\n"
    )
    return SourceText.from_string(content, filename="kent_press-release.txt")


def test_a_release_naming_fewer_areas_than_it_counts_warns() -> None:
    text = release(
        "HMICFRS graded Kent Police's performance across ten areas of policing and found the "
        "force was 'good' in three areas – investigating crime and responding to the public – "
        "and 'adequate' in seven areas."
    )
    doc = parse_text(text)
    assert judged(doc) == {"investigating-crime": "good", "responding-to-the-public": "good"}
    (warning,) = [w for w in doc.warnings if w.code == "named_areas_mismatch"]
    assert "in 3 areas but names 2" in warning.message
    assert any(x.startswith("1 more of the 3 areas graded Good") for x in doc.not_found)
    assert any(x.startswith("Areas graded Adequate") for x in doc.not_found)


def test_counts_that_do_not_add_up_to_the_total_warn() -> None:
    text = release(
        "HMICFRS graded Kent Police's performance across nine areas of policing and found the "
        "force was good in two areas and adequate in four areas – investigating crime, "
        "protecting vulnerable people, managing offenders and suspects and responding to the "
        "public."
    )
    doc = parse_text(text)
    (warning,) = [w for w in doc.warnings if w.code == "judgment_count_mismatch"]
    assert "9 areas" in warning.message and "add up to 6" in warning.message
    assert set(judged(doc).values()) == {"adequate"} and len(judged(doc)) == 4


def test_counts_without_areas_are_not_found_and_nothing_is_guessed() -> None:
    text = release(
        "HMICFRS graded Kent Police's performance across three areas of policing and found the "
        "force was good in one area and requires improvement in two areas."
    )
    doc = press_release.read_press_release(text, "peel-2023-25", "kent")
    assert doc.judgments == []
    assert len([x for x in doc.not_found if x.startswith("Areas graded")]) == 2
    # the importer stores no empty inspection: nothing was read
    with pytest.raises(DataFileError) as raised:
        parse_text(text)
    assert raised.value.code == "nothing_read"


def test_quotations_are_not_read_as_the_releases_grades() -> None:
    text = release(
        "HMICFRS said the force is good at investigating crime.\n"
        "“The force is inadequate at responding to the public,” the inspector said."
    )
    doc = parse_text(text)
    assert judged(doc) == {"investigating-crime": "good"}


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("HMICFRS said the force was rated outstanding for managing offenders.", "outstanding"),
        ("The force requires improvement in protecting vulnerable people.", "requires_improvement"),
        ("The areas rated inadequate were responding to the public.", "inadequate"),
    ],
)
def test_the_forms_a_release_states_a_grade_in(sentence: str, expected: str) -> None:
    doc = parse_text(
        release(f"HMICFRS graded Kent Police's performance across nine areas. {sentence}")
    )
    assert set(judged(doc).values()) == {expected}
    assert len(doc.judgments) == 1


def test_the_cycle_named_decides_the_framework() -> None:
    body = (
        "HMICFRS graded the force's performance across nine areas and found it was good at "
        "investigating crime."
    )
    assert parse_text(release(body, "PEEL 2021/22")).framework == "peel-2021-22"
    assert parse_text(release(body, "PEEL 2023-25")).framework == "peel-2023-25"
