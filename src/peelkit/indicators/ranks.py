"""Rank intervals: the range of ranks a force could take given every force's uncertainty.

By simulation (docs/statistics.md says why): each of ``draws`` rounds draws every force's count
from a Poisson distribution with its observed count as mean (exactly below 100 events, by the
normal approximation from there), turns it into a rate over the force's (fixed) population,
and ranks the forces; a force's interval is the 2.5th to 97.5th percentile of its ranks over
the rounds, widened if need be to hold its published rank. The generator is numpy's PCG64 with
a fixed seed, so the same data always gives the same intervals.

How it is computed quickly (the same intervals as ranking each round with a stable argsort of
the rates' order bits): each round's rates are ordered by sorting int32 keys that hold the
rate's float32 bits, less the lowest few (rates within 1 part in 131,072 of each other count as
equal), above the force's column (so equal rates keep the forces' order, as a stable sort
does): one sort of short rows with no ties left to resolve; the rounds' arrays are kept per
thread and reused.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np
import numpy.typing as npt

SEED = 20180901
DRAWS = 1000
# events: from here the Poisson draws are normal (mean = variance = count). Measured over the
# national set (22,550 force results): from 100 rather than 1,000 events moves 4.5% of the
# intervals by one rank and 8 by two; drawing with another seed moves 11.6% by one and 15 by
# two or three. The approximation is well inside the simulation's own noise, and it spares
# nine tenths of the exact draws (docs/statistics.md).
NORMAL_FROM = 100

Floats32 = npt.NDArray[np.float32]
Ints32 = npt.NDArray[np.int32]


@dataclass(frozen=True)
class RankRange:
    lower: int
    upper: int
    of: int

    def display(self, rank: int | str) -> str:
        return f"rank {rank} ({self.lower}\u2013{self.upper}) of {self.of}"


@cache
def _normals(seed: int, draws: int, forces: int) -> Floats32:
    """The standard normal draws of a seed: the same for every call with the same shape."""
    generator = np.random.Generator(np.random.PCG64(seed))
    normals = generator.standard_normal(size=(draws, forces), dtype=np.float32)
    normals.flags.writeable = False
    return normals


@cache
def _lowest_normal(seed: int, draws: int, forces: int) -> float:
    return float(_normals(seed, draws, forces).min(initial=0.0))


@lru_cache(maxsize=64)
def _poisson_draws(seed: int, draws: int, means: tuple[float, ...]) -> Floats32:
    """The exact Poisson draws of the counts below NORMAL_FROM (``means``, in the forces'
    order) from a fresh PCG64(seed + 1), as float32: a pure function of its arguments, kept
    for the next indicator with the same small counts (e.g. one count over two denominators)."""
    generator = np.random.Generator(np.random.PCG64(seed + 1))
    drawn = generator.poisson(np.array(means, dtype=np.float32), size=(draws, len(means)))
    out = drawn.astype(np.float32)
    out.flags.writeable = False
    return out


@cache
def _columns(draws: int, n: int) -> tuple[Ints32, Ints32]:
    """Each cell's column, and its column times ``n``, as whole arrays (so that adding them
    is one pass, not one per round)."""
    columns = np.ascontiguousarray(np.broadcast_to(np.arange(n, dtype=np.int32), (draws, n)))
    times_n = columns * np.int32(n)
    columns.flags.writeable = False
    times_n.flags.writeable = False
    return columns, times_n


_scratch = threading.local()


def _arrays(draws: int, n: int) -> tuple[Floats32, Ints32]:
    """Work arrays for one call (kept per thread: fresh arrays of this size cost page faults).
    Every call writes each cell of both before it reads it."""
    kept = getattr(_scratch, "arrays", None)
    if kept is None or kept[0].shape != (draws, n):
        kept = (np.empty((draws, n), np.float32), np.empty((draws, n), np.int32))
        _scratch.arrays = kept
    return kept


def _key_shift(n: int) -> int:
    """The bits a key gives the column: enough for ``n`` columns."""
    return max(1, (n - 1).bit_length())


def order_bits(values: Floats32, signed: bool) -> Ints32:
    """Each float32 value as an int32 that orders as the values do, its lowest
    :func:`_key_shift` bits dropped (the rates compared to 1 part in 2**(23 - shift): 1 in
    131,072 for 43 forces; closer ones count as equal). ``values`` is overwritten (the result
    is its memory). ``signed``: the values may be negative (else all are +0.0 or more, whose
    bits already order as they do)."""
    shift = _key_shift(values.shape[1])
    bits = values.view(np.int32)
    if signed:
        values += np.float32(0)  # -0.0 to +0.0: equal values, equal keys
        mask = np.right_shift(bits, 31)
        mask &= 0x7FFFFFFF
        bits ^= mask  # negative floats: reverse the order of their bits
    bits >>= shift
    return bits


def _order_keys(values: Floats32, keys: Ints32, descending: bool, signed: bool) -> None:
    """``keys``, row by row: each value's :func:`order_bits` (negated for a descending
    order) shifted up, the column in the bits below (so that equal values keep the columns'
    order, as a stable sort keeps them); ``values`` is overwritten."""
    n = values.shape[1]
    bits = order_bits(values, signed)
    if descending:
        np.negative(bits, out=bits)
    np.left_shift(bits, _key_shift(n), out=keys)
    keys |= _columns(*values.shape)[0]


def _stable_order(values: Floats32) -> Ints32:
    """The rank order of each row of float32 ``values`` (their :func:`order_bits`, equal ones
    in column order, as a stable ``argsort`` of those gives it), by sorting keys that hold each
    value's bits and its column."""
    draws, n = values.shape
    keys = np.empty((draws, n), np.int32)
    _order_keys(np.array(values, dtype=np.float32), keys, descending=False, signed=True)
    keys.sort(axis=1)
    keys &= (1 << _key_shift(n)) - 1
    return keys


# every RankRange made, by its fields (frozen: one object serves every force that has it)
_RANGES: dict[tuple[int, int, int], RankRange] = {}


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
    tops = [counts[f][0] for f in forces]
    bottoms = [counts[f][1] for f in forces]
    observed = np.array(tops, dtype=np.float32)
    population = np.array(bottoms, dtype=np.float32)
    simulated, keys = _arrays(draws, n)
    # Poisson draws of each count: exact below NORMAL_FROM events, the normal approximation
    # (mean and variance the count) from there, where it is as close as the interval methods.
    np.multiply(_normals(seed, draws, n), np.sqrt(observed), out=simulated)
    simulated += observed
    small = observed < NORMAL_FROM
    if small.any():
        simulated[:, small] = _poisson_draws(seed, draws, tuple(observed[small].tolist()))
    simulated /= population
    # Every rate is +0.0 or more when the counts (as float32) are from 0 to 1e30 and the
    # populations from 1e-30 to 1e30 (so none is -0.0, NaN or infinite as a float32), and no
    # normal draw is below -sqrt(NORMAL_FROM) standard deviations (a count of NORMAL_FROM or
    # more is then above zero; the lowest of 43,000 standard normal draws is near -4.5): the
    # rates' bits then order as the rates do. (A NaN makes numpy's min and max NaN, and the
    # comparison false.)
    signed = not (
        observed.min() >= 0.0
        and observed.max() < 1e30
        and population.min() > 1e-30
        and population.max() < 1e30
        and _lowest_normal(seed, draws, n) > -math.sqrt(NORMAL_FROM)
    )
    # ordinal ranks within each round (1 the first); ties by the forces' order
    _order_keys(simulated, keys, descending=higher_is_first, signed=signed)
    keys.sort(axis=1)  # keys[r, k] % 2**shift: the force at rank k + 1 in round r
    # how often each force took each rank, then the 2.5th and 97.5th percentiles
    keys &= (1 << _key_shift(n)) - 1
    keys += _columns(draws, n)[1]
    table = np.bincount(keys.ravel(), minlength=n * n).reshape(n, n)  # [rank - 1, force]
    cumulative = np.cumsum(table, axis=0)
    low_index = math.floor(0.025 * (draws - 1)) + 1
    high_index = math.ceil(0.975 * (draws - 1)) + 1
    # a force's percentile rank: 1 + the ranks at which it has not yet been that many times
    below = (cumulative[None, :, :] < np.array([[[low_index]], [[high_index]]])).sum(axis=1)
    low, high = (below + 1).tolist()
    out = {}
    kept = _RANGES
    for force, lower, upper in zip(forces, low, high, strict=True):
        point = ranks[force]
        if point < lower:
            lower = point
        if point > upper:
            upper = point
        found = kept.get((lower, upper, n))
        if found is None:
            found = kept[(lower, upper, n)] = RankRange(lower, upper, n)
        out[force] = found
    return out
