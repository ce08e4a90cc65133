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
        found = self._values.get((measure_id, period), {}).get(force)
        if found is not None:
            return found
        item = measure(measure_id)
        if not item.derived:
            return None
        parts = [self.figure(part, force, period) for part in item.parts]
        if any(part is None for part in parts):
            return None
        present = [part for part in parts if part is not None]
        return Figure(
            sum((p.value for p in present), Decimal(0)),
            tuple(o for p in present for o in p.sources),
        )

    def forces_with(self, measure_id: str, period: Period) -> set[str]:
        direct = set(self._values.get((measure_id, period), {}))
        item = measure(measure_id)
        if not item.derived:
            return direct
        sets = [self.forces_with(part, period) for part in item.parts]
        return direct | set.intersection(*sets)

    def __len__(self) -> int:
        return sum(len(v) for v in self._values.values())
