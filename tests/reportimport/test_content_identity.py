"""A document is known by what it says (issue 15): a copy of an imported report in another
encoding, line ending or format (its PDF) is "already imported" and changes nothing, unless
``peel import --again``; the text checksum is kept, exported and loaded, and a database made
before it was kept gets NULL."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command

from peelkit import Workspace
from peelkit.cli import main
from peelkit.record.database import _alembic_config, make_engine, normalise_url
from peelkit.reportimport.sources import read_source
from peelkit.reportimport.text import SourceText, content_checksum
from tests.reportimport.pdfs import make_pdf

PEEL_2015 = "002_b3b722981796a923.txt"
CORE_BUSINESS = "003_02b487485919232c.txt"
WILTSHIRE_LETTER = "wiltshire_2021-22_coc-revisit-letter-2022-12.txt"


# --- the checksum of a text -----------------------------------------------------------------


def test_what_prints_alike_has_one_checksum() -> None:
    plain = content_checksum(["The force should find offenders", "quickly."])
    assert content_checksum(["The force should find offenders quickly."]) == plain
    assert content_checksum(["The  force\tshould find\u00a0offenders", "", "  quickly.  "]) == plain
    assert content_checksum(["The force should ﬁnd offenders quickly."]) == plain  # ligature
    assert content_checksum(["The force should find off\u00adenders quickly."]) == plain
    # NFC: "é" as one character or as "e" and a combining accent.
    assert content_checksum(["caf\u00e9"]) == content_checksum(["cafe\u0301"])
    assert content_checksum(["The force should find offenders slowly."]) != plain


def test_the_checksum_of_a_file_is_of_its_text_not_its_bytes(
    reference_reports: Path, tmp_path: Path
) -> None:
    path = reference_reports / PEEL_2015
    text = path.read_text(encoding="utf-8")
    crlf = tmp_path / "crlf.txt"
    crlf.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    utf16 = tmp_path / "utf16.txt"
    utf16.write_bytes(text.encode("utf-16"))
    pdf = make_pdf(text, tmp_path / "report.pdf")
    original = read_source(path)
    copies = [read_source(p) for p in (crlf, utf16, pdf)]
    assert len({original.sha256, *(c.sha256 for c in copies)}) == 4
    assert {c.text_sha256 for c in copies} == {original.text_sha256}
    assert original.text_sha256 == SourceText.from_string(text).text_sha256


# --- importing a copy -----------------------------------------------------------------------


def _copies(reference_reports: Path, tmp_path: Path) -> list[Path]:
    text = (reference_reports / PEEL_2015).read_text(encoding="utf-8")
    crlf = tmp_path / "peel-2015-crlf.txt"
    crlf.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    cp1252 = tmp_path / "peel-2015-windows.txt"
    cp1252.write_bytes(text.encode("cp1252", errors="strict"))
    return [crlf, cp1252, make_pdf(text, tmp_path / "peel-2015.pdf")]


def test_a_copy_in_other_bytes_is_already_imported(
    reference_reports: Path,
    tmp_path: Path,
    database_url: str,
    open_workspace: Callable[[str], Workspace],
) -> None:
    """The hostile case: a CRLF copy or a PDF of an imported report made a second inspection."""
    workspace = open_workspace(database_url)
    _, first = workspace.import_report(reference_reports / PEEL_2015)
    before = workspace.export()
    for copy in _copies(reference_reports, tmp_path):
        _, again = workspace.import_report(copy)
        assert again.already_imported, copy.name
        assert again.same_text
        assert (again.document_id, again.earlier_filename) == (first.document_id, PEEL_2015)
        assert again.inspections == first.inspections
    assert workspace.export() == before
    # The same bytes are the same document, as before.
    _, same = workspace.import_report(reference_reports / PEEL_2015)
    assert same.already_imported and not same.same_text


def test_again_imports_a_copy_as_a_document_of_its_own(
    reference_reports: Path,
    tmp_path: Path,
    database_url: str,
    open_workspace: Callable[[str], Workspace],
) -> None:
    workspace = open_workspace(database_url)
    _, first = workspace.import_report(reference_reports / PEEL_2015)
    crlf = _copies(reference_reports, tmp_path)[0]
    _, second = workspace.import_report(crlf, again=True)
    assert not second.already_imported
    assert second.document_id != first.document_id
    assert second.inspections == first.inspections  # the same inspection, told with a warning
    assert second.warnings == [
        f"inspection {first.inspections[0]} (metropolitan peel-2015 2015) already holds its "
        f"report, document {first.document_id} ({PEEL_2015}): this document's 8 findings and "
        "judgments were added beside that report's"
    ]
    documents = workspace.documents()
    assert documents[second.document_id].filename == "peel-2015-crlf.txt"
    # Even with --again, the same bytes stay one document.
    _, same = workspace.import_report(reference_reports / PEEL_2015, again=True)
    assert same.already_imported and same.document_id == first.document_id


def test_the_cli_names_the_document_a_copy_is_of(
    reference_reports: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 'record.sqlite'}"
    assert main(["import", str(reference_reports / PEEL_2015), "--db", db]) == 0
    capsys.readouterr()
    pdf = _copies(reference_reports, tmp_path)[2]
    assert main(["import", str(pdf), "--db", db]) == 0
    assert capsys.readouterr().out == (
        f"peel-2015.pdf: already imported as document 1 ({PEEL_2015}); nothing changed "
        "(--again imports it as a document of its own)\n"
    )
    assert main(["import", str(reference_reports / PEEL_2015), "--db", db]) == 0
    assert capsys.readouterr().out == (
        f"{PEEL_2015}: already imported as document 1 ({PEEL_2015}); nothing changed\n"
    )
    assert main(["import", str(pdf), "--again", "--db", db, "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert (result["already_imported"], result["document"]) == (False, 2)
    assert main(["inspections", "--db", db, "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 1


def test_the_text_checksum_is_exported_and_loaded(
    reference_reports: Path,
    tmp_path: Path,
    database_url: str,
    second_database_url: str,
    open_workspace: Callable[[str], Workspace],
) -> None:
    workspace = open_workspace(database_url)
    workspace.import_report(reference_reports / CORE_BUSINESS)
    exported = workspace.export()
    [document] = exported["documents"]
    assert document["text_sha256"] == read_source(reference_reports / CORE_BUSINESS).text_sha256
    path = tmp_path / "export.json"
    path.write_text(json.dumps(exported), encoding="utf-8")
    other = open_workspace(second_database_url)
    other.load(path)
    assert other.export()["documents"] == exported["documents"]
    # Loaded, the copy is known by its text too.
    crlf = tmp_path / "crlf.txt"
    crlf.write_bytes((reference_reports / CORE_BUSINESS).read_bytes().replace(b"\n", b"\r\n"))
    _, result = other.import_report(crlf)
    assert result.already_imported and result.same_text


def test_a_load_refuses_a_text_checksum_that_is_not_one(
    reference_reports: Path,
    tmp_path: Path,
    database_url: str,
    second_database_url: str,
    open_workspace: Callable[[str], Workspace],
    capsys: pytest.CaptureFixture[str],
) -> None:
    workspace = open_workspace(database_url)
    workspace.import_report(reference_reports / CORE_BUSINESS)
    exported = workspace.export()
    exported["documents"][0]["text_sha256"] = "not a checksum"
    path = tmp_path / "export.json"
    path.write_text(json.dumps(exported), encoding="utf-8")
    code = main(["load", str(path), "--db", second_database_url])
    err = capsys.readouterr().err
    assert code == 2
    assert "export.json" in err and "text_sha256" in err


def test_a_copy_of_a_follow_up_letter_is_already_imported(
    shared: Path, tmp_path: Path, database_url: str, open_workspace: Callable[[str], Workspace]
) -> None:
    letter = shared / "examples" / "follow-up" / WILTSHIRE_LETTER
    workspace = open_workspace(database_url)
    _, first = workspace.import_followup(letter)
    before = workspace.export()
    crlf = tmp_path / "letter-crlf.txt"
    crlf.write_bytes(letter.read_bytes().replace(b"\n", b"\r\n"))
    _, again = workspace.import_followup(crlf)
    assert again.already_imported
    assert again.document_id == first.document_id
    assert workspace.export() == before


# --- the migration --------------------------------------------------------------------------


def test_documents_stored_before_0008_get_no_text_checksum(
    reference_reports: Path, database_url: str, open_workspace: Callable[[str], Workspace]
) -> None:
    """Migration 0008 adds the column, NULL for every existing row; such a document is still
    known by its bytes."""
    config = _alembic_config()
    engine = make_engine(normalise_url(database_url))
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "0007")
        checksum = read_source(reference_reports / CORE_BUSINESS).sha256
        with engine.begin() as connection:
            connection.execute(
                sa.text(
                    "INSERT INTO source_document (id, sha256, filename, media_type) "
                    "VALUES (1, :sha256, :filename, 'text/plain')"
                ),
                {"sha256": checksum, "filename": CORE_BUSINESS},
            )
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "0008")
        with engine.connect() as connection:
            rows = connection.execute(sa.text("SELECT id, text_sha256 FROM source_document")).all()
        assert [tuple(r) for r in rows] == [(1, None)]
    finally:
        engine.dispose()
    workspace = open_workspace(database_url)
    _, result = workspace.import_report(reference_reports / CORE_BUSINESS)
    assert result.already_imported and result.document_id == 1


def test_the_cli_names_the_letter_a_copy_is_of(
    shared: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    letter = shared / "examples" / "follow-up" / WILTSHIRE_LETTER
    crlf = tmp_path / "letter-crlf.txt"
    crlf.write_bytes(letter.read_bytes().replace(b"\n", b"\r\n"))
    db = f"sqlite:///{tmp_path / 'record.sqlite'}"
    assert main(["import", str(letter), "--db", db]) == 0
    capsys.readouterr()
    assert main(["import", str(crlf), "--db", db]) == 0
    assert capsys.readouterr().out == (
        f"letter-crlf.txt: already imported as document 1 ({WILTSHIRE_LETTER}); nothing changed\n"
    )
