"""Benchmark: load and export a record the size of fifteen years of inspections.

Run: .venv/bin/python benchmarks/record_benchmark.py [--postgres URL] [--runs N] [--save] [--json]

It builds an export file of 430 inspections (43 forces x 10 inspection years) with 20
judgments, 60 findings and 20 figures each (43,000 items, about the size of the whole HMIC and
HMICFRS record since 2005), then times `load` into an empty SQLite database (and PostgreSQL with
--postgres), `export` back (the record, as `Workspace.export` returns it), `export_to` (the
record and its text written to a file, what `peel export` does) and `load --replace` of the
file over what it loaded (the record cleared, then loaded again), the median of --runs runs
each; and the load of the shared grades CSV (903 judgments) into an empty database.
It prints each figure beside the baseline in benchmarks/baseline.json; --save writes the new
figures as the baseline.

Memory: ``peak_memory_mb`` is the peak resident memory of a `peel load` of the file into a new
SQLite database, run as a process of its own (as a user runs it); ``benchmark_peak_memory_mb``
the peak of this whole benchmark process (building the record, every load and export), which is
what ``peak_memory_mb`` measured before issue 14 (the 197 MB of the baseline).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

from baselines import add_common_options, report
from sqlalchemy import create_engine, text

from peelkit import Workspace
from peelkit.frameworks import load_framework
from peelkit.record.database import normalise_url
from peelkit.record.exchange import FORMAT, FORMAT_VERSION, dumps
from peelkit.reference import territorial_forces

BASELINE = Path(__file__).with_name("baseline.json")
# The HMICFRS grades (903 rows), where the shared data sits beside the repository.
GRADES_CSV = Path(__file__).resolve().parents[2] / "shared/data/raw/peel-grades/peel_grades.csv"
# Ten inspections per force: each graded framework once, and the baseline framework in its two
# later periods too (one inspection per force, framework and period, and a period the framework
# inspects: its own or one of its era's other_periods).
FRAMEWORKS: list[tuple[str, str | None]] = [
    ("baseline-2005", None),
    ("peel-2014", None),
    ("peel-2015", None),
    ("peel-2016", None),
    ("peel-2017", None),
    ("peel-2018-19", None),
    ("peel-2021-22", None),
    ("peel-2023-25", None),
    ("baseline-2005", "2005/06"),
    ("baseline-2005", "2006/07"),
]


def synthetic_record() -> dict[str, Any]:
    inspections = []
    item_id = 0
    for number, (force, (framework_id, period)) in enumerate(
        ((f, fw) for f in territorial_forces() for fw in FRAMEWORKS), start=1
    ):
        framework = load_framework(framework_id)
        scale = framework.grade_scale
        assert scale is not None
        graded = [a for a in framework.walk() if a.graded][:20]
        judgments = []
        for area in graded:
            item_id += 1
            judgments.append({"id": item_id, "area": area.id, "grade": scale.grades[1].id})
        findings = []
        for k in range(60):
            item_id += 1
            findings.append(
                {
                    "id": item_id,
                    "area": graded[k % len(graded)].id,
                    "kind": "area_for_improvement",
                    "text": f"The force should improve item {k}. " * 4,
                }
            )
        figures = []
        for k in range(20):
            item_id += 1
            figures.append(
                {
                    "id": item_id,
                    "measure": f"Measure {k}",
                    "force_value": k * 1.5,
                    "force_value_as_printed": f"{k * 1.5:.1f}",
                    "comparator": "england_and_wales",
                    "comparator_value": k * 1.25,
                }
            )
        inspections.append(
            {
                "id": number,
                "force": force.id,
                "framework": framework_id,
                **({"period": period} if period else {}),
                "status": "published",
                "judgments": judgments,
                "findings": findings,
                "figures": figures,
            }
        )
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "documents": [],
        "inspections": inspections,
        "most_similar_groups": [],
    }


def measure_once(url: str, export_file: Path, folder: Path) -> dict[str, float]:
    with Workspace(url) as workspace:
        workspace.initialise()
        started = time.perf_counter()
        workspace.load(export_file)
        loaded = time.perf_counter() - started
        started = time.perf_counter()
        record = workspace.export()
        exported = time.perf_counter() - started
        assert len(record["inspections"]) == 430
        del record
        written = folder / "exported.json"
        started = time.perf_counter()
        workspace.export_to(written)
        exported_to = time.perf_counter() - started
        started = time.perf_counter()
        workspace.load(export_file, replace=True)
        replaced = time.perf_counter() - started
    return {
        "load_seconds": loaded,
        "export_seconds": exported,
        "export_to_file_seconds": exported_to,
        "replace_seconds": replaced,
    }


def grades_seconds(new_url: Callable[[], AbstractContextManager[str]], runs: int) -> float:
    """The median time of loading the shared grades CSV into an empty database."""
    times = []
    for _ in range(runs):
        with new_url() as url, Workspace(url) as workspace:
            workspace.initialise()
            started = time.perf_counter()
            workspace.load_grades(GRADES_CSV)
            times.append(time.perf_counter() - started)
    return round(statistics.median(times), 3)


def measure(
    new_url: Callable[[], AbstractContextManager[str]], export_file: Path, folder: Path, runs: int
) -> dict[str, float]:
    """The median of each figure over ``runs`` runs, each into a new empty database."""
    found: dict[str, list[float]] = {}
    for _ in range(runs):
        with new_url() as url:
            for name, value in measure_once(url, export_file, folder).items():
                found.setdefault(name, []).append(value)
    return {name: round(statistics.median(values), 2) for name, values in found.items()}


# Run in a process of its own: `peel load` (the CLI's own entry), then its peak memory. Read
# from /proc where there is one: a child's ru_maxrss on Linux counts the memory of the process
# that started it (this benchmark's) up to its exec.
_LOAD_AND_REPORT_PEAK = """
import resource, sys
from pathlib import Path
from peelkit.cli import main
code = main(sys.argv[1:])
status = Path("/proc/self/status")
if status.exists():
    line = next(l for l in status.read_text().splitlines() if l.startswith("VmHWM:"))
    peak_kb = int(line.split()[1])
else:
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(f"peak_kb {peak_kb}")
sys.exit(code)
"""


def load_process_peak_mb(export_file: Path, folder: Path) -> float:
    """Peak resident memory of ``peel load FILE`` into a new SQLite database, its own process."""
    database = folder / "memory.sqlite"
    command = ["load", str(export_file), "--db", f"sqlite:///{database}", "--quiet"]
    done = subprocess.run(
        [sys.executable, "-c", _LOAD_AND_REPORT_PEAK, *command],
        check=True,
        capture_output=True,
        text=True,
    )
    peak_kb = int(done.stdout.strip().splitlines()[-1].removeprefix("peak_kb "))
    return round(peak_kb / 1024, 1)


@contextmanager
def sqlite_database(folder: Path) -> Iterator[str]:
    path = folder / "bench.sqlite"
    for stale in folder.glob("bench.sqlite*"):
        stale.unlink()
    yield f"sqlite:///{path}"


@contextmanager
def postgres_database(base: str) -> Iterator[str]:
    url, schema = postgres_schema(base)
    try:
        yield url
    finally:
        drop_schema(base, schema)


def postgres_schema(base: str) -> tuple[str, str]:
    schema = f"peelkit_bench_{uuid.uuid4().hex[:8]}"
    engine = create_engine(normalise_url(base))
    with engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    url = normalise_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False), schema


def drop_schema(base: str, schema: str) -> None:
    engine = create_engine(normalise_url(base))
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", help="PostgreSQL URL to benchmark as well")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (the median)")
    add_common_options(parser)
    args = parser.parse_args()
    runs = max(1, args.runs)
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        export_file = folder / "record.json"
        record = synthetic_record()
        # As `peel export` writes it, so that what is loaded exports to the same bytes.
        export_file.write_text(dumps(record), encoding="utf-8")
        items = sum(
            len(i["judgments"]) + len(i["findings"]) + len(i["figures"])
            for i in record["inspections"]
        )
        inspections = len(record["inspections"])
        del record  # not part of what is measured
        if not args.json:
            print(
                f"record: {inspections} inspections, {items} items, "
                f"{export_file.stat().st_size / 1e6:.1f} MB of JSON; median of {runs} run(s)"
            )
        for figure, value in measure(
            lambda: sqlite_database(folder), export_file, folder, runs
        ).items():
            results[f"sqlite_{figure}"] = value
        if args.postgres:
            base = args.postgres
            for figure, value in measure(
                lambda: postgres_database(base), export_file, folder, runs
            ).items():
                results[f"postgresql_{figure}"] = value
        if GRADES_CSV.is_file():
            results["sqlite_grades_csv_seconds"] = grades_seconds(
                lambda: sqlite_database(folder), runs
            )
            if args.postgres:
                results["postgresql_grades_csv_seconds"] = grades_seconds(
                    lambda: postgres_database(base), runs
                )
        results["peak_memory_mb"] = load_process_peak_mb(export_file, folder)
    results["benchmark_peak_memory_mb"] = round(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1
    )
    report(results, BASELINE, args, "peak_memory_mb: a `peel load` process of its own")
    return 0


if __name__ == "__main__":
    sys.exit(main())
