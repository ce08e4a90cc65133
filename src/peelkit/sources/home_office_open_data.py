"""Home Office police recorded crime open data tables: offences by force and financial year.

The open data tables are long: one row per financial quarter, force, (community safety
partnership,) and offence code, with the number of offences. The real files have one to two
million rows, so the reader makes one pass that only adds each count into a dictionary keyed by
the raw labels; labels are resolved (force, year, quarter, offence -> measure) once per distinct
value afterwards. Column names and the offence mapping are declared in
``layouts/home-office-open-data.yaml``.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook

from peelkit.domain.periods import InvalidPeriod, Period
from peelkit.errors import DataFileError, UnknownForce
from peelkit.reference import resolve_force
from peelkit.sources.cells import SheetBounds, check_workbook_size, parser_failed
from peelkit.sources.cells import column_letter as _letter
from peelkit.sources.cells import file_sha256 as _sha256
from peelkit.sources.figures import figure_problem
from peelkit.sources.model import Cell, Observation, Problem, Publication, SourceData
from peelkit.sources.readers import SourceReader, layout

PUBLICATION_ID = "home-office-open-data"

_ZIP_MAGIC = b"PK\x03\x04"
_SNIFF_BYTES = 2_000_000
_QUARTER_END = {1: ("June", 0), 2: ("September", 0), 3: ("December", 0), 4: ("March", 1)}
_ALL_QUARTERS = frozenset({1, 2, 3, 4})

# The raw labels a count is accumulated under: force, year, quarter, group, subgroup.
_Key = tuple[Any, Any, Any, Any, Any]
# A resolved label, or None and the problem (code, message) it makes.
_Resolved = tuple[Any, tuple[str, str] | None]


def recognise(path: Path, head: bytes) -> bool:
    """An .xlsx or .ods whose first strings include the open data column names.

    Only the first two megabytes of the workbook's text are decompressed: the files are large.
    """
    if not head.startswith(_ZIP_MAGIC):
        return False
    names = [n.encode() for n in layout(PUBLICATION_ID)["columns"].values()]
    required = [names[i] for i, key in enumerate(_columns()) if key not in _optional()]
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.namelist()
            candidates: list[str] = [
                m for m in ("xl/sharedStrings.xml", "content.xml") if m in members
            ]
            candidates += sorted(m for m in members if m.startswith("xl/worksheets/sheet"))[:3]
            for member in candidates:
                with archive.open(member) as stream:
                    text = stream.read(_SNIFF_BYTES)
                if all(name in text for name in required):
                    return True
    except (OSError, zipfile.BadZipFile):
        return False
    return False


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
    data = SourceData(
        Publication(
            id=PUBLICATION_ID,
            publisher=spec["publisher"],
            title=spec["title"],
            release="",  # set below, from the latest quarter in the file
            release_date=None,
            licence=spec["licence"],
            filename=name,
            sha256=_sha256(path),
        )
    )
    pass_ = _Pass(name, spec, data.problems)
    found_header = False
    for sheet_name in workbook.sheet_names:
        sheet = workbook.get_sheet_by_name(sheet_name)
        # iter_rows starts at row 1 but at the sheet's first used column: keep the offset for
        # column letters. Rows are streamed, not held: the files have millions of them.
        offset = sheet.start[1] if sheet.start else 0
        rows = iter(sheet.iter_rows())
        header = _header(name, sheet_name, rows, offset, spec)
        if header is not None:
            found_header = True
            pass_.sheet(sheet_name, rows, *header)
    if not found_header:
        expected = ", ".join(spec["columns"].values())
        raise DataFileError(
            name,
            f"first {spec['header_search_rows']} rows of every sheet",
            f"expected a header row with the columns {expected}",
        )
    data.publication = replace(data.publication, release=pass_.finish(data))
    return data


READER = SourceReader(
    id=PUBLICATION_ID,
    title="Police recorded crime open data tables (Home Office)",
    publisher="Home Office",
    recognise=recognise,
    read=read,
)


def _columns() -> list[str]:
    return list(layout(PUBLICATION_ID)["columns"])


def _optional() -> set[str]:
    return set(layout(PUBLICATION_ID)["optional_columns"])


def _header(
    file: str, sheet: str, rows: Iterator[list[Any]], offset: int, spec: dict[str, Any]
) -> tuple[int, dict[str, int]] | None:
    """The 1-based row number of the header and the index of each declared column, if any.

    Consumes ``rows`` up to and including the header row.
    """
    declared: dict[str, str] = spec["columns"]
    wanted = {name: key for key, name in declared.items()}
    for n, row in zip(range(spec["header_search_rows"]), rows, strict=False):
        texts = [cell.strip() if isinstance(cell, str) else "" for cell in row]
        found = {wanted[text]: j for j, text in enumerate(texts) if text in wanted}
        if len(found) < spec["header_min_matches"]:
            continue
        missing = [k for k in declared if k not in found and k not in spec["optional_columns"]]
        if missing:
            strangers = [(j, text) for j, text in enumerate(texts) if text and text not in wanted]
            where = f"sheet {sheet}, row {n + 1}"
            if len(missing) == 1 and len(strangers) == 1:
                j, text = strangers[0]
                raise DataFileError(
                    file,
                    f"{where}, column {_letter(j + offset)}",
                    f"expected column {declared[missing[0]]!r}, found {text!r}",
                )
            raise DataFileError(
                file,
                f"{where}, column {declared[missing[0]]!r}",
                "missing column(s) " + ", ".join(repr(declared[k]) for k in missing),
            )
        return n + 1, found
    return None


@dataclass
class _First:
    sheet: str
    row: int


class _Pass:
    """The single pass over the rows, then the resolution of the labels and the checks."""

    def __init__(self, file: str, spec: dict[str, Any], problems: list[Problem]) -> None:
        self.file = file
        self.spec = spec
        self.problems = problems
        self.totals: dict[_Key, float] = {}
        self.first: dict[_Key, _First] = {}
        self.suppressed = frozenset(spec["suppressed"])
        self.count_name: str = spec["columns"]["count"]

    def sheet(
        self, sheet: str, rows: Iterator[list[Any]], header: int, cols: dict[str, int]
    ) -> None:
        """Add up the counts of the rows after the header (row number ``header``)."""
        i_force, i_year = cols["force"], cols["financial_year"]
        i_quarter, i_count = cols["financial_quarter"], cols["count"]
        i_group, i_subgroup = cols["offence_group"], cols["offence_subgroup"]
        totals, first = self.totals, self.first
        for number, row in enumerate(rows, header + 1):
            count = row[i_count]
            key = (row[i_force], row[i_year], row[i_quarter], row[i_group], row[i_subgroup])
            if count.__class__ is not float and count.__class__ is not int:
                count = self._odd_count(sheet, number, row, cols, count)
                if count is None:
                    continue
            if key in totals:
                totals[key] += count
            else:
                totals[key] = count
                first[key] = _First(sheet, number)
            if count < 0:
                self._negative(sheet, number, row, cols, count)

    def _odd_count(
        self, sheet: str, row_number: int, row: list[Any], cols: dict[str, int], count: Any
    ) -> float | None:
        """A count that is not a number cell: a marker, a number as text, or a problem."""
        text = count.strip() if isinstance(count, str) else "" if count is None else str(count)
        if text in self.suppressed:
            return None
        if not text:
            if all(row[j] in ("", None) for j in cols.values()):
                return None  # an empty row
            self._problem("missing_value", "no number of offences", sheet, row_number)
            return None
        if text == self.count_name:
            self._problem("repeated_header", "a header row among the data rows", sheet, row_number)
            return None
        try:
            number = float(text.replace(",", ""))
        except ValueError:
            self._problem("not_a_number", f"expected a number, found {text!r}", sheet, row_number)
            return None
        wrong = figure_problem(number, text, "count")
        if wrong is not None:
            self._problem(*wrong, sheet, row_number)
            return None
        return number

    def _negative(
        self, sheet: str, row_number: int, row: list[Any], cols: dict[str, int], count: float
    ) -> None:
        description = row[cols["offence_description"]]
        self._problem(
            "negative_count",
            f"{count:g} offences of {description!r} for {row[cols['force']]!r} in "
            f"{row[cols['financial_year']]} quarter {row[cols['financial_quarter']]} "
            "(an adjustment; kept in the sums)",
            sheet,
            row_number,
        )

    def _problem(
        self, code: str, message: str, sheet: str | None, row: int | None, column: str = ""
    ) -> None:
        self.problems.append(
            Problem(code, message, self.file, sheet, row, column or self.count_name)
        )

    def finish(self, data: SourceData) -> str:
        """Observations for complete force-years; problems for the rest. Returns the release."""
        columns = self.spec["columns"]
        forces = _Resolver(self, columns["force"], self._force)
        periods = _Resolver(self, columns["financial_year"], self._period)
        quarters = _Resolver(self, columns["financial_quarter"], _quarter)
        measures = _Resolver(self, columns["offence_subgroup"], self._measure)
        # (force id, period) -> quarter -> measure -> sum
        sums: dict[tuple[str, Period], dict[int, dict[str, float]]] = defaultdict(dict)
        cells: dict[tuple[str, Period], _First] = {}
        names: dict[str, str] = {}
        for key, total in self.totals.items():
            raw_force, raw_year, raw_quarter, group, subgroup = key
            where = self.first[key]
            force = forces.get(raw_force, where)
            period = periods.get(raw_year, where)
            quarter = quarters.get(raw_quarter, where)
            measure = measures.get((group, subgroup), where)
            if force is None or period is None or quarter is None or measure is None:
                continue
            by_measure = sums[force.id, period].setdefault(quarter, {})
            by_measure[measure] = by_measure.get(measure, 0.0) + total
            names[force.id] = force.name
            # The totals keep the order rows were met in: the first key is the first row.
            cells.setdefault((force.id, period), where)
        year_quarters: dict[Period, set[int]] = defaultdict(set)
        year_measures: dict[Period, set[str]] = defaultdict(set)
        for (_, period), by_quarter in sums.items():
            year_quarters[period].update(by_quarter)
            for by_measure in by_quarter.values():
                year_measures[period].update(by_measure)
        for period in sorted(year_quarters):
            if year_quarters[period] != _ALL_QUARTERS:
                self._problem(
                    "incomplete_year",
                    f"{period.label()} has quarter(s) {_list(year_quarters[period])} only: no "
                    "annual figures for it",
                    None,
                    None,
                    columns["financial_quarter"],
                )
        every_force = set(names)
        for period in sorted(year_quarters):
            present = {force_id for force_id, p in sums if p == period}
            for force_id in sorted(every_force - present):
                self._problem(
                    "missing_force",
                    f"{names[force_id]} has no rows for {period.label()}",
                    None,
                    None,
                    columns["force"],
                )
        for (force_id, period), by_quarter in sorted(sums.items(), key=lambda i: i[0][1]):
            where = cells[force_id, period]
            have = set(by_quarter)
            if have != _ALL_QUARTERS:
                if have != year_quarters[period]:
                    missing = year_quarters[period] - have
                    self._problem(
                        "missing_quarter",
                        f"{names[force_id]} has no rows for {period.label()} quarter(s) "
                        f"{_list(missing)}: no annual figures for it",
                        where.sheet,
                        where.row,
                        columns["financial_quarter"],
                    )
                continue
            annual: dict[str, float] = dict.fromkeys(year_measures[period], 0.0)
            for by_measure in by_quarter.values():
                for measure, total in by_measure.items():
                    annual[measure] += total
            for measure, total in sorted(annual.items()):
                data.observations.append(
                    Observation(
                        measure,
                        force_id,
                        period,
                        total,
                        data.publication.sha256,
                        Cell(where.sheet, where.row, self.count_name),
                    )
                )
        return _release(year_quarters)

    def _force(self, raw: Any) -> _Resolved:
        text = _text(raw)
        if text in self.spec["not_forces"]:
            return None, None
        try:
            return resolve_force(text), None
        except UnknownForce as error:
            return None, ("unknown_force", str(error))

    def _period(self, raw: Any) -> _Resolved:
        try:
            return Period.financial_year(_text(raw)), None
        except InvalidPeriod as error:
            return None, ("not_a_period", str(error))

    def _measure(self, raw: tuple[Any, Any]) -> _Resolved:
        group, subgroup = _text(raw[0]), _text(raw[1])
        measure = self.spec["groups"].get(group) or self.spec["subgroups"].get(subgroup)
        if measure is None:
            return None, (
                "unknown_offence",
                f"no measure for offence group {group!r}, subgroup {subgroup!r} (declare it in "
                f"layouts/{PUBLICATION_ID}.yaml)",
            )
        return measure, None


class _Resolver:
    """Resolves each distinct raw label once; a label that does not resolve is one problem."""

    def __init__(self, owner: _Pass, column: str, resolve: Callable[[Any], _Resolved]) -> None:
        self.owner = owner
        self.column = column
        self.resolve = resolve
        self.cache: dict[Any, Any] = {}

    def get(self, raw: Any, where: _First) -> Any:
        if raw in self.cache:
            return self.cache[raw]
        value, problem = self.resolve(raw)
        if problem is not None:
            self.owner._problem(*problem, where.sheet, where.row, self.column)
        self.cache[raw] = value
        return value


def _quarter(raw: Any) -> _Resolved:
    text = _text(raw).upper().removeprefix("Q")
    try:
        number = float(text)
    except ValueError:
        number = 0.0
    if number in (1, 2, 3, 4):
        return int(number), None
    return None, ("not_a_quarter", f"expected a financial quarter 1 to 4, found {_text(raw)!r}")


def _release(year_quarters: dict[Period, set[int]]) -> str:
    """ "year ending March 2020": the end of the latest quarter in the file."""
    if not year_quarters:
        return "no data"
    period = max(year_quarters)
    month, offset = _QUARTER_END[max(year_quarters[period])]
    return f"year ending {month} {period.end.year - 1 + offset}"


def _list(quarters: set[int] | frozenset[int]) -> str:
    return ", ".join(str(q) for q in sorted(quarters))


def _text(cell: Any) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, dt.datetime | dt.date):
        return cell.isoformat()
    return cell.strip() if isinstance(cell, str) else "" if cell is None else str(cell).strip()
