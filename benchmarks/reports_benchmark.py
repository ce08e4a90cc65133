"""Benchmark: all 43 force reports as HTML (target: under 30 s) and one as PDF (under 10 s).

Run: .venv/bin/python benchmarks/reports_benchmark.py [--save]

Builds a fresh SQLite workspace with the five reference reports imported and the HMICFRS grades
CSV loaded from ../shared, then renders the PEEL 2018/19 report of every force as HTML and the
Metropolitan Police Service's as PDF. Figures are printed beside reports_baseline.json.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from baselines import add_common_options, report

from peelkit import Workspace
from peelkit.reference import territorial_forces
from peelkit.reports.render import write_report

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
BASELINE = Path(__file__).with_name("reports_baseline.json")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_common_options(parser)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        with Workspace(f"sqlite:///{out / 'bench.sqlite'}") as workspace:
            for path in sorted((SHARED / "reference-reports").glob("*.txt")):
                workspace.import_report(path)
            workspace.load_grades(SHARED / "data" / "raw" / "peel-grades" / "peel_grades.csv")
            started = time.perf_counter()
            for force in territorial_forces():
                built = workspace.force_report(force.id, "peel-2018-19")
                write_report(built, out, ["html"])
            html = time.perf_counter() - started
            started = time.perf_counter()
            write_report(workspace.force_report("metropolitan", "peel-2018-19"), out, ["pdf"])
            pdf = time.perf_counter() - started
            started = time.perf_counter()
            write_report(workspace.national_report("peel-2018-19"), out, ["html"])
            national = time.perf_counter() - started
    figures = {
        "force_reports_html_43_seconds": round(html, 2),
        "force_report_pdf_seconds": round(pdf, 2),
        "national_report_html_seconds": round(national, 2),
    }
    report(figures, BASELINE, args, "targets: 43 HTML < 30 s, one PDF < 10 s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
