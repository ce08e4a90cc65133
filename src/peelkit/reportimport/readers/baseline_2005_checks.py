"""Data-quality checks on the 2005 Appendix 1 performance tables: warnings, never fixes.

- a percentage above 100% in a value column (``1000.0%`` scenes examined);
- a change that does not follow from the two years printed. The report computed its changes
  from unrounded data, so the check allows for the rounding of every printed number: "1.28" may
  be anything from 1.275 to 1.285, and "-1.3 %" anything from -1.35 to -1.25;
- the same indicator printed with different values in two tables;
- a relative ("%") change on an indicator that is itself a percentage, where the report's
  convention is a difference in points ("Pts");
- a rank beyond its denominator, or an MSF rank out of more forces than the group has.
"""

from __future__ import annotations

from collections.abc import Iterator

from peelkit.names import fold
from peelkit.reportimport.model import Cell, ImportWarning, PerformanceRow, Rank
from peelkit.reportimport.readers.baseline_2005_tables import DEFAULT_COLUMNS, decimals

_EPSILON = 1e-9


def check_tables(
    rows: list[PerformanceRow], columns: tuple[str, ...] = DEFAULT_COLUMNS, msf_size: int = 5
) -> list[ImportWarning]:
    names = dict(zip(_FIELDS, columns, strict=False))
    warnings: list[ImportWarning] = []
    for row in rows:
        warnings.extend(impossible_percentages(row, names))
        warnings.extend(change_mismatch(row, names))
        warnings.extend(relative_change_on_percentage(row, names))
        warnings.extend(ranks_out_of_range(row, names, msf_size))
    warnings.extend(cross_table_mismatches(rows, names))
    return warnings


_FIELDS = (
    "previous",
    "current",
    "change",
    "msf_average",
    "msf_rank",
    "national_average",
    "national_rank",
)
_VALUE_FIELDS = ("previous", "current", "msf_average", "national_average")


def _warning(code: str, message: str, row: PerformanceRow, column: str) -> ImportWarning:
    return ImportWarning(
        code=code, message=message, table=row.table, row=row.indicator, column=column, span=row.span
    )


def impossible_percentages(row: PerformanceRow, names: dict[str, str]) -> Iterator[ImportWarning]:
    for name in _VALUE_FIELDS:
        cell: Cell = getattr(row, name)
        if cell.unit == "percent" and cell.value is not None and cell.value > 100:
            yield _warning(
                "impossible_percentage",
                f'{names[name]} is printed "{cell.printed}", a percentage above 100%',
                row,
                names[name],
            )


def _bounds(cell: Cell) -> tuple[float, float] | None:
    """The range of true values a printed number may have been rounded from."""
    places = decimals(cell.printed)
    if cell.value is None or places is None:
        return None
    half = 0.5 * 10.0**-places
    return cell.value - half, cell.value + half


def possible_change(row: PerformanceRow) -> tuple[float, float] | None:
    """The range the change may take, given the rounding of the two printed years."""
    previous, current = _bounds(row.previous), _bounds(row.current)
    if previous is None or current is None:
        return None
    if row.change.unit == "points":
        return current[0] - previous[1], current[1] - previous[0]
    if row.change.unit == "percent":
        if previous[0] <= 0 or current[0] < 0:
            return None
        return (current[0] / previous[1] - 1) * 100, (current[1] / previous[0] - 1) * 100
    return None


def change_mismatch(row: PerformanceRow, names: dict[str, str]) -> Iterator[ImportWarning]:
    possible, printed = possible_change(row), _bounds(row.change)
    if possible is None or printed is None:
        return
    if printed[1] < possible[0] - _EPSILON or printed[0] > possible[1] + _EPSILON:
        kind = "difference" if row.change.unit == "points" else "relative change"
        yield _warning(
            "change_mismatch",
            f'change is printed "{row.change.printed}" but the {kind} from '
            f'"{row.previous.printed}" to "{row.current.printed}" is between '
            f"{possible[0]:.4g} and {possible[1]:.4g}, allowing for rounding",
            row,
            names["change"],
        )


def relative_change_on_percentage(
    row: PerformanceRow, names: dict[str, str]
) -> Iterator[ImportWarning]:
    percentages = row.previous.unit == "percent" or row.current.unit == "percent"
    if percentages and row.change.unit == "percent":
        yield _warning(
            "relative_change_on_percentage",
            f'change "{row.change.printed}" is a relative change of a percentage; the tables '
            'print percentage changes as differences in points ("Pts")',
            row,
            names["change"],
        )


def ranks_out_of_range(
    row: PerformanceRow, names: dict[str, str], msf_size: int
) -> Iterator[ImportWarning]:
    for name, limit in (("msf_rank", msf_size), ("national_rank", None)):
        rank: Rank = getattr(row, name)
        if rank.position is None or rank.of is None:
            continue
        if rank.position > rank.of or rank.position < 1:
            yield _warning(
                "rank_out_of_range", f'rank "{rank.printed}" exceeds its group', row, names[name]
            )
        elif limit is not None and rank.of > limit:
            yield _warning(
                "rank_out_of_range",
                f'rank "{rank.printed}" is out of more forces than the group of {limit} has',
                row,
                names[name],
            )


def cross_table_mismatches(
    rows: list[PerformanceRow], names: dict[str, str]
) -> Iterator[ImportWarning]:
    """Rows of the same indicator (in several area tables) whose printed values differ."""
    first_seen: dict[str, PerformanceRow] = {}
    for row in rows:
        key = fold(row.indicator)
        first = first_seen.setdefault(key, row)
        if first is row or first.table == row.table:
            continue
        for name in _FIELDS:
            message = _difference(getattr(first, name), getattr(row, name))
            if message:
                yield _warning(
                    "cross_table_mismatch",
                    f"{names[name]} is printed {message} in table {first.table!r}",
                    row,
                    names[name],
                )


def _difference(first: Cell | Rank, other: Cell | Rank) -> str | None:
    if isinstance(first, Rank) and isinstance(other, Rank):
        same = (first.position, first.of, first.tied) == (other.position, other.of, other.tied)
        return None if same else f'"{other.printed}" here and "{first.printed}"'
    if not isinstance(first, Cell) or not isinstance(other, Cell):
        return None
    if first.value is None and other.value is None:
        return None  # "-" against "*": both say there is no value
    if (
        first.value is not None
        and other.value is not None
        and abs(first.value - other.value) < _EPSILON
    ):
        return None  # "0.70" against "0.7"
    note = " (they agree at the coarser print's precision)" if _agree(first, other) else ""
    return f'"{other.printed}" here and "{first.printed}"{note}'


def _agree(first: Cell, other: Cell) -> bool:
    left, right = _bounds(first), _bounds(other)
    if left is None or right is None:
        return False
    return left[0] <= right[1] and right[0] <= left[1]
