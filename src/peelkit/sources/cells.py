"""Small helpers every publication reader needs: spreadsheet column letters, file checksums,
and how far a workbook's sheets reach (checked before a sheet is opened)."""

from __future__ import annotations

import hashlib
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from xml.etree import ElementTree

from peelkit.errors import DataFileError


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index: 0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, read in chunks (some releases are large)."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# --- how far a workbook's sheets reach, read before a spreadsheet library opens them --------
#
# python-calamine builds a sheet as a dense grid from its first used cell to its last: one cell
# far away (XFD1048576) asks for 17 billion cells (512 GiB) and aborts the process. So the
# extent of each sheet is read first from the workbook's XML, as a stream (never the whole
# sheet in memory), and a sheet beyond its publication's declared bound is refused with the
# sheet named.

_XLSX_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)(?=[\s/>])([^>]*?)(/?)>")
_ODS_TAG = re.compile(
    rb"<(/?)(?:[A-Za-z_][\w.-]*:)?(table|table-row|table-cell|covered-table-cell)(?=[\s/>])"
    rb"([^>]*?)(/?)>"
)
_CELL_REF = re.compile(rb"""\br\s*=\s*["']([A-Za-z]{1,3})(\d+)["']""")
_ROW_REF = re.compile(rb"""\br\s*=\s*["'](\d+)["']""")
_ROWS_REPEATED = re.compile(rb"""number-rows-repeated\s*=\s*["'](\d+)["']""")
_COLUMNS_REPEATED = re.compile(rb"""number-columns-repeated\s*=\s*["'](\d+)["']""")
_TABLE_NAME = re.compile(rb"""\bname\s*=\s*["']([^"']*)["']""")
_VALUE_TYPE = re.compile(rb"value-type\s*=")
_CHUNK = 1 << 20


@dataclass(frozen=True)
class SheetExtent:
    """How far a sheet's cells with content reach: its last row and column (1-based; 0 for an
    empty sheet). A reader's grid of the sheet is at most this big."""

    rows: int
    columns: int


@dataclass(frozen=True)
class SheetBounds:
    """The largest sheet a publication reader reads (``sheet_bounds`` of its layout file)."""

    rows: int
    columns: int

    @classmethod
    def of(cls, layout: dict[str, Any]) -> SheetBounds:
        bounds = layout["sheet_bounds"]
        return cls(rows=int(bounds["rows"]), columns=int(bounds["columns"]))


def _column_number(letters: bytes) -> int:
    number = 0
    for char in letters.upper():
        number = number * 26 + char - 64
    return number


def _tags(stream: IO[bytes], pattern: re.Pattern[bytes]) -> Iterator[re.Match[bytes]]:
    """The matches of a tag pattern in an XML stream read in chunks (a tag cut by a chunk's
    end is completed by the next chunk)."""
    tail = b""
    while chunk := stream.read(_CHUNK):
        data = tail + chunk
        cut = data.rfind(b"<")
        if cut == -1 or data.find(b">", cut) != -1:
            cut = len(data)
        yield from pattern.finditer(data, 0, cut)
        tail = data[cut:]
    yield from pattern.finditer(tail)


def _xlsx_extent(stream: IO[bytes]) -> SheetExtent:
    rows = columns = 0
    row = column = 0
    for match in _tags(stream, _XLSX_TAG):
        tag, attributes, empty = match.groups()
        if tag == b"row":
            found = _ROW_REF.search(attributes)
            row = int(found[1]) if found else row + 1
            column = 0
            continue
        found = _CELL_REF.search(attributes)
        if found:
            column, row = _column_number(found[1]), int(found[2])
        else:
            column += 1
        if not empty:  # "<c r=.. s=../>" is a formatted empty cell: no content
            rows, columns = max(rows, row), max(columns, column)
    return SheetExtent(rows, columns)


def _xlsx_sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> the archive member holding it, from the workbook and its relationships."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    relations = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in relations}
    parts: dict[str, str] = {}
    for element in workbook.iter():
        if element.tag.rsplit("}", 1)[-1] != "sheet":
            continue
        relation = next((v for k, v in element.attrib.items() if k.endswith("}id")), None)
        target = targets.get(relation, "")
        member = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        parts[element.get("name", "")] = member
    return parts


def _ods_extents(stream: IO[bytes]) -> dict[str, SheetExtent]:
    """Rows and cells of an OpenDocument sheet repeat (``number-rows-repeated``,
    ``number-columns-repeated``): a repeated row or cell with content reaches as far as its
    last repetition."""
    extents: dict[str, SheetExtent] = {}
    name = ""
    rows = columns = 0
    row = 0  # rows before the current one
    column = 0  # cells before the current one, in the current row
    repeat = 1  # how many times the current row repeats
    row_used = False
    for match in _tags(stream, _ODS_TAG):
        closing, tag, attributes, empty = match.groups()
        if tag == b"table":
            if closing or empty:
                extents[name] = SheetExtent(rows, columns)
            else:
                found = _TABLE_NAME.search(attributes)
                name = found[1].decode("utf-8", "replace") if found else ""
                rows = columns = row = 0
        elif tag == b"table-row":
            if not closing:
                found = _ROWS_REPEATED.search(attributes)
                repeat = int(found[1]) if found else 1
                column, row_used = 0, False
            if closing or empty:
                if row_used:
                    rows = max(rows, row + repeat)
                row += repeat
        elif not closing:
            found = _COLUMNS_REPEATED.search(attributes)
            span = int(found[1]) if found else 1
            if not empty or _VALUE_TYPE.search(attributes):
                columns = max(columns, column + span)
                row_used = True
            column += span
    return extents


def sheet_extents(path: Path) -> dict[str, SheetExtent]:
    """How far each sheet of an .xlsx/.xlsm or .ods workbook reaches, read from its XML without
    building any grid; empty for other files (an .xls, a CSV, a damaged zip): their readers'
    own errors apply."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = set(archive.namelist())
            if "content.xml" in members:
                with archive.open("content.xml") as stream:
                    return _ods_extents(stream)
            if "xl/workbook.xml" not in members:
                return {}
            extents = {}
            for name, member in _xlsx_sheet_parts(archive).items():
                if member in members:
                    with archive.open(member) as stream:
                        extents[name] = _xlsx_extent(stream)
            return extents
    except (OSError, zipfile.BadZipFile, ElementTree.ParseError, KeyError, EOFError):
        return {}


def check_sheet_size(
    filename: str,
    sheet: str,
    extents: dict[str, SheetExtent],
    bounds: SheetBounds,
    publication: str,
) -> None:
    """Refuse, naming the sheet, a sheet that reaches beyond the publication's bound."""
    extent = extents.get(sheet)
    if extent is None or (extent.rows <= bounds.rows and extent.columns <= bounds.columns):
        return
    raise DataFileError(
        filename,
        f"sheet {sheet!r}",
        f"has cells as far as row {extent.rows:,} and column {column_letter(extent.columns - 1)}"
        f" ({extent.rows:,} rows by {extent.columns:,} columns); a sheet of this publication "
        f"has at most {bounds.rows:,} rows and {bounds.columns:,} columns (sheet_bounds in "
        f"layouts/{publication}.yaml): delete the stray cells beyond the table",
        code="sheet_too_large",
    )
