"""Import honesty (issue 15): how a text is decoded and said, control characters anywhere, a
framework that contradicts the document, a parse that reads nothing, encrypted PDFs, errors
that name the file and line, and a batch that goes on past a failing file."""

from __future__ import annotations

import codecs
import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from peelkit import Workspace
from peelkit.cli import main
from peelkit.errors import DataFileError
from peelkit.reportimport.detect import detect_force
from peelkit.reportimport.importer import parse_file
from peelkit.reportimport.model import Span
from peelkit.reportimport.sources import read_source
from peelkit.reportimport.store import store_document
from peelkit.reportimport.text import SourceText
from tests.reportimport.pdfs import make_pdf

PEEL_2015 = "002_b3b722981796a923.txt"
PEEL_2018_19 = "001_2e8c9026aad1a9d7.txt"
CORE_BUSINESS = "003_02b487485919232c.txt"


def _codes(source: SourceText) -> list[str]:
    return [w.code for w in source.warnings]


# --- decoding -------------------------------------------------------------------------------


def test_utf8_is_read_without_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "plain.txt"
    path.write_bytes("Kent Police £297 – “quoted”\nline two\n".encode())
    source = read_source(path)
    assert source.encoding == "utf-8"
    assert source.lines == ["Kent Police £297 – “quoted”", "line two"]
    assert source.warnings == []


@pytest.mark.parametrize(
    ("encoding", "bom", "said"),
    [
        ("utf-16-le", codecs.BOM_UTF16_LE, "UTF-16 (with a byte order mark)"),
        ("utf-16-be", codecs.BOM_UTF16_BE, "UTF-16 (with a byte order mark)"),
        ("utf-16-le", b"", "UTF-16 little-endian (no byte order mark)"),
        ("utf-16-be", b"", "UTF-16 big-endian (no byte order mark)"),
    ],
)
def test_utf16_with_or_without_a_bom_is_text_not_binary(
    tmp_path: Path, encoding: str, bom: bytes, said: str
) -> None:
    """The hostile case: a UTF-16 text file was called "binary" (its NULs)."""
    path = tmp_path / "report.txt"
    path.write_bytes(bom + "Kent Police £297\r\nsecond line\r\n".encode(encoding))
    source = read_source(path)
    assert source.lines == ["Kent Police £297", "second line"]
    [warning] = source.warnings
    assert warning.code == "text_encoding"
    assert warning.message == f"the file is not UTF-8: read as {said}"


def test_windows_1252_is_read_and_said(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes("Spend £297 per head – 2018/19\n".encode("cp1252"))
    source = read_source(path)
    assert source.lines == ["Spend £297 per head – 2018/19"]
    assert source.encoding == "cp1252"
    assert [w.message for w in source.warnings] == ["the file is not UTF-8: read as Windows-1252"]


def test_a_utf16_reference_report_imports_like_its_utf8(
    reference_reports: Path, tmp_path: Path
) -> None:
    text = (reference_reports / PEEL_2015).read_text(encoding="utf-8")
    path = tmp_path / "peel-2015-utf16.txt"
    path.write_bytes(text.encode("utf-16"))
    parsed = parse_file(path)
    original = parse_file(reference_reports / PEEL_2015)
    assert [(j.area, j.grade) for j in parsed.judgments] == [
        (j.area, j.grade) for j in original.judgments
    ]
    assert [f.text for f in parsed.findings] == [f.text for f in original.findings]
    assert parsed.warnings[0].code == "text_encoding"
    assert parsed.source.encoding == "utf-16"


def test_random_bytes_are_still_binary(tmp_path: Path) -> None:
    path = tmp_path / "noise.bin"
    path.write_bytes(bytes(range(256)) * 16)
    with pytest.raises(DataFileError, match=r"^noise.bin: is binary"):
        read_source(path)


# --- control characters ---------------------------------------------------------------------


def test_control_characters_after_the_first_4_kib_are_a_warning_and_removed(
    tmp_path: Path,
) -> None:
    """The hostile case: NUL and control bytes after the first 4 KiB passed silently."""
    lines = [f"Line {n} of a long report, with enough words to fill it." for n in range(1, 201)]
    lines[149] = "Line 150 with a NUL\x00 and a bell\x07 inside."
    lines[179] = "Line 180 with an escape\x1b."
    path = tmp_path / "report.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert path.read_bytes().index(b"\x00") > 4096
    source = read_source(path)
    assert len(source.lines) == 200  # line numbers are the file's
    assert source.line(150) == "Line 150 with a NUL and a bell inside."
    assert source.line(180) == "Line 180 with an escape."
    [warning] = source.warnings
    assert warning.code == "control_characters"
    assert warning.message == (
        "3 control characters (U+0000, U+0007, U+001B) on lines 150, 180: removed"
    )
    assert warning.span == Span(150, 180)


def test_a_vertical_tab_is_removed_not_taken_for_a_line_break(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(b"first\x0bstill first\nsecond\n")
    source = read_source(path)
    assert source.lines == ["firststill first", "second"]
    assert [w.code for w in source.warnings] == ["control_characters"]


def test_control_characters_are_stored_with_the_document(
    reference_reports: Path,
    tmp_path: Path,
    database_url: str,
    open_workspace: Callable[[str], Workspace],
) -> None:
    lines = (reference_reports / PEEL_2015).read_text(encoding="utf-8").splitlines()
    lines[999] += "\x00\x00"
    path = tmp_path / "peel-2015-nul.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    workspace = open_workspace(database_url)
    _, result = workspace.import_report(path)
    stored = workspace.import_warnings(result.document_id)
    [control] = [w for w in stored if w["code"] == "control_characters"]
    assert control["line_start"] == 1000
    assert "line 1000" in control["message"]


# --- framework and force --------------------------------------------------------------------


def test_a_framework_that_contradicts_the_document_is_refused(
    reference_reports: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The hostile case: --framework baseline-2005 on the 2018/19 report made an empty
    baseline inspection, exit 0."""
    db = f"sqlite:///{tmp_path / 'record.sqlite'}"
    report = str(reference_reports / PEEL_2018_19)
    code = main(["import", report, "--framework", "baseline-2005", "--db", db])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.err == (
        f"peel: error: {PEEL_2018_19}: --framework baseline-2005 contradicts the document, "
        "which reads as a peel-2018-19 report; leave --framework out, or give "
        "--force-framework to read it as baseline-2005 anyway\n"
    )
    assert main(["inspections", "--db", db, "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    # --force-framework reads it as asked: the baseline reader finds nothing in it, which is
    # an error of its own, not an empty inspection.
    code = main(["import", report, "--framework", "baseline-2005", "--force-framework", "--db", db])
    assert code == 2
    assert "nothing was read as a baseline-2005 report" in capsys.readouterr().err
    # The framework the document reads as is fine to give.
    assert main(["import", report, "--framework", "peel-2018-19", "--db", db]) == 0


def test_the_2018_19_report_without_its_newlines_is_an_error_not_an_empty_inspection(
    reference_reports: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The hostile case: it imported as City of London with no judgments, exit 0."""
    text = (reference_reports / PEEL_2018_19).read_text(encoding="utf-8")
    path = tmp_path / "one-line.txt"
    path.write_text(text.replace("\n", " "), encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'record.sqlite'}"
    code = main(["import", str(path), "--db", db])
    captured = capsys.readouterr()
    assert code == 2
    [line] = captured.err.splitlines()
    assert line.startswith(
        "peel: error: one-line.txt: nothing was read as a peel-2018-19 report about "
        "Metropolitan Police Service: no judgment, finding, figure or table row; the text has "
        "1 line for "
    )
    assert line.endswith("characters: were its line breaks lost?")
    assert main(["inspections", "--db", db, "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_a_title_run_into_the_text_does_not_name_the_force() -> None:
    """Without line breaks the "first three lines" are the whole text: only its first 300
    characters count as the title, so a list of forces later does not decide."""
    text = "An inspection of Kent Police. " + "Findings. " * 40 + "City of London Police"
    force = detect_force(SourceText.from_string(text))
    assert force is not None and force.id == "kent"


# --- encrypted PDFs -------------------------------------------------------------------------


def _encrypted(source: Path, path: Path, user_password: str) -> Path:
    writer = PdfWriter(clone_from=PdfReader(source))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="AES-256")
    with path.open("wb") as stream:
        writer.write(stream)
    return path


def test_an_aes_pdf_with_only_an_owner_password_opens(
    reference_reports: Path, tmp_path: Path
) -> None:
    """The hostile case: it crashed the import (pypdf needs cryptography for AES)."""
    text = (reference_reports / CORE_BUSINESS).read_text(encoding="utf-8")
    plain = make_pdf(text, tmp_path / "plain.pdf")
    locked = _encrypted(plain, tmp_path / "core-business-aes.pdf", user_password="")
    assert PdfReader(locked).is_encrypted
    parsed = parse_file(locked)
    assert parsed.framework == "core-business-2014"
    assert [f.text for f in parsed.findings] == [f.text for f in parse_file(plain).findings]


def test_a_pdf_that_needs_a_password_is_one_line_and_the_batch_goes_on(
    reference_reports: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plain = make_pdf("A short report\nwith two lines", tmp_path / "plain.pdf")
    locked = _encrypted(plain, tmp_path / "locked.pdf", user_password="secret")
    db = f"sqlite:///{tmp_path / 'record.sqlite'}"
    good = reference_reports / PEEL_2015
    code = main(["import", str(locked), str(good), "--db", db])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.err == (
        "peel: error: locked.pdf: is a PDF protected by a password; save a copy without the "
        "password and import that\n"
    )
    assert captured.out.splitlines()[-1] == (
        "1 of 2 files failed: locked.pdf; the other 1 were imported"
    )
    assert main(["inspections", "--db", db, "--json"]) == 0
    assert [i["framework"] for i in json.loads(capsys.readouterr().out)] == ["peel-2015"]


def test_the_json_batch_says_which_failed_on_standard_error(
    reference_reports: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    code = main(["import", str(empty), str(reference_reports / PEEL_2015), "--dry-run", "--json"])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.err.splitlines() == [
        "peel: error: empty.txt: is empty: expected a report as text, PDF or web page",
        "peel: note: 1 of 2 files failed: empty.txt; the other 1 were parsed",
    ]
    [parsed] = json.loads(captured.out)
    assert parsed["document"]["framework"] == "peel-2015"


# --- errors name the file and the line ------------------------------------------------------


def test_an_item_the_record_refuses_names_the_file_and_line(
    reference_reports: Path, database_url: str, open_workspace: Callable[[str], Workspace]
) -> None:
    """The hostile case: "line span ends (137) before it starts (139)" named no file."""
    parsed = parse_file(reference_reports / PEEL_2015)
    first = parsed.findings[0]
    parsed.findings[0] = replace(first, span=Span(139, 137))
    workspace = open_workspace(database_url)
    before = workspace.export()
    with pytest.raises(DataFileError) as caught, workspace.database.transaction() as session:
        store_document(session, parsed)
    error = caught.value
    assert error.message == (
        f"{PEEL_2015}: line 139: line span ends (137) before it starts (139) (the item read "
        "from the document cannot be stored)"
    )
    assert error.code == "invalid_span"
    assert (error.location.file, error.location.line) == (PEEL_2015, 139)
    assert workspace.export() == before


def test_a_bad_utf8_file_with_a_bom_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.txt"
    path.write_bytes(codecs.BOM_UTF8 + b"first line\nsecond \xff line\n")
    with pytest.raises(DataFileError) as caught:
        read_source(path)
    assert caught.value.location.line == 2
    assert caught.value.message.startswith("broken.txt: line 2: starts as UTF-8")
