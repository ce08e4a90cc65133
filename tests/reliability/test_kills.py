"""Kills during a write (SIGKILL, and SIGINT as Ctrl-C sends it) of ``peel load``, ``peel
import``, ``peel grades load`` and ``peel data import``, each in a process of its own: the
database is then exactly as it was or exactly as the whole command leaves it (one transaction
per file), never between, and it still opens; SIGINT prints no traceback.

"Exactly as the whole command leaves it" is the same command run to its end here on another
copy; times of day (an audit event's ``at``) are left out of the comparison."""

from __future__ import annotations

import signal
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.reliability.conftest import RAW, REPORTS, Prepared
from tests.reliability.harness import TALLY, Case, Expect, Outcome, Verdict
from tests.reliability.runs import Run, kill_during, run_peel
from tests.reliability.state import State, sqlite_tables
from tests.reliability.test_load_exports import export

GROUP = "kills"
# Columns holding the time of day a row was written: a run to the end at another moment
# writes other times.
TIMES = frozenset({"at", "created_at", "decided_at"})


def _load(inputs: Path, database: Path, prepared: Prepared) -> list[str]:
    from peelkit.record.exchange import dumps

    path = inputs / "record.json"
    if not path.exists():
        path.write_text(dumps(export(prepared)), encoding="utf-8")
    return ["load", str(path), "--replace", "--quiet", "--db", f"sqlite:///{database}"]


COMMANDS: dict[str, Callable[[Path, Path, Prepared], list[str]]] = {
    "load": _load,
    "import": lambda i, d, p: [
        "import",
        str(REPORTS / "004_8971e4e9a7c1f0c8.txt"),
        "--quiet",
        "--db",
        f"sqlite:///{d}",
    ],
    "grades": lambda i, d, p: [
        "grades",
        "load",
        str(RAW / "peel-grades" / "peel_grades.csv"),
        "--db",
        f"sqlite:///{d}",
    ],
    "data": lambda i, d, p: [
        "data",
        "import",
        str(RAW / "ons-pfa-tables-2018-2019" / "pfatablesdec19.xlsx"),
        "--db",
        f"sqlite:///{d}",
    ],
}
KILLS = [
    ("load", signal.SIGKILL, 0.0),
    ("import", signal.SIGKILL, 0.0),
    ("import", signal.SIGINT, 0.01),
    ("grades", signal.SIGKILL, 0.0),
    ("data", signal.SIGKILL, 0.0),
]


def _content(state: State) -> dict[str, list[tuple[object, ...]]]:
    """Every table's rows without the columns of times of day."""
    found = {}
    for name, table in state.tables.items():
        kept = [i for i, c in enumerate(table.columns) if c not in TIMES]
        found[name] = sorted((tuple(row[i] for i in kept) for row in table.rows), key=repr)
    return found


def _state(database: Path) -> State:
    tables, unreadable = sqlite_tables(database)
    return State(tables, unreadable, {})


def _completed(prepared: Prepared, command: str) -> dict[str, list[tuple[object, ...]]]:
    """The database after the command ran to its end (once a session)."""

    def build(prepared: Prepared) -> dict[str, list[tuple[object, ...]]]:
        folder = prepared.scratch(f"kill-{command}")
        database = prepared.copy_of("record", folder)
        run = run_peel(COMMANDS[command](folder, database, prepared))
        assert run.code == 0, run.err
        return _content(_state(database))

    return prepared.reference(f"completed:{command}", build)


@pytest.mark.parametrize(
    ("command", "sig", "delay"),
    [pytest.param(c, s, d, id=f"{c}-{s.name}-after-{d:g}s") for c, s, d in KILLS],
)
def test_a_kill_leaves_the_old_or_the_new_record(
    command: str, sig: signal.Signals, delay: float, prepared: Prepared, tmp_path: Path
) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    database = prepared.copy_of("record", tmp_path / "db")
    argv = COMMANDS[command](inputs, database, prepared)
    new = _completed(prepared, command)
    old = _content(_state(database))
    done = kill_during(argv, database.with_name(database.name + "-wal"), sig, delay)
    after = _state(database)
    case = Case(f"{command}-{sig.name}-after-{delay:g}s", lambda place: argv, Expect.RESULT)
    run = Run(done.returncode, done.stdout, done.stderr, None, 0.0)
    if after.unreadable is not None:
        outcome = Outcome(
            Verdict.DATA_LOST, f"the database cannot be read: {after.unreadable}", run
        )
    elif "Traceback" in done.stderr:
        outcome = Outcome(Verdict.TRACEBACK, "a traceback was printed", run)
    elif _content(after) == old:
        outcome = Outcome(Verdict.RIGHT_RESULT, "the record as it was", run)
    elif _content(after) == new:
        outcome = Outcome(Verdict.RIGHT_RESULT, "the record as the command leaves it", run)
    else:
        changed = [t for t in new if _content(after).get(t) not in (old.get(t), new.get(t))]
        outcome = Outcome(Verdict.DATA_LOST, f"neither old nor new: tables {changed[:5]}", run)
    TALLY.add(GROUP, case, outcome)
    assert outcome.verdict is Verdict.RIGHT_RESULT, outcome.describe(case)
