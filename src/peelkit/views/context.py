"""Chart specifications of a force's figures: the ranked chart of every force and the
five-year trend of the force, its most similar group and England and Wales."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from functools import lru_cache
from typing import Literal

from peelkit.domain.forces import Force
from peelkit.domain.periods import Period
from peelkit.indicators.catalogue import catalogue
from peelkit.indicators.rounding import display as rounded
from peelkit.indicators.uncertainty import FunnelLimits, funnel_limits, funnel_populations
from peelkit.reference import all_forces
from peelkit.views.about import DataUse
from peelkit.views.charts import (
    Bar,
    FunnelChart,
    FunnelLimit,
    FunnelPoint,
    RankedChart,
    Reference,
    Series,
    TrendChart,
    TrendMarker,
)
from peelkit.views.indicators import IndicatorQuery, IndicatorRow

TREND_YEARS = 5
TREND_INDICATOR = "recorded_crime_per_1000"
INTERVAL_LABEL = "95% confidence interval"


def interval_displays(row: IndicatorRow, level: str = "95") -> tuple[str, str] | None:
    """The row's interval at ``level`` as printed: one decimal place more than the value (the
    value's own rounding would often print both limits as the value), None without one."""
    lower, upper = (
        (row.ci95_lower, row.ci95_upper) if level == "95" else (row.ci998_lower, row.ci998_upper)
    )
    if lower is None or upper is None:
        return None
    places = catalogue().get(row.indicator).decimals + 1
    low, high = rounded(Decimal(repr(lower)), places), rounded(Decimal(repr(upper)), places)
    if low is None or high is None:
        return None
    return low, high


def interval_text(row: IndicatorRow, level: str = "95") -> str | None:
    """The interval in words: "79.6 to 80.2"; None without one."""
    shown = interval_displays(row, level)
    return None if shown is None else f"{shown[0]} to {shown[1]}"


def significance_word(row: IndicatorRow, comparator: str | None = None) -> str | None:
    """The call against the row's comparator (or ``comparator``) as printed: the judgement
    after the direction where the polarity gives one ("higher, worse (99.8%)"), with the level
    it holds at; "similar"; None without a call."""
    which = comparator or row.comparator
    if which is None:
        return None
    at95 = row.significance_at(which, "95")
    if at95 is None:
        return None
    if at95.call == "similar":
        return "similar"
    word = f"{at95.call}, {at95.judgement}" if at95.judgement else at95.call
    at998 = row.significance_at(which, "99.8")
    strong = at998 is not None and at998.call == at95.call
    return f"{word} ({'99.8%' if strong else '95%'})"


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
        bars=tuple(_bar(names.get(r.force, r.force), r) for r in ordered),
        highlight=names.get(force.id, force.name) if force is not None else None,
        references=tuple(references),
        interval=INTERVAL_LABEL if any(r.ci95_lower is not None for r in ordered) else None,
    )


def _bar(label: str, row: IndicatorRow) -> Bar:
    shown = interval_displays(row)
    off_scale = row.value is not None and row.population_note is not None
    return Bar(
        label,
        row.value,
        row.display or "",
        row.rank_display,
        lower=row.ci95_lower if shown else None,
        upper=row.ci95_upper if shown else None,
        lower_display=shown[0] if shown else None,
        upper_display=shown[1] if shown else None,
        off_scale=off_scale,
        note=row.population_note if off_scale else None,
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
            msg_rows = query.rows(when, force.id, [TREND_INDICATOR], "msg", year, trends=False)
            ew_rows = query.rows(when, force.id, [TREND_INDICATOR], "ew", year, trends=False)
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
        marker=trend_marker(current_msg if current_msg.trend is not None else current_ew),
    )


def trend_marker(row: IndicatorRow | None) -> TrendMarker | None:
    """The row's tested trend as the chart prints it; None when the row has no trend."""
    if row is None or row.trend is None:
        return None
    trend = row.trend
    years = len(trend.points) or TREND_YEARS
    if trend.call == "cannot be calculated":
        words = "Trend: cannot be calculated" + (f" ({trend.why})" if trend.why else "")
    elif trend.call == "no significant change":
        words = (
            f"Trend over the last {years} years: no significant change (tested at the 99.8% level)"
        )
    else:
        words = f"Trend over the last {years} years: {trend.call} (significant at the 99.8% level)"
    return TrendMarker(trend.call, words + ".")


def funnel_chart(
    rows: Sequence[IndicatorRow],
    force: Force | None,
    ew: IndicatorRow | None,
) -> FunnelChart | None:
    """Every force's value against its population with the 95% and 99.8% control limits around
    England and Wales; ``force`` highlighted. None for an indicator without intervals (a stock,
    a change), without an England and Wales value or without populations."""
    if ew is None or ew.comparator_value is None:
        return None
    indicator = catalogue().get(ew.indicator)
    method = getattr(indicator, "interval", "poisson" if indicator.kind == "rate" else "none")
    if method not in ("poisson", "wilson"):
        return None
    kind: Literal["rate", "proportion"] = "rate" if method == "poisson" else "proportion"
    share = 100.0 if kind == "proportion" and "%" in indicator.unit else 1.0
    usable = [r for r in rows if r.value is not None and r.denominator]
    scaled = [r for r in usable if r.population_note is None]
    if not scaled:
        return None
    populations = [float(r.denominator or 0.0) for r in scaled]
    curve = funnel_populations(min(populations) / 1.25, max(populations) * 1.25)
    centre = ew.comparator_value / share

    def limits(at: Sequence[float]) -> tuple[FunnelLimit, FunnelLimit]:
        found = _limits(kind, centre, tuple(at), float(indicator.multiplier))
        return (
            FunnelLimit(
                "95%",
                tuple(at),
                tuple(v * share for v in found.lower95),
                tuple(v * share for v in found.upper95),
            ),
            FunnelLimit(
                "99.8%",
                tuple(at),
                tuple(v * share for v in found.lower998),
                tuple(v * share for v in found.upper998),
            ),
        )

    names = {f.id: f.short_name for f in all_forces()}
    points = []
    for row in sorted(usable, key=lambda r: names.get(r.force, r.force)):
        population = float(row.denominator or 0.0)
        off_scale = row.population_note is not None
        value = float(row.value or 0.0)
        points.append(
            FunnelPoint(
                label=names.get(row.force, row.force),
                population=population,
                population_display=f"{population:,.0f}",
                value=value,
                display=row.display or "",
                significance=_against_limits(value, limits([population])),
                highlighted=force is not None and row.force == force.id,
                off_scale=off_scale,
                note=row.population_note,
            )
        )
    return FunnelChart(
        title=f"{ew.label}, {ew.period}: every force against its population",
        unit=ew.unit,
        population_label="Population" if kind == "rate" else "Number of cases",
        comparator="England and Wales",
        comparator_value=ew.comparator_value,
        comparator_display=ew.comparator_display or "",
        limits=limits(curve),
        points=tuple(points),
    )


@lru_cache(maxsize=1024)
def _limits(
    kind: Literal["rate", "proportion"],
    centre: float,
    populations: tuple[float, ...],
    multiplier: float,
) -> FunnelLimits:
    """The limits, kept: every force's report draws the same funnel (only the highlight
    differs), and the exact quantiles at large populations are slow to find."""
    return funnel_limits(kind, centre, populations, multiplier)


def _against_limits(value: float, limits: tuple[FunnelLimit, FunnelLimit]) -> str:
    """Where a value lies against the limits at its own population."""
    narrow, wide = limits
    if value > wide.upper[0]:
        return "above the 99.8% limit"
    if value > narrow.upper[0]:
        return "above the 95% limit"
    if value < wide.lower[0]:
        return "below the 99.8% limit"
    if value < narrow.lower[0]:
        return "below the 95% limit"
    return "within the limits"
