"""Small helpers every publication reader needs: spreadsheet column letters, file checksums,
and how far a workbook's sheets reach (checked before a sheet is opened).

The .xlsx scan is here; the OpenDocument scan is in :mod:`peelkit.sources.cells_ods`, and the
reading of Excel 97-2003 workbooks in :mod:`peelkit.sources.cells_xls`."""

from __future__ import annotations

import hashlib
import html
import os
import re
import sys
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from xml.etree import ElementTree

from peelkit.errors import DataFileError
from peelkit.sources import cells_ods, cells_xls


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


def parser_failed(error: BaseException) -> bool:
    """Whether an exception raised while a third-party parser read a file is its failure on
    the file: an :class:`Exception`, or a panic of python-calamine's Rust code on a malformed
    record it does not check (pyo3's ``pyo3_runtime.PanicException``, which derives from
    BaseException, so that ``except Exception`` lets it through as a traceback). Not
    KeyboardInterrupt, SystemExit or GeneratorExit: those are to be raised again."""
    if isinstance(error, Exception):
        return True
    return any(
        kind.__module__ == "pyo3_runtime" and kind.__name__ == "PanicException"
        for kind in type(error).__mro__
    )


_PANIC_REPORT = re.compile(rb"(?m)^\n?thread '[^'\n]*' (?:\(\d+\) )?panicked at ")


@contextmanager
def quiet_panics() -> Iterator[None]:
    """Keep what Rust's panic hook writes to the process's stderr out of it.

    A python-calamine panic is printed there by Rust (a "thread '<unnamed>' panicked at ..."
    report, with a whole backtrace under RUST_BACKTRACE) before Python sees the exception,
    whether or not it is then caught. So file descriptor 2 goes to a temporary file
    meanwhile, and what was written is written back after, cut off where a panic's report
    begins (nothing else is written once a panic unwinds to the reader that opened the
    workbook). For the reading of one file in the command-line tool: it holds back what any
    other thread writes to stderr meanwhile.
    """
    try:
        saved = os.dup(2)
    except OSError:  # no stderr to keep anything out of
        yield
        return
    with tempfile.TemporaryFile() as held:
        sys.stderr.flush()
        os.dup2(held.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            held.seek(0)
            written = held.read()
            report = _PANIC_REPORT.search(written)
            written = written[: report.start()] if report else written
            while written:
                written = written[os.write(2, written) :]


# --- how far a workbook's sheets reach, read before a spreadsheet library opens them --------
#
# python-calamine builds a sheet as a dense grid from its first used cell to its last: one cell
# far away (XFD1048576) asks for 17 billion cells (512 GiB) and aborts the process. So each
# sheet's cells are looked at first in the workbook's XML, as a stream (never a whole sheet in
# memory), and a sheet with a cell beyond its publication's declared bound is refused, naming
# the sheet and the cell.

_XLSX_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)(?=[\s/>])([^>]*?)(/?)>")
_CELL_REF = re.compile(rb"""\br\s*=\s*["']([A-Za-z]{1,3})(\d+)["']""")
_ROW_REF = re.compile(rb"""\br\s*=\s*["'](\d+)["']""")
_CHUNK = 1 << 20


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


def cells_beyond(path: Path, bounds: SheetBounds) -> dict[str, str]:
    """For each sheet of an .xlsx/.xlsm, .ods or .xls workbook with a cell (with content)
    beyond the bounds, the farthest such cell ("XFD1048576"), read from the workbook's XML or
    records without building any grid. Empty for other files (a CSV, a damaged zip): their
    readers' own errors apply. An .xls whose compound file or workbook stream cannot be
    followed is refused (:class:`DataFileError`): python-calamine could fail on it with a
    panic, or not at all."""
    try:
        if cells_xls.is_compound_file(path):
            far = cells_xls.far_cells(path, bounds)
            return {name: _cell(column, row) for name, (row, column) in far.items()}
        with zipfile.ZipFile(path) as archive:
            members = set(archive.namelist())
            if "content.xml" in members:
                with archive.open("content.xml") as stream:
                    far = cells_ods.far_cells(stream, bounds)
                return {name: _cell(column, row) for name, (row, column) in far.items()}
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


_ODS_TABLE_NAME = re.compile(rb"""<table:table\s[^>]*?table:name\s*=\s*["']([^"']*)["']""")


def sheet_names(path: Path) -> list[str]:
    """The names of an .xlsx/.xlsm, .ods or .xls workbook's sheets, from its XML or records
    (no sheet is read); empty for other files, and for a damaged one."""
    try:
        if cells_xls.is_compound_file(path):
            return cells_xls.sheet_names(path)
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
