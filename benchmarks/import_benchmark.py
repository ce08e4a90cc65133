"""Benchmark: import the five reference reports (target: under 2 seconds in total).

Run: .venv/bin/python benchmarks/import_benchmark.py [--save]

Parses and stores each report of ../shared/reference-reports into a fresh SQLite database,
then times parsing alone (dry run) too, and prints the figures beside the baseline saved in
benchmarks/import_baseline.json (--save records new ones).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from baselines import report

from peelkit import Workspace

REPORTS = Path(__file__).resolve().parents[1].parent / "shared" / "reference-reports"
BASELINE = Path(__file__).with_name("import_baseline.json")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--save", action="store_true", help="save the figures as the baseline")
    args = parser.parse_args()
    files = sorted(REPORTS.glob("*.txt"))
    if not files:
        print(f"no reference reports found in {REPORTS.name}/ beside the repository")
        return 2
    figures: dict[str, float] = {}
    with (
        tempfile.TemporaryDirectory() as folder,
        Workspace(f"sqlite:///{Path(folder) / 'bench.sqlite'}") as workspace,
    ):
        workspace.initialise()
        started = time.perf_counter()
        for path in files:
            Workspace.parse_report(path)
        figures["parse_five_reports_seconds"] = round(time.perf_counter() - started, 3)
        total = 0.0
        for path in files:
            started = time.perf_counter()
            workspace.import_report(path)
            elapsed = time.perf_counter() - started
            total += elapsed
            figures[f"import_{path.stem}_seconds"] = round(elapsed, 3)
        figures["import_five_reports_seconds"] = round(total, 3)
    report(figures, BASELINE, args.save, "target: import_five_reports_seconds < 2")
    return 0


if __name__ == "__main__":
    sys.exit(main())
