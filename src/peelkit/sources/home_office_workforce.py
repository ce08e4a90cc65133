"""Home Office police workforce tables (September editions): FTE by force at each date.

Each edition (an .ods workbook) has an Index sheet and one table per kind of worker by police
force area, with the figures at two or three dates. Which sheet holds which measure, the header
row and the rows that are not forces are declared in ``layouts/home-office-workforce.yaml``.
Published region and national totals are checked against the sum of their rows.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook

from peelkit.domain.periods import Period
from peelkit.errors import DataFileError, UnknownForce
from peelkit.reference import resolve_force, territorial_forces
from peelkit.sources.cells import (
    SheetBounds,
    cells_beyond,
    check_workbook_size,
    parser_failed,
    sheet_names,
)
from peelkit.sources.cells import column_letter as _letter
from peelkit.sources.cells import file_sha256 as _sha256
from peelkit.sources.figures import figure_problem
from peelkit.sources.measures import measure as measure_of
from peelkit.sources.model import Cell, Observation, Problem, Publication, SourceData
from peelkit.sources.readers import SourceReader, layout

PUBLICATION_ID = "home-office-workforce"

_TABLE_PREFIX = re.compile(r"^\s*Table\s*\d+\s*:\s*", re.IGNORECASE)
_FOOTNOTE = re.compile(r"[\d,\s]+$")
_SPREADSHEET_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")
_RECOGNISE_MAX_BYTES = 10_000_000  # workforce tables are ~100 KB; never open a big file here

Row = Sequence[Any]


def recognise(path: Path, head: bytes) -> bool:
    """A spreadsheet whose Index sheet is titled "Police Workforce, England and Wales, ..."."""
    if not head.startswith(_SPREADSHEET_MAGIC):
        return False
    try:
        if path.stat().st_size > _RECOGNISE_MAX_BYTES:
            return False
        spec = layout(PUBLICATION_ID)["index"]
        if cells_beyond(path, SheetBounds.of(layout(PUBLICATION_ID))):
            # Too large to open: with an Index sheet it is taken for this publication, and
            # reading it refuses the sheet, naming it.
            return spec["sheet"] in sheet_names(path)
        workbook = CalamineWorkbook.from_path(str(path))
        if spec["sheet"] not in workbook.sheet_names:
            return False
        rows = workbook.get_sheet_by_name(spec["sheet"]).to_python(skip_empty_area=False, nrows=2)
    except BaseException as error:  # any unreadable file is simply not this publication
        if not parser_failed(error):  # (nor is one python-calamine panics on)
            raise
        return False
    return bool(rows and rows[0]) and _text(rows[0][0]).startswith(spec["title_prefix"])


def read(path: Path) -> SourceData:
    spec = layout(PUBLICATION_ID)
    name = path.name
    check_workbook_size(path, name, SheetBounds.of(spec), PUBLICATION_ID)
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except BaseException as error:  # a python-calamine panic too
        if not parser_failed(error):
            raise
        raise DataFileError(name, "", f"not a readable spreadsheet ({error})") from None
    sheets = workbook.sheet_names
    index_sheet = spec["index"]["sheet"]
    if index_sheet not in sheets:
        raise DataFileError(name, f"sheet {index_sheet}", "missing sheet: expected the Index sheet")
    index_rows = workbook.get_sheet_by_name(index_sheet).to_python(skip_empty_area=False)
    title = _text(index_rows[0][0]) if index_rows and index_rows[0] else ""
    prefix: str = spec["index"]["title_prefix"]
    if not title.startswith(prefix):
        raise DataFileError(
            name, f"sheet {index_sheet}, row 1, column A", f"expected a title {prefix!r}…"
        )
    edition = title[len(prefix) :].strip()
    publication = Publication(
        id=PUBLICATION_ID,
        publisher=spec["publisher"],
        title=f"{spec['title']}, {edition}",
        release=edition,
        release_date=_release_date(index_rows, spec["index"]),
        licence=spec["licence"],
        filename=name,
        sha256=_sha256(path),
    )
    data = SourceData(publication)
    header_row: int = spec.get("editions", {}).get(title, {}).get("header_row", spec["header_row"])
    tables = {s: workbook.get_sheet_by_name(s).to_python(skip_empty_area=False) for s in sheets}
    tables.pop(index_sheet)
    for measure, table_spec in spec["tables"].items():
        sheet = _find_table(name, tables, measure, table_spec, header_row)
        _Table(spec, name, sheet, tables[sheet], measure, header_row, data).read()
    return data


def revisions(earlier: SourceData, later: SourceData, tolerance: float = 0.005) -> list[Problem]:
    """Figures for the same measure, force and date that differ between two editions.

    Each is a ``revised_between_releases`` problem at the later edition's cell.
    """
    before = {(o.measure, o.force, o.period): o.value for o in earlier.observations}
    problems = []
    for obs in later.observations:
        old = before.get((obs.measure, obs.force, obs.period))
        if old is not None and abs(old - obs.value) > tolerance:
            problems.append(
                Problem(
                    "revised_between_releases",
                    f"{obs.measure} {obs.force} at {obs.period.label()}: {old:,.2f} in "
                    f"{earlier.publication.release} edition, {obs.value:,.2f} in "
                    f"{later.publication.release} edition ({obs.value - old:+,.2f})",
                    later.publication.filename,
                    obs.cell.sheet,
                    obs.cell.row,
                    obs.cell.column,
                )
            )
    return problems


READER = SourceReader(
    id=PUBLICATION_ID,
    title="Police workforce, England and Wales (Home Office)",
    publisher="Home Office",
    recognise=recognise,
    read=read,
)


@dataclass
class _Block:
    """An aggregate row and the rows it should be the sum of."""

    label: str
    row: int
    values: dict[int, float]
    parts: dict[int, float] = field(default_factory=dict)


class _Table:
    """One worker-type table: force rows to observations, aggregate rows to checks."""

    def __init__(
        self,
        spec: dict[str, Any],
        file: str,
        sheet: str,
        rows: list[list[Any]],
        measure: str,
        header_row: int,
        data: SourceData,
    ) -> None:
        self.spec = spec
        self.file = file
        self.sheet = sheet
        self.rows = rows
        self.measure = measure
        self.header_row = header_row
        self.data = data
        self.label_column = _column_index(spec["label_column"])
        self.suppressed = frozenset(spec["suppressed"])
        self.nil = frozenset(spec["nil"])
        self.tolerance = float(spec["total_tolerance"])
        self.dates = self._dates()

    def _dates(self) -> dict[int, Period]:
        header = self.rows[self.header_row - 1] if len(self.rows) >= self.header_row else []
        dates = {
            j: Period.at(date)
            for j, cell in enumerate(header)
            if j > self.label_column and (date := _date(cell)) is not None
        }
        if not dates:
            found = _text(header[self.label_column + 1]) if len(header) > 1 else ""
            raise DataFileError(
                self.file,
                f"sheet {self.sheet}, row {self.header_row}, "
                f"column {_letter(self.label_column + 1)}",
                f"expected the dates of the figures (such as 31 March 2019) in the header row, "
                f"found {found!r}",
            )
        return dates

    def read(self) -> None:
        regions = set(self.spec["regions"])
        seen_regions: set[str] = set()
        seen_forces: set[str] = set()
        block: _Block | None = None
        territorial: dict[int, float] = {}
        everything: dict[int, float] = {}
        for i in range(self.header_row, len(self.rows)):
            row = self.rows[i]
            label = _label(row[self.label_column]) if len(row) > self.label_column else ""
            if not label:
                continue
            values = self._values(row, i + 1)
            if label == self.spec["grand_total"]:
                self._check(_Block(label, i + 1, values, everything))
                break
            if label == self.spec["territorial_total"]:
                if block is not None:
                    self._check(block)
                    block = None
                self._check(_Block(label, i + 1, values, territorial))
                continue
            if label in regions and label not in seen_regions:
                seen_regions.add(label)
                if block is not None:
                    self._check(block)
                block = _Block(label, i + 1, values)
                continue
            _add(everything, values)
            if label in self.spec["not_forces"]:
                continue
            try:
                force = resolve_force(label)
            except UnknownForce as error:
                # Counted in the totals as the force it presumably is, so that the one problem
                # is not echoed by total mismatches.
                self._problem("unknown_force", f"{error} in the {self.measure} table", i + 1)
                _add(territorial, values)
                if block is not None:
                    _add(block.parts, values)
                continue
            if force.id in seen_forces:
                self._problem("duplicate_force", f"{force.name} appears twice", i + 1)
                continue
            seen_forces.add(force.id)
            if force.territorial:
                _add(territorial, values)
                if block is not None:
                    _add(block.parts, values)
            for j, value in values.items():
                self.data.observations.append(
                    Observation(
                        self.measure,
                        force.id,
                        self.dates[j],
                        value,
                        self.data.publication.sha256,
                        Cell(self.sheet, i + 1, _letter(j)),
                    )
                )
        else:
            raise DataFileError(
                self.file,
                f"sheet {self.sheet}, column {self.spec['label_column']}",
                f"expected a row labelled {self.spec['grand_total']!r} ending the table",
            )
        for force in territorial_forces():
            if force.id not in seen_forces:
                self._problem(
                    "missing_force", f"{force.name} has no row in the {self.measure} table", None
                )

    def _values(self, row: Row, row_number: int) -> dict[int, float]:
        values: dict[int, float] = {}
        for j in self.dates:
            cell = row[j] if j < len(row) else ""
            if isinstance(cell, bool):
                cell = str(cell)
            if isinstance(cell, int | float):
                self._figure(values, j, float(cell), cell, row_number)
                continue
            text = _text(cell)
            if text in self.suppressed:
                continue
            if text in self.nil:
                values[j] = 0.0
                continue
            try:
                number = float(text.replace(",", ""))
            except ValueError:
                code = "missing_value" if not text else "not_a_number"
                self._problem(code, f"expected a number, found {text!r}", row_number, _letter(j))
                continue
            self._figure(values, j, number, text, row_number)
        return values

    def _figure(
        self, values: dict[int, float], j: int, number: float, printed: object, row: int
    ) -> None:
        """``number`` as the figure of column ``j``, unless no figure can be (not finite,
        too large, a fraction of a headcount): then a problem naming the cell."""
        wrong = figure_problem(number, printed, measure_of(self.measure).unit)
        if wrong is None:
            values[j] = number
        else:
            self._problem(*wrong, row, _letter(j))

    def _check(self, block: _Block) -> None:
        for j, published in block.values.items():
            computed = block.parts.get(j, 0.0)
            if abs(published - computed) > self.tolerance:
                self._problem(
                    "total_mismatch",
                    f"{block.label} at {self.dates[j].label()} is {published:,.2f} as published, "
                    f"but its rows sum to {computed:,.2f}",
                    block.row,
                    _letter(j),
                )

    def _problem(self, code: str, message: str, row: int | None, column: str | None = None) -> None:
        self.data.problems.append(Problem(code, message, self.file, self.sheet, row, column))


def _find_table(
    file: str, tables: dict[str, list[list[Any]]], measure: str, spec: dict[str, Any], header: int
) -> str:
    """The one sheet whose title starts as declared and whose unit matches."""
    start = spec["title_starts_with"].lower()
    unit = spec["unit"].lower()
    found = []
    for sheet, rows in tables.items():
        title = _TABLE_PREFIX.sub("", _text(rows[0][0]) if rows and rows[0] else "")
        if not title.lower().startswith(start):
            continue
        above = (_label(cell).lower() for row in rows[1 : header - 1] for cell in row)
        if unit in above:
            found.append(sheet)
    if not found:
        raise DataFileError(
            file,
            "cell A1 of every sheet",
            f"missing sheet: expected a table titled {spec['title_starts_with']!r}… with unit "
            f"{spec['unit']!r} above row {header} (measure {measure})",
        )
    if len(found) > 1:
        raise DataFileError(
            file,
            f"sheets {', '.join(found)}",
            f"expected one table titled {spec['title_starts_with']!r}… with unit {spec['unit']!r}",
        )
    return found[0]


def _release_date(rows: list[list[Any]], spec: dict[str, Any]) -> dt.date | None:
    """The "Last updated" date of Table 1 in the Index."""
    column: int | None = None
    table_column = _column_index(spec["table_column"])
    for row in rows:
        texts = [_text(cell) for cell in row]
        if column is None:
            if spec["release_date_column"] in texts:
                column = texts.index(spec["release_date_column"])
            continue
        if len(texts) > column and texts[table_column] == spec["first_table"]:
            return _date(row[column])
    return None


def _add(total: dict[int, float], values: dict[int, float]) -> None:
    for j, value in values.items():
        total[j] = total.get(j, 0.0) + value


def _text(cell: Any) -> str:
    return cell.strip() if isinstance(cell, str) else "" if cell is None else str(cell).strip()


def _label(cell: Any) -> str:
    """A row label without trailing footnote marks ("Wiltshire1", "West Midlands2,3")."""
    text = _text(cell)
    stripped = _FOOTNOTE.sub("", text)
    return stripped or text


def _date(cell: Any) -> dt.date | None:
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    if isinstance(cell, str):
        for pattern in ("%d %B %Y", "%d %b %Y", "%Y-%m-%d"):
            try:
                return dt.datetime.strptime(cell.strip(), pattern).date()
            except ValueError:
                continue
    return None


def _column_index(letter: str) -> int:
    index = 0
    for char in letter.upper():
        index = index * 26 + ord(char) - 64
    return index - 1
