"""Start-up: how long a person waits for the first answer of a command.

Figures (medians of several runs, each a whole new process where it says so):

- ``help_seconds``: ``peel --help``, whole process (issue 14 target: under 0.3 s);
- ``indicators_met_seconds``: ``peel indicators Met --month 2018-09``, whole process (under
  0.8 s), on the embedded dataset, for a user with no record yet (``--db`` names a file that
  does not exist: the command reads no database);
- ``indicators_met_with_record_seconds``: the same with a record (an empty SQLite database
  made by ``peel data sources``): the command opens it for the statistics and groups imported;
- ``dataset_into_engine_seconds``: the embedded dataset read and indexed by the engine, in a
  process that has imported peelkit already (under 0.05 s);
- ``import_peelkit_seconds``: ``import peelkit.cli``, whole process, for comparison.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from baselines import add_common_options, report

BASELINE = Path(__file__).with_name("startup_baseline.json")
PEEL = Path(sys.executable).with_name("peel")
DATASET_PROBE = """
import time
from peelkit.indicators.observations import ObservationIndex
from peelkit.sources import dataset
started = time.perf_counter()
data = dataset.read(dataset.shipped_folder())
ObservationIndex(data.table, data.publications)
print(time.perf_counter() - started)
"""


def _whole_process(command: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _in_process(probe: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", probe], check=True, capture_output=True, text=True
        ).stdout
        times.append(float(out.strip().splitlines()[-1]))
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per figure (the median)")
    add_common_options(parser)
    args = parser.parse_args()
    runs = max(1, args.runs)
    scratch = Path(tempfile.mkdtemp(prefix="peelkit-startup-"))
    missing, record = scratch / "none.sqlite", scratch / "record.sqlite"
    subprocess.run(
        [str(PEEL), "data", "sources", "--db", str(record)], check=True, capture_output=True
    )
    indicators = [str(PEEL), "indicators", "Met", "--month", "2018-09", "--db"]
    figures = {
        "help_seconds": round(_whole_process([str(PEEL), "--help"], runs), 3),
        "import_peelkit_seconds": round(
            _whole_process([sys.executable, "-c", "import peelkit.cli"], runs), 3
        ),
        "indicators_met_seconds": round(_whole_process([*indicators, str(missing)], runs), 3),
        "indicators_met_with_record_seconds": round(
            _whole_process([*indicators, str(record)], runs), 3
        ),
        "dataset_into_engine_seconds": round(_in_process(DATASET_PROBE, runs), 3),
    }
    shutil.rmtree(scratch, ignore_errors=True)
    report(
        figures,
        BASELINE,
        args,
        "targets: --help < 0.3 s, indicators < 0.8 s, dataset into the engine < 0.05 s",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
