"""Chart specifications of a force's figures: the ranked chart of every force and the
five-year trend of the force, its most similar group and England and Wales."""

from __future__ import annotations

from collections.abc import Sequence

from peelkit.domain.forces import Force
from peelkit.domain.periods import Period
from peelkit.reference import all_forces
from peelkit.views.about import DataUse
from peelkit.views.charts import Bar, RankedChart, Reference, Series, TrendChart
from peelkit.views.indicators import IndicatorQuery, IndicatorRow

TREND_YEARS = 5
TREND_INDICATOR = "recorded_crime_per_1000"


def ranked_chart(
    force: Force | None,
    ranked: Sequence[IndicatorRow],
    mine: IndicatorRow | None,
    ew: IndicatorRow | None,
    *,
    with_group: bool = True,
) -> RankedChart | None:
    """Every force's value, ``force`` highlighted (None: no highlight), the England and Wales
    and most similar group values marked; None when no force has a value."""
    if not any(r.value is not None for r in ranked):
        return None
    first = mine if mine is not None else ranked[0]
    if force is not None and mine is None:
        return None
    names = {f.id: f.short_name for f in all_forces()}
    references = []
    if ew is not None and ew.comparator_value is not None:
        references.append(
            Reference("England and Wales", ew.comparator_value, ew.comparator_display or "")
        )
    if (
        with_group
        and mine is not None
        and mine.comparator_value is not None
        and mine.is_most_similar_group
    ):
        references.append(
            Reference("Most similar group", mine.comparator_value, mine.comparator_display or "")
        )
    ordered = sorted(ranked, key=lambda r: (r.value is None, r.value or 0.0))
    return RankedChart(
        title=f"{first.label}, {first.period}: every force",
        unit=first.unit,
        bars=tuple(
            Bar(names.get(r.force, r.force), r.value, r.display or "", r.rank_display)
            for r in ordered
        ),
        highlight=names.get(force.id, force.name) if force is not None else None,
        references=tuple(references),
    )


def trend_chart(
    query: IndicatorQuery,
    force: Force,
    period: Period,
    population_year: int,
    current_msg: IndicatorRow | None,
    current_ew: IndicatorRow | None,
    used: DataUse,
) -> TrendChart | None:
    """Five years of the trend indicator: the force, its group and England and Wales."""
    if current_msg is None or current_ew is None:
        return None
    force_values: list[float | None] = []
    group_values: list[float | None] = []
    ew_values: list[float | None] = []
    labels = []
    for back in range(TREND_YEARS - 1, -1, -1):
        when = period.shifted(-back)
        year = population_year - back
        if back == 0:
            msg_row, ew_row = current_msg, current_ew
        else:
            msg_rows = query.rows(when, force.id, [TREND_INDICATOR], "msg", year)
            ew_rows = query.rows(when, force.id, [TREND_INDICATOR], "ew", year)
            used.add(msg_rows)
            used.add(ew_rows)
            msg_row, ew_row = msg_rows[0], ew_rows[0]
        labels.append(when.label())
        force_values.append(msg_row.value)
        group_values.append(msg_row.comparator_value if msg_row.is_most_similar_group else None)
        ew_values.append(ew_row.comparator_value)
    series = [Series(force.name, tuple(force_values))]
    if any(v is not None for v in group_values):
        series.append(Series("Most similar group", tuple(group_values)))
    series.append(Series("England and Wales", tuple(ew_values)))
    return TrendChart(
        title=(f"{current_msg.label}: {force.name}, its most similar group and England and Wales"),
        unit=current_msg.unit,
        periods=tuple(labels),
        series=tuple(series),
        highlight=force.name,
    )
