"""Issue 15, "Options and paths" and "Reports for nothing": exports and reports into a missing
folder, onto a folder, over a file given as --out, onto a read-only or full file system; a
report of a force the record holds nothing about.

Each case: exit 2, one line ``peel: error: ...`` naming the option and the path, the earlier
files as they were and no temporary file left; and the right thing still works beside it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from peelkit.cli import main
from tests.test_outputs import Mount, fill, left_beside, make_read_only, tmpfs

__all__ = ["tmpfs"]  # the fixture, used by the tests below

MET = ("report", "Met", "--framework", "peel-2018-19", "--year", "2018/19")
NO_MET_RECORD = (
    "peel: warning: the record holds no inspection of Metropolitan Police Service under PEEL: "
    "police effectiveness, efficiency and legitimacy 2018/19 for 2018/19: every grade prints as "
    '"Not available"\n'
)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database with an empty record (reports and exports only read it)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('output-paths') / 'record.sqlite'}"
    assert main(["init", "--db", url]) == 0
    return url


def one_line_error(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert err.startswith("peel: error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err
    return err.removeprefix("peel: error: ").rstrip("\n")


# --- peel export FILE ---------------------------------------------------------------------------


def test_export_into_a_missing_folder_is_refused_and_creates_nothing(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "missing" / "record.json"
    assert main(["export", str(target), "--db", db]) == 2
    assert one_line_error(capsys) == (
        f"{target}: folder {tmp_path / 'missing'} does not exist; create it first or give "
        "another path"
    )
    assert list(tmp_path.iterdir()) == []


def test_export_onto_a_folder_is_refused(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", str(tmp_path), "--db", db]) == 2
    assert one_line_error(capsys) == f"{tmp_path}: is a folder; give the name of a file to write"


def test_export_through_a_file_is_refused_and_the_file_kept(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("mine", encoding="utf-8")
    assert main(["export", str(notes / "record.json"), "--db", db]) == 2
    assert one_line_error(capsys) == (
        f"{notes / 'record.json'}: {notes} is a file, not a folder; give a path in a folder"
    )
    assert notes.read_text(encoding="utf-8") == "mine"


def test_export_over_an_earlier_export_replaces_it_whole(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "record.json"
    target.write_text("an earlier export", encoding="utf-8")
    assert main(["export", str(target), "--db", db]) == 0
    assert "exported 0 inspection(s)" in capsys.readouterr().out
    exported = json.loads(target.read_text(encoding="utf-8"))
    assert exported["inspections"] == []
    assert left_beside(tmp_path, "record.json") == []


def test_export_on_a_full_disk_keeps_the_earlier_export(
    db: str, tmpfs: Mount, capsys: pytest.CaptureFixture[str]
) -> None:
    disk = tmpfs("64k")
    target = disk / "record.json"
    target.write_text("the earlier export", encoding="utf-8")
    fill(disk)
    assert main(["export", str(target), "--db", db]) == 2
    assert one_line_error(capsys) == (
        f"{target}: cannot write: No space left on device (the disk is full); the earlier file "
        "is unchanged"
    )
    assert target.read_text(encoding="utf-8") == "the earlier export"
    assert left_beside(disk, "record.json", "filler") == []


def test_export_on_a_read_only_file_system_is_refused_before_the_export(
    db: str, tmpfs: Mount, capsys: pytest.CaptureFixture[str]
) -> None:
    disk = tmpfs("64k")
    earlier = disk / "record.json"
    earlier.write_text("the earlier export", encoding="utf-8")
    make_read_only(disk)
    assert main(["export", str(disk / "new.json"), "--db", db]) == 2
    assert one_line_error(capsys) == (
        f"{disk / 'new.json'}: cannot write: Read-only file system; nothing was written"
    )
    assert main(["export", str(earlier), "--db", db]) == 2
    assert "read-only" in one_line_error(capsys)
    assert earlier.read_text(encoding="utf-8") == "the earlier export"


# --- peel report --out DIR ----------------------------------------------------------------------


def test_report_onto_a_file_given_as_out_is_refused_and_the_file_kept(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("mine", encoding="utf-8")
    assert main([*MET, "--format", "json", "--out", str(notes), "--db", db]) == 2
    assert one_line_error(capsys) == f"--out {notes}: it is a file, not a folder; give a folder"
    assert main([*MET, "--format", "json", "--out", str(notes / "reports"), "--db", db]) == 2
    assert one_line_error(capsys) == (
        f"--out {notes / 'reports'}: {notes} is a file, not a folder; give a folder"
    )
    assert notes.read_text(encoding="utf-8") == "mine"
    assert left_beside(tmp_path, "notes.txt") == []


def test_report_into_a_missing_folder_creates_it(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--out DIR is created (with its parents), as docs/cli.md says: the default is out/."""
    out = tmp_path / "out" / "reports"
    assert main([*MET, "--format", "json", "--out", str(out), "--db", db, "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "files": [str(out / "metropolitan-peel-2018-19.json")]
    }
    assert json.loads((out / "metropolitan-peel-2018-19.json").read_text("utf-8"))["force_id"] == (
        "metropolitan"
    )
    assert left_beside(out, "metropolitan-peel-2018-19.json") == []


def test_a_report_file_that_is_a_folder_is_refused(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "metropolitan-peel-2018-19.json").mkdir()
    assert main([*MET, "--format", "json", "--out", str(tmp_path), "--db", db]) == 2
    assert one_line_error(capsys) == (
        f"{tmp_path / 'metropolitan-peel-2018-19.json'}: is a folder; give the name of a file to "
        "write"
    )


def test_report_on_a_full_disk_keeps_the_earlier_report(
    db: str, tmpfs: Mount, capsys: pytest.CaptureFixture[str]
) -> None:
    disk = tmpfs("64k")
    earlier = disk / "metropolitan-peel-2018-19.json"
    earlier.write_text("the earlier report", encoding="utf-8")
    fill(disk)
    assert main([*MET, "--format", "json", "--out", str(disk), "--db", db]) == 2
    assert one_line_error(capsys) == (
        f"{earlier}: cannot write: No space left on device (the disk is full); the earlier file "
        "is unchanged"
    )
    assert earlier.read_text(encoding="utf-8") == "the earlier report"
    assert left_beside(disk, earlier.name, "filler") == []


def test_report_on_a_read_only_file_system_is_refused_before_the_report(
    db: str, tmpfs: Mount, capsys: pytest.CaptureFixture[str]
) -> None:
    disk = tmpfs("64k")
    make_read_only(disk)
    assert main([*MET, "--format", "json", "--out", str(disk / "reports"), "--db", db]) == 2
    assert one_line_error(capsys) == (
        f"--out {disk / 'reports'}: cannot write: Read-only file system; nothing was written"
    )


def test_a_failure_while_rendering_leaves_every_earlier_file(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The PDF renderer failing (WeasyPrint meets a fault of its own, which no input here can
    cause: so it is injected) after the HTML is made: the earlier HTML is not replaced."""
    import peelkit.reports.render as render

    html = tmp_path / "metropolitan-peel-2018-19.html"
    html.write_text("the earlier html", encoding="utf-8")

    def renderer_fault(_html: str) -> bytes:
        raise RuntimeError("the PDF renderer failed")

    monkeypatch.setattr(render, "render_pdf", renderer_fault)
    args = [*MET, "--format", "html", "--format", "pdf", "--out", str(tmp_path), "--db", db]
    with pytest.raises(RuntimeError, match="the PDF renderer failed"):
        main(args)
    assert html.read_text(encoding="utf-8") == "the earlier html"
    assert left_beside(tmp_path, html.name) == []
    capsys.readouterr()


# --- peel export-open DIR (its folder is staged and swapped: tests/web/test_open_data.py) -------


def test_export_open_on_a_read_only_file_system_is_refused_before_the_work(
    db: str, tmpfs: Mount, capsys: pytest.CaptureFixture[str]
) -> None:
    disk = tmpfs("64k")
    folder = disk / "open-data"
    folder.mkdir()
    make_read_only(disk)
    assert main(["export-open", str(folder), "--db", db]) == 2
    # The new folder is made beside DIR, in its parent: the parent is named.
    assert one_line_error(capsys) == (
        f"{folder}: cannot write the open-data folder: Read-only file system ({disk})"
    )
    assert list(folder.iterdir()) == []


# --- reports for nothing ------------------------------------------------------------------------


def test_a_report_of_a_force_with_no_record_says_so(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*MET, "--format", "json", "--out", str(tmp_path), "--db", db]) == 0
    captured = capsys.readouterr()
    assert captured.err == NO_MET_RECORD
    view = json.loads((tmp_path / "metropolitan-peel-2018-19.json").read_text("utf-8"))
    assert view["has_record"] is False
    assert view["intro"].startswith("The record holds no inspection of Metropolitan Police")
    assert {g["label"] for g in view["grades"]} == {"Not available"}


def test_a_report_of_a_force_with_a_record_has_no_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 'graded.sqlite'}"
    add = ["inspections", "add", "Met", "--framework", "peel-2018-19", "--year", "2018/19"]
    assert main([*add, "--db", db, "--json"]) == 0
    inspection = json.loads(capsys.readouterr().out)["id"]
    assert main(["judgments", "add", str(inspection), "effectiveness", "Good", "--db", db]) == 0
    capsys.readouterr()
    out = tmp_path / "reports"
    assert main([*MET, "--format", "json", "--out", str(out), "--db", db]) == 0
    assert capsys.readouterr().err == ""
    view = json.loads((out / "metropolitan-peel-2018-19.json").read_text("utf-8"))
    assert view["has_record"] is True


def test_a_national_report_with_no_grade_says_so(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    national = ["report", "--national", "--framework", "peel-2018-19", "--format", "json"]
    assert main([*national, "--out", str(tmp_path), "--db", db]) == 0
    assert capsys.readouterr().err == (
        "peel: warning: the record holds no grade of any force under PEEL: police "
        "effectiveness, efficiency and legitimacy 2018/19 for 2018/19: every grade prints as "
        '"Not available"\n'
    )
    assert (tmp_path / "national-peel-2018-19.json").exists()
