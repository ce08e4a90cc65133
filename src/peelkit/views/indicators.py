"""Indicator results as typed views: a force's figure for one indicator and period with its
comparator, rank, band and the cells it was computed from.

:class:`IndicatorQuery` asks the engine and never drops a row: where the statistics hold no
figure, the row is there with ``value`` None and ``missing`` saying why.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from peelkit.domain.periods import Period
from peelkit.errors import PeelkitError
from peelkit.indicators.compute import Engine, MsgMethod
from peelkit.indicators.service import COMPARATOR_NAMES, compute_rows
from peelkit.reference import territorial_forces


@dataclass(frozen=True)
class SourceCell:
    """One official figure an indicator used, and the cell of the publication it came from."""

    measure: str
    force: str
    period: str
    value: float | None
    publisher: str | None
    title: str | None
    release: str | None
    file: str | None
    sha256: str
    sheet: str | None
    row: int | str | None
    column: str | None


@dataclass(frozen=True)
class SignificanceCall:
    """The force's figure against one comparator at one level (``"95"`` or ``"99.8"``).

    ``call`` is ``higher``, ``lower`` or ``similar`` (the comparator's value inside the force's
    interval); ``judgement`` is ``better`` / ``worse`` / ``similar`` by the indicator's polarity,
    or None for an indicator with no judgement.
    """

    comparator: str
    level: str
    comparator_value: float | None
    call: str
    judgement: str | None


@dataclass(frozen=True)
class RankInterval:
    """The range of ranks a force could take given every force's uncertainty (95%)."""

    lower: int
    upper: int
    of: int
    display: str  # "rank 32 (28–35) of 43"


@dataclass(frozen=True)
class TrendPoint:
    period: str
    period_end: str
    value: float | None
    ci95_lower: float | None
    ci95_upper: float | None


@dataclass(frozen=True)
class Trend:
    """The tested recent trend: ``increasing``, ``decreasing``, ``no significant change`` or
    ``cannot be calculated`` (``why`` says why)."""

    call: str
    why: str | None
    slope: float | None  # change in the indicator's unit per year
    points: tuple[TrendPoint, ...]


@dataclass(frozen=True)
class IndicatorRow:
    force: str
    indicator: str
    label: str
    period: str
    period_end: str
    unit: str
    value: float | None
    display: str | None
    numerator: float | None
    denominator: float | None
    population_year: int | None
    comparator: str | None
    comparator_forces: tuple[str, ...]
    comparator_value: float | None
    comparator_display: str | None
    rank: int | None
    rank_display: str | None
    of: int | None
    band: str | None
    missing: str | None
    note: str | None
    provenance: tuple[SourceCell, ...]
    ci95_lower: float | None = None
    ci95_upper: float | None = None
    ci998_lower: float | None = None
    ci998_upper: float | None = None
    interval_note: str | None = None  # why there is no interval
    polarity: str | None = None  # low_is_good, high_is_good or no_judgement
    population_note: str | None = None  # a population that makes the rate mislead
    significance: tuple[SignificanceCall, ...] = ()
    rank_interval: RankInterval | None = None
    trend: Trend | None = None

    @classmethod
    def from_engine(cls, row: Mapping[str, Any]) -> IndicatorRow:
        fields = dict(row)
        fields["comparator_forces"] = tuple(fields.get("comparator_forces") or ())
        fields["provenance"] = tuple(SourceCell(**p) for p in fields.get("provenance") or ())
        fields["significance"] = tuple(
            SignificanceCall(**s) for s in fields.get("significance") or ()
        )
        ranked = fields.get("rank_interval")
        fields["rank_interval"] = RankInterval(**ranked) if ranked else None
        trend = fields.get("trend")
        if trend:
            points = tuple(TrendPoint(**p) for p in trend.get("points") or ())
            fields["trend"] = Trend(**{**trend, "points": points})
        else:
            fields["trend"] = None
        return cls(**fields)

    def significance_at(self, comparator: str, level: str = "95") -> SignificanceCall | None:
        """The call against one comparator at one level, or None when there is none."""
        for call in self.significance:
            if call.comparator == comparator and call.level == level:
                return call
        return None

    @property
    def is_most_similar_group(self) -> bool:
        return self.comparator == "most_similar_group"


class IndicatorQuery:
    """The engine's rows for a period, exactly as ``peel indicators`` gives them."""

    def __init__(self, engine: Engine, msg_method: MsgMethod = "pooled") -> None:
        self.engine = engine
        self.msg_method = msg_method

    def rows(
        self,
        period: Period,
        force: str | None,
        indicator_ids: Sequence[str],
        comparator: str,
        population_year: int | None,
        *,
        trends: bool | None = None,
    ) -> list[IndicatorRow]:
        """Rows for one force (one per indicator) or every force (one per force and indicator).

        An indicator the statistics cannot compute for the period gives, for every force asked,
        a row without a value whose ``missing`` says why. ``trends``: test each row's trend
        (default: for one force only, as ``peel indicators``); False where only the values are
        wanted (the points of a trend chart), which saves five years of figures per row.
        """
        chosen = COMPARATOR_NAMES.get(comparator, comparator)
        out: list[IndicatorRow] = []
        for indicator_id in indicator_ids:
            try:
                found = compute_rows(
                    self.engine,
                    [indicator_id],
                    period,
                    force,
                    chosen,
                    population_year,
                    self.msg_method,
                    trends=trends,
                )
            except PeelkitError as exc:
                if force is not None:
                    raise
                found = [_missing(f.id, indicator_id, period, str(exc)) for f in _forces()]
            out.extend(IndicatorRow.from_engine(r) for r in found)
        return out


def _forces() -> Iterable[Any]:
    return territorial_forces()


def _missing(force: str, indicator_id: str, period: Period, why: str) -> dict[str, Any]:
    from peelkit.indicators.catalogue import catalogue

    indicator = catalogue().get(indicator_id)
    return {
        "force": force,
        "indicator": indicator_id,
        "label": indicator.label,
        "period": period.label(),
        "period_end": period.end.isoformat(),
        "unit": indicator.unit,
        "value": None,
        "display": None,
        "numerator": None,
        "denominator": None,
        "population_year": None,
        "comparator": None,
        "comparator_forces": [],
        "comparator_value": None,
        "comparator_display": None,
        "rank": None,
        "rank_display": None,
        "of": None,
        "band": None,
        "missing": why,
        "note": None,
        "provenance": [],
    }


def indicator_rows(
    engine: Engine,
    period: Period,
    *,
    force: str | None = None,
    indicator_ids: Sequence[str] | None = None,
    comparator: str = "england_and_wales",
    population_year: int | None = None,
    msg_method: MsgMethod = "pooled",
) -> list[IndicatorRow]:
    """``peel indicators``' rows: a force's (all indicators by default) or, without a force,
    every force's (ranked). Names are checked first (force, indicators, comparator), each
    mistake one line."""
    from peelkit.errors import InvalidRecord
    from peelkit.indicators.catalogue import catalogue
    from peelkit.reference import resolve_force

    force_id = resolve_force(force).id if force else None
    ids = list(indicator_ids) if indicator_ids else list(catalogue().indicators)
    for indicator_id in ids:
        catalogue().get(indicator_id)
    chosen = COMPARATOR_NAMES.get(comparator)
    if chosen is None:
        raise InvalidRecord(
            f"unknown comparator {comparator!r} (expected ew, msg or region)",
            code="unknown_choice",
        )
    rows = compute_rows(engine, ids, period, force_id, chosen, population_year, msg_method)
    return [IndicatorRow.from_engine(r) for r in rows]
