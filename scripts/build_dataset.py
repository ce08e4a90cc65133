"""Rebuild the embedded dataset (src/peelkit/data/) from the raw official files.

Usage: .venv/bin/python scripts/build_dataset.py [RAW_FOLDER]   (default ../shared/data/raw)

Every publication reader reads every file it recognises; where figures overlap, the choices in
src/peelkit/sources/dataset.yaml decide. The validation problems found are printed. A raw file
that cannot be read stops it with one line naming the file (exit code 2) before anything is
written.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

from peelkit.cli.output import one_line
from peelkit.errors import PeelkitError
from peelkit.outputs import write_atomically
from peelkit.sources.dataset import (
    BOUNDARIES_SOURCE,
    build,
    shipped_boundaries,
    shipped_folder,
    write,
)

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str]) -> int:
    raw = Path(argv[0]) if argv else ROOT.parent / "shared" / "data" / "raw"
    if not raw.is_dir():
        print(f"build_dataset: no raw data folder at {raw}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    try:
        dataset = build(raw)
        boundaries = (raw / BOUNDARIES_SOURCE).read_bytes()
    except PeelkitError as exc:
        # a raw file that cannot be read: one line naming it, nothing written
        print(f"build_dataset: error: {one_line(exc)}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"build_dataset: error: {exc.filename}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    write(dataset, shipped_folder())
    write_atomically(shipped_boundaries(), boundaries)
    elapsed = time.perf_counter() - started
    print(
        f"{len(dataset.observations)} observations from {len(dataset.publications)} "
        f"publications in {elapsed:.1f} s"
    )
    for code, count in sorted(Counter(p.code for p in dataset.problems).items()):
        print(f"  {count} problem(s) {code}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
