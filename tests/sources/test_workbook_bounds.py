"""Workbooks (issue 15): a sheet with one cell far away is refused, naming the sheet and the
cell, before the spreadsheet reader builds its grid (python-calamine asked for 512 GiB and the
process aborted); workbooks are recognised by their content, not their file name."""

from __future__ import annotations

import resource
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl  # type: ignore[import-untyped]
import pytest

from peelkit.errors import DataFileError
from peelkit.sources import home_office_open_data, home_office_workforce, ons_pfa_tables
from peelkit.sources.cells import SheetBounds, cells_beyond
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
