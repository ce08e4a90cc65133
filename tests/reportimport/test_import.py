"""Importing the reference reports end to end: counts from the issue's hand-built ground truth,
provenance that points at the right lines, idempotency, PDFs, and bad input."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from peelkit import Workspace
from peelkit.cli import main
from peelkit.errors import DataFileError, UnknownFramework
from peelkit.reportimport.importer import parse_file
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
        inspections[name] = workspace.inspection(result.inspections[0])
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
    assert [i["framework"] for i in history] == ["peel-2015", "peel-2016"]


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
    with pytest.raises(DataFileError, match="no reader for framework peel-2021-22"):
        parse_file(reference_reports / PEEL_2015, framework="peel-2021-22")


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
