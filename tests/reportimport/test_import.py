"""Importing the reference reports end to end: counts from the issue's hand-built ground truth,
provenance that points at the right lines, idempotency, PDFs, and bad input."""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from peelkit import Workspace
from peelkit.cli import main
from peelkit.errors import DataFileError, UnknownFramework
from peelkit.frameworks import load_framework
from peelkit.record import operations as ops
from peelkit.reportimport.importer import parse_file
from peelkit.reportimport.store import store_document
from peelkit.views.json import to_json
from tests.reportimport.pdfs import make_pdf

BASELINE = "004_8971e4e9a7c1f0c8.txt"
CORE_BUSINESS = "003_02b487485919232c.txt"
PEEL_2015 = "002_b3b722981796a923.txt"
PEEL_2016 = "000_033c6fd077a275c5.txt"
PEEL_2018_19 = "001_2e8c9026aad1a9d7.txt"
KENT_PAGE = "kent_peel-2017_effectiveness.txt"


def _kinds(inspection: dict[str, Any]) -> Counter[str]:
    return Counter(f["kind"] for f in inspection["findings"])


@pytest.fixture
def imported(
    reference_reports: Path, database_url: str, open_workspace: Callable[[str], Workspace]
) -> dict[str, dict[str, Any]]:
    """The five reference reports imported into one database: file name -> its inspection."""
    workspace = open_workspace(database_url)
    inspections = {}
    for name in (BASELINE, CORE_BUSINESS, PEEL_2015, PEEL_2016, PEEL_2018_19):
        _, result = workspace.import_report(reference_reports / name)
        assert not result.already_imported
        inspections[name] = to_json(workspace.inspection(result.inspections[0]))
        inspections[name]["_all"] = result.inspections
    return inspections


def test_reference_reports_import_with_the_expected_counts(
    imported: dict[str, dict[str, Any]],
) -> None:
    baseline = imported[BASELINE]
    assert (baseline["force"], baseline["framework"]) == ("metropolitan", "baseline-2005")
    grades = [j for j in baseline["judgments"] if j["grade"] not in (None, "not_graded")]
    assert len(grades) == 26
    assert {j["area"]: j["grade"] for j in baseline["judgments"]}["1D"] == "not_graded"
    kinds = _kinds(baseline)
    # 2C's unbulleted paragraph may be read as a strength of its own or as part of the last one.
    assert (kinds["strength"], kinds["area_for_improvement"]) in ((538, 252), (539, 252))
    assert len(baseline["performance_table"]) == 165
    # The national table: one inspection for each of the 42 other forces, 27 judgments each.
    assert len(baseline["_all"]) == 43

    core = imported[CORE_BUSINESS]
    assert core["framework"] == "core-business-2014"
    assert core["judgments"] == []
    assert Counter(f["area"] for f in core["findings"]) == Counter(
        {"preventing-crime": 4, "crime-recording-and-attendance": 7, "freeing-up-time": 4}
    )

    peel_2015 = imported[PEEL_2015]
    assert peel_2015["framework"] == "peel-2015"
    assert len(peel_2015["judgments"]) == 5
    assert _kinds(peel_2015) == Counter({"area_for_improvement": 8})

    peel_2016 = imported[PEEL_2016]
    assert len(peel_2016["judgments"]) == 6
    assert _kinds(peel_2016) == Counter(
        {"area_for_improvement": 11, "cause_of_concern": 1, "recommendation": 8}
    )
    concern = next(f for f in peel_2016["findings"] if f["kind"] == "cause_of_concern")
    recommendations = [f for f in peel_2016["findings"] if f["kind"] == "recommendation"]
    assert {r["cause_of_concern"] for r in recommendations} == {concern["id"]}

    ipa = imported[PEEL_2018_19]
    levels = Counter(
        j["area"] in ("effectiveness", "efficiency", "legitimacy") for j in ipa["judgments"]
    )
    assert levels == Counter({True: 3, False: 10})
    assert _kinds(ipa) == Counter(
        {"area_for_improvement": 19, "cause_of_concern": 2, "recommendation": 5}
    )
    concerns = {f["id"] for f in ipa["findings"] if f["kind"] == "cause_of_concern"}
    assert {
        f["cause_of_concern"] for f in ipa["findings"] if f["kind"] == "recommendation"
    } == concerns
    assert [len(f["sub_items"]) for f in ipa["findings"] if f["sub_items"]] == [3]
    assert len(ipa["figures"]) == 26


def test_provenance_points_at_the_printed_lines(
    imported: dict[str, dict[str, Any]], reference_reports: Path
) -> None:
    for name, inspection in imported.items():
        lines = (reference_reports / name).read_text(encoding="utf-8").splitlines()
        for finding in inspection["findings"]:
            where = finding["provenance"]
            assert where["document"] == inspection["document"]
            printed = " ".join(lines[where["line_start"] - 1 : where["line_end"]])
            first_words = " ".join(finding["text"].split()[:3]).rstrip(",;:.")
            assert first_words[:12].lower() in " ".join(printed.split()).lower(), (name, finding)


def test_reimporting_changes_nothing_and_history_grows(
    reference_reports: Path, database_url: str, open_workspace: Callable[[str], Workspace]
) -> None:
    workspace = open_workspace(database_url)
    _, first = workspace.import_report(reference_reports / PEEL_2015)
    before = workspace.export()
    _, again = workspace.import_report(reference_reports / PEEL_2015)
    assert again.already_imported
    assert again.document_id == first.document_id
    assert workspace.export() == before
    workspace.import_report(reference_reports / PEEL_2016)
    history = workspace.inspections(force="Metropolitan Police Service")
    assert [i.framework for i in history] == ["peel-2015", "peel-2016"]


def test_dry_run_json_touches_nothing(
    reference_reports: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 'dry.sqlite'}"
    code = main(
        [
            "import",
            str(reference_reports / PEEL_2018_19),
            "--dry-run",
            "--format",
            "json",
            "--db",
            db,
        ]
    )
    assert code == 0
    parsed = json.loads(capsys.readouterr().out)
    assert set(parsed) >= {
        "document",
        "judgments",
        "findings",
        "figures",
        "performance_table",
        "warnings",
        "not_found",
    }
    assert parsed["document"]["force"] == "metropolitan"
    assert parsed["document"]["framework"] == "peel-2018-19"
    for judgment in parsed["judgments"]:
        assert set(judgment) >= {"area", "level", "grade", "direction"}
    for finding in parsed["findings"]:
        assert finding["kind"] in (
            "strength",
            "area_for_improvement",
            "cause_of_concern",
            "recommendation",
            "finding",
        )
    assert any(w["code"] for w in parsed["warnings"])  # the missing Legitimacy summary grade
    assert main(["inspections", "--db", db, "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def _comparable(parsed: dict[str, Any]) -> dict[str, Any]:
    """A parsed document without what differs between a text file and its PDF."""

    def drop(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: drop(v) for k, v in value.items() if k not in ("span", "source")}
        if isinstance(value, list):
            return [drop(v) for v in value]
        return value

    result: dict[str, Any] = drop(parsed)
    return result


@pytest.mark.parametrize("name", [PEEL_2018_19, PEEL_2016, PEEL_2015, CORE_BUSINESS, BASELINE])
def test_pdf_of_a_report_imports_like_its_text(
    reference_reports: Path, tmp_path: Path, name: str
) -> None:
    text = (reference_reports / name).read_text(encoding="utf-8")
    from_text = parse_file(reference_reports / name).to_json()
    from_pdf = parse_file(make_pdf(text, tmp_path / f"{name}.pdf")).to_json()
    assert from_pdf["document"]["source"]["media_type"] == "application/pdf"
    assert from_pdf["document"]["source"]["page_count"] > 1
    assert _comparable(from_pdf) == _comparable(from_text)
    spans = [f["span"] for f in from_pdf["findings"] if f["span"]]
    assert all(s["page_start"] for s in spans)


def test_kent_web_page(shared: Path, tmp_path: Path) -> None:
    page = shared / "examples" / "hmicfrs-web-pages" / KENT_PAGE
    parsed = parse_file(page)
    assert (parsed.force, parsed.framework) == ("kent", "peel-2017")
    grades = {j.area: j.grade for j in parsed.judgments}
    assert grades["effectiveness"] == "good"
    assert any(f.kind == "area_for_improvement" for f in parsed.findings)
    assert parsed.not_found  # the page copy has [...] gaps


def test_bad_input_via_the_cli(
    reference_reports: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 'bad.sqlite'}"
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    garbage = tmp_path / "garbage.bin"
    garbage.write_bytes(bytes(range(256)) * 20)
    prose = tmp_path / "minutes.txt"
    prose.write_text("Minutes of the parish council meeting.\nItem 1: the village hall roof.\n")
    good = reference_reports / PEEL_2015
    code = main(["import", str(empty), str(garbage), str(prose), str(good), "--db", db])
    captured = capsys.readouterr()
    assert code == 2
    errors = captured.err.strip().splitlines()
    assert [e.split(":")[2].strip() for e in errors] == ["empty.txt", "garbage.bin", "minutes.txt"]
    assert all(e.startswith("peel: error: ") for e in errors)
    assert "Traceback" not in captured.err
    # The good file was still imported, in its own transaction.
    assert main(["inspections", "--db", db, "--json"]) == 0
    assert [i["framework"] for i in json.loads(capsys.readouterr().out)] == ["peel-2015"]
    code = main(["import", str(good), "--framework", "peel-2019", "--db", db])
    assert code == 2
    assert "unknown framework 'peel-2019'" in capsys.readouterr().err


def test_truncated_report_is_a_partial_import(reference_reports: Path, tmp_path: Path) -> None:
    lines = (reference_reports / PEEL_2018_19).read_text(encoding="utf-8").splitlines()
    truncated = tmp_path / "truncated.txt"
    truncated.write_text("\n".join(lines[: len(lines) * 2 // 5]), encoding="utf-8")
    parsed = parse_file(truncated)
    assert parsed.framework == "peel-2018-19"
    assert parsed.not_found


def test_forced_framework_and_force(reference_reports: Path) -> None:
    with pytest.raises(UnknownFramework):
        parse_file(reference_reports / PEEL_2015, framework="peel-2030")
    parsed = parse_file(reference_reports / PEEL_2015, framework="peel-2015", force="MPS")
    assert parsed.force == "metropolitan"
    with pytest.raises(DataFileError, match="no reader for framework peel-2014"):
        parse_file(reference_reports / PEEL_2015, framework="peel-2014")


def test_imported_record_round_trips(
    reference_reports: Path,
    database_url: str,
    second_database_url: str,
    open_workspace: Callable[[str], Workspace],
    tmp_path: Path,
) -> None:
    first = open_workspace(database_url)
    for name in (BASELINE, PEEL_2018_19):
        first.import_report(reference_reports / name)
    exported = tmp_path / "first.json"
    first.export_to(exported)
    record = json.loads(exported.read_text())
    assert record["documents"][0]["warnings"]
    assert any(i["performance_table"] for i in record["inspections"])
    second = open_workspace(second_database_url)
    second.load(exported)
    again = tmp_path / "second.json"
    second.export_to(again)
    assert again.read_bytes() == exported.read_bytes()


def test_the_most_similar_group_a_report_names_is_stored(
    reference_reports: Path, database_url: str, open_workspace: Callable[[str], Workspace]
) -> None:
    workspace = open_workspace(database_url)
    workspace.import_report(reference_reports / PEEL_2018_19)
    group = workspace.groups("Metropolitan Police Service", "2018/19")[0]
    assert group.peers == ("west-midlands", "greater-manchester", "west-yorkshire")
    assert PEEL_2018_19 in group.source


# --- one inspection per force, framework and period: a report and the grades CSV -------------

GRADES_CSV = ("peel-grades", "peel_grades.csv")
CSV_FORCE = "Metropolitan Police"  # how the grades CSV names the Met
GRADE_WORDS = ("Outstanding", "Good", "Requires improvement", "Inadequate")


def _grades_csv(raw_data: Path) -> Path:
    return raw_data.joinpath(*GRADES_CSV)


def _csv_met_grades(path: Path, year: str, framework: str) -> dict[str, tuple[str, int]]:
    """The Met's rows of one year, read with the csv module: area id -> (grade, line)."""
    spec = load_framework(framework)
    found = {}
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        for row in reader:
            if row["year"] == year and row["force"] == CSV_FORCE:
                area = spec.resolve_area(row["question"] or row["pillar"]).id
                found[area] = (row["grade"], reader.line_num)
    return found


def _report_grades_2016(path: Path) -> dict[str, str]:
    """PEEL 2016 (effectiveness): the four questions' summary rows and the overall sentence."""
    text = path.read_text(encoding="utf-8")
    spec = load_framework("peel-2016")
    words = "|".join(GRADE_WORDS)
    grades = {
        spec.resolve_area(question).id: grade
        for question, grade in re.findall(
            rf"^(How effective is the force at [^\t]+\?)\t+({words})$", text, re.MULTILINE
        )
    }
    overall = re.search(
        r"The Metropolitan Police Service (requires improvement|is good|is outstanding|is "
        r"inadequate) in respect of its effectiveness",
        text,
    )
    assert overall is not None and len(grades) == 4
    grades["effectiveness"] = overall[1].removeprefix("is ").capitalize()
    return grades


def _report_grades_2018_19(path: Path) -> dict[str, str]:
    """PEEL 2018/19: the overall summary table (tab-separated, bold pillar grades), and the
    legitimacy pillar's grade from its own heading (the table leaves it out)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    spec = load_framework("peel-2018-19")
    start = lines.index("# Overall summary")
    grades: dict[str, str] = {}
    pillar: str | None = None
    for line in lines[start + 1 :]:
        if line.startswith("Overview") or line.startswith("#"):
            break
        cells = [c.replace("<b>", "").replace("</b>", "").strip() for c in line.split("\t")]
        cells = [c for c in cells if c]
        if cells[-1:] == ["Last inspected"]:
            pillar = spec.resolve_area(cells[0]).id
        elif len(cells) == 1 and pillar is not None and cells[0] in GRADE_WORDS:
            grades[pillar] = cells[0]
        elif len(cells) == 3 and cells[2] == "2018/19":
            grades[spec.resolve_area(cells[0]).id] = cells[1]
    heading = lines.index("# How legitimately does the force treat the public and its workforce?")
    grades["legitimacy"] = next(ln for ln in lines[heading + 1 :] if ln.startswith("## "))[3:]
    return grades


def _met_inspections(workspace: Workspace, framework: str) -> list[dict[str, Any]]:
    return [
        i
        for i in workspace.export()["inspections"]
        if (i["force"], i["framework"]) == ("metropolitan", framework)
    ]


def _label(framework: str, grade: str | None) -> str | None:
    scale = load_framework(framework).grade_scale
    assert scale is not None
    return None if grade is None else scale.get(grade).label


def _import_both(
    workspace: Workspace, report: Path, grades: Path, report_first: bool
) -> tuple[Any, Any]:
    if report_first:
        _, imported = workspace.import_report(report)
        loaded = workspace.load_grades(grades)
    else:
        loaded = workspace.load_grades(grades)
        _, imported = workspace.import_report(report)
    return imported, loaded


def _check_one_inspection(
    workspace: Workspace,
    framework: str,
    report_grades: dict[str, str],
    csv_grades: dict[str, tuple[str, int]],
    imported: Any,
    loaded: Any,
    report_name: str,
) -> list[str]:
    """One inspection of the Met under the framework, whose judgments name both sources; the
    warnings (of the import and the load together) that the test expects, checked."""
    (inspection,) = _met_inspections(workspace, framework)
    documents = {d["id"]: d for d in workspace.export()["documents"]}
    report_id, csv_id = imported.document_id, loaded.document_id
    assert documents[report_id]["filename"] == report_name
    assert documents[csv_id]["filename"] == GRADES_CSV[1]
    # The report gives the inspection its document and title, whichever came first.
    assert inspection["document"] == report_id
    assert inspection["title"] == documents[report_id]["title"]
    by_source: dict[tuple[str, int | None], dict[str, Any]] = {
        (j["area"], j["provenance"]["document"]): j for j in inspection["judgments"]
    }
    assert {d for _, d in by_source} == {report_id, csv_id}
    for area, grade in report_grades.items():
        assert _label(framework, by_source[(area, report_id)]["grade"]) == grade, area
    for area, (grade, line) in csv_grades.items():
        from_csv = by_source[(area, csv_id)]
        assert _label(framework, from_csv["grade"]) == grade, area
        assert (from_csv["provenance"]["line_start"], from_csv["provenance"]["line_end"]) == (
            line,
            line,
        )
        assert from_csv["rationale"].startswith("Source: https://")
    # Exactly one judgment shown per area: the report's where both give one.
    shown = Counter(j["area"] for j in inspection["judgments"] if j["shown"])
    assert set(shown) == {j["area"] for j in inspection["judgments"]}
    assert set(shown) >= set(report_grades) | set(csv_grades)
    assert set(shown.values()) == {1}
    for area in set(report_grades) & set(csv_grades):
        assert by_source[(area, report_id)]["shown"], area
        assert not by_source[(area, csv_id)]["shown"], area
        assert "a report beats a transcribed table" in by_source[(area, csv_id)]["shown_reason"]
    expected = {
        area: (report_grades[area], csv_grades[area])
        for area in set(report_grades) & set(csv_grades)
        if report_grades[area] != csv_grades[area][0]
    }
    warnings = [*imported.warnings, *loaded.warnings]
    assert len(warnings) == len(expected)
    for area, (report_grade, (csv_grade, line)) in expected.items():
        (message,) = [w for w in warnings if f"area {area}:" in w]
        assert f"metropolitan {framework}" in message
        assert f"grades it {report_grade} but" in message
        assert f"{GRADES_CSV[1]} line {line} grades it {csv_grade}" in message
        assert report_name in message
    return warnings


@pytest.mark.parametrize("report_first", [True, False], ids=["report-first", "csv-first"])
def test_peel_2016_report_and_grades_csv_make_one_inspection(
    reference_reports: Path,
    raw_data: Path,
    database_url: str,
    open_workspace: Callable[[str], Workspace],
    capsys: pytest.CaptureFixture[str],
    report_first: bool,
) -> None:
    workspace = open_workspace(database_url)
    report, grades = reference_reports / PEEL_2016, _grades_csv(raw_data)
    imported, loaded = _import_both(workspace, report, grades, report_first)
    csv_grades = _csv_met_grades(grades, "2016", "peel-2016")
    report_grades = _report_grades_2016(report)
    assert set(csv_grades) & set(report_grades) == {"effectiveness"}
    _check_one_inspection(
        workspace, "peel-2016", report_grades, csv_grades, imported, loaded, PEEL_2016
    )
    # Every force and framework of the CSV is one inspection; the report's is one of them.
    with grades.open(encoding="utf-8", newline="") as handle:
        keys = {(row["force"], row["year"]) for row in csv.DictReader(handle)}
    assert len(workspace.export()["inspections"]) == len(keys)
    assert loaded.inspections == len(keys)
    # peel inspections --force Met --json: one peel-2016 row.
    assert main(["inspections", "--force", "Met", "--json", "--db", database_url]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [i["framework"] for i in listed].count("peel-2016") == 1
    # Importing or loading again changes nothing.
    before = workspace.export()
    _, again = workspace.import_report(report)
    assert again.already_imported and again.inspections[0] == imported.inspections[0]
    assert workspace.load_grades(grades).already_loaded
    assert workspace.export() == before


@pytest.mark.parametrize("report_first", [True, False], ids=["report-first", "csv-first"])
def test_a_grade_the_csv_transcribed_differently_is_a_warning(
    reference_reports: Path,
    raw_data: Path,
    tmp_path: Path,
    database_url: str,
    open_workspace: Callable[[str], Workspace],
    report_first: bool,
) -> None:
    # The real CSV with one transcription slip: the Met's 2016 effectiveness grade as Good.
    lines = _grades_csv(raw_data).read_text(encoding="utf-8").splitlines(keepends=True)
    (slip,) = [
        i
        for i, line in enumerate(lines)
        if line.startswith(f"2016,{CSV_FORCE},Effectiveness,,Requires improvement,")
    ]
    lines[slip] = lines[slip].replace(",Requires improvement,", ",Good,")
    grades = tmp_path / GRADES_CSV[1]
    grades.write_text("".join(lines), encoding="utf-8")
    workspace = open_workspace(database_url)
    report = reference_reports / PEEL_2016
    imported, loaded = _import_both(workspace, report, grades, report_first)
    csv_grades = _csv_met_grades(grades, "2016", "peel-2016")
    report_grades = _report_grades_2016(report)
    assert (report_grades["effectiveness"], csv_grades["effectiveness"][0]) == (
        "Requires improvement",
        "Good",
    )
    (warning,) = _check_one_inspection(
        workspace, "peel-2016", report_grades, csv_grades, imported, loaded, PEEL_2016
    )
    # The source that came second reports it.
    assert (warning in imported.warnings) == (not report_first)
    assert "the inspection shows Requires improvement (a report beats a transcribed table)" in (
        warning
    )


@pytest.mark.parametrize("report_first", [True, False], ids=["report-first", "csv-first"])
def test_peel_2018_19_report_and_grades_csv_make_one_inspection(
    reference_reports: Path,
    raw_data: Path,
    database_url: str,
    open_workspace: Callable[[str], Workspace],
    report_first: bool,
) -> None:
    workspace = open_workspace(database_url)
    report, grades = reference_reports / PEEL_2018_19, _grades_csv(raw_data)
    imported, loaded = _import_both(workspace, report, grades, report_first)
    csv_grades = _csv_met_grades(grades, "2018/19", "peel-2018-19")
    report_grades = _report_grades_2018_19(report)
    assert len(report_grades) == 13
    assert set(csv_grades) <= set(report_grades)
    _check_one_inspection(
        workspace, "peel-2018-19", report_grades, csv_grades, imported, loaded, PEEL_2018_19
    )
    (inspection,) = _met_inspections(workspace, "peel-2018-19")
    assert inspection["figures"] and inspection["findings"]  # the report's, in the one inspection


def _national_table_grades(path: Path, row_label: str) -> dict[str, str]:
    """The 2005 report's national table of grades (before its direction-of-travel table):
    force name -> grade on one row, read by columns."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = lines.index("HMIC BASELINE ASSESSMENT 2005")
    end = lines.index("HMIC BASELINE ASSESSMENT 2005 – Direction of Travel")
    grades: dict[str, str] = {}
    for i, line in enumerate(lines[start:end], start=start):
        if line.startswith("\t"):
            header = line.split("\t")
            row = next(ln for ln in lines[i + 1 :] if ln.startswith(row_label + "\t"))
            grades.update(zip(header[1:], row.split("\t")[1:], strict=True))
    return grades


def test_the_2005_national_table_adds_to_each_force_s_one_inspection(
    reference_reports: Path, database_url: str, open_workspace: Callable[[str], Workspace]
) -> None:
    workspace = open_workspace(database_url)
    report = reference_reports / BASELINE
    kent_grade = _national_table_grades(report, "Fairness and Equality")["Kent"]
    entered = "Poor" if kent_grade != "Poor" else "Fair"
    # Kent's baseline inspection, made by hand before the Met's report is imported.
    with workspace.database.transaction() as session:
        kent = ops.create_inspection(
            session, force="Kent", framework="baseline-2005", title="Kent, by hand"
        )
        ops.record_judgment(
            session,
            kent,
            area="Fairness and Equality",
            grade=entered,
            provenance=ops.Provenance(entered_by="A. Inspector"),
        )
        session.flush()
        kent_id = kent.id
    _, imported = workspace.import_report(report)
    baseline = [i for i in workspace.export()["inspections"] if i["framework"] == "baseline-2005"]
    forces = [i["force"] for i in baseline]
    assert len(forces) == len(set(forces)) == 43 == len(imported.inspections)
    (kent_record,) = [i for i in baseline if i["force"] == "kent"]
    # Another force's table adds judgments; the inspection stays Kent's own.
    assert (kent_record["id"], kent_record["title"], kent_record["document"]) == (
        kent_id,
        "Kent, by hand",
        None,
    )
    assert kent_id in imported.inspections
    fairness = [j for j in kent_record["judgments"] if j["area"] == "1A"]
    assert [(_label("baseline-2005", j["grade"]), j["shown"]) for j in fairness] == [
        (entered, True),
        (kent_grade, False),
    ]
    assert len(kent_record["judgments"]) == 1 + 27
    (warning,) = imported.warnings
    assert "kent baseline-2005" in warning and "area 1A" in warning
    assert f"entered by A. Inspector grades it {entered} but {BASELINE}" in warning
    assert f"grades it {kent_grade}" in warning
    _, again = workspace.import_report(report)
    assert again.already_imported and sorted(again.inspections) == sorted(imported.inspections)


def test_a_force_s_own_report_takes_over_from_another_s_national_table(
    reference_reports: Path, database_url: str, open_workspace: Callable[[str], Workspace]
) -> None:
    """Another force's report (here: the Met's 2018/19 report relabelled as Kent's, with its
    grades printed as a table of the Met) comes first; then the Met's own report."""
    workspace = open_workspace(database_url)
    real = parse_file(reference_reports / PEEL_2018_19)
    other = replace(
        real,
        force="kent",
        source=replace(
            real.source, sha256="f" * 64, text_sha256="e" * 64, filename="kent-2018-19.txt"
        ),
        title="PEEL 2018/19: Kent",
        judgments=[replace(j, force="metropolitan") for j in real.judgments],
        findings=[],
        figures=[],
        performance_table=[],
        warnings=[],
        most_similar_group=[],
    )
    with workspace.database.transaction() as session:
        first = store_document(session, other)
    (met,) = _met_inspections(workspace, "peel-2018-19")
    assert met["title"] == "PEEL 2018/19: Kent: national table of grades"
    _, own = workspace.import_report(reference_reports / PEEL_2018_19)
    assert own.warnings == []  # the same grades
    (met,) = _met_inspections(workspace, "peel-2018-19")
    assert met["id"] == first.inspections[1] == own.inspections[0]
    assert (met["document"], met["title"]) == (own.document_id, real.title)
    shown = {j["provenance"]["document"] for j in met["judgments"] if j["shown"]}
    assert shown == {own.document_id}
    hidden = [j for j in met["judgments"] if not j["shown"]]
    assert len(hidden) == len(real.judgments)
    assert all(
        j["shown_reason"].startswith("the inspection's own report beats another report's table")
        for j in hidden
    )


def test_a_report_does_not_publish_an_inspection_being_made(
    workspace: Workspace, reference_reports: Path
) -> None:
    """A draft of the 2018/19 Met inspection is being made; importing the published report of
    the same force, framework and year adds its items but the draft stays a draft (only the
    workflow publishes), and the import says so. The public does not see it."""
    import datetime as dt

    draft = workspace.add_inspection(
        force="Met", framework="peel-2018-19", period="2018/19", status="draft"
    )
    _, result = workspace.import_report(reference_reports / PEEL_2018_19)
    assert result.inspections[0] == draft.id
    assert any(f"inspection {draft.id}" in w and "stays draft" in w for w in result.warnings)
    held = workspace.inspection(draft.id)
    assert held.status == "draft" and held.published is None
    assert len(held.findings) > 0 and held.document is not None
    later = dt.datetime(2030, 1, 1)
    assert all(i.id != draft.id for i in workspace.inspections(public_at=later))
