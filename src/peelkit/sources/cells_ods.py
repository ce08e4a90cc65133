"""How far the sheets of an OpenDocument spreadsheet (.ods) reach, read from its content.xml
before python-calamine opens it.

python-calamine reads every sheet of an .ods as it opens it, and builds each as a dense grid
from its first used cell to its last: one cell far away, or a row or cell repeated far past the
table (``number-rows-repeated``, ``number-columns-repeated``), asks for billions of cells and
aborts the process. So content.xml is read here first, as a stream (never a whole sheet in
memory), at the speed of searching bytes: see :class:`_OdsScan`. :mod:`peelkit.sources.cells`
refuses a sheet that reaches beyond its publication's bounds.
"""

from __future__ import annotations

import html
import re
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from peelkit.sources.cells import SheetBounds

# Tables and rows by these names only, as python-calamine knows them (it ignores a "t:table-row"
# even where "t" names the same namespace); cells by any prefix.
_ODS_STRUCTURE = re.compile(rb"<(/?)table:(table|table-row)(?=[\s/>])([^>]*?)(/?)>")
_ODS_CELL = re.compile(
    rb"<(/?)(?:[A-Za-z_][\w.-]*:)?(?:table-cell|covered-table-cell)(?=[\s/>])([^>]*?)(/?)>"
)
_ROWS_REPEATED = re.compile(rb"""number-rows-repeated\s*=\s*["'](\d+)["']""")
_COLUMNS_REPEATED = re.compile(rb"""number-columns-repeated\s*=\s*["'](\d+)["']""")
_TABLE_NAME = re.compile(rb"""(?<![\w.:-])(?:[A-Za-z_][\w.-]*:)?name\s*=\s*["']([^"']*)["']""")
_VALUE_TYPE = re.compile(rb"value-type\s*=")
_CHUNK = 1 << 20  # bytes read at a time
_ODS_ROW_HELD = 8 << 20  # a row longer than this is read cell by cell as it comes
_ODS_EMPTY_AT_END = 64  # empty cells looked past at the end of a row before taking it whole


def far_cells(stream: IO[bytes], bounds: SheetBounds) -> dict[str, tuple[int, int]]:
    """For each sheet of an OpenDocument content.xml with a cell (with content) beyond the
    bounds, the farthest such cell, (row, column) 1-based. Rows and cells of an OpenDocument
    sheet repeat (``number-rows-repeated``, ``number-columns-repeated``): a repeated row or
    cell with content reaches as far as its last repetition. Read as a stream, a row at a time
    (see :class:`_OdsScan`)."""
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
        self.far_cells: dict[str, tuple[int, int]] = {}  # (row, column) of each sheet
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

    def finish(self, buffer: bytes) -> dict[str, tuple[int, int]]:
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
            far = max(self.far, self.far_cells.get(self.name, (0, 0)))  # two of one name
            self.far_cells[self.name] = far
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
