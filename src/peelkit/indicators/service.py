"""Indicators for the workspace: the engine over the embedded dataset, and JSON rows."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from functools import cache
from typing import Any

from peelkit.domain.forces import MostSimilarGroup
from peelkit.domain.periods import Period
from peelkit.domain.years import start_year
from peelkit.indicators.catalogue import catalogue
from peelkit.indicators.comparison import Statistics, empty_fields
from peelkit.indicators.compute import Engine, MsgMethod, NoData, Result, comparators_of
from peelkit.indicators.observations import ObservationIndex
from peelkit.sources.dataset import Dataset
from peelkit.sources.model import Publication

COMPARATOR_NAMES = {
    "ew": "england_and_wales",
    "england_and_wales": "england_and_wales",
    "msg": "most_similar_group",
    "most_similar_group": "most_similar_group",
    "region": "region",
}


def assessment_year(period: Period) -> str:
    """The financial year a period ends in: 12 months to September 2018 -> 2018/19."""
    year = period.end.year if period.end.month >= 4 else period.end.year - 1
    return f"{year}/{(year + 1) % 100:02d}"


def make_engine(dataset: Dataset, groups: Sequence[MostSimilarGroup]) -> Engine:
    by_force: dict[str, list[MostSimilarGroup]] = {}
    for group in sorted(groups, key=lambda g: start_year(g.year)):
        by_force.setdefault(group.force_id, []).append(group)

    @cache
    def group_of(force: str, period: Period) -> Sequence[str] | None:
        wanted = start_year(assessment_year(period))
        in_effect = [g for g in by_force.get(force, []) if start_year(g.year) <= wanted]
        return in_effect[-1].peers if in_effect else None

    return Engine(ObservationIndex(dataset.table, dataset.publications), group_of)


def _source(observation: Any, publications: dict[str, Publication]) -> dict[str, Any]:
    publication = publications.get(observation.publication)
    return {
        "measure": observation.measure,
        "force": observation.force,
        "period": observation.period.label(),
        "value": observation.value,
        "publisher": publication.publisher if publication else None,
        "title": publication.title if publication else None,
        "release": publication.release if publication else None,
        "file": publication.filename if publication else None,
        "sha256": observation.publication,
        "sheet": observation.cell.sheet,
        "row": observation.cell.row,
        "column": observation.cell.column,
    }


def row(result: Result, engine: Engine, statistics: dict[str, Any] | None = None) -> dict[str, Any]:
    """The JSON row of a result; ``statistics`` (from :class:`Statistics`) adds the intervals,
    significance, rank interval and trend (else their keys are empty)."""
    indicator = catalogue().get(result.indicator)
    publications = engine.index.publications
    return {
        "force": result.force,
        "indicator": result.indicator,
        "label": indicator.label,
        "period": result.period.label(),
        "period_end": result.period.end.isoformat(),
        "unit": indicator.unit,
        "value": float(result.value) if result.value is not None else None,
        "display": result.display,
        "numerator": float(result.numerator) if result.numerator is not None else None,
        "denominator": float(result.denominator) if result.denominator is not None else None,
        "population_year": result.population_year,
        "comparator": result.comparator,
        "comparator_forces": list(result.comparator_forces),
        "comparator_value": (
            float(result.comparator_value) if result.comparator_value is not None else None
        ),
        "comparator_display": result.comparator_display,
        "rank": result.rank,
        "rank_display": result.rank_display,
        "of": result.of,
        "band": result.band,
        "missing": result.missing,
        "note": result.note,
        "provenance": [_source(o, publications) for o in result.sources],
        **(statistics if statistics is not None else empty_fields(indicator, result.force)),
    }


def compute_rows(
    engine: Engine,
    indicator_ids: Sequence[str],
    period: Period,
    force: str | None,
    comparator: str,
    population_year: int | None,
    msg_method: MsgMethod,
    *,
    statistics: bool = True,
    trends: bool | None = None,
) -> list[dict[str, Any]]:
    """Rows for one force (every indicator asked) or all forces (one indicator at a time).

    ``statistics`` adds intervals, significance and rank intervals; ``trends`` the tested
    trend (by default only when one force is asked: it reads four earlier years per force).
    """
    with_trend = (force is not None) if trends is None else trends
    rows = []
    for indicator_id in indicator_ids:
        indicator = catalogue().get(indicator_id)
        allowed = comparators_of(indicator)
        chosen = comparator if comparator in allowed else indicator.comparators[0]
        try:
            results = engine.compute(indicator_id, period, chosen, population_year, msg_method)
        except NoData as exc:
            if force is None:
                raise
            empty = Result(
                force=force,
                indicator=indicator_id,
                period=period,
                population_year=None,
                value=None,
                display=None,
                missing=str(exc),
            )
            rows.append(row(empty, engine))
            continue
        year = population_year if population_year is not None else period.end.year
        extra = (
            Statistics(engine, indicator, period, results, year, msg_method) if statistics else None
        )
        for result in results:
            if force is None or result.force == force:
                fields = extra.fields(result, with_trend) if extra is not None else None
                rows.append(row(result, engine, fields))
    return rows


@cache
def embedded_engine() -> Engine:
    """The engine over the embedded dataset and the shipped most similar groups: what a
    record with nothing imported gives (``peel indicators`` with no database yet)."""
    from peelkit.reference import shipped_groups
    from peelkit.sources.dataset import embedded

    return make_engine(embedded(), list(shipped_groups()))


def record_engine(
    session: Any, kept: tuple[Hashable, Engine] | None = None
) -> tuple[Hashable, Engine]:
    """The engine over the embedded statistics and what a record adds to them (its imported
    publications and most similar groups), with the key of those additions: ``kept`` (an
    earlier answer) is given back while the key is the same (building takes a tenth of a
    second; a report asks a dozen questions). ``session`` is a SQLAlchemy session on the
    record; the record's modules are imported here, not at start-up."""
    from peelkit.record import groups
    from peelkit.sources.dataset import embedded
    from peelkit.sources.store import combined, imported, publication_keys

    known_groups = groups.all_groups(session)
    key = (tuple(publication_keys(session)), tuple(known_groups))
    if kept is not None and kept[0] == key:
        return kept
    dataset = combined(embedded(), imported(session))
    return key, make_engine(dataset, known_groups)
