"""Confidence intervals, significance calls and funnel-plot limits (pure functions, no I/O).

The formulas are written out in docs/statistics.md. Nothing here needs scipy: the exact Poisson
limits come from the quantile of the gamma distribution, found by bisection on the regularized
lower incomplete gamma function (a series below ``a + 1``, a continued fraction above).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Level = Literal["95", "99.8"]
LEVELS: tuple[Level, ...] = ("95", "99.8")
# Two-sided normal quantiles: z for 97.5% and for 99.9%.
Z: dict[str, float] = {"95": 1.959963984540054, "99.8": 3.090232306167813}
ALPHA: dict[str, float] = {"95": 0.05, "99.8": 0.002}
BYAR_FROM = 10  # Byar's approximation for counts of 10 or more; exact below

POLARITIES = ("low_is_good", "high_is_good", "no_judgement")


@dataclass(frozen=True)
class Interval:
    lower: float
    upper: float


# --- the incomplete gamma function and its quantile ---------------------------------------


# From this shape on, the series' terms are summed in numpy blocks: near x = a it needs about
# 9 sqrt(a) terms (thousands for the expected counts of a funnel at a large force's population),
# which a Python loop takes a millisecond over.
SERIES_BLOCKS_FROM = 100.0


def _gamma_series(a: float, x: float) -> float:
    """P(a, x) by its series, sum over n >= 0 of x^n / (a (a + 1) ... (a + n))."""
    if a >= SERIES_BLOCKS_FROM:
        total = _series_in_blocks(a, x)
    else:
        term = 1.0 / a
        total = term
        n = a
        for _ in range(10_000):
            n += 1.0
            term *= x / n
            total += term
            if abs(term) < abs(total) * 1e-16:
                break
    return total * math.exp(-x + a * math.log(x) - math.lgamma(a))


def _series_in_blocks(a: float, x: float) -> float:
    """The series' sum (before its factor), the terms of each block made by one running
    product of x / (a + n); blocks until a term falls below 1e-16 of the sum (x < a + 1, so
    the terms only fall)."""
    import numpy as np

    size = max(64, int(10.0 * math.sqrt(a)))
    steps = np.arange(1.0, size + 1.0)
    term = 1.0 / a
    total = term
    start = a
    for _ in range(1_000):
        terms = np.cumprod(x / (start + steps)) * term
        total += float(terms.sum())
        term = float(terms[-1])
        start += size
        if term < total * 1e-16:
            break
    return total


def _gamma_fraction(a: float, x: float) -> float:
    """Q(a, x) = 1 - P(a, x) by the modified Lentz continued fraction."""
    tiny = 1e-300
    b = x + 1.0 - a
    c = 1.0 / tiny
    d = 1.0 / b
    h = d
    for i in range(1, 10_000):
        an = -i * (i - a)
        b += 2.0
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1.0 / d
        step = d * c
        h *= step
        if abs(step - 1.0) < 1e-16:
            break
    return h * math.exp(-x + a * math.log(x) - math.lgamma(a))


def gamma_cdf(a: float, x: float) -> float:
    """The regularized lower incomplete gamma function P(a, x), a > 0."""
    if x <= 0:
        return 0.0
    if x < a + 1.0:
        return _gamma_series(a, x)
    return 1.0 - _gamma_fraction(a, x)


@functools.lru_cache(maxsize=64)
def _normal_quantile(p: float) -> float:
    """The standard normal quantile by bisection on erfc (a starting value for Newton)."""
    low, high = -40.0, 40.0
    for _ in range(100):
        mid = (low + high) / 2.0
        if 0.5 * math.erfc(-mid / math.sqrt(2.0)) < p:
            low = mid
        else:
            high = mid
    return (low + high) / 2.0


def gamma_quantile(a: float, p: float) -> float:
    """The x with P(a, x) = p (the gamma(a, 1) quantile).

    Newton's method from the Wilson-Hilferty approximation, kept inside a bracket that
    bisection narrows whenever a Newton step would leave it; converges to full precision.
    """
    if not 0.0 < p < 1.0:
        raise ValueError("p must be strictly between 0 and 1")
    z = _normal_quantile(p)
    guess = a * (1.0 - 1.0 / (9.0 * a) + z / (3.0 * math.sqrt(a))) ** 3
    x = guess if guess > 0 else max(1e-300, p ** (1.0 / a))
    low, high = 0.0, math.inf
    log_norm = math.lgamma(a)
    for _ in range(200):
        f = gamma_cdf(a, x) - p
        if f < 0:
            low = x
        else:
            high = x
        density = math.exp(-x + (a - 1.0) * math.log(x) - log_norm) if x > 0 else 0.0
        step = f / density if density > 0 else math.inf
        candidate = x - step
        if not (low < candidate < high) or not math.isfinite(candidate):
            candidate = (low + high) / 2.0 if math.isfinite(high) else max(2.0 * x, 1.0)
        if abs(candidate - x) <= 1e-15 * max(1.0, x):
            return candidate
        x = candidate
    return x


def chi2_quantile(p: float, df: float) -> float:
    """The chi-squared quantile: twice the gamma(df / 2) quantile."""
    return 2.0 * gamma_quantile(df / 2.0, p)


# --- intervals for a count ----------------------------------------------------------------


def exact_poisson(count: float, level: Level) -> Interval:
    """The exact (Garwood) interval for a Poisson count: chi-squared quantiles / 2."""
    alpha = ALPHA[level]
    lower = 0.0 if count <= 0 else gamma_quantile(count, alpha / 2.0)
    upper = gamma_quantile(count + 1.0, 1.0 - alpha / 2.0)
    return Interval(lower, upper)


def byar(count: float, level: Level) -> Interval:
    """Byar's approximation to the exact Poisson interval (for counts of 10 or more)."""
    z = Z[level]
    o = count
    lower = o * (1.0 - 1.0 / (9.0 * o) - z / (3.0 * math.sqrt(o))) ** 3
    o1 = o + 1.0
    upper = o1 * (1.0 - 1.0 / (9.0 * o1) + z / (3.0 * math.sqrt(o1))) ** 3
    return Interval(lower, upper)


def count_interval(count: float, level: Level) -> Interval:
    """Byar's method at 10 events or more, the exact method below."""
    if count < 0:
        raise ValueError("a count cannot be negative")
    return byar(count, level) if count >= BYAR_FROM else exact_poisson(count, level)


def rate_interval(count: float, population: float, multiplier: float, level: Level) -> Interval:
    """A rate per ``multiplier`` (count / population x multiplier): the count's limits scaled."""
    limits = count_interval(count, level)
    scale = multiplier / population
    return Interval(limits.lower * scale, limits.upper * scale)


def wilson(successes: float, total: float, level: Level) -> Interval:
    """The Wilson score interval for a proportion (as a fraction from 0 to 1)."""
    if total <= 0:
        raise ValueError("a proportion needs a positive total")
    z = Z[level]
    p = successes / total
    centre = p + z * z / (2.0 * total)
    spread = z * math.sqrt(p * (1.0 - p) / total + z * z / (4.0 * total * total))
    denominator = 1.0 + z * z / total
    lower = 0.0 if successes <= 0 else max(0.0, (centre - spread) / denominator)
    upper = 1.0 if successes >= total else min(1.0, (centre + spread) / denominator)
    return Interval(lower, upper)


def rate_standard_error(count: float, population: float, multiplier: float) -> float:
    """The standard error of a Poisson rate: sqrt(count) / population x multiplier."""
    return math.sqrt(count) * multiplier / population


# --- significance -------------------------------------------------------------------------

Call = Literal["higher", "lower", "similar"]


def significance_call(comparator_value: float, interval: Interval) -> Call:
    """The comparator's value outside the force's interval: the force is higher or lower."""
    if comparator_value < interval.lower:
        return "higher"
    if comparator_value > interval.upper:
        return "lower"
    return "similar"


def judgement(call: Call, polarity: str) -> str | None:
    """``better`` / ``worse`` / ``similar`` where the polarity allows, else None."""
    if polarity == "no_judgement":
        return None
    if call == "similar":
        return "similar"
    good = "higher" if polarity == "high_is_good" else "lower"
    return "better" if call == good else "worse"


# --- funnel plots -------------------------------------------------------------------------


@dataclass(frozen=True)
class FunnelLimits:
    """Control limits around the comparator at each population (in the indicator's unit)."""

    populations: tuple[float, ...]
    lower95: tuple[float, ...]
    upper95: tuple[float, ...]
    lower998: tuple[float, ...]
    upper998: tuple[float, ...]


def poisson_limits(expected: float, level: Level) -> Interval:
    """Limits for a count whose expectation is ``expected`` (continuous exact Poisson)."""
    alpha = ALPHA[level]
    lower = 0.0 if expected <= 0 else gamma_quantile(expected, alpha / 2.0)
    upper = gamma_quantile(expected + 1.0, 1.0 - alpha / 2.0)
    return Interval(lower, upper)


def funnel_limits(
    kind: Literal["rate", "proportion"],
    comparator_value: float,
    populations: Sequence[float],
    multiplier: float = 1000.0,
) -> FunnelLimits:
    """The funnel's curves: Poisson around the expected count for a rate per ``multiplier``,
    binomial (Wilson) around the comparator for a proportion (``comparator_value`` in 0..1)."""
    out: dict[str, list[float]] = {"l95": [], "u95": [], "l998": [], "u998": []}
    for population in populations:
        for level, tag in (("95", "95"), ("99.8", "998")):
            lv: Level = "95" if level == "95" else "99.8"
            if kind == "rate":
                expected = comparator_value * population / multiplier
                limits = poisson_limits(expected, lv)
                scale = multiplier / population
                out["l" + tag].append(limits.lower * scale)
                out["u" + tag].append(limits.upper * scale)
            else:
                limits = wilson(comparator_value * population, population, lv)
                out["l" + tag].append(limits.lower)
                out["u" + tag].append(limits.upper)
    return FunnelLimits(
        populations=tuple(float(p) for p in populations),
        lower95=tuple(out["l95"]),
        upper95=tuple(out["u95"]),
        lower998=tuple(out["l998"]),
        upper998=tuple(out["u998"]),
    )


def funnel_populations(smallest: float, largest: float, steps: int = 60) -> list[float]:
    """Populations spaced evenly on a log scale, for drawing the funnel's curves."""
    if smallest <= 0 or largest <= smallest:
        return [float(smallest)]
    ratio = (largest / smallest) ** (1.0 / (steps - 1))
    return [smallest * ratio**i for i in range(steps)]
