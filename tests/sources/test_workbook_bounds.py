"""Workbooks (issue 15): a sheet with one cell far away is refused, naming the sheet and the
cell, before the spreadsheet reader builds its grid (python-calamine asked for 512 GiB and the
process aborted); workbooks are recognised by their content, not their file name."""

from __future__ import annotations

import datetime as dt
import random
import re
import resource
import shutil
import struct
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import openpyxl  # type: ignore[import-untyped]
import pytest
import xlwt  # type: ignore[import-untyped]
from python_calamine import CalamineWorkbook

import peelkit.sources.cells_ods as ods_scan
from peelkit.errors import DataFileError
from peelkit.sources import home_office_open_data, home_office_workforce, ons_pfa_tables
from peelkit.sources.cells import SheetBounds, cells_beyond, sheet_names
from peelkit.sources.dataset import identify, read_file
from peelkit.sources.readers import layout

RAW = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "raw"
TABLES = RAW / "ons-pfa-tables-2018-2019"
WORKFORCE = RAW / "home-office-police-workforce-2014-2019"
OPEN_DATA = RAW / "prc-pfa-offence-group-2002-2024-derived"
BOUNDS = SheetBounds(rows=5000, columns=500)
PEEL = "import sys; from peelkit.cli import main; sys.exit(main(sys.argv[1:]))"
ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
# A P1 title as ONS prints it (Table P1 of the YE December 2019 edition, cell A1).
P1_TITLE = (
    "Table P1: Police recorded crime by offence group and police force area, English regions "
    "and Wales, number of offences, year ending December 20191,2"
)


WORKFORCE_TITLE = "Police Workforce, England and Wales, 30 September 2019"


def _xlsx(path: Path, cells: dict[str, dict[str, object]]) -> Path:
    """A workbook written with openpyxl: sheet -> {cell reference: value}."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, values in cells.items():
        sheet = book.create_sheet(name)
        for reference, value in values.items():
            sheet[reference] = value
    book.save(path)
    return path


def _xlsx_by_hand(path: Path, sheet_xml: str) -> Path:
    """A one-sheet xlsx whose sheet XML is given as written (cells without references...)."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "xl/workbook.xml",
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="Table P1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>",
        )
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f"<sheetData>{sheet_xml}</sheetData></worksheet>",
        )
    return path


def _ods(path: Path, tables: dict[str, str]) -> Path:
    """An OpenDocument workbook written by hand: sheet -> its rows' XML."""
    body = "".join(
        f'<table:table table:name="{name}">{rows}</table:table>' for name, rows in tables.items()
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), ODS_MIMETYPE)
        archive.writestr(
            "content.xml",
            '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
            'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
            f"<office:body><office:spreadsheet>{body}</office:spreadsheet></office:body>"
            "</office:document-content>",
        )
    return path


def _ods_cell(text: str, repeated: int = 1) -> str:
    attribute = f' table:number-columns-repeated="{repeated}"' if repeated > 1 else ""
    return (
        f'<table:table-cell office:value-type="string"{attribute}><text:p>{text}</text:p>'
        "</table:table-cell>"
    )


# --- how far a sheet reaches, from its XML --------------------------------------------------


def test_one_cell_far_away_is_found(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "far.xlsx", {"Table P1": {"A1": P1_TITLE, "XFD1048576": 1}})
    assert cells_beyond(path, BOUNDS) == {"Table P1": "XFD1048576"}
    assert cells_beyond(path, SheetBounds(rows=1_048_576, columns=16_384)) == {}


def test_a_table_within_the_bounds_is_not(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "near.xlsx", {"Table P1": {"A1": P1_TITLE, "AE86": 7}})
    assert cells_beyond(path, BOUNDS) == {}
    assert cells_beyond(path, SheetBounds(rows=50, columns=500)) == {"Table P1": "AE86"}
    assert cells_beyond(path, SheetBounds(rows=5000, columns=30)) == {"Table P1": "AE86"}


def test_cells_without_references_follow_the_one_before(tmp_path: Path) -> None:
    """The slow path: a row's cells need no ``r``; they count from its start."""
    cells = "".join("<c><v>1</v></c>" for _ in range(12))
    path = _xlsx_by_hand(tmp_path / "bare.xlsx", f'<row r="7000">{cells}</row>')
    assert cells_beyond(path, BOUNDS) == {"Table P1": "L7000"}
    assert cells_beyond(path, SheetBounds(rows=7000, columns=12)) == {}


def test_a_formatted_empty_cell_far_away_is_no_part_of_the_grid(tmp_path: Path) -> None:
    """``<c r=".." s="1"/>`` holds nothing: the reader builds no grid as far as it."""
    path = _xlsx_by_hand(
        tmp_path / "styled.xlsx",
        '<row r="1"><c r="A1" t="inlineStr"><is><t>title</t></is></c></row>'
        '<row r="1048576"><c r="XFD1048576" s="1"/></row>',
    )
    assert cells_beyond(path, BOUNDS) == {}


def test_an_ods_row_repeated_with_content_reaches_its_last_repeat(tmp_path: Path) -> None:
    empty_tail = (
        '<table:table-row table:number-rows-repeated="1048000">'
        '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>'
    )
    path = _ods(
        tmp_path / "book.ods",
        {
            "Index": f"<table:table-row>{_ods_cell('title')}</table:table-row>{empty_tail}",
            "Table_1": '<table:table-row table:number-rows-repeated="9000">'
            f"{_ods_cell('x', repeated=3)}</table:table-row>",
            "Table_2": f'<table:table-row><table:table-cell table:number-columns-repeated="999"/>'
            f"{_ods_cell('far')}</table:table-row>",
        },
    )
    assert cells_beyond(path, BOUNDS) == {"Table_1": "C9000", "Table_2": "ALL1"}


def test_no_real_workbook_is_beyond_its_publication_s_bounds() -> None:
    for publication, files in (
        ("ons-pfa-data-tables", sorted(TABLES.glob("*.xlsx"))),
        ("home-office-workforce", sorted(WORKFORCE.glob("*.ods"))),
        ("home-office-open-data", sorted(OPEN_DATA.glob("*.xlsx"))),
    ):
        bounds = SheetBounds.of(layout(publication))
        assert files, publication
        for path in files:
            assert cells_beyond(path, bounds) == {}, path.name


# --- refused, naming the sheet and the cell -------------------------------------------------


def _limited_memory() -> None:
    # 4 GiB of address space: a grid of billions of cells cannot be made; the refusal is
    # made before any is asked for.
    resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))


def test_the_cli_refuses_a_far_cell_in_one_line_instead_of_aborting(tmp_path: Path) -> None:
    """Run in a process of its own with bounded memory: if the check were gone, the reader
    would abort that process, not the test run."""
    path = _xlsx(tmp_path / "ons download.xlsx", {"Table P1": {"A1": P1_TITLE, "XFD1048576": 1}})
    db = f"sqlite:///{tmp_path / 'record.sqlite'}"
    finished = subprocess.run(
        [sys.executable, "-c", PEEL, "data", "import", str(path), "--db", db],
        capture_output=True,
        text=True,
        preexec_fn=_limited_memory,
        timeout=120,
        check=False,
    )
    assert finished.returncode == 2, finished.stderr
    assert finished.stderr == (
        "peel: error: ons download.xlsx: sheet 'Table P1': has a cell as far as XFD1048576, "
        "beyond the 5,000 rows and 500 columns a sheet of this publication has (sheet_bounds "
        "in layouts/ons-pfa-data-tables.yaml); delete what is beyond the table and save the "
        "file again\n"
    )


def test_each_workbook_reader_refuses_the_sheet(tmp_path: Path) -> None:
    far_index = _ods(
        tmp_path / "workforce.ods",
        {
            "Index": f"<table:table-row>{_ods_cell(WORKFORCE_TITLE)}</table:table-row>"
            '<table:table-row table:number-rows-repeated="1048574"><table:table-cell '
            'table:number-columns-repeated="16384"/></table:table-row>'
            '<table:table-row><table:table-cell table:number-columns-repeated="16383"/>'
            f"{_ods_cell('stray')}</table:table-row>",
        },
    )
    assert home_office_workforce.recognise(far_index, far_index.read_bytes()[:64])
    with pytest.raises(DataFileError) as caught:
        home_office_workforce.read(far_index)
    assert caught.value.code == "sheet_too_large"
    assert caught.value.location.sheet == "Index"
    assert "has a cell as far as XFD1048576" in caught.value.message
    open_data = _xlsx_by_hand(
        tmp_path / "open-data.xlsx", '<row r="2000000"><c r="A2000000"><v>1</v></c></row>'
    )
    with pytest.raises(DataFileError, match=r"sheet 'Table P1': has a cell as far as A2000000"):
        home_office_open_data.read(open_data)


# --- recognised by content ------------------------------------------------------------------


def test_an_ons_workbook_saved_as_a_copy_is_recognised_by_its_content(tmp_path: Path) -> None:
    """The hostile case: "... (1).xlsx" was refused because files were recognised by name."""
    original = TABLES / "policeforceareatablesyearendingsep18corrected.xlsx"
    copy = tmp_path / "policeforceareatablesyearendingsep18corrected (1).xlsx"
    shutil.copy(original, copy)
    reader = identify(copy)
    assert reader is not None and reader.id == "ons-pfa-data-tables"
    data = read_file(copy)
    # The edition, from SOURCES.md; the copy's "(1)" is no part of the name.
    assert data.publication.release == "year ending September 2018 (corrected)"
    assert len(data.observations) == len(ons_pfa_tables.read(original).observations)
    renamed = tmp_path / "download.xlsx"
    shutil.copy(TABLES / "pfatablesdec19.xlsx", renamed)
    assert ons_pfa_tables.recognise(renamed, renamed.read_bytes()[:64])


def test_a_workbook_named_as_ons_names_them_is_not_taken_on_its_name(tmp_path: Path) -> None:
    other = _xlsx(tmp_path / "pfatablesdec19.xlsx", {"Sheet1": {"A1": "A budget, by month"}})
    assert not ons_pfa_tables.recognise(other, other.read_bytes()[:64])
    titled = _xlsx(tmp_path / "p1.xlsx", {"Table P1": {"A1": "Table P1: something else"}})
    assert not ons_pfa_tables.recognise(titled, titled.read_bytes()[:64])
    right = _xlsx(tmp_path / "anything.xlsx", {"Table P1 ": {"A1": P1_TITLE}})
    assert ons_pfa_tables.recognise(right, right.read_bytes()[:64])


# --- Excel 97-2003 workbooks (.xls): BIFF records in an OLE compound file ------------------
#
# Record types and layouts from Microsoft's [MS-XLS] and [MS-CFB]; each record is its type
# and its size (2 bytes each, little-endian), then its data.

FAR_DIMENSIONS = struct.pack("<IIHHH", 0, 0xFFFF_FFFF, 0, 0xFFFF, 0)  # 2^32 - 1 rows, 65,535 cols


def _record(kind: int, data: bytes = b"") -> bytes:
    return struct.pack("<HH", kind, len(data)) + data


def _bof(substream: int) -> bytes:
    """A BIFF8 BOF record: 0x0005 begins the workbook globals, 0x0010 a worksheet."""
    return _record(0x0809, struct.pack("<HHHHII", 0x0600, substream, 0x0DBB, 0x07CC, 0, 6))


def _number(row: int, column: int, value: float) -> bytes:
    """NUMBER (0x0203): row and column, 0-based, then the format (XF) and the value."""
    return _record(0x0203, struct.pack("<HHHd", row, column, 0, value))


def _label(row: int, column: int, text: str) -> bytes:
    """LABEL (0x0204) of a text in Latin-1."""
    encoded = text.encode("latin-1")
    return _record(0x0204, struct.pack("<HHHHB", row, column, 0, len(encoded), 0) + encoded)


def _workbook_stream(sheets: dict[str, list[bytes]]) -> bytes:
    """A BIFF8 workbook stream: the globals (BOF, one BOUNDSHEET per sheet giving where the
    sheet's BOF is, EOF), then each sheet's BOF, its records and EOF."""
    names = [name.encode("latin-1") for name in sheets]
    offset = len(_bof(5)) + sum(12 + len(name) for name in names) + 4
    bound_sheets, bodies = [], []
    for name, records in zip(names, sheets.values(), strict=True):
        body = _bof(0x10) + b"".join(records) + _record(0x000A)
        bound_sheets.append(
            _record(0x0085, struct.pack("<IBBBB", offset, 0, 0, len(name), 0) + name)
        )
        bodies.append(body)
        offset += len(body)
    return _bof(5) + b"".join(bound_sheets) + _record(0x000A) + b"".join(bodies)


def _xls_by_hand(path: Path, sheets: dict[str, list[bytes]]) -> Path:
    """An .xls of the records given, in xlwt's compound file (a stream of 4,096 bytes at
    least, so never in the mini stream)."""
    xlwt.CompoundDoc.XlsDoc().save(str(path), _workbook_stream(sheets))
    return path


def _compound(path: Path, streams: list[tuple[str, bytes]]) -> Path:
    """A compound file (version 3, 512-byte sectors) of the streams given, in that order in
    its directory, each a child of the root: one under 4,096 bytes in the mini stream (64-byte
    mini sectors, chained in the mini FAT), the others in sectors of their own."""
    end, free, fat_sector, none = 0xFFFF_FFFE, 0xFFFF_FFFF, 0xFFFF_FFFD, 0xFFFF_FFFF
    sectors: list[bytes] = []
    fat: list[int] = []

    def put(data: bytes, size: int, table: list[int], store: list[bytes]) -> int:
        first, count = len(store), max(1, -(-len(data) // size))
        for i in range(count):
            store.append(data[i * size : (i + 1) * size].ljust(size, b"\0"))
            table.append(first + i + 1 if i < count - 1 else end)
        return first

    mini: list[bytes] = []
    mini_fat: list[int] = []
    entries = []
    for name, data in streams:
        small = len(data) < 4096
        start = put(data, 64, mini_fat, mini) if small else put(data, 512, fat, sectors)
        entries.append((name, 2, start, len(data)))
    mini_stream = b"".join(mini)
    root_start = put(mini_stream, 512, fat, sectors) if mini else end
    packed_mini_fat = b"".join(struct.pack("<I", n) for n in mini_fat).ljust(512, b"\xff")
    mini_fat_start = put(packed_mini_fat, 512, fat, sectors) if mini else end
    directory = b""
    for sid, (name, kind, start, size) in enumerate(
        [("Root Entry", 5, root_start, len(mini_stream)), *entries]
    ):
        encoded = (name + "\0").encode("utf-16-le")
        child = 1 if sid == 0 and entries else none
        right = sid + 1 if 0 < sid < len(entries) else none
        directory += (
            struct.pack("<64sHBB", encoded, len(encoded), kind, 1)
            + struct.pack("<III", none, right, child)
            + bytes(36)
            + struct.pack("<III", start, size, 0)
        )
    directory_start = put(directory, 512, fat, sectors)
    fat_first = len(sectors)  # one FAT sector: files of up to 127 sectors here
    sectors.append(b"")
    fat.append(fat_sector)
    sectors[fat_first] = b"".join(struct.pack("<I", n) for n in fat).ljust(512, b"\xff")
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + bytes(16)
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + bytes(6)
        + struct.pack(
            "<IIIIIIIII", 0, 1, directory_start, 0, 4096, mini_fat_start, 1 if mini else 0, end, 0
        )
        + struct.pack("<I", fat_first)
        + struct.pack("<I", free) * 108
    )
    path.write_bytes(header + b"".join(sectors))
    return path


def _xls_from(xlsx: Path, path: Path) -> Path:
    """The workbook saved as Excel 97-2003: its values read with openpyxl, written with
    xlwt (no peelkit code on the way)."""
    source = openpyxl.load_workbook(xlsx, read_only=True, data_only=True)
    book = xlwt.Workbook()
    dates = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    for sheet in source.worksheets:
        target = book.add_sheet(sheet.title)
        for r, row in enumerate(sheet.iter_rows(min_row=1, min_col=1, values_only=True)):
            for c, value in enumerate(row):
                if isinstance(value, dt.date):
                    target.write(r, c, value, dates)
                elif value is not None:
                    target.write(r, c, value)
    source.close()
    book.save(str(path))
    return path


def test_an_xls_within_the_bounds_reads_as_the_workbook_it_was_saved_from(
    tmp_path: Path,
) -> None:
    """Through the real reader: every figure is the one in the cell it names, as openpyxl
    reads that cell of the original .xlsx, and as many as the .xlsx gives."""
    original = TABLES / "pfatablesdec19.xlsx"
    path = _xls_from(original, tmp_path / "pfatablesdec19.xls")
    assert cells_beyond(path, SheetBounds.of(layout("ons-pfa-data-tables"))) == {}
    assert sheet_names(path)[:2] == ["Notes", "Table P1"]
    data = read_file(path)
    assert data.publication.id == "ons-pfa-data-tables"
    assert data.publication.release == "year ending December 2019"
    assert len(data.observations) == len(ons_pfa_tables.read(original).observations) > 900
    source = openpyxl.load_workbook(original, data_only=True)
    for observation in data.observations:
        cell = observation.cell
        assert source[cell.sheet][f"{cell.column}{cell.row}"].value == observation.value


def test_a_far_cell_in_an_xls_is_refused_naming_the_sheet_and_the_cell(tmp_path: Path) -> None:
    """IV65536 is the last cell of an Excel 97-2003 sheet: python-calamine would build a grid
    of 16.8 million cells for it (1 GB, tried)."""
    book = xlwt.Workbook()
    sheet = book.add_sheet("Table P1")
    sheet.write(0, 0, P1_TITLE)
    sheet.write(65535, 255, 1)
    book.add_sheet("Notes").write(0, 0, "notes")
    path = tmp_path / "pfatablesdec19.xls"
    book.save(str(path))
    assert cells_beyond(path, BOUNDS) == {"Table P1": "IV65536"}
    assert cells_beyond(path, SheetBounds(rows=65536, columns=256)) == {}
    assert ons_pfa_tables.recognise(path, path.read_bytes()[:64])
    with pytest.raises(DataFileError) as caught:
        read_file(path)
    assert caught.value.code == "sheet_too_large"
    assert caught.value.location.sheet == "Table P1"
    assert "has a cell as far as IV65536, beyond the 5,000 rows" in caught.value.message


def test_each_kind_of_cell_record_counts_and_blanks_do_not(tmp_path: Path) -> None:
    """python-calamine puts FORMULA, LABELSST, NUMBER, LABEL, BOOLERR, RK and MULRK cells in
    its grid, and leaves out BLANK (0x0201) and MULBLANK (0x00BE): a far blank leaves the
    sheet as it is (tried)."""
    far = {  # each record's row and column (0-based) say where the cell is
        "formula": _record(
            0x0006, struct.pack("<HHH", 9000, 2, 0) + bytes(14) + b"\x03\0\x1e\x01\0"
        ),
        "labelsst": _record(0x00FD, struct.pack("<HHHI", 5, 700, 0, 0)),
        "number": _number(5000, 499, 1.0),
        "boolerr": _record(0x0205, struct.pack("<HHHBB", 65535, 0, 0, 1, 0)),
        "rk": _record(0x027E, struct.pack("<HHHI", 0, 65535, 0, 2 | 5 << 2)),
        # MULRK: row, first column, (format, RK) per cell, last column: columns 498 to 501.
        "mulrk": _record(
            0x00BD,
            struct.pack("<HH", 3, 498) + struct.pack("<HI", 0, 6) * 4 + struct.pack("<H", 501),
        ),
    }
    blanks = [
        _record(0x0201, struct.pack("<HHH", 65535, 255, 0)),
        _record(0x00BE, struct.pack("<HH", 65535, 0) + bytes(2 * 256) + struct.pack("<H", 255)),
    ]
    path = _xls_by_hand(
        tmp_path / "records.xls",
        {name: [_label(0, 0, name), record] for name, record in far.items()}
        | {"blanks": [_label(0, 0, "blanks"), *blanks]},
    )
    assert cells_beyond(path, BOUNDS) == {
        "formula": "C9001",
        "labelsst": "ZY6",
        "number": "SF5001",
        "boolerr": "A65536",
        "rk": "CRXP1",
        "mulrk": "SH4",
    }


def test_a_dimensions_record_making_room_for_more_cells_than_a_sheet_is_refused(
    tmp_path: Path,
) -> None:
    """python-calamine makes room for as many cells as a sheet's DIMENSIONS record declares
    (0x0200: first row, last row + 1 (4 bytes each), first column, last column + 1): one
    declaring 2^32 - 1 rows made it abort (tried). Room for a sheet's worth of cells is fine,
    however far it reaches (a formatted column down to row 65536)."""
    column = struct.pack("<IIHHH", 0, 65536, 0, 2, 0)  # A1:B65536, 131,072 cells
    wrapped = struct.pack("<IIHHH", 10, 5, 0, 1, 0)  # last row before the first: 2^32 - 5
    path = _xls_by_hand(
        tmp_path / "dimensions.xls",
        {
            "far": [_record(0x0200, FAR_DIMENSIONS), _label(0, 0, "far")],
            "wrapped": [_record(0x0200, wrapped), _label(0, 0, "wrapped")],
            "column": [_record(0x0200, column), _label(0, 0, "column")],
        },
    )
    assert cells_beyond(path, BOUNDS) == {"far": "CRXO4294967295", "wrapped": "A4294967301"}


def test_the_cli_refuses_an_xls_that_would_abort_the_reader(tmp_path: Path) -> None:
    """In a process of its own with bounded memory: without the check, python-calamine asks
    for 11 PB for this sheet and aborts."""
    path = _xls_by_hand(
        tmp_path / "tables.xls",
        {"Table P1": [_record(0x0200, FAR_DIMENSIONS), _label(0, 0, P1_TITLE)]},
    )
    db = f"sqlite:///{tmp_path / 'record.sqlite'}"
    finished = subprocess.run(
        [sys.executable, "-c", PEEL, "data", "import", str(path), "--db", db],
        capture_output=True,
        text=True,
        preexec_fn=_limited_memory,
        timeout=120,
        check=False,
    )
    assert finished.returncode == 2, finished.stderr
    assert finished.stderr == (
        "peel: error: tables.xls: sheet 'Table P1': has a cell as far as CRXO4294967295, "
        "beyond the 5,000 rows and 500 columns a sheet of this publication has (sheet_bounds "
        "in layouts/ons-pfa-data-tables.yaml); delete what is beyond the table and save the "
        "file again\n"
    )


def test_the_stream_scanned_is_the_one_the_reader_reads(tmp_path: Path) -> None:
    """python-calamine takes the entry named exactly "Workbook" before one named "WORKBOOK",
    wherever it is in the directory (a library walking the directory's tree without regard
    to case finds the other first), and a stream under 4,096 bytes from the mini stream."""
    near = _workbook_stream({"Near": [_label(0, 0, "near")]})
    far = _workbook_stream({"Far": [_label(0, 0, "far"), _number(8999, 3, 1.0)]})
    path = _compound(tmp_path / "two.xls", [("WORKBOOK", near), ("Workbook", far)])
    assert cells_beyond(path, BOUNDS) == {"Far": "D9000"}
    workbook = CalamineWorkbook.from_path(str(path))  # 9,000 rows: small enough to open
    assert workbook.sheet_names == ["Far"]
    assert workbook.get_sheet_by_name("Far").height == 9000
    alone = _compound(tmp_path / "alone.xls", [("WORKBOOK", far)])
    assert cells_beyond(alone, BOUNDS) == {"Far": "D9000"}
    assert cells_beyond(_compound(tmp_path / "book.xls", [("Book", far)]), BOUNDS) == {
        "Far": "D9000"
    }
    assert sheet_names(path) == ["Far"]


def test_a_damaged_xls_is_refused_in_one_line(tmp_path: Path) -> None:
    book = xlwt.Workbook()
    sheet = book.add_sheet("Table P1")
    sheet.write(0, 0, P1_TITLE)
    for row in range(1, 400):
        sheet.write(row, 1, row)
    whole = tmp_path / "whole.xls"
    book.save(str(whole))
    data = whole.read_bytes()
    assert cells_beyond(whole, BOUNDS) == {}
    (fat_sector,) = struct.unpack_from("<I", data, 76)
    looped = bytearray(data)
    struct.pack_into("<I", looped, 512 + 512 * fat_sector, 0)  # sector 0 follows itself
    past = (  # the sheet's BOF said to be a million bytes on, past the stream's end
        _bof(5)
        + _record(0x0085, struct.pack("<IBBBB", 10**6, 0, 0, 8, 0) + b"Table P1")
        + _record(0x000A)
        + _bof(0x10)
        + _label(0, 0, P1_TITLE)
        + _record(0x000A)
    )
    cases = {
        "cut.xls": data[: len(data) // 2],
        "noise.xls": data[:512] + random.Random(15).randbytes(len(data) - 512),
        "header only.xls": data[:512],
        "looped.xls": bytes(looped),
    }
    for name, content in cases.items():
        (tmp_path / name).write_bytes(content)
    xlwt.CompoundDoc.XlsDoc().save(str(tmp_path / "past.xls"), past)
    for name in [*cases, "past.xls"]:
        path = tmp_path / name
        with pytest.raises(DataFileError) as caught:
            ons_pfa_tables.read(path)
        assert caught.value.message.startswith(f"{name}: not a readable Excel 97-2003 workbook (")
        assert sheet_names(path) == ([] if name in cases else ["Table P1"])
        with pytest.raises(DataFileError, match="not a publication peelkit knows"):
            read_file(path)


# --- OpenDocument content of any size --------------------------------------------------------


def test_an_ods_content_larger_than_64_mb_is_scanned_to_its_end(tmp_path: Path) -> None:
    """Rows of 100 cells as LibreOffice writes them (with the empty cells to column XFD at
    the end of each row): 5,000 rows are 75 MB, within the bounds; one more row is not. Once
    left unscanned (over 64 MB, "too slow in Python"), now read at some 150 MB/s."""
    cell = (
        '<table:table-cell table:style-name="ce4" office:value-type="float" '
        'office:value="{0}" calcext:value-type="float"><text:p>{0}</text:p></table:table-cell>'
    )
    row = (
        '<table:table-row table:style-name="ro2">'
        + "".join(cell.format(1000 + i) for i in range(100))
        + '<table:table-cell table:number-columns-repeated="16284" table:style-name="ce1"/>'
        "</table:table-row>"
    )
    rows = row * 5000
    assert len(rows) > 64 << 20
    for name, extra, expected in (
        ("within.ods", "", {}),
        (
            "beyond.ods",
            f"<table:table-row>{_ods_cell('stray')}</table:table-row>",
            {"Data": "A5001"},
        ),
    ):
        path = _ods(tmp_path / name, {"Data": rows + extra})
        assert cells_beyond(path, BOUNDS) == expected, name
        path.unlink()


def test_no_row_of_a_real_ods_is_read_cell_by_cell(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each row of the Home Office workbooks ends with empty cells repeated to column XFD:
    the scan looks past them without reading the row cell by cell."""
    read: list[int] = []
    cell_by_cell = ods_scan._ods_row_cells

    def counted(*arguments: Any) -> tuple[int, int]:
        read.append(1)
        return cell_by_cell(*arguments)

    monkeypatch.setattr(ods_scan, "_ods_row_cells", counted)
    files = sorted(WORKFORCE.glob("*.ods"))
    assert files
    for path in files:
        assert cells_beyond(path, SheetBounds.of(layout("home-office-workforce"))) == {}
    assert read == []
    cells_beyond(files[0], SheetBounds(rows=10, columns=500))  # the rows past row 10 are
    assert read  # read cell by cell


def _far_cells_cell_by_cell(content: bytes, bounds: SheetBounds) -> dict[str, str]:
    """What the scan must find, the slow way: every tag of a table, row and cell in turn
    (tables and rows named with the prefix "table:", as python-calamine knows them; cells by
    any prefix), the farthest cell with content beyond the bounds of each table."""
    tags = re.compile(
        rb"<(/?)((?:table:)(?:table|table-row)|(?:[A-Za-z_][\w.-]*:)?(?:table-cell|covered-table-cell))"
        rb"(?=[\s/>])([^>]*?)(/?)>"
    )
    far: dict[str, tuple[int, int]] = {}
    table: str | None = None
    row = repeat = column = reach = 0
    in_row = False

    def number(pattern: bytes, attributes: bytes) -> int:
        found = re.search(pattern + rb"""\s*=\s*["'](\d+)["']""", attributes)
        return int(found[1]) if found else 1

    def end_row() -> None:
        nonlocal in_row, row
        in_row, row = False, row + repeat
        if table is not None and reach and not bounds.holds(row, reach):
            far[table] = max(far.get(table, (0, 0)), (row, reach))

    for match in tags.finditer(content):
        closing, tag, attributes, empty = match.groups()
        if tag == b"table:table":
            if in_row:
                end_row()
            name = re.search(rb"""\stable:name\s*=\s*["']([^"']*)["']""", attributes)
            table = None if closing or empty or not name else name[1].decode()
            row = 0
        elif tag == b"table:table-row":
            if in_row:
                end_row()
            if not closing:
                in_row, repeat, column, reach = True, number(rb"rows-repeated", attributes), 0, 0
                if empty:
                    end_row()
        elif in_row and not closing:
            span = number(rb"columns-repeated", attributes)
            if not empty or b"value-type" in attributes:
                reach = max(reach, column + span)
            column += span
    if in_row:
        end_row()
    return {name: f"{_letters(c)}{r}" for name, (r, c) in far.items()}


def _letters(column: int) -> str:
    """A 1-based column's letters: 1 -> A, 27 -> AA."""
    return _letters((column - 1) // 26) + chr(65 + (column - 1) % 26) if column else ""


def _random_table_rows(rng: random.Random) -> str:
    def cell() -> str:
        name = rng.choice(["table:table-cell"] * 9 + ["table:covered-table-cell"])
        repeats = rng.choice([2, 3, 5, 9, 19, 20, 21, 16384])
        repeated = rng.choice(
            ["", "", "", "", "", "", "", f' table:number-columns-repeated="{repeats}"']
        )
        style = rng.choice(["", ' table:style-name="ce1"'])
        return rng.choice(
            [
                f"<{name}{repeated}{style}/>",
                f'<{name} office:value-type="float" office:value="1"{repeated}/>',
                f"<{name}{style}{repeated}></{name}>",
                f'<{name} office:value-type="string"{repeated}><text:p>a &gt; b > c</text:p>'
                f"</{name}>",
            ]
        )

    rows = []
    for _ in range(rng.choice([1, 4, 12])):
        repeats = rng.choice([2, 3, 39, 40, 41, 1_048_000])
        repeated = rng.choice(["", "", "", "", "", f' table:number-rows-repeated="{repeats}"'])
        cells = "".join(cell() for _ in range(rng.choice([0, 1, 3, 8, 15])))
        rows.append(f"<table:table-row{repeated}>{cells}</table:table-row>")
    return "".join(rows)


@pytest.mark.parametrize("chunk", [1 << 20, 61])
def test_the_ods_scan_finds_what_reading_every_cell_finds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    """The scan bounds whole rows at once and reads only the rows that may reach beyond
    the bounds cell by cell: on 300 random sheets (cells repeated across the bounds, empty,
    with content, text with ">", rows repeated across them; bounds of 40 rows and 20 columns),
    it finds what reading every cell finds. Also read 61 bytes at a time, holding no row
    longer than 500 bytes."""
    if chunk < 100:
        monkeypatch.setattr(ods_scan, "_CHUNK", chunk)
        monkeypatch.setattr(ods_scan, "_ODS_ROW_HELD", 500)
    rng = random.Random(chunk)
    bounds = SheetBounds(rows=40, columns=20)
    refused = 0
    for _ in range(300):
        tables = {f"T{i}": _random_table_rows(rng) for i in range(rng.choice([1, 2]))}
        path = _ods(tmp_path / "random.ods", tables)
        with zipfile.ZipFile(path) as archive:
            expected = _far_cells_cell_by_cell(archive.read("content.xml"), bounds)
        assert cells_beyond(path, bounds) == expected
        refused += bool(expected)
    assert 15 < refused < 285, refused  # both outcomes are tried
