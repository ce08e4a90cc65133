"""Appendix 1 of a 2005 baseline assessment: the performance tables, cell by cell as printed.

Each table is titled ``<code>: <area name>`` and has the columns ``Indicator | 2003/04 |
2004/05 | Change | MSF Ave 2004/05 | MSF Rank 2004/05 | National Ave 2004/05 | National Rank
2004/05``, tab-separated. ``*`` means "not available at time of publication" (the tables'
footnote), ``N/A`` not applicable, and ``-`` (once) a dash. Ranks print ties as ``9= out of 43``.

Checking the printed values (impossible percentages, changes that do not follow from the two
years, the same indicator printed differently in two tables...) is in
:mod:`~peelkit.reportimport.readers.baseline_2005_checks`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from peelkit.domain.frameworks import Framework
from peelkit.errors import UnknownArea
from peelkit.reportimport.model import Cell, ImportWarning, PerformanceRow, Rank
from peelkit.reportimport.text import SourceText, normalise_space, parse_number

_APPENDIX_1 = re.compile(r"^Appendix 1\s*:")
_APPENDIX_2 = re.compile(r"^Appendix 2\b")
_TITLE = re.compile(r"^([1-7][A-Z]):\s*(\S.*)$")
_RANK = re.compile(r"^(\d+)\s*(=)?\s*out of\s*(\d+)$", re.IGNORECASE)
_RATIO = re.compile(r"^1\s*:\s*(\d+(?:\.\d+)?)$")
_POINTS = re.compile(r"^(.*?\d)\s*pts?$", re.IGNORECASE)
_PERCENT = re.compile(r"^(.*?\d)\s*%$")
_DIGITS = re.compile(r"\d[\d,]*(?:\.(\d*))?")

VALUE_COLUMNS = 7  # the columns after "Indicator"
DEFAULT_COLUMNS = (
    "2003/04",
    "2004/05",
    "Change",
    "MSF Ave 2004/05",
    "MSF Rank 2004/05",
    "National Ave 2004/05",
    "National Rank 2004/05",
)
MISSING = {"*": "not_available", "N/A": "not_applicable", "-": "dash", "–": "dash"}


@dataclass
class PerformanceTables:
    rows: list[PerformanceRow] = field(default_factory=list)
    columns: tuple[str, ...] = DEFAULT_COLUMNS  # as printed in the header row
    titles: list[str] = field(default_factory=list)
    warnings: list[ImportWarning] = field(default_factory=list)
    found: bool = False
    complete: bool = False  # the next section (Appendix 2) follows: the text is not cut short


def parse_cell(printed: str, seconds: bool = False) -> Cell:
    """A value or change cell: "30.7%", "11.1 Pts", "£8,101,628", "1: 1.17", "15.", "*"."""
    text = normalise_space(printed)
    if text.upper() in MISSING or text in MISSING:
        return Cell(printed=text, missing=MISSING.get(text, MISSING.get(text.upper())))
    ratio = _RATIO.match(text)
    if ratio:
        return Cell(printed=text, value=float(ratio.group(1)), unit="ratio")
    percent = _PERCENT.match(text)
    if percent:
        return Cell(printed=text, value=_number(percent.group(1)), unit="percent")
    points = _POINTS.match(text)
    if points:
        return Cell(printed=text, value=_number(points.group(1)), unit="points")
    if text.startswith("£"):
        return Cell(printed=text, value=_number(text[1:]), unit="pounds")
    return Cell(printed=text, value=_number(text), unit="seconds" if seconds else None)


def _number(printed: str) -> float | None:
    # "15." (the 999 target time, in seconds) is printed with a trailing point.
    return parse_number(printed.strip().rstrip("."))


def decimals(printed: str) -> int | None:
    """How many decimals a printed number has ("1: 1.17" -> 2, "15." -> 0); None if none."""
    text = printed.split(":")[-1]
    match = _DIGITS.search(text)
    if not match:
        return None
    return len(match.group(1) or "")


def parse_rank(printed: str) -> Rank:
    text = normalise_space(printed)
    match = _RANK.match(text)
    if not match:
        return Rank(printed=text)
    return Rank(
        printed=text,
        position=int(match.group(1)),
        of=int(match.group(3)),
        tied=match.group(2) is not None,
    )


def appendix_bounds(text: SourceText) -> tuple[int, int, bool] | None:
    """First and last line of Appendix 1, and whether Appendix 2 follows it."""
    start = text.find(_APPENDIX_1)
    if start is None:
        return None
    end = text.find(_APPENDIX_2, start=start)
    return start, (end - 1 if end else len(text.lines)), end is not None


def read_performance_tables(text: SourceText, framework: Framework) -> PerformanceTables:
    tables = PerformanceTables()
    bounds = appendix_bounds(text)
    if bounds is None:
        return tables
    tables.found, tables.complete = True, bounds[2]
    area: str | None = None
    title: str | None = None
    for number in range(bounds[0] + 1, bounds[1] + 1):
        line = text.line(number)
        cells = [normalise_space(c) for c in line.split("\t")]
        while cells and not cells[-1]:
            cells.pop()  # titles carry trailing tabs
        if not cells:
            continue
        if len(cells) == 1 and _TITLE.match(cells[0]):
            area, title = _table_area(cells[0], framework, tables, text, number), cells[0]
            tables.titles.append(title)
        elif cells[0].lower() == "indicator":
            tables.columns = tuple(cells[1:]) if len(cells) == 8 else tables.columns
        elif len(cells) > 1 and area is not None and title is not None:
            _add_row(tables, area, title, cells, text, number)
    return tables


def _table_area(
    title: str, framework: Framework, tables: PerformanceTables, text: SourceText, line: int
) -> str | None:
    """The table's area: by its code, as titles spell names loosely ("Crime Against")."""
    match = _TITLE.match(title)
    assert match is not None
    code, name = match.groups()
    try:
        area = framework.resolve_area(code)
    except UnknownArea:
        problem = f"{code} is not an area of {framework.id}"
        tables.warnings.append(_title_warning(problem, title, text, line))
        return None  # its rows are skipped
    try:
        named = framework.resolve_area(name)
    except UnknownArea:
        named = area  # a spelling the framework lacks: the code decides
    if named.id != area.id:
        problem = f'"{name}" is not area {code}'
        tables.warnings.append(_title_warning(problem, title, text, line))
    return area.id


def _title_warning(problem: str, title: str, text: SourceText, line: int) -> ImportWarning:
    return ImportWarning(
        code="area_name_mismatch",
        message=f"table title: {problem}",
        table=title,
        span=text.span(line),
    )


def _add_row(
    tables: PerformanceTables,
    area: str,
    title: str,
    cells: list[str],
    text: SourceText,
    line: int,
) -> None:
    indicator, values = cells[0], cells[1:]
    if len(values) != VALUE_COLUMNS:
        tables.warnings.append(
            ImportWarning(
                code="table_shape",
                message=f"row has {len(values)} value cells where the table has {VALUE_COLUMNS}",
                table=title,
                row=indicator,
                span=text.span(line),
            )
        )
        values = (values + ["" for _ in range(VALUE_COLUMNS)])[:VALUE_COLUMNS]
    seconds = "(secs)" in indicator.lower()
    tables.rows.append(
        PerformanceRow(
            area=area,
            table=title,
            indicator=indicator,
            previous=parse_cell(values[0], seconds),
            current=parse_cell(values[1], seconds),
            change=parse_cell(values[2]),
            msf_average=parse_cell(values[3], seconds),
            msf_rank=parse_rank(values[4]),
            national_average=parse_cell(values[5], seconds),
            national_rank=parse_rank(values[6]),
            span=text.span(line),
        )
    )
