"""Benchmark: import the five reference reports (target, issue 14: under 0.25 s in total).

Run: .venv/bin/python benchmarks/import_benchmark.py [--runs N] [--save] [--json]

Times parsing each report of ../shared/reference-reports alone (dry run), then parsing and
storing each into a fresh SQLite database, in a new process --runs times (default 5: single
runs on this machine differ by a tenth and more; each pays what a ``peel import`` of five files
pays on first use), and prints the medians beside the baseline saved in
benchmarks/import_baseline.json (--save records new ones).

The importer must be linear in the size of its input: two texts run together (the 2005
report twice; the 2005 report followed by the 2018/19 one) are parsed and imported into a
fresh database too (target: each under 4 times the 2005 report's own import; they took 528 s
and 266 s when the 2005 reader read every line after its national tables as a table row and
ranked suggestions for each).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from baselines import add_common_options, report

from peelkit import Workspace

REPORTS = Path(__file__).resolve().parents[1].parent / "shared" / "reference-reports"
BASELINE = Path(__file__).with_name("import_baseline.json")
BASELINE_2005 = "004_8971e4e9a7c1f0c8.txt"
PEEL_2018_19 = "001_2e8c9026aad1a9d7.txt"
RUN_TOGETHER = {
    "2005_twice": (BASELINE_2005, BASELINE_2005),
    "2005_then_2018_19": (BASELINE_2005, PEEL_2018_19),
}


def _run_together(folder: Path, figures: dict[str, float]) -> None:
    """Parse and import texts run together, each into a database of its own."""
    for name, parts in RUN_TOGETHER.items():
        path = folder / f"{name}.txt"
        path.write_text(
            "\n".join((REPORTS / part).read_text(encoding="utf-8") for part in parts),
            encoding="utf-8",
        )
        started = time.perf_counter()
        Workspace.parse_report(path)
        figures[f"parse_{name}_seconds"] = time.perf_counter() - started
        with Workspace(f"sqlite:///{folder / f'{name}.sqlite'}") as workspace:
            workspace.initialise()
            started = time.perf_counter()
            workspace.import_report(path)
            figures[f"import_{name}_seconds"] = time.perf_counter() - started


def one_run(files: list[Path]) -> dict[str, float]:
    """The figures of one run, in this process: every database new, in a folder of its own."""
    figures: dict[str, float] = {}
    with (
        tempfile.TemporaryDirectory() as folder,
        Workspace(f"sqlite:///{Path(folder) / 'bench.sqlite'}") as workspace,
    ):
        workspace.initialise()
        started = time.perf_counter()
        for path in files:
            Workspace.parse_report(path)
        figures["parse_five_reports_seconds"] = time.perf_counter() - started
        total = 0.0
        for path in files:
            started = time.perf_counter()
            workspace.import_report(path)
            elapsed = time.perf_counter() - started
            total += elapsed
            figures[f"import_{path.stem}_seconds"] = elapsed
        figures["import_five_reports_seconds"] = total
        _run_together(Path(folder), figures)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_common_options(parser)
    parser.add_argument("--runs", type=int, default=5, help="runs, each a new process (median)")
    parser.add_argument("--one-run", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    files = sorted(REPORTS.glob("*.txt"))
    if not files:
        print(f"no reference reports found in {REPORTS.name}/ beside the repository")
        return 2
    if args.one_run:
        print(json.dumps(one_run(files)))
        return 0
    runs = []
    for _ in range(max(1, args.runs)):
        done = subprocess.run(
            [sys.executable, __file__, "--one-run"], check=True, capture_output=True, text=True
        )
        runs.append(json.loads(done.stdout.splitlines()[-1]))
    figures = {name: round(statistics.median(r[name] for r in runs), 3) for name in runs[0]}
    report(
        figures,
        BASELINE,
        args,
        f"medians of {len(runs)} runs; target: import_five_reports_seconds < 0.25 (issue 14); "
        f"each run-together import < 4 x import_{Path(BASELINE_2005).stem}_seconds",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
