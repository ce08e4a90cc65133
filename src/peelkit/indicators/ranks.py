"""Rank intervals: the range of ranks a force could take given every force's uncertainty.

By simulation (docs/statistics.md says why): each of ``draws`` rounds draws every force's count
from a Poisson distribution with its observed count as mean (exactly below 1,000 events, by the
normal approximation from there), turns it into a rate over the force's (fixed) population,
and ranks the forces; a force's interval is the 2.5th to 97.5th percentile of its ranks over
the rounds, widened if need be to hold its published rank. The generator is numpy's PCG64 with
a fixed seed, so the same data always gives the same intervals.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

import numpy as np

SEED = 20180901
DRAWS = 1000
NORMAL_FROM = 1000  # events: from here the Poisson draws are normal (mean = variance = count)


@dataclass(frozen=True)
class RankRange:
    lower: int
    upper: int
    of: int

    def display(self, rank: int | str) -> str:
        return f"rank {rank} ({self.lower}\u2013{self.upper}) of {self.of}"


@cache
def _normals(seed: int, draws: int, forces: int) -> np.ndarray:
    """The standard normal draws of a seed: the same for every call with the same shape."""
    generator = np.random.Generator(np.random.PCG64(seed))
    return generator.standard_normal(size=(draws, forces), dtype=np.float32)


def _stable_order(values: np.ndarray) -> np.ndarray:
    """``argsort`` of each row, equal values in column order (as a stable sort gives them).

    Quicksort is several times quicker than the stable sort on rows this short; its order can
    differ only among equal values, so the rows that hold any are sorted again stably."""
    order = np.argsort(values, axis=1, kind="quicksort")
    ordered = np.sort(values, axis=1)  # quicker than gathering the values by ``order``
    tied = (ordered[:, 1:] == ordered[:, :-1]).any(axis=1)
    if tied.any():
        order[tied] = np.argsort(values[tied], axis=1, kind="stable")
    return order


def rank_intervals(
    counts: Mapping[str, tuple[float, float]],
    ranks: Mapping[str, int],
    higher_is_first: bool,
    draws: int = DRAWS,
    seed: int = SEED,
) -> dict[str, RankRange]:
    """``counts``: force -> (count, population); ``ranks``: each force's published rank (1 the
    first). ``higher_is_first``: rank 1 is the highest rate (else the lowest)."""
    forces = sorted(counts)
    n = len(forces)
    if not n:
        return {}
    observed = np.array([counts[f][0] for f in forces], dtype=np.float32)
    population = np.array([counts[f][1] for f in forces], dtype=np.float32)
    # Poisson draws of each count: exact below NORMAL_FROM events, the normal approximation
    # (mean and variance the count) from there, where it is as close as the interval methods.
    simulated = observed + np.sqrt(observed) * _normals(seed, draws, n)
    small = observed < NORMAL_FROM
    if small.any():
        generator = np.random.Generator(np.random.PCG64(seed + 1))
        drawn = generator.poisson(observed[small], size=(draws, int(small.sum())))
        simulated[:, small] = drawn.astype(np.float32)
    simulated /= population
    if higher_is_first:
        simulated = -simulated
    # ordinal ranks within each round (1 the first); ties by the forces' order
    order = _stable_order(simulated)  # order[r, k]: the force at rank k + 1
    # how often each force took each rank, then the 2.5th and 97.5th percentiles
    table = np.bincount((order * n + np.arange(n)[None, :]).ravel(), minlength=n * n)
    cumulative = np.cumsum(table.reshape(n, n), axis=1)
    low_index = math.floor(0.025 * (draws - 1)) + 1
    high_index = math.ceil(0.975 * (draws - 1)) + 1
    low = np.argmax(cumulative >= low_index, axis=1) + 1
    high = np.argmax(cumulative >= high_index, axis=1) + 1
    out = {}
    for i, force in enumerate(forces):
        point = ranks[force]
        out[force] = RankRange(lower=min(int(low[i]), point), upper=max(int(high[i]), point), of=n)
    return out
