"""Computing indicators exactly as the reports' annexes define them.

- England and Wales excludes British Transport Police and is pooled: the sum of the forces'
  numerators over the sum of their denominators.
- A most similar group's figure is pooled over the group including the force itself (or, as an
  option older tools used, the simple mean of the group's rates).
- Ranks are "x out of n", n the forces with data, 1 the best (by the indicator's polarity);
  equal values share a rank, printed "9=".
- Bands: "one of the highest" / "one of the lowest" when the force's position by value is in
  the top / bottom 25 percent of the forces with data, else "broadly in line".
- Change is in percent for counts and rates.
- Figures are rounded half up for display; every result carries the observations it used.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from peelkit.domain.periods import Period
from peelkit.errors import PeelkitError
from peelkit.indicators.catalogue import Indicator, catalogue
from peelkit.indicators.observations import Figure, ObservationIndex
from peelkit.indicators.rounding import display
from peelkit.reference import territorial_forces
from peelkit.sources.measures import measure
from peelkit.sources.model import Observation

STOCK_UNITS = ("fte", "headcount")
GroupLookup = Callable[[str, Period], Sequence[str] | None]
MsgMethod = Literal["pooled", "mean"]


class NoData(PeelkitError):
    """An indicator asked for a period the data does not cover."""

    code = "no_data"
    kind = "not_found"


@dataclass
class Result:
    """One force's figure for one indicator and period, with its comparator, rank and band."""

    force: str
    indicator: str
    period: Period
    population_year: int | None
    value: Decimal | None
    display: str | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    comparator: str | None = None
    comparator_forces: tuple[str, ...] = ()
    comparator_value: Decimal | None = None
    comparator_display: str | None = None
    rank: int | None = None
    rank_display: str | None = None
    of: int | None = None
    band: str | None = None
    missing: str | None = None  # why there is no value
    note: str | None = None  # e.g. a comparator computed over fewer forces than usual
    sources: tuple[Observation, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class _Parts:
    numerator: Decimal
    denominator: Decimal | None
    sources: tuple[Observation, ...]


def measure_period(measure_id: str, period: Period) -> Period:
    """Stocks (workforce) are counted at the end of the period; flows over its 12 months."""
    if measure(measure_id).unit in STOCK_UNITS:
        return Period.at(period.end)
    return period


def comparators_of(indicator: Indicator) -> tuple[str, ...]:
    """The comparators an indicator can be shown against: those the reports use for it
    (``comparators`` in the catalogue) and, where England and Wales is one, the force's ONS
    region, pooled the same way (a comparison the reports do not print; issue 13)."""
    if "england_and_wales" in indicator.comparators:
        return (*indicator.comparators, "region")
    return indicator.comparators


class Engine:
    def __init__(self, index: ObservationIndex, group_of: GroupLookup) -> None:
        self.index = index
        self.group_of = group_of
        self.forces = [f.id for f in territorial_forces() if f.in_england_and_wales_totals]
        self.regions = {f.id: f.region for f in territorial_forces()}
        self.region_members: dict[str, list[str]] = {}
        for force in self.forces:
            region = self.regions.get(force)
            if region is not None:
                self.region_members.setdefault(region, []).append(force)
        # computed statistics (rank intervals per indicator, period and population year)
        self.cache: dict[tuple[object, ...], object] = {}

    def parts(
        self, indicator: Indicator, force: str, period: Period, population_year: int
    ) -> tuple[Decimal, Decimal | None] | None:
        """A force's numerator and denominator for a period, or None where there is no data."""
        found = self._parts(indicator, force, period, population_year)
        return None if found is None else (found.numerator, found.denominator)

    # --- the figure of one force ---------------------------------------------------------

    def _parts(
        self, indicator: Indicator, force: str, period: Period, population_year: int
    ) -> _Parts | None:
        if indicator.kind == "rate":
            assert indicator.numerator and indicator.denominator
            top = self.index.figure(
                indicator.numerator, force, measure_period(indicator.numerator, period)
            )
            bottom = self.index.figure(
                indicator.denominator, force, Period.mid_year(population_year)
            )
            if top is None or bottom is None or bottom.value == 0:
                return None
            return _Parts(top.value, bottom.value, top.sources + bottom.sources)
        assert indicator.measure
        at = measure_period(indicator.measure, period)
        now = self.index.figure(indicator.measure, force, at)
        if now is None:
            return None
        if indicator.kind == "value":
            return _Parts(now.value, None, now.sources)
        before: Figure | None = self.index.figure(
            indicator.measure, force, at.shifted(-indicator.years)
        )
        if before is None or before.value == 0:
            return None
        return _Parts(now.value, before.value, now.sources + before.sources)

    @staticmethod
    def _value(indicator: Indicator, numerator: Decimal, denominator: Decimal | None) -> Decimal:
        if indicator.kind == "value":
            return numerator
        assert denominator is not None
        if indicator.kind == "rate":
            return numerator * indicator.multiplier / denominator
        if indicator.unit == "percentage points":
            return numerator - denominator  # a change in a proportion is in points
        return (numerator - denominator) * 100 / denominator

    # --- all forces ------------------------------------------------------------------------

    def compute(
        self,
        indicator_id: str,
        period: Period,
        comparator: str = "england_and_wales",
        population_year: int | None = None,
        msg_method: MsgMethod = "pooled",
    ) -> list[Result]:
        """The indicator for all 43 forces, ranked, with the chosen comparator."""
        indicator = catalogue().get(indicator_id)
        if comparator not in comparators_of(indicator):
            raise PeelkitError(
                f"indicator {indicator.id} is compared with "
                f"{' or '.join(comparators_of(indicator))}, not {comparator}",
                code="unsupported_comparator",
            )
        year = population_year if population_year is not None else period.end.year
        parts = {f: self._parts(indicator, f, period, year) for f in self.forces}
        if not any(parts.values()):
            raise NoData(self._no_data_message(indicator, period, year))
        values = {
            f: self._value(indicator, p.numerator, p.denominator)
            for f, p in parts.items()
            if p is not None
        }
        ranks = self._ranks(indicator, values)
        bands = self._bands(values, catalogue().band_share)
        uses_population = indicator.kind == "rate"
        pooled: dict[tuple[tuple[str, ...], str, str], Decimal] = {}
        ew_members = [f for f in self.forces if f in values]
        results = []
        for force in self.forces:
            part = parts[force]
            value = values.get(force)
            result = Result(
                force=force,
                indicator=indicator.id,
                period=period,
                population_year=year if uses_population else None,
                value=value,
                display=display(value, indicator.decimals),
                numerator=part.numerator if part else None,
                denominator=part.denominator if part else None,
                rank=ranks[force][0] if force in ranks else None,
                rank_display=ranks[force][1] if force in ranks else None,
                of=len(values) if value is not None else None,
                band=bands.get(force),
                missing=None if part else self._missing(indicator, force, period, year),
                sources=part.sources if part else (),
            )
            self._compare(
                result, indicator, comparator, parts, values, msg_method, pooled, ew_members
            )
            results.append(result)
        return results

    def _compare(
        self,
        result: Result,
        indicator: Indicator,
        comparator: str,
        parts: dict[str, _Parts | None],
        values: dict[str, Decimal],
        msg_method: MsgMethod,
        pooled_cache: dict[tuple[tuple[str, ...], str, str], Decimal],
        ew_members: list[str],
    ) -> None:
        result.comparator = comparator
        if comparator == "england_and_wales":
            members = ew_members
        elif comparator == "region":
            region = self.regions.get(result.force)
            if region is None:
                result.missing = result.missing or "no region for this force"
                return
            members = self.region_members[region]
        else:
            peers = self.group_of(result.force, result.period)
            if peers is None:
                result.missing = result.missing or "no most similar group for this force"
                return
            members = [result.force, *peers]
        result.comparator_forces = tuple(members)
        if comparator == "england_and_wales" and len(members) < len(self.forces):
            absent = sorted(set(self.forces) - set(members))
            result.note = (
                f"England and Wales over the {len(members)} forces with data "
                f"(none for {', '.join(absent)})"
            )
        lacking = [] if members is ew_members else [f for f in members if f not in values]
        if lacking:
            result.missing = result.missing or f"no data for {', '.join(lacking)}"
            return
        key = (tuple(members), comparator, msg_method)
        pooled = pooled_cache.get(key)
        if pooled is None:
            pooled = pooled_cache[key] = self._pool(
                indicator, members, comparator, parts, values, msg_method
            )
        result.comparator_value = pooled
        result.comparator_display = display(pooled, indicator.decimals)

    def _pool(
        self,
        indicator: Indicator,
        members: list[str],
        comparator: str,
        parts: dict[str, _Parts | None],
        values: dict[str, Decimal],
        msg_method: MsgMethod,
    ) -> Decimal:
        """The comparator's figure: pooled sums (or, on request, the mean of the group's rates)."""
        if msg_method == "mean" and comparator == "most_similar_group":
            return sum((values[f] for f in members), Decimal(0)) / len(members)
        if indicator.kind == "value":
            return sum((values[f] for f in members), Decimal(0))
        top = sum((p.numerator for f in members if (p := parts[f])), Decimal(0))
        bottom = sum((p.denominator or Decimal(0) for f in members if (p := parts[f])), Decimal(0))
        return self._value(indicator, top, bottom)

    @staticmethod
    def _ranks(indicator: Indicator, values: dict[str, Decimal]) -> dict[str, tuple[int, str]]:
        """Rank 1 is the best; equal values share a rank, printed with "="."""
        ordered = sorted(values.items(), key=lambda kv: kv[1], reverse=indicator.better == "higher")
        ranks: dict[str, tuple[int, str]] = {}
        counts: dict[Decimal, int] = {}
        for _, value in ordered:
            counts[value] = counts.get(value, 0) + 1
        position = 0
        previous: Decimal | None = None
        for index, (force, value) in enumerate(ordered, start=1):
            if value != previous:
                position = index
                previous = value
            tied = counts[value] > 1
            ranks[force] = (position, f"{position}=" if tied else str(position))
        return ranks

    @staticmethod
    def _bands(values: dict[str, Decimal], share: float) -> dict[str, str]:
        n = len(values)
        limit = Decimal(str(share)) * n
        descending = sorted(values.items(), key=lambda kv: kv[1], reverse=True)
        bands = {}
        for position, (force, _) in enumerate(descending, start=1):
            from_bottom = n - position + 1
            if position <= limit:
                bands[force] = "one of the highest"
            elif from_bottom <= limit:
                bands[force] = "one of the lowest"
            else:
                bands[force] = "broadly in line"
        return bands

    def _missing(self, indicator: Indicator, force: str, period: Period, year: int) -> str:
        for measure_id in indicator.measures:
            at = (
                Period.mid_year(year)
                if measure_id == indicator.denominator
                else measure_period(measure_id, period)
            )
            if self.index.figure(measure_id, force, at) is None:
                return f"no {_lower_first(measure(measure_id).label)} for {at.label()}"
        return "no data"

    def _no_data_message(self, indicator: Indicator, period: Period, year: int) -> str:
        for measure_id in indicator.measures:
            at = (
                Period.mid_year(year)
                if measure_id == indicator.denominator
                else measure_period(measure_id, period)
            )
            if not self.index.forces_with(measure_id, at):
                covered = self.index.periods(measure_id)
                span = f"{covered[0].label()} to {covered[-1].label()}" if covered else "none"
                return (
                    f"no data for {indicator.id}: no {measure(measure_id).label.lower()} "
                    f"for {at.label()} (data covers {span})"
                )
        return f"no data for {indicator.id} in {period.label()}"


def _lower_first(label: str) -> str:
    return label[:1].lower() + label[1:]
