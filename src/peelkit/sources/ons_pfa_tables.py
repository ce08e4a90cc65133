"""ONS "Crime in England and Wales: Police Force Area data tables", every edition.

Reads Table P1 (counts by offence group), P3 (the population and households the rates per
1,000 were computed with), P7 (anti-social behaviour incidents by financial year), P9 and P10
(mid-year population and household estimates) from the workbooks, and Table P1 saved alone as
CSV. Sheets, header rows, column names and their aliases across editions are declared in
``layouts/ons-pfa-data-tables.yaml``; this module only knows how to apply such a declaration.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import hashlib
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook

from peelkit.domain.periods import Period
from peelkit.errors import DataFileError, UnknownForce
from peelkit.reference import resolve_force, territorial_forces
from peelkit.sources.cells import SheetBounds, cells_beyond, check_workbook_size, sheet_names
from peelkit.sources.cells import column_letter as _letter
from peelkit.sources.csv_text import csv_text
from peelkit.sources.figures import figure_problem
from peelkit.sources.model import Cell, Observation, Problem, Publication, SourceData
from peelkit.sources.readers import SourceReader, layout

PUBLICATION_ID = "ons-pfa-data-tables"
HEADER_SEARCH_ROWS = 30  # how far down a sheet the header row is looked for
WORKBOOK_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")  # xlsx/ods (zip), xls (OLE)

_NOTES = re.compile(r"\[note\s*\d+\]")
_SPACES = re.compile(r"\s+")
# Footnote digits stuck to a word or a closing bracket: "burglary5,6", "harassment 5",
# "(inc. BTP)9".
_FOOTNOTE = re.compile(r"(?<=[a-z)])\s?\d+(?:\s?,\s?\d+)*")
_AREA_CODE = re.compile(r"^[EKWNS]\d{8}$")
_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9

Grid = Sequence[Sequence[object]]  # rows of cells, as python_calamine or csv give them


@cache
def _force_id(name: str) -> str | None:
    """The force an area code or name denotes (None if none); cached across files."""
    try:
        return resolve_force(name).id
    except UnknownForce:
        return None


def _layout() -> dict[str, Any]:
    return layout(PUBLICATION_ID)


def normalise(text: object) -> str:
    """A header text or area name as the layout spells it: see the layout file's preamble."""
    if isinstance(text, float) and text.is_integer():
        text = int(text)
    lowered = _SPACES.sub(" ", _NOTES.sub(" ", str(text).lower())).strip()
    return _SPACES.sub(" ", _FOOTNOTE.sub("", lowered)).strip()


def _column_index(letter: str) -> int:
    index = 0
    for char in letter.upper():
        index = index * 26 + ord(char) - 64
    return index - 1


def recognise(path: Path, head: bytes) -> bool:
    """By content, not name: a workbook whose Table P1 sheet is titled as the layout says, or
    Table P1 saved as CSV (its first line)."""
    spec = _layout()["recognise"]
    if not head.startswith(WORKBOOK_MAGIC):
        first_line = head.split(b"\n", 1)[0].decode("utf-8", "replace").lower()
        return _has_title_words(first_line)
    if cells_beyond(path, SheetBounds.of(_layout())):
        # Too large to open; named as the table is, it is this publication, and reading it
        # refuses the sheet, naming it.
        return _sheet_key(spec["sheet"]) in {_sheet_key(name) for name in sheet_names(path)}
    workbook = CalamineWorkbook.from_path(str(path))
    sheet = _sheets(workbook).get(_sheet_key(spec["sheet"]))
    if sheet is None:
        return False
    rows = workbook.get_sheet_by_name(sheet).to_python(nrows=1)
    return bool(rows and rows[0]) and _has_title_words(str(rows[0][0]))


def _has_title_words(text: str) -> bool:
    return all(
        word in _SPACES.sub(" ", text.lower()) for word in _layout()["recognise"]["title_words"]
    )


def _sheets(workbook: CalamineWorkbook) -> dict[str, str]:
    return {_sheet_key(name): name for name in workbook.sheet_names}


# --- reading ------------------------------------------------------------------------------


@dataclass
class _Context:
    """What is collected while one file is read."""

    filename: str
    sha256: str
    spec: dict[str, Any]
    not_available: frozenset[str]
    observations: dict[tuple[str, str, Period], Observation] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    release_period: Period | None = None

    def problem(
        self, code: str, message: str, sheet: str | None, row: int | None, column: str | None
    ) -> None:
        self.problems.append(Problem(code, message, self.filename, sheet, row, column))

    def emit(self, observation: Observation) -> None:
        key = (observation.measure, observation.force, observation.period)
        kept = self.observations.get(key)
        if kept is None:
            self.observations[key] = observation
        elif kept.value != observation.value:
            self.problem(
                "inconsistent_within_file",
                f"{observation.measure} for {observation.force}, {observation.period.label()}: "
                f"{observation.value:g} here but {kept.value:g} in sheet {kept.cell.sheet} row "
                f"{kept.cell.row} column {kept.cell.column} (that figure is kept)",
                observation.cell.sheet,
                observation.cell.row,
                observation.cell.column,
            )


@dataclass(frozen=True)
class _ValueColumn:
    index: int
    measure: str  # a measure id, or a subtotal name (checked, not emitted)
    period: Period | None  # None: the table's period (from its title)
    emit: bool = True


def read(path: Path) -> SourceData:
    data = path.read_bytes()
    spec = _layout()
    context = _Context(
        filename=path.name,
        sha256=hashlib.sha256(data).hexdigest(),
        spec=spec,
        not_available=frozenset(normalise(m) for m in spec["not_available"]),
    )
    if data.startswith(WORKBOOK_MAGIC):
        title_suffix = ""
        _read_workbook(path, context)
    else:
        title_suffix = " (Table P1 saved as CSV)"
        text = csv_text(data, path.name)
        grid: Grid = [list(row) for row in csv.reader(io.StringIO(text))]
        for table_id, table in spec["csv_tables"].items():
            _read_table(context, table_id, table, grid, None)
    publication = Publication(
        id=PUBLICATION_ID,
        publisher=spec["publication"]["publisher"],
        title=spec["publication"]["title"] + title_suffix,
        release=_release(context, path.name),
        release_date=None,
        licence=spec["publication"]["licence"],
        filename=path.name,
        sha256=context.sha256,
    )
    return SourceData(publication, list(context.observations.values()), context.problems)


def _read_workbook(path: Path, context: _Context) -> None:
    check_workbook_size(path, context.filename, SheetBounds.of(context.spec), PUBLICATION_ID)
    workbook = CalamineWorkbook.from_path(str(path))
    sheets = _sheets(workbook)
    for table_id, table in context.spec["tables"].items():
        wanted = table["sheet"]
        sheet_name = sheets.get(_sheet_key(wanted))
        if sheet_name is None:
            if table["required"]:
                raise DataFileError(
                    context.filename,
                    f"sheet {wanted!r}",
                    f"expected a sheet named {wanted!r} (Table {table_id}); the workbook has: "
                    + ", ".join(repr(name) for name in workbook.sheet_names),
                )
            continue
        grid: Grid = workbook.get_sheet_by_name(sheet_name).to_python()
        _read_table(context, table_id, table, grid, sheet_name)


def _sheet_key(name: str) -> str:
    """Sheet names match ignoring case and spaces ('Table P1 ' is 'Table P1')."""
    return _SPACES.sub(" ", name).strip().lower()


def _release(context: _Context, filename: str) -> str:
    period = context.release_period
    release = f"year ending {period.end:%B %Y}" if period else "undated edition"
    stem = re.sub(context.spec["release"]["copy_suffix"], "", filename.lower().rsplit(".", 1)[0])
    for word, suffix in context.spec["release"]["file_name_words"].items():
        if stem.endswith(word) and suffix not in release:
            release += f" {suffix}"
    return release


def _text(row: Sequence[object], index: int | None) -> str:
    if index is None or index >= len(row):
        return ""
    value = row[index]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _where(sheet: str | None, row: int, column: int | None = None) -> str:
    parts = [f"sheet {sheet!r}"] if sheet else []
    parts.append(f"row {row}")
    if column is not None:
        parts.append(f"column {_letter(column)}")
    return ", ".join(parts)


def _find_header(
    context: _Context,
    table_id: str,
    table: dict[str, Any],
    grid: Grid,
    sheet: str | None,
) -> tuple[dict[str, Any], int]:
    """The first declared variant whose header text is found, and its 0-based header row."""
    for variant in table["variants"]:
        column = _column_index(variant["header"]["column"])
        wanted = normalise(variant["header"]["text"])
        for index, row in enumerate(grid[:HEADER_SEARCH_ROWS]):
            if normalise(_text(row, column)) == wanted:
                return variant, index
    expected = " or ".join(
        f"{v['header']['text']!r} in column {v['header']['column']}" for v in table["variants"]
    )
    raise DataFileError(
        context.filename,
        f"{_where(sheet, 1)}-{HEADER_SEARCH_ROWS}",
        f"expected the header row of Table {table_id} ({expected}); not found",
    )


def _column_names(grid: Grid, header: int, above: int) -> list[str]:
    """Each column's name: its lowest non-empty cell in the header rows."""
    width = max(len(row) for row in grid[header - above : header + 1])
    names = []
    for column in range(width):
        name = ""
        for row in range(header, header - above - 1, -1):
            name = _text(grid[row], column)
            if name:
                break
        names.append(name)
    return names


def _table_period(
    context: _Context,
    table_id: str,
    table: dict[str, Any],
    grid: Grid,
    sheet: str | None,
) -> Period:
    title = _SPACES.sub(" ", _text(grid[0], 0).lower()) if grid else ""
    match = re.search(table["period"]["pattern"], title)
    month = _MONTHS.get(match.group("month")) if match else None
    if match is None or month is None:
        raise DataFileError(
            context.filename,
            _where(sheet, 1, 0),
            f"expected the title of Table {table_id} to name its period "
            f"('... year ending <month> <year>'), found {title[:120]!r}",
        )
    year = int(match.group("year"))
    return Period.year_ending(year if year > 99 else 2000 + year, month)


def _value_columns(
    context: _Context,
    table_id: str,
    table: dict[str, Any],
    grid: Grid,
    sheet: str | None,
    header: int,
    variant: dict[str, Any],
) -> list[_ValueColumn]:
    names = _column_names(grid, header, variant["header_rows_above"])
    keys = {
        _column_index(variant[k]) for k in ("area_code_column", "area_name_column") if k in variant
    }
    free = [(i, name, normalise(name)) for i, name in enumerate(names) if i not in keys and name]
    if "columns" in table:
        return _named_columns(context, table_id, table, grid, sheet, header, free)
    if "period_columns" in table:
        return _period_columns(
            context, table_id, table["period_columns"], grid, sheet, header, free
        )
    return _stated_year_columns(context, table_id, table, sheet, header, free)


def _named_columns(
    context: _Context,
    table_id: str,
    table: dict[str, Any],
    grid: Grid,
    sheet: str | None,
    header: int,
    free: list[tuple[int, str, str]],
) -> list[_ValueColumn]:
    period = _table_period(context, table_id, table, grid, sheet)
    if context.release_period is None:
        context.release_period = period
    aliases: dict[str, tuple[str, bool]] = {}
    for measure, texts in table["columns"].items():
        for text in texts:
            aliases[normalise(text)] = (measure, True)
    for subtotal, texts in table.get("subtotals", {}).items():
        for text in texts:
            aliases[normalise(text)] = (subtotal, False)
    ignored = {normalise(text) for text in table.get("ignore_columns", [])}
    found: dict[str, int] = {}
    columns: list[_ValueColumn] = []
    unrecognised: list[tuple[int, str]] = []
    for index, name, key in free:
        if key in aliases:
            measure, emit = aliases[key]
            if measure in found:
                raise DataFileError(
                    context.filename,
                    _where(sheet, header + 1, index),
                    f"expected one column for {measure}, found a second one {name!r} (the first "
                    f"is column {_letter(found[measure])})",
                )
            found[measure] = index
            columns.append(_ValueColumn(index, measure, period, emit))
        elif key not in ignored:
            unrecognised.append((index, name))
    missing = [measure for measure in table["columns"] if measure not in found]
    if missing:
        expected = " or ".join(repr(text) for text in table["columns"][missing[0]])
        if unrecognised:
            index, name = unrecognised[0]
            raise DataFileError(
                context.filename,
                _where(sheet, header + 1, index),
                f"expected the column {expected} ({missing[0]}), found {name!r}",
            )
        raise DataFileError(
            context.filename,
            _where(sheet, header + 1),
            f"expected the column {expected} ({missing[0]}); not found in the header",
        )
    for index, name in unrecognised:
        context.problem(
            "unexpected_column",
            f"column {name!r} is not declared in the layout of Table {table_id}; not read",
            sheet,
            header + 1,
            _letter(index),
        )
    return columns


def _period_columns(
    context: _Context,
    table_id: str,
    spec: dict[str, Any],
    grid: Grid,
    sheet: str | None,
    header: int,
    free: list[tuple[int, str, str]],
) -> list[_ValueColumn]:
    columns = []
    if "value_header" in spec:  # the period stands over the value column (Table P7)
        wanted = normalise(spec["value_header"])
        period_row = grid[header + spec["period_row_offset"]]
        for index, _name, key in free:
            if key != wanted:
                continue
            label = _SPACES.sub(" ", _text(period_row, index).lower())
            match = re.search(spec["period_pattern"], label)
            start, end = (int(match.group("start")), int(match.group("end"))) if match else (0, 0)
            if match is None or (start + 1) % 100 != end:
                raise DataFileError(
                    context.filename,
                    _where(sheet, header + 1 + spec["period_row_offset"], index),
                    f"expected a financial year such as \"Apr '07 to Mar '08\" over the column "
                    f"{spec['value_header']!r}, found {label!r}",
                )
            period = Period.financial_year(f"{2000 + start}/{end:02d}")
            columns.append(_ValueColumn(index, spec["measure"], period))
    else:  # the header is the year (Tables P9, P10)
        for index, _name, key in free:
            match = re.match(spec["header_pattern"], key)
            if match:
                columns.append(
                    _ValueColumn(index, spec["measure"], Period.mid_year(int(match.group("year"))))
                )
    if not columns:
        raise DataFileError(
            context.filename,
            _where(sheet, header + 1),
            f"expected period columns in Table {table_id} "
            f"({spec.get('value_header') or spec['header_pattern']}); none found",
        )
    return columns


def _stated_year_columns(
    context: _Context,
    table_id: str,
    table: dict[str, Any],
    sheet: str | None,
    header: int,
    free: list[tuple[int, str, str]],
) -> list[_ValueColumn]:
    columns = []
    for spec in table["stated_year_columns"]:
        hit = False
        for index, name, key in free:
            match = re.match(spec["header_pattern"], key)
            if match:
                year = int(match.group("year"))
                columns.append(_ValueColumn(index, spec["measure"], Period.mid_year(year)))
                hit = True
                break
            if re.match(spec["unstated_pattern"], key):
                context.problem(
                    "population_year_not_stated",
                    f"the header {name!r} does not state the mid-year of its {spec['measure']} "
                    "figures; not read",
                    sheet,
                    header + 1,
                    _letter(index),
                )
                hit = True
                break
        if not hit and spec["required"]:
            raise DataFileError(
                context.filename,
                _where(sheet, header + 1),
                f"expected a {spec['measure']} column in Table {table_id} "
                f"(header matching {spec['header_pattern']!r}); not found",
            )
    return columns


def _read_table(
    context: _Context,
    table_id: str,
    table: dict[str, Any],
    grid: Grid,
    sheet: str | None,
) -> None:
    variant, header = _find_header(context, table_id, table, grid, sheet)
    columns = _value_columns(context, table_id, table, grid, sheet, header, variant)
    code_column = (
        _column_index(variant["area_code_column"]) if "area_code_column" in variant else None
    )
    name_column = _column_index(variant["area_name_column"])
    spec = context.spec
    aggregate_prefixes = tuple(spec["aggregate_code_prefixes"])
    aggregate_names = {normalise(name) for name in spec["aggregate_names"]}
    end_markers = tuple(spec["end_markers"])
    not_available = context.not_available
    value_indexes = [column.index for column in columns]

    periods = sorted({c.period for c in columns if c.period is not None})
    seen: dict[str, int] = {}  # force id -> row (1-based)
    with_figures: dict[Period, set[str]] = {period: set() for period in periods}
    block_start = True
    first_data = header + 1 + variant["rows_after_header"]
    for index in range(first_data, len(grid)):
        row = grid[index]
        row_number = index + 1
        first = _text(row, 0)
        if first and first.lower().startswith(end_markers):
            break
        code = _text(row, code_column)
        name = _text(row, name_column)
        if not code and not name:
            if any(
                _text(row, i) and normalise(_text(row, i)) not in not_available
                for i in value_indexes
            ):
                raise DataFileError(
                    context.filename,
                    _where(sheet, row_number, value_indexes[0]),
                    f"expected a data row (area code or name, then figures) or a blank row after "
                    f"the header on row {header + 1}, found figures or text with no area: "
                    f"{_text(row, value_indexes[0])!r} (an extra header row?)",
                )
            block_start = True
            continue
        if code and not _AREA_CODE.match(code):
            raise DataFileError(
                context.filename,
                _where(sheet, row_number, code_column),
                f"expected an ONS area code (such as E23000001) or a blank, found {code!r} "
                "(an extra header row?)",
            )
        starts_block, block_start = block_start, False
        force_id = _row_force(
            context, sheet, row_number, code, name, code_column, name_column,
            aggregate_prefixes, aggregate_names, starts_block,
        )  # fmt: skip
        if force_id is None:
            continue
        if force_id in seen:
            context.problem(
                "duplicate_force",
                f"{name!r} appears twice in Table {table_id} (first on row {seen[force_id]}); "
                "the first row is kept",
                sheet,
                row_number,
                _letter(name_column),
            )
            continue
        seen[force_id] = row_number
        figures: dict[str, float] = {}
        for column in columns:
            value = _number(context, row, column.index, sheet, row_number, not_available)
            if value is None:
                continue
            figures[column.measure] = value
            if not column.emit:
                continue
            period = column.period
            assert period is not None
            with_figures[period].add(force_id)
            cell = Cell(sheet, row_number, _letter(column.index))
            context.emit(Observation(column.measure, force_id, period, value, context.sha256, cell))
        _check_totals(context, table, columns, figures, name, sheet, row_number)

    for period in periods:
        for force in territorial_forces():
            if force.id not in with_figures[period]:
                force_row = seen.get(force.id)
                context.problem(
                    "missing_force",
                    f"Table {table_id} has no figures for {force.name} for {period.label()}"
                    + (" (not available)" if force_row else " (no row)"),
                    sheet,
                    force_row,
                    None,
                )


def _row_force(
    context: _Context,
    sheet: str | None,
    row_number: int,
    code: str,
    name: str,
    code_column: int | None,
    name_column: int,
    aggregate_prefixes: tuple[str, ...],
    aggregate_names: set[str],
    starts_block: bool,
) -> str | None:
    """The force a data row is for; None for aggregates and (reported) unknown areas."""
    if code:
        if code.startswith(aggregate_prefixes):
            return None
        force_id = _force_id(code)
        if force_id is None:
            context.problem(
                "unknown_force",
                f"area code {code!r} ({name}) is not a known police force area",
                sheet,
                row_number,
                _letter(code_column if code_column is not None else name_column),
            )
        return force_id
    key = normalise(name)
    if key in aggregate_names and (starts_block or code_column is not None):
        return None
    force_id = _force_id(key)
    if force_id is None and key not in aggregate_names:
        context.problem(
            "unknown_force",
            f"{name!r} is not a known police force or aggregate area",
            sheet,
            row_number,
            _letter(name_column),
        )
    return force_id


def _number(
    context: _Context,
    row: Sequence[object],
    index: int,
    sheet: str | None,
    row_number: int,
    not_available: frozenset[str],
) -> float | None:
    value = row[index] if index < len(row) else ""
    if isinstance(value, bool):
        value = str(value)
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        if isinstance(value, (dt.date, dt.time, dt.timedelta)):
            value = str(value)
        text = str(value).strip()
        if not text or text.lower() in not_available:
            return None
        try:
            number = float(text.replace(",", ""))
        except ValueError:
            context.problem(
                "not_a_number", f"{text!r} is not a number", sheet, row_number, _letter(index)
            )
            return None
    wrong = figure_problem(number, value, "count")
    if wrong is not None:
        context.problem(*wrong, sheet, row_number, _letter(index))
        return None
    if number < 0:
        context.problem(
            "negative_count",
            f"{number:g} is negative (kept as published)",
            sheet,
            row_number,
            _letter(index),
        )
    return number


def _check_totals(
    context: _Context,
    table: dict[str, Any],
    columns: list[_ValueColumn],
    figures: dict[str, float],
    name: str,
    sheet: str | None,
    row_number: int,
) -> None:
    for check in table.get("checks", []):
        total = figures.get(check["total"])
        parts = [figures.get(part) for part in check["parts"]]
        if total is None or any(part is None for part in parts):
            continue  # suppressed figures: nothing to compare
        difference = total - sum(part for part in parts if part is not None)
        if abs(difference) > 0.5:
            column = next(c.index for c in columns if c.measure == check["total"])
            context.problem(
                "total_mismatch",
                f"{name}: {check['total']} is published as {total:,.0f} but its "
                f"{len(parts)} parts sum to {total - difference:,.0f} ({difference:+,.0f})",
                sheet,
                row_number,
                _letter(column),
            )


READER = SourceReader(
    id=PUBLICATION_ID,
    title="ONS Police Force Area data tables (P1 counts, P3 population, P7 ASB, P9/P10 mid-year)",
    publisher="Office for National Statistics",
    recognise=recognise,
    read=read,
)
