"""Benchmark: reading every raw statistics file, and computing the national indicator set.

Run: .venv/bin/python benchmarks/statistics_benchmark.py [--runs N] [--save] [--json]

1. Import: every file in ../shared/data/raw that a publication reader recognises, read and
   checked by peelkit (target: under 15 seconds), against a straightforward pandas baseline
   that reads the same files with pandas' default engines (read_csv / read_excel, every sheet)
   and sums figures by force.
2. National set: every indicator of the catalogue for the 43 forces and every period the data
   covers, from the loaded embedded dataset, as arrays (indicators.national; target: at least
   5 times faster than a pandas baseline that computes the rate indicators only, with merges
   and group-bys), and the same set made as exact per-indicator results with their provenance
   (Engine.compute, what pages and reports use).
3. The per-indicator results with intervals, significance (three comparators, two levels) and
   rank intervals for every force result (target: within 2x the results without them; the two
   alternated ``--runs`` times, medians), and, beside it, with the tested trend of every force
   as well.
The ratio pandas / peelkit is printed beside each figure, and the figures beside the baseline
saved in statistics_baseline.json (--save records new ones).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings
from pathlib import Path

import pandas as pd
from baselines import add_common_options, report

from peelkit.domain.periods import Period
from peelkit.indicators.catalogue import catalogue
from peelkit.indicators.comparison import Statistics
from peelkit.indicators.compute import Engine, NoData
from peelkit.indicators.national import every_indicator_period, national_set
from peelkit.indicators.service import make_engine
from peelkit.reference import shipped_groups
from peelkit.sources.dataset import build, embedded, identify, policy
from peelkit.sources.measures import base_parts

RAW = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "raw"
BASELINE = Path(__file__).with_name("statistics_baseline.json")


def readable_files() -> list[Path]:
    excluded = [RAW / folder for folder in policy()["exclude"]]
    return [
        p
        for p in sorted(RAW.rglob("*"))
        if p.is_file() and not any(p.is_relative_to(folder) for folder in excluded) and identify(p)
    ]


def pandas_import(files: list[Path]) -> int:
    """Read each file with pandas' defaults and sum its numbers by first column."""
    warnings.filterwarnings("ignore", message="The default engine for reading")
    cells = 0
    for path in files:
        if path.suffix == ".csv":
            frames = {"csv": pd.read_csv(path, encoding="utf-8-sig", encoding_errors="replace")}
        else:
            frames = pd.read_excel(path, sheet_name=None, header=None)
        for frame in frames.values():
            numbers = frame.apply(pd.to_numeric, errors="coerce")
            cells += int(numbers.groupby(frame.iloc[:, 0].astype(str)).sum().size)
    return cells


def peelkit_national(engine: Engine, work: list[tuple[str, Period, int]]) -> int:
    done = 0
    for indicator_id, period, year in work:
        try:
            done += len(engine.compute(indicator_id, period, population_year=year))
        except NoData:
            continue
    return done


def peelkit_national_statistics(
    engine: Engine, work: list[tuple[str, Period, int]], trends: bool = False
) -> int:
    """The same set with intervals, significance and rank intervals for every force result
    (``trends``: and the tested trend of every force, which reads four earlier years)."""
    engine.cache.clear()
    done = 0
    for indicator_id, period, year in work:
        indicator = catalogue().get(indicator_id)
        try:
            results = engine.compute(indicator_id, period, population_year=year)
        except NoData:
            continue
        extra = Statistics(engine, indicator, period, results, year, "pooled")
        for result in results:
            extra.fields(result, with_trend=trends)
            done += 1
    return done


def pandas_national() -> int:
    """The rate indicators with pandas: sum base parts, merge population, pool, rank."""
    frame = pd.DataFrame(
        [(o.measure, o.force, o.period.key, o.value) for o in embedded().observations],
        columns=["measure", "force", "period", "value"],
    )
    frame = frame[frame["force"] != "btp"]
    population = frame[frame["measure"] == "population"][["force", "period", "value"]]
    population = population.assign(year=population["period"].str[3:].astype(int))
    rows = 0
    for indicator in catalogue().indicators.values():
        if indicator.kind != "rate" or indicator.denominator != "population":
            continue
        parts = base_parts(indicator.numerator or "")
        sums = frame[frame["measure"].isin(parts)].groupby(["force", "period"])["value"].sum()
        counts = sums.reset_index()
        counts = counts.assign(year=counts["period"].str[2:6].astype(int))
        merged = counts.merge(
            population[["force", "year", "value"]],
            on=["force", "year"],
            suffixes=("", "_population"),
        )
        merged["rate"] = merged["value"] / merged["value_population"] * indicator.multiplier
        pooled = merged.groupby("period")[["value", "value_population"]].sum()
        merged = merged.merge(pooled, left_on="period", right_index=True, suffixes=("", "_ew"))
        merged["rank"] = merged.groupby("period")["rate"].rank(method="min")
        rows += len(merged)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_common_options(parser)
    parser.add_argument(
        "--runs",
        type=int,
        default=5,
        help="runs of the national set without and with its statistics, alternated (medians)",
    )
    args = parser.parse_args()
    if not RAW.is_dir():
        print("no ../shared/data/raw beside the repository")
        return 2
    files = readable_files()
    started = time.perf_counter()
    dataset = build(RAW)
    ours = time.perf_counter() - started
    started = time.perf_counter()
    pandas_import(files)
    theirs = time.perf_counter() - started
    print(f"import: {len(files)} files, {len(dataset.observations)} observations")
    figures = {
        "import_all_raw_files_seconds": round(ours, 2),
        "import_pandas_baseline_seconds": round(theirs, 2),
        "import_pandas_to_peelkit_ratio": round(theirs / ours, 1),
    }
    engine = make_engine(embedded(), list(shipped_groups()))
    work = every_indicator_period(engine)
    started = time.perf_counter()
    arrays = national_set(engine, work)
    ours = time.perf_counter() - started
    started = time.perf_counter()
    results = peelkit_national(engine, work)
    exact_first = time.perf_counter() - started  # makes every figure's provenance once
    # the set without and with its statistics, alternated --runs times (the machine's speed
    # drifts by a third from one minute to the next): medians, and their ratio
    plain_runs, statistics_runs = [], []
    for _ in range(args.runs):
        started = time.perf_counter()
        peelkit_national(engine, work)
        plain_runs.append(time.perf_counter() - started)
        started = time.perf_counter()
        peelkit_national_statistics(engine, work)
        statistics_runs.append(time.perf_counter() - started)
    exact = statistics.median(plain_runs)
    with_statistics = statistics.median(statistics_runs)
    started = time.perf_counter()
    pandas_national()
    theirs = time.perf_counter() - started
    print(
        f"national set: {len(work)} indicator-periods, {results} force results "
        f"({arrays.exact_rows} row(s) ranked by exact decimals)"
    )
    started = time.perf_counter()
    peelkit_national_statistics(engine, work, trends=True)
    with_trends = time.perf_counter() - started
    figures |= {
        "national_indicator_set_seconds": round(ours, 3),
        "national_set_exact_results_first_seconds": round(exact_first, 2),
        "national_set_exact_results_seconds": round(exact, 2),
        "national_set_with_statistics_seconds": round(with_statistics, 2),
        "national_statistics_to_plain_ratio": round(with_statistics / exact, 2),
        "national_set_with_statistics_and_trends_seconds": round(with_trends, 2),
        "national_pandas_baseline_seconds": round(theirs, 2),
        "national_pandas_to_peelkit_ratio": round(theirs / ours, 1),
    }
    report(
        figures,
        BASELINE,
        args,
        "targets: import < 15 s; national set (arrays) >= 5x faster than the pandas baseline, "
        "which computes the rate indicators only; exact results with intervals, significance "
        "and rank intervals < 2x those without them (trends for every force are not in the "
        "target); the baseline's national set was the exact per-indicator results",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
