"""Excel 97-2003 workbooks (.xls): BIFF records in an OLE compound file, read before
python-calamine opens them.

python-calamine reads an .xls whole as it opens it, every sheet: for each, its cells, and
room for as many cells as the sheet's DIMENSIONS record declares (a damaged or hostile one
declaring 2^32 rows aborts the process). So the workbook stream is read first, as
python-calamine finds and reads it (below), and each sheet's cell records are looked at.
The compound file is read here rather than with a library such as olefile because the
stream scanned must be the very one python-calamine reads: it takes the first directory
entry named exactly "Workbook" (then "Book", "WORKBOOK", "BOOK") in the directory's order,
entries outside the directory's tree included, and a stream of under 4,096 bytes from the
mini stream whatever the header says; olefile walks the tree, ignoring case. A container
python-calamine could not follow either (a sector past the end of the file, a chain that
loops or leaves the allocation table) is refused as damaged here, where python-calamine
would fail with a panic (a traceback past any ``except Exception``) or loop.
"""

from __future__ import annotations

import codecs
import mmap
import os
import struct
import sys
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from peelkit.errors import DataFileError

if TYPE_CHECKING:
    from peelkit.sources.cells import SheetBounds

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


def far_cells(path: Path, bounds: SheetBounds) -> dict[str, tuple[int, int]]:
    """For each sheet of an .xls workbook with a cell beyond the bounds (or room for more
    cells than a whole sheet within them), the farthest, (row, column) 1-based. A compound
    file or workbook stream that cannot be followed is refused (:class:`DataFileError`)."""
    try:
        stream, sheets = _xls_workbook(path)
        if sheets is None:
            return {}
        found: dict[str, tuple[int, int]] = {}
        seen: dict[int, tuple[int, int] | None] = {}
        padded = stream + bytes(8)
        for sheet in sheets:
            if sheet.offset > len(stream):  # python-calamine would panic
                raise _Damaged(f"sheet {sheet.name!r} begins past the end of the workbook stream")
            if sheet.offset not in seen:
                seen[sheet.offset] = _biff_far_cell(padded, sheet.offset, bounds)
            far = seen[sheet.offset]
            if far is not None:
                found[sheet.name] = max(found.get(sheet.name, (0, 0)), far)
    except _Damaged as damaged:
        raise DataFileError(
            path.name, "", f"not a readable Excel 97-2003 workbook ({damaged})"
        ) from None
    return found


def is_compound_file(path: Path) -> bool:
    """Whether the file begins as an OLE compound file (an .xls) does."""
    with path.open("rb") as handle:
        return handle.read(len(_OLE_MAGIC)) == _OLE_MAGIC


def sheet_names(path: Path) -> list[str]:
    """The names of an .xls workbook's sheets, from its BOUNDSHEET records; empty for an
    encrypted or damaged one (a damaged one is refused, naming the damage, when it is read)."""
    try:
        _stream, sheets = _xls_workbook(path)
    except _Damaged:
        return []
    return [sheet.name for sheet in sheets or []]
