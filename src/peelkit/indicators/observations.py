"""Observations indexed for computing indicators: by measure, period and force.

A derived measure (a sum such as theft offences) is the publication's own figure when one was
read for it, else the sum of its parts when every part is there for that force and period.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from peelkit.domain.periods import Period
from peelkit.sources.measures import measure
from peelkit.sources.model import Observation, Publication


@dataclass(frozen=True)
class Figure:
    """A value and every observation it was made from (its provenance)."""

    value: Decimal
    sources: tuple[Observation, ...]


class ObservationIndex:
    def __init__(
        self, observations: Iterable[Observation], publications: Iterable[Publication]
    ) -> None:
        self._values: dict[tuple[str, Period], dict[str, Figure]] = defaultdict(dict)
        self.publications = {p.sha256: p for p in publications}
        # Sums of derived measures, worked out once (the national set asks for each many times).
        self._sums: dict[tuple[str, str, Period], Figure | None] = {}
        self._parts_of: dict[str, tuple[str, ...]] = {}
        for observation in observations:
            figure = Figure(Decimal(repr(observation.value)), (observation,))
            self._values[(observation.measure, observation.period)][observation.force] = figure

    def periods(self, measure_id: str) -> list[Period]:
        """Every period for which the measure (or all the parts of a sum) has data."""
        item = measure(measure_id)
        direct = {period for (m, period) in self._values if m == measure_id}
        if not item.derived:
            return sorted(direct)
        part_periods = [set(self.periods(part)) for part in item.parts]
        return sorted(direct | set.intersection(*part_periods))

    def figure(self, measure_id: str, force: str, period: Period) -> Figure | None:
        found = self._values.get((measure_id, period))
        if found is not None and force in found:
            return found[force]
        parts = self._parts_of.get(measure_id)
        if parts is None:
            parts = self._parts_of[measure_id] = measure(measure_id).parts
        if not parts:
            return None
        key = (measure_id, force, period)
        if key in self._sums:
            return self._sums[key]
        total: Figure | None = None
        value = Decimal(0)
        sources: list[Observation] = []
        for part in parts:
            figure = self.figure(part, force, period)
            if figure is None:
                break
            value += figure.value
            sources.extend(figure.sources)
        else:
            total = Figure(value, tuple(sources))
        self._sums[key] = total
        return total

    def forces_with(self, measure_id: str, period: Period) -> set[str]:
        direct = set(self._values.get((measure_id, period), {}))
        item = measure(measure_id)
        if not item.derived:
            return direct
        sets = [self.forces_with(part, period) for part in item.parts]
        return direct | set.intersection(*sets)

    def __len__(self) -> int:
        return sum(len(v) for v in self._values.values())
