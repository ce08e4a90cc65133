"""Printing a benchmark's figures beside its recorded baseline, and recording a new one."""

from __future__ import annotations

import json
import os
import platform
import time
from pathlib import Path

from peelkit.outputs import write_atomically


def report(figures: dict[str, float], baseline_file: Path, save: bool, note: str = "") -> None:
    baseline = json.loads(baseline_file.read_text()) if baseline_file.exists() else {}
    recorded = baseline.get("figures", {})
    print(
        f"baseline: {baseline.get('machine', 'none')} on {baseline.get('date', '-')}"
        + (f"; {note}" if note else "")
    )
    width = max(len(name) for name in figures) + 2
    print(f"{'figure':<{width}}{'now':>10}{'baseline':>10}")
    for name, value in figures.items():
        before = recorded.get(name)
        print(f"{name:<{width}}{value:>10}{before if before is not None else '-':>10}")
    if save:
        machine = (
            f"{platform.machine()}, Python {platform.python_version()}, {os.cpu_count()} cores"
        )
        document = {"machine": machine, "date": time.strftime("%Y-%m-%d"), "figures": figures}
        write_atomically(baseline_file, json.dumps(document, indent=2) + "\n")
        print(f"saved as the baseline in {baseline_file.name}")
