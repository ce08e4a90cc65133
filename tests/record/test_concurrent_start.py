"""Issue 15, "A race on a new database": several processes started together on a new SQLite file
or an empty PostgreSQL schema all succeed (they used to die with ``UNIQUE constraint failed:
force.id`` and ``table force already exists``). Real processes, released at one moment."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import text

from peelkit import Workspace
from peelkit.record.database import head_revision, make_engine, normalise_url

# Each process: import peelkit, say it is ready, wait for the signal, then run its part.
CHILD = """
import sys, time
from pathlib import Path

signal, ready, part = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
{imports}
ready.touch()
while not signal.exists():
    time.sleep(0.002)
{body}
"""
WORKSPACE_PART = CHILD.format(
    imports="from peelkit import Workspace",
    body="""
url, force = sys.argv[4:6]
with Workspace(url) as workspace:
    workspace.initialise()
    workspace.add_inspection(force=force, framework="peel-2017")
""",
)
CLI_PART = CHILD.format(
    imports="from peelkit.cli import main",
    body="sys.exit(main(sys.argv[4:]))",
)
FORCES = ("Kent", "Essex", "Durham", "Dyfed-Powys Police")
# The reference reports but the 2005 baseline (the slowest to import): four documents of the
# Met, of four frameworks.
REPORTS = (
    "003_02b487485919232c.txt",
    "002_b3b722981796a923.txt",
    "000_033c6fd077a275c5.txt",
    "001_2e8c9026aad1a9d7.txt",
)
TIMEOUT_SECONDS = 180


def _start_together(
    tmp_path: Path, program: str, arguments: Sequence[Sequence[str]]
) -> list[subprocess.CompletedProcess[str]]:
    """Run one process per argument list; all start their part at the same moment."""
    signal = tmp_path / "go"
    processes = []
    readies = []
    for i, args in enumerate(arguments):
        ready = tmp_path / f"ready-{i}"
        readies.append(ready)
        processes.append(
            subprocess.Popen(
                [sys.executable, "-c", program, str(signal), str(ready), str(i), *args],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
    deadline = time.monotonic() + TIMEOUT_SECONDS
    try:
        while not all(r.exists() for r in readies):
            assert time.monotonic() < deadline, "the processes did not start"
            assert all(p.poll() is None for p in processes), "a process ended before the signal"
            time.sleep(0.01)
        signal.touch()
        results = []
        for process, args in zip(processes, arguments, strict=True):
            out, err = process.communicate(timeout=max(1.0, deadline - time.monotonic()))
            results.append(subprocess.CompletedProcess(args, process.returncode, out, err))
        return results
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()


def _assert_all_succeeded(results: list[subprocess.CompletedProcess[str]]) -> None:
    failed = [(r.args, r.returncode, r.stderr[-2000:]) for r in results if r.returncode != 0]
    assert failed == []
    assert all("Traceback" not in r.stderr for r in results)


def _schema_state(url: str) -> tuple[list[str], int, int]:
    """The schema revisions, the number of force rows and of framework rows."""
    engine = make_engine(normalise_url(url))
    try:
        with engine.connect() as connection:
            revisions = [
                row[0]
                for row in connection.execute(text("SELECT version_num FROM alembic_version"))
            ]
            forces = connection.execute(text("SELECT COUNT(*) FROM force")).scalar_one()
            frameworks = connection.execute(text("SELECT COUNT(*) FROM framework")).scalar_one()
    finally:
        engine.dispose()
    return revisions, forces, frameworks


def test_four_workspaces_started_together_on_a_new_database_all_succeed(
    database_url: str, tmp_path: Path
) -> None:
    results = _start_together(tmp_path, WORKSPACE_PART, [(database_url, f) for f in FORCES])
    _assert_all_succeeded(results)
    # One schema, one copy of the reference data (44 forces: 43 territorial and the BTP).
    revisions, forces, frameworks = _schema_state(database_url)
    assert revisions == [head_revision()]
    assert forces == 44
    with Workspace(database_url) as workspace:
        assert frameworks == len(workspace.frameworks())
        held = sorted(i.force for i in workspace.inspections())
    assert held == ["durham", "dyfed-powys", "essex", "kent"]


def test_four_imports_started_together_on_a_new_database_all_succeed(
    database_url: str, tmp_path: Path, reference_reports: Path
) -> None:
    arguments = [
        ("import", str(reference_reports / report), "--db", database_url, "--quiet")
        for report in REPORTS
    ]
    results = _start_together(tmp_path, CLI_PART, arguments)
    _assert_all_succeeded(results)
    with Workspace(database_url) as workspace:
        inspections = workspace.inspections()
    # Each report is one inspection of the Met, under its own framework.
    assert [i.force for i in inspections] == ["metropolitan"] * 4
    assert len({i.framework for i in inspections}) == 4
    assert _schema_state(database_url)[:2] == ([head_revision()], 44)
