"""Printing a benchmark's figures beside its recorded baseline, and recording a new one."""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from pathlib import Path

from peelkit.outputs import write_atomically


def add_common_options(parser: argparse.ArgumentParser) -> None:
    """``--save`` (record the figures as the baseline) and ``--json`` (print one JSON object)."""
    parser.add_argument("--save", action="store_true", help="save the figures as the baseline")
    parser.add_argument(
        "--json",
        action="store_true",
        help='print {"figures": {...}, "baseline": {...}} as one JSON object instead of a table',
    )


def report(
    figures: dict[str, float], baseline_file: Path, args: argparse.Namespace, note: str = ""
) -> None:
    """Print the figures beside the baseline's (a table, or JSON with ``--json``); with
    ``--save``, record them as the new baseline."""
    baseline = json.loads(baseline_file.read_text()) if baseline_file.exists() else {}
    recorded = baseline.get("figures", {})
    if args.json:
        print(json.dumps({"figures": figures, "baseline": recorded, "note": note}, indent=2))
    else:
        _print_table(figures, baseline, note)
    if args.save:
        machine = (
            f"{platform.machine()}, Python {platform.python_version()}, {os.cpu_count()} cores"
        )
        document = {"machine": machine, "date": time.strftime("%Y-%m-%d"), "figures": figures}
        write_atomically(baseline_file, json.dumps(document, indent=2) + "\n")
        if not args.json:
            print(f"saved as the baseline in {baseline_file.name}")


def _print_table(figures: dict[str, float], baseline: dict[str, object], note: str) -> None:
    recorded = baseline.get("figures", {})
    assert isinstance(recorded, dict)
    print(
        f"baseline: {baseline.get('machine', 'none')} on {baseline.get('date', '-')}"
        + (f"; {note}" if note else "")
    )
    width = max(len(name) for name in figures) + 2
    print(f"{'figure':<{width}}{'now':>10}{'baseline':>10}")
    for name, value in figures.items():
        before = recorded.get(name)
        print(f"{name:<{width}}{value:>10}{before if before is not None else '-':>10}")
