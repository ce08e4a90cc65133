"""python-calamine panics on some malformed .xls records the bound scan does not look at.

A panic of its Rust code reaches Python as ``pyo3_runtime.PanicException``, a BaseException,
not an Exception: past an ``except Exception`` it is a traceback. Here real panics are made
with xlwt's workbooks, damaged in one record of the workbook globals (the stream keeps its
length, so every sheet's BOF stays where its BOUNDSHEET record says), and each place that
opens a workbook with python-calamine is shown to turn one into a one-line refusal.
"""

from __future__ import annotations

import os
import sqlite3
import struct
import subprocess
import sys
from pathlib import Path

import pytest
import xlwt  # type: ignore[import-untyped]
from python_calamine import CalamineWorkbook
from xlwt.CompoundDoc import XlsDoc  # type: ignore[import-untyped]

from peelkit.errors import DataFileError
from peelkit.sources import dataset, home_office_open_data, home_office_workforce, ons_pfa_tables
from peelkit.sources.cells import SheetBounds, cells_beyond, parser_failed, quiet_panics

RAW = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "raw"
POPULATION = RAW / "pfa-boundaries-2016-popm" / "pfa_population_mid2018_households_2017.csv"
PEEL = "import sys; from peelkit.cli import main; sys.exit(main(sys.argv[1:]))"
BOUNDS = SheetBounds(rows=5000, columns=500)
_NAME, _DATE1904, _WRITEACCESS, _BOUNDSHEET = 0x0018, 0x0022, 0x005C, 0x0085

Records = list[tuple[int, bytes]]


def _globals(stream: bytes) -> tuple[Records, int]:
    """The records of the workbook globals (to the first sheet's BOF), and where they end."""
    records: Records = []
    offset = 0
    while True:
        kind, size = struct.unpack_from("<HH", stream, offset)
        records.append((kind, stream[offset + 4 : offset + 4 + size]))
        offset += 4 + size
        if kind == 0x000A:  # EOF
            return records, offset


def _name_cut_short(records: Records) -> Records:
    """A NAME record of 4 bytes (its fixed part alone is 14), made of WRITEACCESS padding."""
    at = next(i for i, (kind, _) in enumerate(records) if kind == _WRITEACCESS)
    kind, data = records[at]
    return [*records[:at], (kind, data[:-8]), (_NAME, bytes(4)), *records[at + 1 :]]


def _date1904_cut_short(records: Records) -> Records:
    """DATE1904 without its 2 bytes (given to WRITEACCESS)."""
    damaged = [(kind, b"" if kind == _DATE1904 else data) for kind, data in records]
    return [(kind, data + b"  " if kind == _WRITEACCESS else data) for kind, data in damaged]


DAMAGE = {"name-cut-short": _name_cut_short, "date1904-cut-short": _date1904_cut_short}


def _xls(path: Path, damage: str | None) -> Path:
    """A workforce-like workbook written by xlwt (an Index sheet with its title, a table),
    with its globals damaged as named."""
    book = xlwt.Workbook()
    index = book.add_sheet("Index")
    index.write(0, 0, "Police Workforce, England and Wales, 30 September 2019")
    table = book.add_sheet("Table 1")
    table.write(0, 0, "Force")
    table.write(1, 0, "Avon and Somerset")
    table.write(1, 1, 2700.5)
    stream: bytes = book.get_biff_data()
    if damage is not None:
        records, end = _globals(stream)
        changed = b"".join(
            struct.pack("<HH", kind, len(data)) + data for kind, data in DAMAGE[damage](records)
        )
        assert len(changed) == end  # every sheet still begins where its BOUNDSHEET says
        stream = changed + stream[end:]
    XlsDoc().save(str(path), stream)
    return path


def _panic(path: Path) -> BaseException:
    with pytest.raises(BaseException) as caught:
        CalamineWorkbook.from_path(str(path))
    return caught.value


@pytest.mark.parametrize("damage", DAMAGE)
def test_the_damaged_workbooks_pass_the_scan_and_make_python_calamine_panic(
    tmp_path: Path, damage: str
) -> None:
    whole = _xls(tmp_path / "whole.xls", None)
    assert CalamineWorkbook.from_path(str(whole)).sheet_names == ["Index", "Table 1"]
    path = _xls(tmp_path / "damaged.xls", damage)
    assert cells_beyond(path, BOUNDS) == {}  # nothing the scan refuses
    panic = _panic(path)
    assert not isinstance(panic, Exception)
    assert (type(panic).__module__, type(panic).__name__) == ("pyo3_runtime", "PanicException")
    assert parser_failed(panic)


def test_rust_reports_a_panic_on_stderr_and_only_that_report_is_kept_out(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    path = _xls(tmp_path / "damaged.xls", "date1904-cut-short")
    _panic(path)
    assert "panicked at" in capfd.readouterr().err  # written by Rust, caught or not
    with quiet_panics():
        os.write(2, b"written before\n")
        _panic(path)
    with quiet_panics():
        os.write(2, b"no panic\n")
    assert capfd.readouterr().err == "written before\nno panic\n"


def test_only_failures_of_a_parser_are_taken_for_them() -> None:
    assert parser_failed(ValueError("bad"))
    for escape in (KeyboardInterrupt(), SystemExit(1), GeneratorExit()):
        assert not parser_failed(escape)


def _database(path: Path) -> list[str]:
    with sqlite3.connect(path) as connection:
        return list(connection.iterdump())


@pytest.mark.parametrize("damage", DAMAGE)
def test_the_cli_refuses_the_file_in_one_line_and_leaves_the_database(
    tmp_path: Path, damage: str
) -> None:
    database = tmp_path / "record.sqlite"
    db = f"sqlite:///{database}"

    def peel(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", PEEL, *argv, "--db", db],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            env={**os.environ, "RUST_BACKTRACE": "1"},  # a panic's report at its longest
        )

    loaded = peel("data", "import", str(POPULATION))
    assert loaded.returncode == 0, loaded.stderr
    before = _database(database)
    assert any("INSERT INTO" in line for line in before)
    path = _xls(tmp_path / "workforce tables.xls", damage)
    finished = peel("data", "import", str(path))
    assert finished.returncode == 2, finished.stderr
    assert "Traceback" not in finished.stderr and "Panic" not in finished.stderr
    lines = finished.stderr.splitlines()
    assert len(lines) == 1, finished.stderr
    # Recognising it, python-calamine panics: like a file it fails on with an error, it is
    # no publication peelkit knows.
    assert lines[0].startswith(
        "peel: error: workforce tables.xls: not a publication peelkit knows"
    ), lines[0]
    assert finished.stdout == ""
    assert _database(database) == before


@pytest.mark.parametrize("damage", DAMAGE)
def test_recognising_it_is_a_no(tmp_path: Path, damage: str) -> None:
    path = _xls(tmp_path / "tables.xls", damage)
    head = path.read_bytes()[:65536]
    assert home_office_workforce.recognise(path, head) is False
    assert not isinstance(_recognise_ons(path, head), Exception)  # a panic, unhandled there
    assert dataset.identify(path) is None


def _recognise_ons(path: Path, head: bytes) -> BaseException:
    with pytest.raises(BaseException) as caught:
        ons_pfa_tables.recognise(path, head)
    return caught.value


@pytest.mark.parametrize("damage", DAMAGE)
def test_each_reader_refuses_it_in_one_line(tmp_path: Path, damage: str) -> None:
    path = _xls(tmp_path / "tables.xls", damage)
    panic = str(_panic(path))
    for read in (home_office_workforce.read, home_office_open_data.read):
        with pytest.raises(DataFileError) as refused:
            read(path)
        assert str(refused.value) == f"tables.xls: not a readable spreadsheet ({panic})"


@pytest.mark.parametrize("damage", DAMAGE)
def test_reading_a_file_refuses_a_panic_of_its_reader(
    tmp_path: Path, damage: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The ONS tables reader opens the workbook unguarded: ``read_file`` says which file and
    what failed, in one line (the file taken for ONS tables, as a recognised one would be)."""
    path = _xls(tmp_path / "tables.xls", damage)
    panic = str(_panic(path))
    monkeypatch.setattr(dataset, "identify", lambda _path: ons_pfa_tables.READER)
    with pytest.raises(DataFileError) as refused:
        dataset.read_file(path)
    assert str(refused.value) == (
        f"tables.xls: is not a readable {ons_pfa_tables.READER.title} file ({panic})"
    )


def test_an_interrupt_while_reading_is_not_taken_for_a_damaged_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _xls(tmp_path / "tables.xls", None)

    class Interrupted:
        @staticmethod
        def from_path(_path: str) -> CalamineWorkbook:
            raise KeyboardInterrupt

    monkeypatch.setattr(home_office_workforce, "CalamineWorkbook", Interrupted)
    with pytest.raises(KeyboardInterrupt):
        home_office_workforce.read(path)
    with pytest.raises(KeyboardInterrupt):
        home_office_workforce.recognise(path, path.read_bytes()[:65536])
