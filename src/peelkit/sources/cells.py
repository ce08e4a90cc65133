"""Small helpers every publication reader needs: spreadsheet column letters, file checksums,
and how far a workbook's sheets reach (checked before a sheet is opened)."""

from __future__ import annotations

import codecs
import hashlib
import html
import mmap
import os
import re
import struct
import sys
import zipfile
import zlib
from array import array
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
# far away (XFD1048576) asks for 17 billion cells (512 GiB) and aborts the process. So each
# sheet's cells are looked at first in the workbook's XML, as a stream (never a whole sheet in
# memory), and a sheet with a cell beyond its publication's declared bound is refused, naming
# the sheet and the cell.

_XLSX_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)(?=[\s/>])([^>]*?)(/?)>")
# Tables and rows by these names only, as python-calamine knows them (it ignores a "t:table-row"
# even where "t" names the same namespace); cells by any prefix.
_ODS_STRUCTURE = re.compile(rb"<(/?)table:(table|table-row)(?=[\s/>])([^>]*?)(/?)>")
_ODS_CELL = re.compile(
    rb"<(/?)(?:[A-Za-z_][\w.-]*:)?(?:table-cell|covered-table-cell)(?=[\s/>])([^>]*?)(/?)>"
)
_CELL_REF = re.compile(rb"""\br\s*=\s*["']([A-Za-z]{1,3})(\d+)["']""")
_ROW_REF = re.compile(rb"""\br\s*=\s*["'](\d+)["']""")
_ROWS_REPEATED = re.compile(rb"""number-rows-repeated\s*=\s*["'](\d+)["']""")
_COLUMNS_REPEATED = re.compile(rb"""number-columns-repeated\s*=\s*["'](\d+)["']""")
_TABLE_NAME = re.compile(rb"""(?<![\w.:-])(?:[A-Za-z_][\w.-]*:)?name\s*=\s*["']([^"']*)["']""")
_VALUE_TYPE = re.compile(rb"value-type\s*=")
_CHUNK = 1 << 20
_ODS_ROW_HELD = 8 << 20  # a row longer than this is read cell by cell as it comes
_ODS_EMPTY_AT_END = 64  # empty cells looked past at the end of a row before taking it whole


@dataclass(frozen=True)
class SheetBounds:
    """The largest sheet a publication reader reads (``sheet_bounds`` of its layout file)."""

    rows: int
    columns: int

    @classmethod
    def of(cls, layout: dict[str, Any]) -> SheetBounds:
        bounds = layout["sheet_bounds"]
        return cls(rows=int(bounds["rows"]), columns=int(bounds["columns"]))

    def holds(self, row: int, column: int) -> bool:
        return row <= self.rows and column <= self.columns


def _column_number(letters: bytes) -> int:
    number = 0
    for char in letters.upper():
        number = number * 26 + char - 64
    return number


def _cell(column: int, row: int) -> str:
    return f"{column_letter(column - 1)}{row}"


def _chunks(stream: IO[bytes]) -> Iterator[tuple[bytes, int]]:
    """An XML stream in chunks, each with the length of it that holds whole tags (a tag cut
    by a chunk's end is completed in the next chunk)."""
    tail = b""
    while chunk := stream.read(_CHUNK):
        data = tail + chunk
        cut = data.rfind(b"<")
        if cut == -1 or data.find(b">", cut) != -1:
            cut = len(data)
        yield data, cut
        tail = data[cut:]
    yield tail, len(tail)


def _xlsx_far_cell(archive: zipfile.ZipFile, member: str, bounds: SheetBounds) -> str | None:
    """A cell with content of a worksheet beyond the bounds (the farthest), or None.

    Quick when every cell is spelt ``<c r="..."`` (as spreadsheet programs write them): only
    references with as many letters or digits as the bounds' are looked at. Else cell by cell
    (a cell without ``r`` follows the one before).
    """
    letters = len(column_letter(bounds.columns - 1))
    digits = len(str(bounds.rows))
    candidates = re.compile(
        rb'<c r="([A-Z]{%d,3}\d+|[A-Z]{1,3}\d{%d,})"[^>]*?(/?)>' % (letters, digits)
    )
    far: tuple[int, int] | None = None
    with archive.open(member) as stream:
        for data, end in _chunks(stream):
            usual = data.count(b'<c r="', 0, end)
            if usual != data.count(b"<c ", 0, end) or b"<c>" in data or b":c " in data:
                break
            for reference, empty in candidates.findall(data, 0, end):
                found = _CELL_REF.search(b'r="' + reference + b'"')
                assert found is not None
                column, row = _column_number(found[1]), int(found[2])
                if not empty and not bounds.holds(row, column):
                    far = max(far or (0, 0), (row, column))
        else:
            return _cell(far[1], far[0]) if far else None
    with archive.open(member) as stream:
        return _xlsx_far_cell_one_by_one(stream, bounds)


def _xlsx_far_cell_one_by_one(stream: IO[bytes], bounds: SheetBounds) -> str | None:
    far: tuple[int, int] | None = None
    row = column = 0
    for data, end in _chunks(stream):
        for match in _XLSX_TAG.finditer(data, 0, end):
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
            # "<c r=.. s=../>" is a formatted empty cell: no content, no part of the grid.
            if not empty and not bounds.holds(row, column):
                far = max(far or (0, 0), (row, column))
    return _cell(far[1], far[0]) if far else None


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


def _ods_far_cells(stream: IO[bytes], bounds: SheetBounds) -> dict[str, str]:
    """Rows and cells of an OpenDocument sheet repeat (``number-rows-repeated``,
    ``number-columns-repeated``): a repeated row or cell with content reaches as far as its
    last repetition. Read as a stream, a row at a time (see :class:`_OdsScan`)."""
    scan = _OdsScan(bounds)
    buffer = b""
    while True:
        chunk = stream.read(_CHUNK)
        buffer += chunk
        limit = len(buffer)
        cut = buffer.rfind(b"<")
        if chunk and cut != -1 and buffer.find(b">", cut) == -1:
            limit = cut  # a tag cut by the chunk's end is read with the next chunk
        keep = scan.feed(buffer, limit)
        buffer = buffer[keep:]
        scan.shift(keep)
        if not chunk:
            return scan.finish(buffer)


class _OdsScan:
    """How far each sheet of an OpenDocument content.xml reaches, at the speed of searching
    bytes rather than of parsing cells in Python.

    The tags of tables and rows are found with a regular expression, and each row is bounded
    as a whole: its cells with content all begin before the last ``>`` that does not end an
    empty element (``/>``) or the last ``value-type``, whichever is later, so that part of
    the row, counted (each ``table-cell`` tag plus every ``number-columns-repeated``), spans
    at least as many columns as they reach. Only a row that might reach beyond the bounds, by
    that count or by its rows, is read cell by cell (:func:`_ods_row_cells`), which finds how
    far it truly reaches: the answer is that of reading every row cell by cell."""

    def __init__(self, bounds: SheetBounds) -> None:
        self.bounds = bounds
        self.far_cells: dict[str, str] = {}
        self.far_seen: dict[str, tuple[int, int]] = {}
        self.name: str | None = None  # the open table's
        self.far: tuple[int, int] | None = None  # its farthest (row, column) beyond the bounds
        self.row = 0  # its rows before the current one
        self.scanned = 0  # where in the buffer the tags not yet handled begin
        self.in_row = False
        self.repeat = 1  # how many times the current row repeats
        self.body = 0  # where in the buffer the current row's cells not yet read begin
        self.cell_by_cell = False  # the row was too long to hold whole: read as it comes
        self.column = self.reach = 0  # of a row read cell by cell: its cells so far, reach
        self.nested = 0  # tables open inside a cell of the current row (part of that row)

    def feed(self, buffer: bytes, limit: int) -> int:
        """Handle the tags of tables and rows in ``buffer[:limit]``; returns the offset
        before which the buffer is no longer needed."""
        for match in _ODS_STRUCTURE.finditer(buffer, self.scanned, limit):
            closing, tag, attributes, empty = match.groups()
            if tag == b"table" and self.in_row:
                if empty:
                    continue
                if self.nested or not closing:
                    self.nested += -1 if closing else 1
                    continue
                self._end_row(buffer, match.start())  # the table ends an unclosed row
            if self.nested:
                continue
            if tag == b"table":
                self._end_table()
                if not closing and not empty:
                    found = _TABLE_NAME.search(attributes)
                    name = found[1].decode("utf-8", "replace") if found else ""
                    self.name = html.unescape(name)
            elif closing:
                if self.in_row:
                    self._end_row(buffer, match.start())
            else:
                if self.in_row:  # a row inside a row: the first ends here
                    self._end_row(buffer, match.start())
                found = _ROWS_REPEATED.search(attributes)
                self.repeat = int(found[1]) if found else 1
                self.in_row, self.body, self.cell_by_cell = True, match.end(), False
                self.column = self.reach = 0
                if empty:
                    self._end_row(buffer, match.end())
        self.scanned = limit
        if not self.in_row:
            return limit
        if limit - self.body > _ODS_ROW_HELD:
            self._read_cells(buffer, self.body, limit)
            self.body = limit
        return self.body

    def shift(self, offset: int) -> None:
        """The buffer now begins ``offset`` bytes further on."""
        self.scanned -= offset
        self.body -= offset

    def finish(self, buffer: bytes) -> dict[str, str]:
        """At the end of the file, a row or a table still open ends."""
        if self.in_row:
            self._end_row(buffer, len(buffer))
        self._end_table()
        return self.far_cells

    def _read_cells(self, buffer: bytes, start: int, end: int) -> None:
        self.cell_by_cell = True
        self.column, self.reach = _ods_row_cells(buffer, start, end, self.column, self.reach)

    def _end_row(self, buffer: bytes, end: int) -> None:
        self.in_row, self.nested = False, 0
        self.row += self.repeat
        bounds = self.bounds
        if not self.cell_by_cell:
            at_most = _ods_row_reach(buffer, self.body, end)
            if at_most == 0 or (at_most <= bounds.columns and self.row <= bounds.rows):
                return  # no content, or all of it within the bounds
        self._read_cells(buffer, self.body, end)
        if self.reach and not bounds.holds(self.row, self.reach):
            self.far = max(self.far or (0, 0), (self.row, self.reach))

    def _end_table(self) -> None:
        if self.name is not None and self.far is not None:
            far = max(self.far, self.far_seen.get(self.name, (0, 0)))  # two of one name
            self.far_seen[self.name] = far
            self.far_cells[self.name] = _cell(far[1], far[0])
        self.name, self.far, self.row = None, None, 0


def _ods_row_reach(buffer: bytes, start: int, end: int) -> int:
    """At least as many columns as the cells with content of the row ``buffer[start:end]``
    reach; 0 if it has none (see :class:`_OdsScan`)."""
    mark = buffer.rfind(b"value-type", start, end)
    close = end
    for _ in range(_ODS_EMPTY_AT_END):
        close = buffer.rfind(b">", start, close)
        if close <= start or buffer[close - 1] != 0x2F:  # "/>" ends an empty element
            break
    else:
        close = end  # many empty cells at the end: take the whole row
    mark = max(mark, close)
    if mark < start:
        return 0
    head = buffer.find(b">", mark, end)
    head = end if head == -1 else head + 1
    tags = (
        buffer.count(b"table-cell", start, head)
        - buffer.count(b"</table:table-cell", start, head)
        - buffer.count(b"</table:covered-table-cell", start, head)
    )
    repeated = sum(int(n) for n in _COLUMNS_REPEATED.findall(buffer, start, head))
    return max(tags + repeated, 1)


def _ods_row_cells(buffer: bytes, start: int, end: int, column: int, reach: int) -> tuple[int, int]:
    """The cells of (part of) a row, one by one, from ``column`` (the cells before them):
    how many columns there are after them, and how far those with content reach. A cell has
    content unless it is an empty element without a ``value-type``."""
    for match in _ODS_CELL.finditer(buffer, start, end):
        closing, attributes, empty = match.groups()
        if closing:
            continue
        found = _COLUMNS_REPEATED.search(attributes)
        span = int(found[1]) if found else 1
        if not empty or _VALUE_TYPE.search(attributes):
            reach = max(reach, column + span)
        column += span
    return column, reach


# --- Excel 97-2003 workbooks (.xls): BIFF records in an OLE compound file -------------------
#
# python-calamine reads an .xls whole as it opens it, every sheet: for each, its cells, and
# room for as many cells as the sheet's DIMENSIONS record declares (a damaged or hostile one
# declaring 2^32 rows aborts the process). So the workbook stream is read first, as
# python-calamine finds and reads it (below), and each sheet's cell records are looked at.
# The compound file is read here rather than with a library such as olefile because the
# stream scanned must be the very one python-calamine reads: it takes the first directory
# entry named exactly "Workbook" (then "Book", "WORKBOOK", "BOOK") in the directory's order,
# entries outside the directory's tree included, and a stream of under 4,096 bytes from the
# mini stream whatever the header says; olefile walks the tree, ignoring case. A container
# python-calamine could not follow either (a sector past the end of the file, a chain that
# loops or leaves the allocation table) is refused as damaged here, where python-calamine
# would fail with a panic (a traceback past any ``except Exception``) or loop.

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OLE_END_OF_CHAIN = 0xFFFF_FFFE
_OLE_NO_SECTOR = 0xFFFF_FFFA  # this and above name no sector
_OLE_DIFAT_SECTOR = 0xFFFF_FFFC
_OLE_MINI_SECTOR = 64
_OLE_MINI_CUTOFF = 4096  # python-calamine's, whatever the header says
_WORKBOOK_STREAMS = ("Workbook", "Book", "WORKBOOK", "BOOK")  # in python-calamine's order
_BIFF_EOF, _BIFF_BOF, _BIFF_BOUNDSHEET = 0x000A, 0x0809, 0x0085
_BIFF_CODEPAGE, _BIFF_FILEPASS = 0x0042, 0x002F
_BIFF_DIMENSIONS, _BIFF_MULRK = 0x0200, 0x00BD
_BIFF_OLDER = frozenset({0x0200, 0x0002, 0x0007, 0x0300, 0x0400, 0x0500})  # BOF versions
# Records of one cell, each beginning with its row and column: FORMULA, LABELSST, NUMBER,
# LABEL, BOOLERR, RK. BLANK and MULBLANK are no part of python-calamine's grid (tried: a
# far one leaves the sheet as it is), nor are the strings of formulas (STRING, at the cell
# of the formula before it).
_BIFF_CELLS = frozenset({0x0006, 0x00FD, 0x0203, 0x0204, 0x0205, 0x027E})
_BIFF_HEAD = struct.Struct("<HHHH")  # a record's type and size, and its first two numbers


class _Damaged(Exception):
    """A compound file or workbook stream that cannot be followed (the reason)."""


@dataclass(frozen=True)
class _BoundSheet:
    name: str
    offset: int  # of its BOF record in the workbook stream


class _CompoundFile:
    """The streams of an OLE compound file, found and read as python-calamine's ``cfb``
    module does, with the checks it lacks. Every read is bounded by the file's size."""

    def __init__(self, data: bytes | mmap.mmap) -> None:
        if len(data) < 512 or data[:8] != _OLE_MAGIC:
            raise _Damaged("no compound-file header")
        self.data = data
        version, shift, mini_shift = struct.unpack_from("<H2xHH", data, 26)
        if shift not in (9, 12) or mini_shift != 6:
            raise _Damaged(f"sector shift {shift} and mini sector shift {mini_shift}")
        self.sector_size = 1 << shift
        self.sectors = max(0, -(-(len(data) - self.sector_size) // self.sector_size))
        dir_len, _fat_len, dir_start = struct.unpack_from("<III", data, 40)
        mini_fat_start, mini_fat_len, difat_start = struct.unpack_from("<III", data, 60)
        difat = list(struct.unpack_from("<109I", data, 76))
        seen = set()
        sector = difat_start
        while sector < _OLE_NO_SECTOR:
            if sector in seen:
                raise _Damaged("the sectors of its allocation table run in a loop")
            seen.add(sector)
            difat += _u32s(self._sector(sector))
            sector = difat.pop()
        self.fat = array("I")
        for sector in difat:
            # Entries for more sectors than the file has would only be refused later.
            if sector < _OLE_DIFAT_SECTOR and len(self.fat) <= self.sectors:
                self.fat.extend(_u32s(self._sector(sector)))
        directory = self._chain(dir_start, dir_len * self.sector_size)
        if len(directory) % 128:
            raise _Damaged("its directory ends within an entry")
        self.entries: list[tuple[str, int, int]] = []
        for offset in range(0, len(directory), 128):
            name = directory[offset : offset + 64].decode("utf-16-le", "replace")
            (start,) = struct.unpack_from("<I", directory, offset + 116)
            size_format = "<I" if self.sector_size == 512 else "<Q"
            (size,) = struct.unpack_from(size_format, directory, offset + 120)
            self.entries.append((name.split("\0", 1)[0], start, size))
        if not self.entries or (version != 3 and self.entries[0][1] == _OLE_END_OF_CHAIN):
            raise _Damaged("its root directory is empty")
        self.mini_stream = b""
        self.mini_fat = array("I")
        if mini_fat_len > 0:
            _root, root_start, root_size = self.entries[0]
            self.mini_stream = self._chain(root_start, root_size)
            self.mini_fat.extend(
                _u32s(self._chain(mini_fat_start, mini_fat_len * self.sector_size))
            )

    def workbook(self) -> bytes:
        """The workbook stream."""
        reason = "it has no Workbook stream"
        for wanted in _WORKBOOK_STREAMS:
            entry = next((e for e in self.entries if e[0] == wanted), None)
            if entry is None:
                continue
            _name, start, size = entry
            try:
                if size < _OLE_MINI_CUTOFF:
                    return self._chain(start, size, mini=True)
                return self._chain(start, size)
            except _Damaged as damaged:  # python-calamine tries the next name
                reason = f"its {wanted} stream is damaged: {damaged}"
        raise _Damaged(reason)

    def _sector(self, sector: int, mini: bool = False, check_only: bool = False) -> bytes:
        if mini:
            offset = sector * _OLE_MINI_SECTOR
            if offset >= len(self.mini_stream):
                raise _Damaged(f"mini sector {sector} is past the end of the mini stream")
            return b"" if check_only else self.mini_stream[offset : offset + _OLE_MINI_SECTOR]
        offset = (sector + 1) * self.sector_size
        if offset >= len(self.data):
            raise _Damaged(f"sector {sector} is past the end of the file")
        return b"" if check_only else bytes(self.data[offset : offset + self.sector_size])

    def _chain(self, sector: int, size: int, mini: bool = False) -> bytes:
        """The sectors of a chain, to its end (as python-calamine follows it), keeping the
        first ``size`` bytes (all if 0)."""
        fat = self.mini_fat if mini else self.fat
        step = _OLE_MINI_SECTOR if mini else self.sector_size
        parts: list[bytes] = []
        kept = followed = 0
        while sector != _OLE_END_OF_CHAIN:
            if sector >= len(fat):
                which = "mini sector" if mini else "sector"
                raise _Damaged(f"{which} {sector} is outside its allocation table")
            followed += 1
            if followed > len(fat):
                raise _Damaged("a chain of its sectors runs in a loop")
            if not size or kept < size:
                parts.append(self._sector(sector, mini))
                kept += step
            else:  # not kept, but python-calamine reads it: it must be in the file
                self._sector(sector, mini, check_only=True)
            sector = fat[sector]
        data = b"".join(parts)
        return data[:size] if size else data


def _u32s(data: bytes) -> array[int]:
    numbers = array("I")
    numbers.frombytes(data[: len(data) - len(data) % 4])
    if sys.byteorder == "big":
        numbers.byteswap()
    return numbers


def _biff_records(stream: bytes, offset: int) -> Iterator[tuple[int, int, int]]:
    """(type, start, end of its data) of each record from ``offset`` to the EOF record (or
    to a record cut by the stream's end, at which python-calamine stops with an error)."""
    end = len(stream)
    while offset + 4 <= end:
        kind, size = struct.unpack_from("<HH", stream, offset)
        start, offset = offset + 4, offset + 4 + size
        if offset > end or kind == _BIFF_EOF:
            return
        yield kind, start, offset


def _biff_sheets(stream: bytes) -> list[_BoundSheet] | None:
    """The sheets of a workbook stream, from its BOUNDSHEET records; None if the workbook
    is encrypted (python-calamine refuses it: "Workbook is password protected")."""
    sheets = []
    biff8 = True
    codepage = 1200
    for kind, start, end in _biff_records(stream, 0):
        if kind == _BIFF_BOF:
            if end - start < 2:
                raise _Damaged("its BOF record is cut short")
            (version,) = struct.unpack_from("<H", stream, start)
            kind_of_bof = struct.unpack_from("<H", stream, start + 2)[0] if end - start >= 4 else 0
            # python-calamine's reading of the version: BIFF8 unless said otherwise.
            biff8 = version not in _BIFF_OLDER if version else kind_of_bof != 0x1000
        elif kind in (_BIFF_CODEPAGE, _BIFF_FILEPASS):
            if end - start < 2:
                raise _Damaged(f"a record of type {kind:#06x} is cut short")
            (value,) = struct.unpack_from("<H", stream, start)
            if kind == _BIFF_CODEPAGE:
                codepage = value
            elif value:
                return None
        elif kind == _BIFF_BOUNDSHEET:
            if end - start < 8:
                raise _Damaged("a BOUNDSHEET record is cut short")
            (offset,) = struct.unpack_from("<I", stream, start)
            sheets.append(
                _BoundSheet(_biff_sheet_name(stream[start + 6 : end], biff8, codepage), offset)
            )
    return sheets


def _biff_sheet_name(data: bytes, biff8: bool, codepage: int) -> str:
    length, text = data[0], data[1:]
    if biff8:
        flags, text = text[0], text[1:]
        if flags & 1:
            return text[: 2 * length].decode("utf-16-le", "replace").replace("\0", "")
    text = text[:length]
    try:
        encoding = "latin-1" if codepage == 1200 else codecs.lookup(f"cp{codepage}").name
        name = text.decode(encoding, "replace")
    except LookupError:
        name = text.decode("latin-1")
    return name.replace("\0", "")


def _biff_far_cell(stream: bytes, offset: int, bounds: SheetBounds) -> tuple[int, int] | None:
    """The farthest (row, column), 1-based, of a sheet's cells beyond the bounds, or of the
    cells its DIMENSIONS record makes room for if they outnumber a whole sheet within the
    bounds; None if there is none. ``stream`` ends with 8 bytes of padding (not records):
    each record's header and first 4 bytes are read at once (some 1.5 million records a
    second)."""
    far_row = far_column = 0
    end = len(stream) - 8
    rows, columns, room = bounds.rows, bounds.columns, bounds.rows * bounds.columns
    head, cells = _BIFF_HEAD.unpack_from, _BIFF_CELLS
    while offset + 4 <= end:
        kind, size, row, column = head(stream, offset)
        start = offset + 4
        offset = start + size
        if offset > end or kind == _BIFF_EOF:
            break
        if kind in cells:
            if size < 4 or (row < rows and column < columns):
                continue  # within the bounds, or refused by python-calamine (too short)
            row, column = row + 1, column + 1
        elif kind == _BIFF_MULRK:
            (last,) = struct.unpack_from("<H", stream, offset - 2)
            count = (last - column + 1) & 0xFFFF  # as python-calamine counts them
            if size < 6 or not count or size != 6 + 6 * count:
                continue  # no cell, or refused by python-calamine
            row, column = row + 1, column + count
        elif kind == _BIFF_DIMENSIONS:
            declared = _biff_dimensions(stream[start:offset], room)
            if declared is None:
                continue
            row, column = declared
        else:
            continue
        if (row > far_row or (row == far_row and column > far_column)) and not bounds.holds(
            row, column
        ):
            far_row, far_column = row, column
    return (far_row, far_column) if far_row else None


def _biff_dimensions(data: bytes, room: int) -> tuple[int, int] | None:
    """The last cell, 1-based, of a DIMENSIONS record that makes room for more cells than
    ``room``; None if it does not."""
    if len(data) == 14:
        first_row, last_row, first_column, last_column = struct.unpack_from("<IIHH", data)
    elif len(data) == 10:
        first_row, last_row, first_column, last_column = struct.unpack_from("<HHHH", data)
    else:
        return None  # refused by python-calamine
    if last_row < 1 or last_column < 1:
        return None  # room for one cell
    # python-calamine's arithmetic, in 32 bits: a last row before the first wraps round.
    rows = (last_row - first_row) % (1 << 32)
    columns = (last_column - first_column) % (1 << 32)
    if rows * columns <= room:
        return None
    return (first_row + rows, first_column + columns)


def _xls_workbook(path: Path) -> tuple[bytes, list[_BoundSheet] | None]:
    with path.open("rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size < 512:
            raise _Damaged("no compound-file header")
        try:
            data: bytes | mmap.mmap = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):  # a file that cannot be mapped is read
            data = handle.read()
        try:
            stream = _CompoundFile(data).workbook()
        finally:
            if isinstance(data, mmap.mmap):
                data.close()
    return stream, _biff_sheets(stream)


def _xls_far_cells(path: Path, bounds: SheetBounds) -> dict[str, str]:
    try:
        stream, sheets = _xls_workbook(path)
        if sheets is None:
            return {}
        far_cells: dict[str, tuple[int, int]] = {}
        seen: dict[int, tuple[int, int] | None] = {}
        padded = stream + bytes(8)
        for sheet in sheets:
            if sheet.offset > len(stream):  # python-calamine would panic
                raise _Damaged(f"sheet {sheet.name!r} begins past the end of the workbook stream")
            if sheet.offset not in seen:
                seen[sheet.offset] = _biff_far_cell(padded, sheet.offset, bounds)
            far = seen[sheet.offset]
            if far is not None:
                far_cells[sheet.name] = max(far_cells.get(sheet.name, (0, 0)), far)
    except _Damaged as damaged:
        raise DataFileError(
            path.name, "", f"not a readable Excel 97-2003 workbook ({damaged})"
        ) from None
    return {name: _cell(column, row) for name, (row, column) in far_cells.items()}


def cells_beyond(path: Path, bounds: SheetBounds) -> dict[str, str]:
    """For each sheet of an .xlsx/.xlsm, .ods or .xls workbook with a cell (with content)
    beyond the bounds, the farthest such cell ("XFD1048576"), read from the workbook's XML or
    records without building any grid. Empty for other files (a CSV, a damaged zip): their
    readers' own errors apply. An .xls whose compound file or workbook stream cannot be
    followed is refused (:class:`DataFileError`): python-calamine could fail on it with a
    panic, or not at all."""
    try:
        if _is_compound_file(path):
            return _xls_far_cells(path, bounds)
        with zipfile.ZipFile(path) as archive:
            members = set(archive.namelist())
            if "content.xml" in members:
                with archive.open("content.xml") as stream:
                    return _ods_far_cells(stream, bounds)
            if "xl/workbook.xml" not in members:
                return {}
            far_cells = {}
            for name, member in _xlsx_sheet_parts(archive).items():
                if member in members:
                    cell = _xlsx_far_cell(archive, member, bounds)
                    if cell is not None:
                        far_cells[name] = cell
            return far_cells
    except (OSError, zipfile.BadZipFile, zlib.error, ElementTree.ParseError, KeyError, EOFError):
        return {}


def _is_compound_file(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(len(_OLE_MAGIC)) == _OLE_MAGIC


_ODS_TABLE_NAME = re.compile(rb"""<table:table\s[^>]*?table:name\s*=\s*["']([^"']*)["']""")


def sheet_names(path: Path) -> list[str]:
    """The names of an .xlsx/.xlsm, .ods or .xls workbook's sheets, from its XML or records
    (no sheet is read); empty for other files, and for a damaged one."""
    try:
        if _is_compound_file(path):
            _stream, sheets = _xls_workbook(path)
            return [sheet.name for sheet in sheets or []]
        with zipfile.ZipFile(path) as archive:
            members = set(archive.namelist())
            if "content.xml" in members:
                names = []
                with archive.open("content.xml") as stream:
                    for data, end in _chunks(stream):
                        names += [
                            html.unescape(m.decode("utf-8", "replace"))
                            for m in _ODS_TABLE_NAME.findall(data, 0, end)
                        ]
                return names
            if "xl/workbook.xml" in members:
                return list(_xlsx_sheet_parts(archive))
    except (OSError, zipfile.BadZipFile, zlib.error, ElementTree.ParseError, KeyError, EOFError):
        pass
    except _Damaged:
        pass  # refused, naming the damage, when it is read
    return []


def check_workbook_size(path: Path, filename: str, bounds: SheetBounds, publication: str) -> None:
    """Refuse, naming the sheet and the cell, a workbook with a sheet with a cell beyond the
    bounds, before a spreadsheet library opens it (python-calamine reads every sheet of an
    .ods as it opens it, and builds an .xlsx sheet's whole grid as it is asked for)."""
    for sheet, cell in cells_beyond(path, bounds).items():
        raise DataFileError(
            filename,
            f"sheet {sheet!r}",
            f"has a cell as far as {cell}, beyond the {bounds.rows:,} rows and "
            f"{bounds.columns:,} columns a sheet of this publication has (sheet_bounds in "
            f"layouts/{publication}.yaml); delete what is beyond the table and save the file "
            "again",
            code="sheet_too_large",
        )
