"""The national indicator set as array operations: every indicator, period and force at once.

:meth:`peelkit.indicators.compute.Engine.compute` makes one indicator's :class:`Result` objects,
with every figure in exact decimals and its provenance: what a page or report shows. The
national set (43 forces x every indicator x every period the data covers, for open data,
national tables and benchmarks) needs the values, ranks, bands and comparators of all of them;
here they are gathered from the index's array in one step (rows: indicator-periods; columns:
forces) and ranked by comparisons across each row, the same rules as ``Engine.compute``:

- rank 1 is the best by the indicator's polarity; equal values share a rank;
- bands by position in descending order of value, equal values kept in force order (Python's
  stable sort), "one of the highest" / "one of the lowest" within ``band_share`` of the forces
  with data;
- England and Wales pooled over the forces with data; a most similar group pooled over the
  force and its peers, none where any of them lacks data.

Floats decide the order; where two values of a row are so close that float rounding could
order or tie them differently from exact decimals (or equal where the inputs are not whole
numbers), that row's ranks and bands are taken from ``Engine.compute``, so the set gives
exactly the ranks and bands the exact path gives (a test compares them over the whole
embedded dataset).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import numpy.typing as npt

from peelkit.domain.periods import Period
from peelkit.indicators.catalogue import Indicator, catalogue
from peelkit.indicators.compute import Engine, NoData, comparators_of, measure_period

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]

BANDS = ("", "one of the highest", "broadly in line", "one of the lowest")
# Two values closer than this (relative) are ranked by exact decimals instead of floats.
NEAR = 1e-9

Work = tuple[str, Period, int]  # indicator id, period, population year


@dataclass(frozen=True)
class NationalSet:
    """Arrays of rows (``work``: indicator, period, population year) by columns (``forces``).

    ``value`` is NaN where a force has no figure; ``rank`` and ``band`` are 0 there (``band``
    indexes :data:`BANDS`); ``england_and_wales`` is NaN where the indicator is not compared
    with it, ``most_similar_group`` NaN where a force has no group or a member lacks data.
    """

    work: tuple[Work, ...]
    forces: tuple[str, ...]
    numerator: Floats
    denominator: Floats
    value: Floats
    rank: Ints
    tied: Bools
    band: Ints
    of: Ints
    england_and_wales: Floats
    most_similar_group: Floats
    exact_rows: int  # rows whose ranks and bands came from the exact path

    def band_name(self, row: int, column: int) -> str | None:
        return BANDS[int(self.band[row, column])] or None

    def rank_display(self, row: int, column: int) -> str | None:
        rank = int(self.rank[row, column])
        if rank == 0:
            return None
        return f"{rank}=" if self.tied[row, column] else str(rank)


def every_indicator_period(engine: Engine) -> list[Work]:
    """Every indicator of the catalogue and every period its data covers, each with the latest
    mid-year population at or before the period's end."""
    populations = sorted({p.end.year for p in engine.index.periods("population")})
    work: list[Work] = []
    for indicator in catalogue().indicators.values():
        measure_id = indicator.numerator or indicator.measure or ""
        for period in engine.index.periods(measure_id):
            if period.kind == "at_date":
                period = Period.year_ending(period.end.year, period.end.month)
            earlier = [y for y in populations if y <= period.end.year]
            if earlier:
                work.append((indicator.id, period, earlier[-1]))
    return work


def national_set(engine: Engine, work: list[Work]) -> NationalSet:
    """The set for ``work``, computed over arrays (see the module's docstring)."""
    index = engine.index
    columns = index.force_positions(engine.forces)
    indicators = [catalogue().get(indicator_id) for indicator_id, _, _ in work]
    top_at, bottom_at = _positions(engine, indicators, work)
    top = index.values[top_at[:, 0][:, None], top_at[:, 1][:, None], columns[None, :]]
    bottom = index.values[bottom_at[:, 0][:, None], bottom_at[:, 1][:, None], columns[None, :]]
    kinds = np.array([i.kind for i in indicators])
    points = np.array([i.unit == "percentage points" for i in indicators])
    multiplier = np.array([float(i.multiplier) for i in indicators])[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        value = _values(kinds, points, multiplier, top, bottom)
    higher_is_better = np.array([i.better == "higher" for i in indicators])
    present = ~np.isnan(value)
    rank, tied, band, of = _ranks_and_bands(value, present, higher_is_better)
    exact_rows = _near_rows(value, present, top, bottom)
    for near in np.flatnonzero(exact_rows).tolist():
        _exact(engine, work[near], rank[near], tied[near], band[near])
    with np.errstate(divide="ignore", invalid="ignore"):
        ew = _england_and_wales(kinds, points, multiplier, top, bottom, value, present)
        msg = _most_similar_groups(engine, work, kinds, points, multiplier, top, bottom, value)
    for row, indicator in enumerate(indicators):
        allowed = comparators_of(indicator)
        if "england_and_wales" not in allowed:
            ew[row] = np.nan
        if "most_similar_group" not in allowed:
            msg[row] = np.nan
    numerator = np.where(present, top, np.nan)
    denominator = np.where(present & (kinds != "value")[:, None], bottom, np.nan)
    return NationalSet(
        work=tuple(work),
        forces=tuple(engine.forces),
        numerator=numerator,
        denominator=denominator,
        value=value,
        rank=rank,
        tied=tied,
        band=band,
        of=of,
        england_and_wales=ew,
        most_similar_group=msg,
        exact_rows=int(exact_rows.sum()),
    )


def _positions(
    engine: Engine, indicators: list[Indicator], work: list[Work]
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """(measure, period) positions in the index of each row's numerator and denominator (for
    a change, the earlier figure; for a value, an empty period)."""
    index = engine.index
    top = np.empty((len(work), 2), np.intp)
    bottom = np.empty((len(work), 2), np.intp)
    for row, (indicator, (_, period, year)) in enumerate(zip(indicators, work, strict=True)):
        if indicator.kind == "rate":
            assert indicator.numerator and indicator.denominator
            top[row] = (
                index.measure_position(indicator.numerator),
                index.period_position(measure_period(indicator.numerator, period)),
            )
            bottom[row] = (
                index.measure_position(indicator.denominator),
                index.period_position(Period.mid_year(year)),
            )
            continue
        assert indicator.measure
        at = measure_period(indicator.measure, period)
        m = index.measure_position(indicator.measure)
        top[row] = (m, index.period_position(at))
        earlier = at.shifted(-indicator.years) if indicator.kind == "change" else None
        bottom[row] = (m, index.no_period if earlier is None else index.period_position(earlier))
    return top, bottom


def _values(
    kinds: npt.NDArray[np.str_], points: Bools, multiplier: Floats, top: Floats, bottom: Floats
) -> Floats:
    """Each force's figure by the indicator's kind; NaN where a part is missing or a
    denominator (population, earlier figure) is zero."""
    usable = np.where(bottom == 0, np.nan, bottom)
    rate = top * multiplier / usable
    change = np.where(points[:, None], top - usable, (top - usable) * 100 / usable)
    value: Floats = np.where(
        (kinds == "rate")[:, None], rate, np.where((kinds == "change")[:, None], change, top)
    )
    return value


def _ranks_and_bands(
    value: Floats, present: Bools, higher_is_better: Bools
) -> tuple[Ints, Bools, Ints, Ints]:
    """Ranks, ties and bands along each row by pairwise comparison of its values."""
    mine = value[:, :, None]
    theirs = value[:, None, :]
    above = (theirs > mine).sum(axis=2)  # NaN compares False: only forces with data count
    below = (theirs < mine).sum(axis=2)
    equal = (theirs == mine).sum(axis=2)
    rank = np.where(higher_is_better[:, None], above, below) + 1
    forces = value.shape[1]
    earlier_equal = np.tril(np.ones((forces, forces), bool), k=-1)  # j < i
    position = above + 1 + ((theirs == mine) & earlier_equal[None, :, :]).sum(axis=2)
    of = present.sum(axis=1)
    share = Decimal(str(catalogue().band_share))
    limit_of = np.array([int(share * n) for n in range(forces + 1)])  # position <= share * n
    limit = limit_of[of][:, None]
    from_bottom = of[:, None] - position + 1
    band = np.where(position <= limit, 1, np.where(from_bottom <= limit, 3, 2))
    return (
        np.where(present, rank, 0).astype(np.int64),
        present & (equal > 1),
        np.where(present, band, 0).astype(np.int64),
        of.astype(np.int64),
    )


def _near_rows(value: Floats, present: Bools, top: Floats, bottom: Floats) -> Bools:
    """Rows where floats might order or tie two forces differently from exact decimals: two
    values within :data:`NEAR` of each other but not equal, or equal where some input is not a
    whole number (whole numbers give equal floats exactly when their ratios are equal)."""
    ordered = np.sort(value, axis=1)  # NaN last
    gaps = np.diff(ordered, axis=1)
    scale = np.maximum(np.abs(ordered[:, 1:]), np.abs(ordered[:, :-1]))
    near = (gaps > 0) & (gaps <= NEAR * scale)
    inputs = np.where(present[:, :, None], np.stack([top, bottom], axis=2), 0.0)
    whole = np.all((inputs == np.floor(inputs)) | np.isnan(inputs), axis=(1, 2))
    ties = gaps == 0
    return np.asarray(near.any(axis=1) | (ties.any(axis=1) & ~whole), dtype=np.bool_)


def _exact(engine: Engine, work: Work, rank: Ints, tied: Bools, band: Ints) -> None:
    """One row's ranks, ties and bands from the exact engine (written into the arrays)."""
    indicator_id, period, year = work
    indicator = catalogue().get(indicator_id)
    try:
        results = engine.compute(indicator_id, period, comparators_of(indicator)[0], year)
    except NoData:
        return
    for column, result in enumerate(results):
        rank[column] = result.rank or 0
        tied[column] = bool(result.rank_display and result.rank_display.endswith("="))
        band[column] = BANDS.index(result.band) if result.band else 0


def _pooled(
    kinds: npt.NDArray[np.str_],
    points: Bools,
    multiplier: Floats,
    top: Floats,
    bottom: Floats,
    value: Floats,
) -> Floats:
    """A comparator's figure from summed parts (rows of the arrays given): the sum of values
    for a value indicator, else the indicator's formula over the summed numerators and
    denominators."""
    summed = _values(kinds, points, multiplier, top, bottom)
    pooled: Floats = np.where((kinds == "value")[:, None], value, summed)
    return pooled


def _england_and_wales(
    kinds: npt.NDArray[np.str_],
    points: Bools,
    multiplier: Floats,
    top: Floats,
    bottom: Floats,
    value: Floats,
    present: Bools,
) -> Floats:
    def total(array: Floats) -> Floats:
        summed: Floats = np.where(present, array, 0.0).sum(axis=1, keepdims=True)
        return summed

    pooled = _pooled(kinds, points, multiplier, total(top), total(bottom), total(value))
    none = ~present.any(axis=1, keepdims=True)
    result: Floats = np.where(none, np.nan, pooled)[:, 0]
    return result


def _most_similar_groups(
    engine: Engine,
    work: list[Work],
    kinds: npt.NDArray[np.str_],
    points: Bools,
    multiplier: Floats,
    top: Floats,
    bottom: Floats,
    value: Floats,
) -> Floats:
    """Each force's group (itself and its peers, those in effect for the row's period) pooled:
    a membership matrix per period, so a group's sums are one matrix product."""
    forces = engine.forces
    column = {f: i for i, f in enumerate(forces)}
    members: dict[Period, Floats] = {}
    result = np.full(value.shape, np.nan)
    present = ~np.isnan(value)
    for period in {p for _, p, _ in work}:
        matrix = np.zeros((len(forces), len(forces)))
        for i, force in enumerate(forces):
            peers = engine.group_of(force, period)
            if peers is None:
                matrix[i, :] = np.nan
                continue
            for member in (force, *peers):
                if member in column:
                    matrix[i, column[member]] = 1.0
                else:
                    matrix[i, :] = np.nan
        members[period] = matrix
    for period, matrix in members.items():
        rows = np.array([r for r, (_, p, _) in enumerate(work) if p == period])
        size = np.nansum(matrix, axis=1)
        grouped = np.asarray(~np.isnan(matrix).any(axis=1))
        weights = np.nan_to_num(matrix)
        mask = present[rows]
        lacking = (~mask).astype(float) @ weights.T  # members without data, per force
        sums = [np.where(mask, a[rows], 0.0) @ weights.T for a in (top, bottom, value)]
        pooled = _pooled(kinds[rows], points[rows], multiplier[rows], *sums)
        usable = grouped[None, :] & (lacking == 0) & (size[None, :] > 0)
        result[rows] = np.where(usable, pooled, np.nan)
    return result
