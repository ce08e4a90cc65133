"""The HMICFRS grades CSV: read and checked in full, stored as judgments citing their lines.

Expected values are counted from the shared ``peel_grades.csv`` with the csv module and read
from its SOURCES.md at test time, not taken from the loader.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from peelkit import Workspace
from peelkit.errors import DataFileError
from peelkit.frameworks import load_framework
from peelkit.record.grades_csv import GradesFile, read_grades_csv, store_grades
from peelkit.record.schema import Inspection, Judgment, SourceDocument
from peelkit.reference import resolve_force, territorial_forces

REPO = Path(__file__).resolve().parents[2]
GRADES_DIR = REPO.parent / "shared" / "data" / "raw" / "peel-grades"
GRADES_CSV = GRADES_DIR / "peel_grades.csv"
SOURCES_MD = GRADES_DIR / "SOURCES.md"

# The year column and the framework its rows belong to (the brief of the loader).
FRAMEWORK_OF_YEAR = {
    "2014": "peel-2014",
    "2015": "peel-2015",
    "2016": "peel-2016",
    "2017": "peel-2017",
    "2018/19": "peel-2018-19",
    "2021/22": "peel-2021-22",
    "2023-25": "peel-2023-25",
}

pytestmark = pytest.mark.skipif(
    not GRADES_CSV.is_file(), reason=f"the grades data set is missing ({GRADES_CSV})"
)


# --- independent readings of the data set --------------------------------------------------


@cache
def csv_rows() -> list[tuple[int, dict[str, str]]]:
    """(line, row) for every data row, counted with the csv module."""
    with GRADES_CSV.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return [(reader.line_num, row) for row in reader]


@cache
def sources_text() -> str:
    return " ".join(SOURCES_MD.read_text(encoding="utf-8").split())


def stated(pattern: str) -> re.Match[str]:
    match = re.search(pattern, sources_text())
    assert match, f"SOURCES.md no longer says {pattern!r}"
    return match


def csv_grade(year: str, force: str, pillar: str, question: str = "") -> str:
    found = [
        row["grade"]
        for _, row in csv_rows()
        if (row["year"], row["force"], row["pillar"], row["question"])
        == (year, force, pillar, question)
    ]
    assert len(found) == 1, (year, force, pillar, question)
    return found[0]


@cache
def grades() -> GradesFile:
    return read_grades_csv(GRADES_CSV)


# --- reading -----------------------------------------------------------------------------------


def test_every_row_is_read_with_its_line() -> None:
    total = int(stated(r"`peel_grades\.csv` \| .*? — (\d+) rows")[1])
    assert total == len(csv_rows()) == 903
    read = grades()
    assert [r.line for r in read.rows] == [line for line, _ in csv_rows()]
    assert read.repeated_lines == ()
    assert read.filename == "peel_grades.csv"
    assert read.sha256 == hashlib.sha256(GRADES_CSV.read_bytes()).hexdigest()
    assert read.line_count == len(GRADES_CSV.read_text(encoding="utf-8").splitlines())
    for row, (_, raw) in zip(read.rows, csv_rows(), strict=True):
        assert row.framework == FRAMEWORK_OF_YEAR[raw["year"]]
        assert row.force == resolve_force(raw["force"]).id
        assert row.grade_as_printed == raw["grade"]
        assert row.grade == raw["grade"].lower().replace(" ", "_")
        assert row.source_url == raw["source_url"]
        framework = load_framework(row.framework)
        named = raw["question"] or raw["pillar"]
        assert row.area == framework.resolve_area(named).id
    territorial = {f.id for f in territorial_forces()}
    assert {r.force for r in read.rows} == territorial


def test_pillar_and_question_rows_match_the_coverage_in_sources_md() -> None:
    level = {
        (fw, a.id): a.level
        for fw in set(FRAMEWORK_OF_YEAR.values())
        for a in load_framework(fw).walk()
    }
    pillars = Counter(r.year for r in grades().rows if level[(r.framework, r.area)] == "pillar")
    others = Counter(r.year for r in grades().rows if level[(r.framework, r.area)] != "pillar")
    # The csv module agrees: an empty question is a pillar row.
    assert pillars == Counter(raw["year"] for _, raw in csv_rows() if not raw["question"])

    filled = stated(r"Pillar cells filled: (.+?) \(")[1]
    for year, count in re.findall(r"(\d{4}(?:/\d\d)?) (\d+)/129", filled):
        assert pillars[year] == int(count), year
    assert pillars["2014"] == int(stated(r"2014: efficiency pillar for (\d+) forces")[1])
    question_rows = stated(r"Question-level rows: (.+?); area rows: (.+?)\.")
    for text in (question_rows[1], question_rows[2]):
        for year, count in re.findall(r"(\d{4}(?:[/-]\d\d)?) (\d+)", text):
            assert others[year] == int(count), year
    assert sum(pillars.values()) + sum(others.values()) == len(csv_rows())


def _grade(year: str, force: str, area: str) -> str:
    force_id = resolve_force(force).id
    (found,) = [r for r in grades().rows if (r.year, r.force, r.area) == (year, force_id, area)]
    return found.grade


def test_2016_effectiveness_pillar_grades() -> None:
    # SOURCES.md: "Durham outstanding; 28 good; 13 requires improvement; Bedfordshire inadequate"
    press = stated(
        r"\(http://iwradio[^)]*: Durham outstanding; (\d+) good; (\d+) requires improvement"
    )
    assert _grade("2016", "Durham", "effectiveness") == "outstanding"
    assert _grade("2016", "Bedfordshire", "effectiveness") == "inadequate"
    assert csv_grade("2016", "Durham", "Effectiveness") == "Outstanding"
    assert csv_grade("2016", "Bedfordshire", "Effectiveness") == "Inadequate"
    counts = Counter(
        r.grade for r in grades().rows if r.year == "2016" and r.area == "effectiveness"
    )
    assert counts == {
        "outstanding": 1,
        "good": int(press[1]),
        "requires_improvement": int(press[2]),
        "inadequate": 1,
    }
    assert sum(counts.values()) == 43


def test_greater_manchester_2017_ungraded_is_the_non_grade() -> None:
    scale = load_framework("peel-2017").grade_scale
    assert scale is not None
    ungraded = scale.get("Ungraded")
    assert not ungraded.is_grade
    for pillar in ("Efficiency", "Legitimacy"):
        assert csv_grade("2017", "Greater Manchester", pillar) == "Ungraded"
        assert _grade("2017", "Greater Manchester", pillar.lower()) == ungraded.id
    assert [r.line for r in grades().rows if r.grade == ungraded.id] == [
        line for line, raw in csv_rows() if raw["grade"] == "Ungraded"
    ]


def test_2014_rows_are_the_graded_parts_of_peel_2014() -> None:
    # SOURCES.md: "2014: only the three effectiveness questions and the efficiency pillar were
    # graded"; the framework grades those and no effectiveness or legitimacy pillar.
    assert stated(r"2014: only the three effectiveness questions and the efficiency pillar")
    framework = load_framework("peel-2014")
    rows = [r for r in grades().rows if r.year == "2014"]
    areas = {r.area for r in rows}
    effectiveness = framework.area("effectiveness")
    graded_questions = {a.id for a in effectiveness.children if a.graded}
    assert len(graded_questions) == 3
    assert areas == graded_questions | {"efficiency"}
    assert not effectiveness.graded
    assert not framework.area("legitimacy").graded
    assert framework.area("efficiency").graded
    per_area = Counter(r.area for r in rows)
    assert per_area["efficiency"] == 15
    assert {per_area[q] for q in graded_questions} == {16}


# --- storing -------------------------------------------------------------------------------


def _counts(session: Session) -> tuple[int, int, int]:
    """Stored source documents, inspections and judgments."""

    def count(table: type[SourceDocument] | type[Inspection] | type[Judgment]) -> int:
        return session.scalar(select(func.count()).select_from(table)) or 0

    return count(SourceDocument), count(Inspection), count(Judgment)


def test_every_row_is_stored_as_one_judgment_citing_its_line(workspace: Workspace) -> None:
    with workspace.database.transaction() as session:
        result = store_grades(session, grades())
    assert not result.already_loaded
    expected_inspections = {
        (resolve_force(raw["force"]).id, FRAMEWORK_OF_YEAR[raw["year"]]) for _, raw in csv_rows()
    }
    assert result.inspections == len(expected_inspections)
    assert result.judgments == len(csv_rows())

    with workspace.database.transaction() as session:
        assert _counts(session) == (1, len(expected_inspections), len(csv_rows()))
        document = session.get(SourceDocument, result.document_id)
        assert document is not None
        assert document.sha256 == hashlib.sha256(GRADES_CSV.read_bytes()).hexdigest()
        assert (document.filename, document.media_type, document.publisher) == (
            "peel_grades.csv",
            "text/csv",
            "HMICFRS",
        )
        assert document.title == "PEEL graded judgments (transcribed from HMICFRS pages)"
        inspections = {i.id: i for i in session.scalars(select(Inspection))}
        assert {(i.force_id, i.framework_id) for i in inspections.values()} == expected_inspections
        for inspection in inspections.values():
            assert inspection.status == "published"
            assert inspection.document_id == document.id
            assert inspection.period == load_framework(inspection.framework_id).period
        # A judgment without a line would be keyed 0 and fail the comparison.
        by_line = {j.line_start or 0: j for j in session.scalars(select(Judgment))}
        assert sorted(by_line) == [line for line, _ in csv_rows()]
        for line, raw in csv_rows():
            judgment = by_line[line]
            inspection = inspections[judgment.inspection_id]
            assert judgment.line_end == line
            assert judgment.document_id == document.id
            assert inspection.force_id == resolve_force(raw["force"]).id
            assert judgment.framework_id == FRAMEWORK_OF_YEAR[raw["year"]]
            named = raw["question"] or raw["pillar"]
            area = load_framework(judgment.framework_id).resolve_area(named)
            assert judgment.area_id == area.id
            assert judgment.grade_as_printed == raw["grade"]
            assert judgment.rationale == f"Source: {raw['source_url']}"
        durham = next(
            j
            for j in by_line.values()
            if inspections[j.inspection_id].force_id == resolve_force("Durham").id
            and j.framework_id == "peel-2016"
            and j.area_id == "effectiveness"
        )
        assert durham.grade == "outstanding"


def test_loading_again_changes_nothing(workspace: Workspace) -> None:
    first = workspace.load_grades(GRADES_CSV)
    with workspace.database.transaction() as session:
        before = _counts(session)
    second = workspace.load_grades(GRADES_CSV)
    assert not first.already_loaded and second.already_loaded
    assert (second.document_id, second.inspections, second.judgments) == (
        first.document_id,
        first.inspections,
        first.judgments,
    )
    with workspace.database.transaction() as session:
        assert _counts(session) == before == (1, first.inspections, len(csv_rows()))


def test_a_repeated_row_is_stored_once(workspace: Workspace, tmp_path: Path) -> None:
    lines = _lines(5)
    path = _write(tmp_path, [*lines, lines[2].replace("https://", "http://")])
    read = read_grades_csv(path)
    assert [r.line for r in read.rows] == [2, 3, 4, 5]
    assert read.repeated_lines == (6,)
    result = workspace.load_grades(path)
    assert (result.inspections, result.judgments) == (1, 4)


# --- bad files -----------------------------------------------------------------------------


def _lines(count: int) -> list[str]:
    """The header and the first data rows of the real file (line 1 is the header)."""
    return GRADES_CSV.read_text(encoding="utf-8").splitlines()[:count]


def _write(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "grades.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _replace_cell(line: str, column: str, value: str) -> str:
    cells = next(csv.reader([line]))
    header = next(csv.reader([_lines(1)[0]]))
    cells[header.index(column)] = value
    return ",".join(f'"{c}"' if "," in c else c for c in cells)


def _grade_row(year: str, force: str, pillar: str, question: str, grade: str) -> str:
    return f"{year},{force},{pillar},{question},{grade},https://example.org/page"


BAD_FILES = [
    pytest.param(
        lambda ls: [ls[0].replace(",question,", ",questions,"), *ls[1:]],
        "grades.csv: line 1, column question: missing from the header",
        id="renamed-column",
    ),
    pytest.param(
        lambda ls: [ls[0], ls[1], _replace_cell(ls[2], "force", "Avalon Police"), ls[3]],
        "grades.csv: line 3, column force: unknown force 'Avalon Police'",
        id="unknown-force",
    ),
    pytest.param(
        lambda ls: [*ls[:3], _replace_cell(ls[3], "question", "How well does it juggle?")],
        "grades.csv: line 4, column question: unknown area 'How well does it juggle?' "
        "in framework peel-2014",
        id="unknown-question",
    ),
    pytest.param(
        lambda ls: [ls[0], _replace_cell(ls[1], "grade", "Excellent"), *ls[2:]],
        "grades.csv: line 2, column grade: unknown grade 'Excellent' on scale peel-4-point",
        id="grade-off-the-peel-scale",
    ),
    pytest.param(
        lambda ls: [*ls, _replace_cell(ls[1], "grade", "Inadequate")],
        "grades.csv: line 5, column grade: 'Inadequate' for avon-and-somerset, 2014, area "
        "investigating-offending differs from 'Good' on line 2",
        id="conflicting-duplicate",
    ),
    pytest.param(
        lambda ls: [ls[0], _replace_cell(ls[1], "year", "2019"), *ls[2:]],
        "grades.csv: line 2, column year: no PEEL framework for year '2019'",
        id="unknown-year",
    ),
    pytest.param(
        lambda ls: [ls[0], _grade_row("2017", "Kent", "Legitimacy", "", "Adequate")],
        "grades.csv: line 2, column grade: unknown grade 'Adequate' on scale peel-4-point",
        id="five-point-grade-in-2017",
    ),
    pytest.param(
        lambda ls: [ls[0], _grade_row("2014", "Kent", "Legitimacy", "", "Good")],
        "grades.csv: line 2, column grade: area legitimacy of peel-2014 is not graded",
        id="grade-on-ungraded-pillar",
    ),
    pytest.param(
        lambda ls: [
            ls[0],
            _grade_row(
                "2017",
                "Kent",
                "Efficiency",
                "How effective is the force at tackling serious and organised crime?",
                "Good",
            ),
        ],
        "grades.csv: line 2, column question: 'How effective is the force at tackling serious "
        "and organised crime?' is not a question of Efficiency in peel-2017",
        id="question-under-another-pillar",
    ),
    pytest.param(
        lambda ls: [ls[0], _grade_row("2021/22", "Kent", "Area", "", "Good")],
        "grades.csv: line 2, column question: pillar 'Area' needs the area's name",
        id="area-without-name",
    ),
    pytest.param(
        lambda ls: [ls[0], ls[1], _replace_cell(ls[2], "source_url", "https://example.org/\x00")],
        "grades.csv: line 3, column source_url: holds the control character U+0000",
        id="nul-in-a-url",
    ),
    pytest.param(
        lambda ls: [ls[0], _replace_cell(ls[1], "force", "Kent\x1b[31m"), *ls[2:]],
        "grades.csv: line 2, column force: holds the control character U+001B",
        id="escape-in-a-force",
    ),
    pytest.param(
        lambda ls: [ls[0]],
        "grades.csv: no grades: the file has a header but no rows",
        id="header-only",
    ),
]


@pytest.mark.parametrize(("change", "message"), BAD_FILES)
def test_bad_file_is_refused_with_line_and_column_and_nothing_stored(
    workspace: Workspace, tmp_path: Path, change: object, message: str
) -> None:
    assert callable(change)
    path = _write(tmp_path, change(_lines(4)))
    with pytest.raises(DataFileError) as caught:
        workspace.load_grades(path)
    text = str(caught.value)
    assert text.startswith(message), text
    assert "\n" not in text
    with workspace.database.transaction() as session:
        assert _counts(session) == (0, 0, 0)


def test_the_good_start_of_the_file_loads(workspace: Workspace, tmp_path: Path) -> None:
    # The fixtures above are the real file's first rows with one change: unchanged, they load.
    result = workspace.load_grades(_write(tmp_path, _lines(4)))
    assert (result.inspections, result.judgments) == (1, 3)
