"""One error model: codes in the catalogue and the docs, kinds, locations, one Problem shape."""

from __future__ import annotations

import ast
import csv
import dataclasses
import importlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from peelkit import Workspace
from peelkit.errors import (
    HTTP_STATUS,
    KINDS,
    DataFileError,
    FrameworkFileError,
    Location,
    PeelkitError,
    UnknownForce,
    catalogue,
    parse_where,
)
from peelkit.problems import Problem
from peelkit.reference import resolve_force
from peelkit.reportimport.model import ImportWarning, Span
from peelkit.sources import ons_recorded_crime
from peelkit.sources.model import Problem as StatisticsProblem

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "peelkit"
DOCS = ROOT / "docs" / "errors.md"
PROBLEM_CLASSES = {"Problem", "ImportWarning", "StatisticsProblem", "BaseProblem"}


# --- the catalogue and the docs ----------------------------------------------------------------


def _docs_sections() -> dict[str, str]:
    """Each '### title' section of docs/errors.md, up to the next heading."""
    text = DOCS.read_text(encoding="utf-8")
    parts = re.split(r"^#{2,3} (.+)$", text, flags=re.MULTILINE)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts), 2)}


def _table(section: str) -> dict[str, list[str]]:
    """The rows of the section's table whose first cell is a `code`: code -> other cells."""
    rows = {}
    for line in section.splitlines():
        match = re.match(r"^\| `([a-z0-9_]+)` \|(.*)\|$", line)
        if match:
            assert match[1] not in rows, f"{match[1]} twice in one table"
            rows[match[1]] = [cell.strip() for cell in match[2].split(" | ")]
    return rows


def test_the_catalogue_entries_are_complete() -> None:
    errors = catalogue()["errors"]
    assert errors, "no error codes"
    for code, entry in errors.items():
        assert re.fullmatch(r"[a-z][a-z0-9_]*", code), code
        assert entry["kind"] in KINDS, code
        for key in ("title", "when", "action"):
            assert str(entry.get(key) or "").strip(), f"{code}: no {key}"
    problems = catalogue()["problems"]
    assert set(problems) == {"statistics", "import"}
    for section, codes in problems.items():
        assert codes, section
        for code, entry in codes.items():
            for key in ("title", "when", "action"):
                assert str(entry.get(key) or "").strip(), f"{section} {code}: no {key}"


def test_the_docs_list_the_catalogues_error_codes_with_their_kinds() -> None:
    documented = _table(_docs_sections()["Error codes"])
    errors = catalogue()["errors"]
    assert set(documented) == set(errors)
    for code, cells in documented.items():
        assert cells[0] == f"`{errors[code]['kind']}`", code


def test_the_docs_list_the_catalogues_problem_codes() -> None:
    sections = _docs_sections()
    problems = catalogue()["problems"]
    assert set(_table(sections["Statistics problems"])) == set(problems["statistics"])
    assert set(_table(sections["Import warnings"])) == set(problems["import"])


def test_kinds_map_to_the_http_statuses_the_docs_give() -> None:
    expected = {
        "invalid": 400,
        "not_found": 404,
        "conflict": 409,
        "unavailable": 503,
        "unauthenticated": 401,
        "forbidden": 403,
        "throttled": 429,
        "too_large": 413,
    }
    assert expected == HTTP_STATUS
    assert set(KINDS) == set(expected)
    documented = _table(_docs_sections()["Kinds"])
    assert {kind: int(cells[0]) for kind, cells in documented.items()} == expected
    # The sentence and the JSON table that list the kinds name every one of them.
    library = " ".join(_docs_sections()["In the library and as JSON"].split())
    listing = re.search(r"- `kind`: (.+?);", library)
    assert listing is not None
    assert set(re.findall(r"`([a-z_]+)`", listing[1])) == set(expected)
    key_row = re.search(r"\| `kind` \| text \| (.+?) \|", library)
    assert key_row is not None
    assert set(re.findall(r"`([a-z_]+)`", key_row[1])) == set(expected)


# --- every code used in the source is in the catalogue -----------------------------------------


def _modules() -> Iterator[tuple[str, Path]]:
    """Every module of the package, but the Alembic scripts (run by Alembic, not importable)."""
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.relative_to(SRC).parts:
            continue
        parts = path.relative_to(SRC.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        yield name, path


def _called_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _text(node: ast.expr | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _keyword(call: ast.Call, name: str) -> str | None:
    return next((_text(k.value) for k in call.keywords if k.arg == name), None)


def _error_class(module: Any, name: str) -> type[PeelkitError] | None:
    found = getattr(module, name, None)
    return found if isinstance(found, type) and issubclass(found, PeelkitError) else None


# Functions of the web layer that take a code (and an HTTP status) positionally: the index of
# each argument (web/errors.py: ``error_response(request, code, message, status, ...)``).
POSITIONAL_CODES = {"error_response": (1, 3), "error_body": (0, 2)}
KIND_OF_STATUS = {status: kind for kind, status in HTTP_STATUS.items()}


def _positional_code(call: ast.Call) -> tuple[str, str | None] | None:
    """(code, kind its status means, if one does) of a call passing a code positionally."""
    indexes = POSITIONAL_CODES.get(_called_name(call))
    if indexes is None or len(call.args) <= indexes[0]:
        return None
    code = _text(call.args[indexes[0]])
    if code is None:
        return None
    status = call.args[indexes[1]] if len(call.args) > indexes[1] else None
    given = status.value if isinstance(status, ast.Constant) else None
    return code, KIND_OF_STATUS.get(given) if isinstance(given, int) else None


def _error_codes_in_source() -> list[tuple[str, str, str | None]]:
    """(where, code, kind it is raised with, if known) for every literal error code in src."""
    found: list[tuple[str, str, str | None]] = []
    for name, path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        module = importlib.import_module(name)
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and _error_class(module, node.name):
                error = _error_class(module, node.name)
                assert error is not None
                for item in node.body:
                    if not isinstance(item, ast.Assign):
                        continue
                    if "code" in [t.id for t in item.targets if isinstance(t, ast.Name)]:
                        code = _text(item.value)
                        assert code is not None, f"{name}.{node.name}: code is not a literal"
                        found.append((f"{name}.{node.name}", code, error.kind))
            elif isinstance(node, ast.Call) and (positional := _positional_code(node)):
                code, kind = positional
                found.append((f"{path.relative_to(ROOT)}:{node.lineno}", code, kind))
            elif isinstance(node, ast.Call) and _called_name(node) not in PROBLEM_CLASSES:
                code = _keyword(node, "code")
                if code is None:
                    continue
                error = _error_class(module, _called_name(node))
                kind = _keyword(node, "kind") or (error.kind if error else None)
                found.append((f"{path.relative_to(ROOT)}:{node.lineno}", code, kind))
    return found


def test_every_error_code_raised_in_the_source_is_in_the_catalogue_with_its_kind() -> None:
    errors = catalogue()["errors"]
    used = _error_codes_in_source()
    assert len(used) > 40  # the walk found the classes and the raise sites
    # ... and the codes the web layer passes positionally to error_response.
    web = {code for where, code, _ in used if where.startswith("src/peelkit/web/errors.py")}
    assert {"invalid_parameter", "route_not_found", "method_not_allowed"} <= web
    assert {"http_error", "internal_error"} <= web
    unlisted = [(where, code) for where, code, _ in used if code not in errors]
    assert unlisted == []
    wrong_kind = [
        (where, code, kind)
        for where, code, kind in used
        if kind is not None and kind != errors[code]["kind"]
    ]
    assert wrong_kind == []


def _problem_codes(path: Path) -> set[str]:
    """Literal problem codes: Problem(...)/ImportWarning(...), the helpers that make them
    (``self._problem("x", ...)``, ``self.warn("x", ...)``), ``code = "x"`` and the
    ``(code, message)`` pairs a resolver returns."""
    codes: set[str] = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    # ``code = "x"`` in a class body is an error class's code, not a problem's.
    in_classes = {
        id(item) for c in ast.walk(tree) if isinstance(c, ast.ClassDef) for item in c.body
    }
    for node in ast.walk(tree):
        if id(node) in in_classes:
            continue
        if isinstance(node, ast.Call):
            called = _called_name(node)
            if called in PROBLEM_CLASSES and (code := _keyword(node, "code")):
                codes.add(code)
            helper = re.search(r"problem|warn|Problem", called)
            if helper and node.args and (code := _text(node.args[0])):
                codes.add(code)
        elif isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "code" for t in node.targets
        ):
            values = (
                [node.value.body, node.value.orelse]
                if isinstance(node.value, ast.IfExp)
                else [node.value]
            )
            codes.update(c for v in values if (c := _text(v)))
        elif isinstance(node, ast.Return) and isinstance(node.value, ast.Tuple):
            for element in node.value.elts:
                if not (isinstance(element, ast.Tuple) and element.elts):
                    continue
                if code := _text(element.elts[0]):
                    codes.add(code)
    return codes


def test_every_problem_code_in_the_source_is_in_the_catalogue() -> None:
    problems = catalogue()["problems"]
    statistics = set().union(*(_problem_codes(p) for p in (SRC / "sources").rglob("*.py")))
    warnings = set().union(*(_problem_codes(p) for p in (SRC / "reportimport").rglob("*.py")))
    # Known codes of both kinds, so the walk cannot silently find nothing.
    assert {"revised_between_releases", "unknown_offence", "not_a_quarter"} <= statistics
    assert {"grade_outside_scale", "change_mismatch", "text_cut"} <= warnings
    assert statistics - set(problems["statistics"]) == set()
    assert warnings - set(problems["import"]) == set()


def test_the_embedded_datasets_problems_are_in_the_catalogue() -> None:
    with (SRC / "data" / "problems.csv").open(encoding="utf-8", newline="") as handle:
        codes = {row["code"] for row in csv.DictReader(handle)}
    assert codes  # the shipped dataset has problems (revisions, missing forces)
    assert codes - set(catalogue()["problems"]["statistics"]) == set()


# --- every error class has a code and a kind ---------------------------------------------------


def _all_error_classes() -> list[type[PeelkitError]]:
    for name, _ in _modules():
        importlib.import_module(name)
    found: list[type[PeelkitError]] = []
    pending: list[type[PeelkitError]] = [PeelkitError]
    while pending:
        cls = pending.pop()
        found.append(cls)
        pending.extend(cls.__subclasses__())
    return found


def test_every_error_class_has_a_listed_code_and_its_kind() -> None:
    errors = catalogue()["errors"]
    classes = _all_error_classes()
    names = {cls.__name__ for cls in classes}
    # The classes defined in errors.py and elsewhere (domain, sources, indicators).
    assert {"DataFileError", "NotFound", "InvalidPeriod", "UnknownMeasure", "NoData"} <= names
    for cls in classes:
        assert cls.code in errors, cls.__name__
        assert cls.kind in KINDS, cls.__name__
        assert errors[cls.code]["kind"] == cls.kind, cls.__name__


def test_subclasses_defined_outside_errors_py_have_their_own_codes() -> None:
    by_name = {cls.__name__: cls for cls in _all_error_classes()}
    shared = [n for n, c in by_name.items() if n != "PeelkitError" and c.code == "invalid_input"]
    assert shared == []


# --- real errors as JSON -----------------------------------------------------------------------


def test_an_unknown_force_is_not_found() -> None:
    with pytest.raises(UnknownForce) as caught:
        resolve_force("Narnia Constabulary")
    body = caught.value.to_json()
    assert body["code"] == "unknown_force"
    assert body["kind"] == "not_found"
    assert caught.value.status == 404
    assert body["message"].startswith("unknown force 'Narnia Constabulary'")
    assert body["location"] == dict.fromkeys(("file", "sheet", "line", "row", "column", "field"))
    assert list(body) == ["code", "kind", "message", "location"]


GRADES_HEADER = "year,force,pillar,question,grade,source_url"


def test_a_bad_grade_in_a_grades_csv_names_its_line_and_column(tmp_path: Path) -> None:
    from peelkit.record.grades_csv import read_grades_csv

    path = tmp_path / "grades.csv"
    path.write_text(
        f"{GRADES_HEADER}\n"
        "2017,Kent,Effectiveness,,Good,https://example.org\n"
        "2017,Kent,Efficiency,,Brilliant,https://example.org\n",
        encoding="utf-8",
    )
    with pytest.raises(DataFileError) as caught:
        read_grades_csv(path)
    body = caught.value.to_json()
    assert (body["code"], body["kind"]) == ("data_file_invalid", "invalid")
    assert body["location"] == {
        "file": "grades.csv",
        "sheet": None,
        "line": 3,
        "row": None,
        "column": "grade",
        "field": None,
    }
    assert body["message"].startswith("grades.csv: line 3, column grade: unknown grade 'Brilliant'")


def test_a_renamed_column_of_a_statistics_csv_names_its_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "rec-crime-pfa.csv"
    path.write_text(
        "12 months ending,PFA,Region,Offence group,Rolling year total number of offences\n"
        "31-03-2018,Kent,South East,Robbery,5\n",
        encoding="utf-8",
    )
    with pytest.raises(DataFileError) as caught:
        ons_recorded_crime.read(path)
    location = caught.value.to_json()["location"]
    # The fourth column, D, of the header row.
    assert (location["file"], location["row"], location["column"]) == ("rec-crime-pfa.csv", 1, "D")
    assert location["sheet"] is None and location["line"] is None


def test_broken_json_names_the_line_and_column_json_reports(tmp_path: Path) -> None:
    from peelkit.record.exchange import parse_export

    text = '{\n  "format": "peelkit-record",\n  oops\n}\n'
    path = tmp_path / "export.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(json.JSONDecodeError) as expected:
        json.loads(text)
    with pytest.raises(DataFileError) as caught:
        parse_export(path)
    location = caught.value.location
    assert (location.line, location.column) == (expected.value.lineno, expected.value.colno)
    assert location.line == 3


def test_a_missing_file_is_unreadable(tmp_path: Path) -> None:
    from peelkit.record.groups import read_groups_csv

    with pytest.raises(DataFileError) as caught:
        read_groups_csv(tmp_path / "absent.csv")
    assert caught.value.code == "file_unreadable"
    assert caught.value.location.file == str(tmp_path / "absent.csv")


def test_an_unknown_inspection_is_not_found(tmp_path: Path) -> None:
    with (
        Workspace(f"sqlite:///{tmp_path / 'e.sqlite'}") as workspace,
        pytest.raises(PeelkitError) as caught,
    ):
        workspace.inspection(999)
    assert (caught.value.code, caught.value.kind, caught.value.status) == (
        "inspection_not_found",
        "not_found",
        404,
    )


@pytest.mark.parametrize("url", ["://nothing", "postgresql://user@host:notaport/db"])
def test_a_bad_database_url_is_invalid_not_unavailable(url: str) -> None:
    from peelkit.record.database import normalise_url

    with pytest.raises(PeelkitError) as caught:
        normalise_url(url)
    assert (caught.value.code, caught.value.kind, caught.value.status) == (
        "database_url_invalid",
        "invalid",
        400,
    )
    assert str(caught.value) == f"invalid database URL {url!r}"


def test_an_unknown_database_driver_is_unsupported() -> None:
    from peelkit.record.database import make_engine, normalise_url

    with pytest.raises(PeelkitError) as caught:
        make_engine(normalise_url("nosuchdatabase://host/db"))
    assert (caught.value.code, caught.value.kind) == ("database_unsupported", "invalid")


def test_an_unreachable_database_is_unavailable(tmp_path: Path) -> None:
    # A SQLite file under a regular file cannot be opened.
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(PeelkitError) as caught:
        Workspace(f"sqlite:///{blocker / 'sub' / 'db.sqlite'}").inspections()
    assert (caught.value.code, caught.value.kind, caught.value.status) == (
        "database_unavailable",
        "unavailable",
        503,
    )


def test_the_cli_prints_the_errors_message_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from peelkit.cli import main

    path = tmp_path / "grades.csv"
    path.write_text(f"{GRADES_HEADER}\n2017,Kent,Efficiency,,Brilliant,x\n", encoding="utf-8")
    code = main(["grades", "load", str(path), "--db", str(tmp_path / "c.sqlite")])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("peel: error: grades.csv: line 2, column grade: unknown grade")
    assert err.count("\n") == 1


# --- locations and the where strings of messages -----------------------------------------------


WHERE_FORMS = [
    ("", Location()),
    ("line 3", Location(line=3)),
    ("line 3, column grade", Location(line=3, column="grade")),  # grades / groups CSV
    ("line 4, column 17", Location(line=4, column=17)),  # JSON decode errors
    ("row 5", Location(row=5)),
    ("row 1, column D", Location(row=1, column="D")),
    ("row 1, column 12", Location(row=1, column=12)),  # police.uk: 1-based column number
    ("row 2, column 12 months ending", Location(row=2, column="12 months ending")),
    ("sheet 'Table P1'", Location(sheet="Table P1")),
    ("sheet 'Table P1', row 5", Location(sheet="Table P1", row=5)),
    ("sheet 'Table P1', row 7, column C", Location(sheet="Table P1", row=7, column="C")),
    ("sheet 'Table P1', row 1-30", Location(sheet="Table P1", row="1-30")),
    ("row 1-30", Location(row="1-30")),
    ("sheet Index", Location(sheet="Index")),
    ("sheet Index, row 1, column A", Location(sheet="Index", row=1, column="A")),
    ("sheet Table_4, column A", Location(sheet="Table_4", column="A")),
    (
        "sheet Data, row 1, column 'Number of Offences'",
        Location(sheet="Data", row=1, column="Number of Offences"),
    ),
    ('sheet "Force\'s table", row 2', Location(sheet="Force's table", row=2)),
    ("first 30 rows of every sheet", Location(row="1-30")),
    ("cell A1 of every sheet", Location(row=1, column="A")),
    ("sheets Table 1, Table 2", Location(sheet="Table 1, Table 2")),
    ("type", Location(field="type")),
    ("features", Location(field="features")),
    ("feature 3", Location(field="features[3]")),
    ("feature 3, properties", Location(field="features[3].properties")),
    ("feature 0, property PFA16CD", Location(field="features[0].properties.PFA16CD")),
    ("feature 7, geometry", Location(field="features[7].geometry")),
    ("inspections[0].judgments[1].grade", Location(field="inspections[0].judgments[1].grade")),
    ("format_version", Location(field="format_version")),
    ("scales[0].grades[1].id", Location(field="scales[0].grades[1].id")),
    ("area investigating-crime", Location(field="area investigating-crime")),
    ("row 5, row 6", Location(field="row 5, row 6")),  # not a form: kept whole as a field
]


@pytest.mark.parametrize(("where", "expected"), WHERE_FORMS)
def test_where_strings_become_locations(where: str, expected: Location) -> None:
    assert parse_where(where) == expected


@pytest.mark.parametrize(("where", "expected"), WHERE_FORMS)
def test_a_data_file_error_keeps_its_message_and_gains_the_location(
    where: str, expected: Location
) -> None:
    error = DataFileError("file.csv", where, "something is wrong")
    assert str(error) == (
        f"file.csv: {where}: something is wrong" if where else "file.csv: something is wrong"
    )
    assert error.location == dataclasses.replace(expected, file="file.csv")
    assert (error.file, error.where, error.problem) == ("file.csv", where, "something is wrong")


def test_a_data_file_error_from_keywords_writes_its_where() -> None:
    error = DataFileError("w.xlsx", "", "expected a number", sheet="Data", row=5, column="C")
    assert str(error) == "w.xlsx: sheet Data, row 5, column C: expected a number"
    assert error.location == Location(file="w.xlsx", sheet="Data", row=5, column="C")
    assert error.where == "sheet Data, row 5, column C"


def test_keywords_win_over_the_parsed_where() -> None:
    error = DataFileError("f.csv", "line 3", "bad", line=4, column="grade", code="x_y")
    assert str(error) == "f.csv: line 3: bad"
    assert error.location == Location(file="f.csv", line=4, column="grade")
    assert error.code == "x_y" and error.kind == "invalid"


def test_a_framework_file_error_has_a_location_too() -> None:
    error = FrameworkFileError("peel-2017.yaml", "areas[2].level", "unknown level 'x'")
    assert str(error) == "peel-2017.yaml: areas[2].level: unknown level 'x'"
    assert error.location == Location(file="peel-2017.yaml", field="areas[2].level")
    assert error.code == "framework_file_invalid"


def test_describe_names_the_place_as_messages_do() -> None:
    location = Location(file="tables.xlsx", sheet="X", row=5, column="C")
    assert location.describe() == "tables.xlsx: sheet X, row 5, column C"
    assert Location(file="a.csv").describe() == "a.csv"
    assert Location(line=3, column="grade").describe() == "line 3, column grade"
    assert Location().describe() == ""


def test_a_raise_site_may_give_a_code_and_a_kind() -> None:
    error = PeelkitError("already there", code="record_not_empty", kind="conflict")
    assert (error.code, error.kind, error.status) == ("record_not_empty", "conflict", 409)
    plain = PeelkitError("a  message\nover two lines")
    assert (plain.code, plain.kind) == ("invalid_input", "invalid")
    assert plain.message == "a message over two lines"  # as the CLI prints it
    assert str(plain) == "a  message\nover two lines"


# --- one Problem shape -------------------------------------------------------------------------


def test_a_statistics_problem_is_a_problem_with_its_old_constructor() -> None:
    problem = StatisticsProblem("not_a_number", "'x' is not a number", "f.csv", None, 7, "count")
    assert isinstance(problem, Problem)
    assert (problem.file, problem.sheet, problem.row, problem.column) == ("f.csv", None, 7, "count")
    assert problem.location == Location(file="f.csv", row=7, column="count")
    assert problem.severity == "warning"
    assert str(problem) == "f.csv, row 7, column count: 'x' is not a number"
    by_keyword = StatisticsProblem(code="missing_force", message="m", file="g.csv")
    assert by_keyword.location == Location(file="g.csv")
    moved = dataclasses.replace(problem, row=8)
    assert moved.location.row == 8
    with pytest.raises(dataclasses.FrozenInstanceError):
        problem.row = 9  # type: ignore[misc]


def test_a_statistics_problem_keeps_its_documented_json_keys_first() -> None:
    problem = StatisticsProblem("negative_count", "-3", "f.csv", "S", 2, "E")
    assert problem.to_json() == {
        "code": "negative_count",
        "message": "-3",
        "file": "f.csv",
        "sheet": "S",
        "row": 2,
        "column": "E",
        "severity": "warning",
        "location": {
            "file": "f.csv",
            "sheet": "S",
            "line": None,
            "row": 2,
            "column": "E",
            "field": None,
        },
    }
    assert list(problem.to_json()) == [
        "code",
        "message",
        "file",
        "sheet",
        "row",
        "column",
        "severity",
        "location",
    ]


def test_a_problem_read_from_a_real_file_has_its_location(tmp_path: Path) -> None:
    path = tmp_path / "rec-crime-pfa.csv"
    path.write_text(
        "12 months ending,PFA,Region,Offence,Rolling year total number of offences\n"
        "31-03-2018,Kent,South East,Robbery,..x\n",
        encoding="utf-8",
    )
    [problem] = [p for p in ons_recorded_crime.read(path).problems if p.code == "not_a_number"]
    assert problem.to_json()["location"]["file"] == "rec-crime-pfa.csv"
    assert problem.location.row == 2  # the line after the header


def test_an_import_warning_is_a_problem_with_its_old_constructor() -> None:
    warning = ImportWarning(
        code="grade_mismatch",
        message="two grades",
        table="Overall summary",
        row="Legitimacy",
        span=Span(12, 14),
    )
    assert isinstance(warning, Problem)
    assert warning.location == Location(line=12, row="Legitimacy")
    body = warning.to_json()
    assert list(body)[:6] == ["code", "message", "table", "row", "column", "span"]
    assert body["span"] == {"line_start": 12, "line_end": 14, "page_start": None, "page_end": None}
    assert body["severity"] == "warning"
    assert body["location"]["line"] == 12
    assert ImportWarning(code="text_cut", message="m").location == Location()


def test_an_error_can_be_listed_as_a_problem() -> None:
    error = DataFileError("g.csv", "line 2, column force", "unknown force 'X'")
    problem = Problem.from_error(error)
    assert problem == Problem(
        "data_file_invalid",
        "g.csv: line 2, column force: unknown force 'X'",
        location=Location(file="g.csv", line=2, column="force"),
        severity="error",
    )
    assert str(problem) == "g.csv: line 2, column force: unknown force 'X'"  # named once
    assert str(Problem("c", "m", location=Location(file="f.csv", row=3))) == "f.csv: row 3: m"
