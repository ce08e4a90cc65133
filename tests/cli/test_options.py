"""The options that replaced others mean what the old ones meant: --month and --year give the
rows the old --period gave, --period still works with a note, and import --format json is
--json."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from peelkit.cli import main
from peelkit.reportimport.importer import parse_file

PEEL_2018_19 = "001_2e8c9026aad1a9d7.txt"

Peel = Callable[..., tuple[int, Any, str]]


@pytest.fixture
def peel(capsys: pytest.CaptureFixture[str]) -> Peel:
    def run(*args: str) -> tuple[int, Any, str]:
        code = main(list(args))
        captured = capsys.readouterr()
        return code, json.loads(captured.out) if captured.out.strip() else None, captured.err

    return run


MONTH_NOTE = "peel: note: --period is deprecated; use --month YYYY-MM\n"
YEAR_NOTE = "peel: note: --period is deprecated; use --year\n"


def test_month_is_the_old_period_and_agrees_with_the_report(
    peel: Peel, tmp_path: Path, reference_reports: Path
) -> None:
    db = str(tmp_path / "m.sqlite")
    asked = ["Met", "--population-year", "2018", "--comparator", "msg"]
    asked += ["--indicator", "recorded_crime_per_1000", "--db", db, "--json"]
    code, by_month, err = peel("indicators", "--month", "2018-09", *asked)
    assert (code, err) == (0, "")
    code, by_period, err = peel("indicators", "--period", "2018-09", *asked)
    assert code == 0
    assert err == MONTH_NOTE
    assert by_period == by_month
    # The figure the 2018/19 report printed for the 12 months to September 2018.
    (printed,) = [
        f
        for f in parse_file(reference_reports / PEEL_2018_19).figures
        if f.measure == "Recorded crime per 1,000 population"
    ]
    (row,) = by_month
    assert row["period"] == "12 months to 30 September 2018"
    assert row["display"] == printed.force_value_as_printed
    assert row["comparator_display"] == printed.comparator_value_as_printed


def test_a_financial_year_is_the_twelve_months_to_march(peel: Peel, tmp_path: Path) -> None:
    asked = ["--all-forces", "--indicator", "recorded_crime_per_1000"]
    asked += ["--db", str(tmp_path / "y.sqlite"), "--json"]
    code, by_year, _ = peel("indicators", "--year", "2017/18", *asked)
    assert code == 0
    code, by_month, _ = peel("indicators", "--month", "2018-03", *asked)
    assert code == 0
    assert len(by_year) == 43
    assert {r["period_end"] for r in by_year} == {"2018-03-31"}

    def figures(rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
        return [(r["force"], r["value"], r["rank"], r["band"]) for r in rows]

    assert figures(by_year) == figures(by_month)


def test_inspections_add_year_and_its_old_spelling(peel: Peel, tmp_path: Path) -> None:
    db = str(tmp_path / "a.sqlite")
    code, added, err = peel(
        "inspections", "add", "Kent", "--framework", "peel-2017", "--year", "2017", "--db", db,
        "--json",
    )  # fmt: skip
    assert (code, err, added["period"]) == (0, "", "2017")
    code, again, err = peel(
        "inspections", "add", "Essex", "--framework", "peel-2017", "--period", "2017",
        "--db", db, "--json",
    )  # fmt: skip
    assert (code, err, again["period"]) == (0, YEAR_NOTE, "2017")
    code, _, err = peel(
        "inspections", "add", "Essex", "--framework", "peel-2017", "--period", "2017",
        "--year", "2017", "--db", db,
    )  # fmt: skip
    assert code == 2
    assert err == "peel: error: give --year or --period (its old spelling), not both\n"


def test_report_year_and_its_old_spelling(peel: Peel, tmp_path: Path) -> None:
    db = str(tmp_path / "r.sqlite")
    written = {}
    for option, note in (("--year", ""), ("--period", YEAR_NOTE)):
        out = tmp_path / option.strip("-")
        code, printed, err = peel(
            "report", "Met", "--framework", "peel-2018-19", option, "2018/19", "--format",
            "json", "--out", str(out), "--db", db, "--json",
        )  # fmt: skip
        # The record is empty: the report says so on one warning line, then the note.
        lines = err.splitlines(keepends=True)
        warnings = [line for line in lines if line.startswith("peel: warning: the record holds")]
        assert code == 0 and len(warnings) == 1
        assert "".join(line for line in lines if line not in warnings) == note
        (path,) = printed["files"]
        assert Path(path) == out / "metropolitan-peel-2018-19.json"
        written[option] = json.loads(Path(path).read_text(encoding="utf-8"))
    assert written["--year"] == written["--period"]
    assert written["--year"]["period"] == "2018/19"


def test_report_formats_are_checked(peel: Peel, tmp_path: Path) -> None:
    code, _, err = peel(
        "report", "Met", "--framework", "peel-2018-19", "--format", "docx", "--out", str(tmp_path)
    )
    assert code == 2
    assert "docx" in err and "Traceback" not in err


def test_import_format_json_is_json(peel: Peel, tmp_path: Path, reference_reports: Path) -> None:
    report = str(reference_reports / PEEL_2018_19)
    _, dry_json, _ = peel("import", report, "--dry-run", "--json")
    _, dry_format, _ = peel("import", report, "--dry-run", "--format", "json")
    assert dry_json == dry_format
    assert dry_json["document"]["force"] == "metropolitan"
    results = []
    for name, option in (("one", ["--json"]), ("two", ["--format", "json"])):
        code, result, err = peel("import", report, *option, "--db", str(tmp_path / f"{name}.db"))
        assert code == 0, err
        results.append(result)
    assert results[0] == results[1]
    assert results[0]["counts"]["judgments"] == len(dry_json["judgments"])
    assert not results[0]["already_imported"]


def test_the_database_variable_named_in_help_is_the_one_read() -> None:
    from peelkit.cli.options import DATABASE_ENV_VAR
    from peelkit.record.database import ENV_VAR

    assert DATABASE_ENV_VAR == ENV_VAR
