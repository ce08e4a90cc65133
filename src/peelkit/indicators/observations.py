"""Observations indexed for computing indicators: by measure, period and force.

The index is an array ``values[measure, period, force]`` built from the dataset's columns in
one step (no object per figure), with ``origin`` holding the row each figure was read from; a
:class:`Figure` with its provenance is made only for the figures a result shows.

A derived measure (a sum such as theft offences) is the publication's own figure when one was
read for it, else the sum of its parts when every part is there for that force and period.
In the array the sums are floats (for ranking the national set); a :class:`Figure` adds the
parts' published decimals exactly, as the reports' figures are made.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import numpy.typing as npt

from peelkit.domain.periods import Period
from peelkit.sources.measures import measure, measures
from peelkit.sources.model import Observation, Publication
from peelkit.sources.table import ObservationTable

Floats = npt.NDArray[np.float64]
Positions = npt.NDArray[np.intp]


@dataclass(frozen=True)
class Figure:
    """A value and every observation it was made from (its provenance)."""

    value: Decimal
    sources: tuple[Observation, ...]


class ObservationIndex:
    """Every figure by measure, period and force, over the arrays of an observation table.

    The period and force axes have one more position than the data's: an empty one (NaN), which
    a period or force the data does not have points at, so a gather never needs a test.
    """

    def __init__(
        self,
        observations: Iterable[Observation] | ObservationTable,
        publications: Iterable[Publication],
    ) -> None:
        table = (
            observations
            if isinstance(observations, ObservationTable)
            else ObservationTable.of(observations)
        )
        self.table = table
        self.publications = {p.sha256: p for p in publications}
        known = list(measures())
        extra = sorted(set(table.tables["measure"]) - set(known))
        self.measure_ids: tuple[str, ...] = (*known, *extra)
        self._measure = {m: i for i, m in enumerate(self.measure_ids)}
        self._period = {p: i for i, p in enumerate(table.periods)}
        self._force = {f: i for i, f in enumerate(table.tables["force"])}
        self.no_period = len(table.periods)
        self.no_force = len(self._force)
        shape = (len(self.measure_ids), self.no_period + 1, self.no_force + 1)
        recode = np.array([self._measure[m] for m in table.tables["measure"]], np.intp)
        where = (
            recode[table.codes["measure"]] if len(recode) else np.zeros(0, np.intp),
            table.codes["period"],
            table.codes["force"],
        )
        direct = np.full(shape, np.nan)
        direct[where] = table.value
        self.origin = np.full(shape, -1, np.int32)
        self.origin[where] = np.arange(len(table), dtype=np.int32)
        self.direct = direct
        self.values = self._with_sums(direct)
        self._figures: dict[tuple[int, int, int], Figure | None] = {}

    def _with_sums(self, direct: Floats) -> Floats:
        """Direct figures, and where one is missing for a derived measure, its parts' sum."""
        values = direct.copy()
        done: set[str] = set()

        def fill(measure_id: str) -> None:
            if measure_id in done:
                return
            done.add(measure_id)
            parts = measure(measure_id).parts if measure_id in measures() else ()
            if not parts:
                return
            for part in parts:
                fill(part)
            total = np.sum([values[self._measure[p]] for p in parts], axis=0)
            row = values[self._measure[measure_id]]
            gaps = np.isnan(row)
            row[gaps] = total[gaps]

        for measure_id in self.measure_ids:
            fill(measure_id)
        return values

    # --- positions -------------------------------------------------------------------------

    def period_position(self, period: Period) -> int:
        return self._period.get(period, self.no_period)

    def force_positions(self, forces: Sequence[str]) -> Positions:
        return np.array([self._force.get(f, self.no_force) for f in forces], np.intp)

    def measure_position(self, measure_id: str) -> int:
        found = self._measure.get(measure_id)
        if found is None:
            measure(measure_id)  # raises the one-line unknown_measure error
            raise AssertionError(measure_id)
        return found

    # --- figures ---------------------------------------------------------------------------

    def periods(self, measure_id: str) -> list[Period]:
        """Every period for which the measure (or all the parts of a sum) has data."""
        item = measure(measure_id)
        row = self.origin[self._measure[measure_id], : self.no_period, :]
        direct = {self.table.periods[i] for i in np.flatnonzero((row >= 0).any(axis=1))}
        if not item.derived:
            return sorted(direct)
        part_periods = [set(self.periods(part)) for part in item.parts]
        return sorted(direct | set.intersection(*part_periods))

    def figure(self, measure_id: str, force: str, period: Period) -> Figure | None:
        """The figure with its sources; a sum adds its parts' published decimals exactly."""
        m = self._measure.get(measure_id)
        if m is None:
            measure(measure_id)
            return None
        p = self._period.get(period)
        f = self._force.get(force)
        if p is None or f is None:
            return None
        return self._figure(m, p, f)

    def _figure(self, m: int, p: int, f: int) -> Figure | None:
        key = (m, p, f)
        if key in self._figures:
            return self._figures[key]
        row = self.origin.item(m, p, f)
        found: Figure | None = None
        if row >= 0:
            observation = self.table.observation(row)
            found = Figure(Decimal(repr(observation.value)), (observation,))
        elif not math.isnan(self.values.item(m, p, f)):
            value = Decimal(0)
            sources: list[Observation] = []
            for part in measure(self.measure_ids[m]).parts:
                figure = self._figure(self._measure[part], p, f)
                assert figure is not None  # the sum is there only when every part is
                value += figure.value
                sources.extend(figure.sources)
            found = Figure(value, tuple(sources))
        self._figures[key] = found
        return found

    def forces_with(self, measure_id: str, period: Period) -> set[str]:
        p = self._period.get(period)
        if p is None:
            return set()
        present = ~np.isnan(self.values[self._measure[measure_id], p, : self.no_force])
        forces = self.table.tables["force"]
        return {forces[i] for i in np.flatnonzero(present)}

    def __len__(self) -> int:
        return len(self.table)
