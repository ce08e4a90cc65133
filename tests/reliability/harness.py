"""The harness of the hostile-input suite: issue 15's "510 cases", the test suite's own version.

A :class:`Case` is one command a hostile but realistic user runs: it writes its inputs into a
folder of its own (``in/``, ``out/``, a copy of a prepared database in ``db/``) and gives the
arguments of ``peel``. :func:`run_case` runs it in this process through
``peelkit.cli.main`` (fast: no interpreter to start), takes the database's content fingerprint
and every file's bytes before and after, and gives a :class:`Verdict`:

- ``clean_error``: exit 2, standard error exactly one line ``peel: error: ...`` naming what the
  case says it must name (the file, the field, the option), no traceback anywhere, and nothing
  changed: the database's content and every file in ``in/``, ``out/`` (and for a damaged
  database, ``db/``) exactly as they were;
- ``right_result``: exit 0 and the case's own check of what the result must be (expected
  values taken from the input, never from peelkit's output), and nothing lost: every row the
  database held is still there (unless the command replaces the record) and every earlier file
  not named as an output is as it was;
- and the failures the suite exists to count: ``traceback``, ``silent_wrong_success`` (exit 0
  and the check fails, or exit 0 where only an error is right), ``data_lost``, and
  ``unclear_error`` (exit 2 without the one line), ``wrong_refusal`` (a clean error where a
  result was due), ``other_failure`` (another exit code, or past the time limit).

Every verdict goes into :data:`TALLY`, which the last test of the suite reads
(``test_tally.py``): tracebacks, silent wrong successes and data lost must all be 0.

The fingerprints are :mod:`tests.reliability.state`'s; running ``peel`` (here, or in a process
of its own) is :mod:`tests.reliability.runs`'s.
"""

from __future__ import annotations

import os
import subprocess
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import pytest

from tests.reliability.runs import CaseTimeout, Run, run_peel, run_peel_in_a_process
from tests.reliability.state import (
    State,
    Target,
    changed,
    files_changed,
    lost,
    new_files,
)

ERROR_PREFIX = "peel: error: "


class Expect(StrEnum):
    """What a case allows."""

    ERROR = "error"  # a clean error, nothing changed
    RESULT = "result"  # exit 0 and the check holds, nothing lost
    EITHER = "either"  # a clean error, or a result whose check holds
    PARTIAL = "partial"  # a batch: exit 2, one error line per bad file, the check holds
    USAGE = "usage"  # typer's own usage error (several lines ending "Error: ..."), nothing changed


class Verdict(StrEnum):
    CLEAN_ERROR = "clean_error"
    RIGHT_RESULT = "right_result"
    USAGE_ERROR = "usage_error"
    TRACEBACK = "traceback"
    SILENT_WRONG_SUCCESS = "silent_wrong_success"
    DATA_LOST = "data_lost"
    UNCLEAR_ERROR = "unclear_error"
    WRONG_REFUSAL = "wrong_refusal"
    OTHER_FAILURE = "other_failure"


GOOD = frozenset({Verdict.CLEAN_ERROR, Verdict.RIGHT_RESULT, Verdict.USAGE_ERROR})


# --- a case ------------------------------------------------------------------------------------


@dataclass
class Place:
    """Where a case runs: its folders and the URL of its copy of the prepared database."""

    root: Path
    url: str
    database_file: Path | None  # the SQLite file of ``url`` (None for PostgreSQL)
    prepared: Any  # the session's Prepared (conftest.py): templates and references
    cleanups: list[Callable[[], None]] = field(default_factory=list)

    @property
    def inputs(self) -> Path:
        return self.root / "in"

    @property
    def outputs(self) -> Path:
        return self.root / "out"

    def write(self, name: str, data: bytes | str) -> Path:
        """A file of the case's inputs (``in/NAME``)."""
        path = self.inputs / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return path

    def immutable(self, path: Path) -> Path:
        """Make ``path`` read-only for real, even for root (``chattr +i``), until the case ends;
        skips, saying why, where that cannot be done."""
        if os.geteuid() != 0:
            mode = path.stat().st_mode
            path.chmod(0o555 if path.is_dir() else 0o444)
            self.cleanups.append(lambda: path.chmod(mode))
            return path
        done = subprocess.run(["chattr", "+i", str(path)], capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"cannot make {path.name} read-only for root: {done.stderr.strip()}")
        self.cleanups.append(lambda: _run(["chattr", "-i", str(path)]))
        return path

    def small_disk(self, name: str, size: str = "64k") -> Path:
        """A folder on a new tmpfs of ``size`` (a full disk is a few writes away), unmounted
        when the case ends; skips, saying why, where no tmpfs can be mounted."""
        point = self.root / name
        point.mkdir(parents=True)
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0777", "tmpfs", str(point)],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs for a full disk: {done.stderr.strip()}")
        self.cleanups.append(lambda: _run(["umount", str(point)]))
        return point


def _run(argv: list[str]) -> None:
    subprocess.run(argv, check=True, capture_output=True)


@dataclass(frozen=True)
class Effect:
    """What a command did: its run, and the state before and after."""

    run: Run
    before: State
    after: State
    place: Place

    def gained(self, table: str) -> list[dict[str, Any]]:
        """The rows of ``table`` that were not there before."""
        after = self.after.tables.get(table)
        if after is None:
            return []
        before = self.before.tables.get(table)
        old = Counter(before.rows if before else ())
        new: list[tuple[Any, ...]] = []
        for row in after.rows:
            if old[row]:
                old[row] -= 1
            else:
                new.append(row)
        return after.dicts(tuple(new))

    def rows(self, table: str) -> list[dict[str, Any]]:
        found = self.after.tables.get(table)
        return found.dicts() if found else []

    def unchanged(self) -> str | None:
        """What changed in the database (``None``: nothing)."""
        return changed(self.before, self.after)


Check = Callable[[Effect], str | None]


@dataclass(frozen=True)
class Case:
    """One hostile command: ``make`` writes its inputs and gives peel's arguments."""

    name: str
    make: Callable[[Place], list[str]]
    expect: Expect
    names: tuple[str, ...] = ()  # what an error line must name (all of them)
    check: Check | None = None  # for a result: what is wrong with it (None: right)
    template: str = "record"  # which prepared database the case runs on
    replaces: bool = False  # the command replaces the record: earlier rows may go
    targets: tuple[str, ...] = ()  # files (relative to the case folder) it may write or replace
    watch_database: bool = False  # a damaged or foreign database: its folder's bytes are kept
    errors: int = 1  # a batch: how many error lines
    own_process: bool = False  # run in a process of its own (a regression could abort it)
    known: str | None = None  # a bug in a file another session owns: xfail(strict) with this

    def param(self) -> Any:
        marks = [pytest.mark.xfail(strict=True, reason=self.known)] if self.known else []
        return pytest.param(self, id=self.name, marks=marks)


def params(cases: list[Case]) -> list[Any]:
    names = [c.name for c in cases]
    repeated = [n for n, count in Counter(names).items() if count > 1]
    assert not repeated, f"case names used twice: {repeated}"
    return [case.param() for case in cases]


@dataclass(frozen=True)
class Outcome:
    verdict: Verdict
    detail: str
    run: Run

    def describe(self, case: Case) -> str:
        escaped = ""
        if self.run.escaped is not None:
            escaped = f"; escaped {type(self.run.escaped).__name__}: {self.run.escaped}"
        return (
            f"{case.name}: {self.verdict.value}: {self.detail} (exit {self.run.code}{escaped})\n"
            f"stderr: {self.run.err[-1500:]!r}\nstdout: {self.run.out[-800:]!r}"
        )


def _error_line(run: Run, names: tuple[str, ...]) -> str | None:
    """What is wrong with the run's standard error as one clean error line (None: nothing)."""
    lines = run.err.splitlines()
    if len(lines) != 1 or run.err.count("\n") != 1:
        return f"standard error has {len(lines)} lines, not one"
    line = lines[0]
    if not line.startswith(ERROR_PREFIX) or not line.removeprefix(ERROR_PREFIX).strip():
        return f"the line does not start {ERROR_PREFIX!r}"
    missing = [n for n in names if n not in line]
    if missing:
        return f"the line does not name {missing}"
    return None


def _usage_line(run: Run, names: tuple[str, ...]) -> str | None:
    lines = [line for line in run.err.splitlines() if line.strip()]
    last = lines[-1] if lines else ""
    if "Error" not in last:
        return "typer's usage error does not end with its Error line"
    missing = [n for n in names if n not in run.err]
    return f"the usage error does not name {missing}" if missing else None


def _batch_lines(run: Run, count: int, names: tuple[str, ...]) -> str | None:
    lines = run.err.splitlines()
    errors = [line for line in lines if line.startswith(ERROR_PREFIX)]
    if len(errors) != count:
        return f"{len(errors)} error lines, expected {count}"
    missing = [n for n in names if not any(n in line for line in errors)]
    return f"the error lines do not name {missing}" if missing else None


def classify(case: Case, run: Run, before: State, after: State, effect: Effect) -> Outcome:
    """The verdict on one run (see the module's docstring)."""
    said = run.out + run.err
    if run.escaped is not None and not isinstance(run.escaped, CaseTimeout):
        return Outcome(Verdict.TRACEBACK, "an exception escaped peel", run)
    if "Traceback (most recent call last)" in said:
        return Outcome(Verdict.TRACEBACK, "a traceback was printed", run)
    if isinstance(run.escaped, CaseTimeout):
        return Outcome(Verdict.OTHER_FAILURE, str(run.escaped), run)
    if run.code not in (0, 2):
        return Outcome(Verdict.OTHER_FAILURE, f"exit code {run.code}", run)
    writes = run.code == 0 or case.expect is Expect.PARTIAL
    if writes:
        lost_rows = None if case.replaces else lost(before, after)
        lost_rows = lost_rows or files_changed(before, after, case.targets)
        if lost_rows:
            return Outcome(Verdict.DATA_LOST, lost_rows, run)
    else:
        differs = effect.unchanged() or files_changed(before, after, ())
        differs = differs or new_files(before, after, ())
        if differs:
            return Outcome(Verdict.DATA_LOST, f"a failed command changed things: {differs}", run)
    if case.expect is Expect.PARTIAL:
        if run.code == 0:
            return Outcome(Verdict.SILENT_WRONG_SUCCESS, "exit 0 from a batch with bad files", run)
        problem = _batch_lines(run, case.errors, case.names)
        if problem:
            return Outcome(Verdict.UNCLEAR_ERROR, problem, run)
        return _checked(case, effect, run)
    if run.code == 2:
        if case.expect is Expect.USAGE:
            problem = _usage_line(run, case.names)
            verdict = Verdict.USAGE_ERROR
        else:
            problem = _error_line(run, case.names)
            verdict = Verdict.WRONG_REFUSAL if case.expect is Expect.RESULT else Verdict.CLEAN_ERROR
        if problem:
            return Outcome(Verdict.UNCLEAR_ERROR, problem, run)
        return Outcome(verdict, run.err.strip(), run)
    if case.expect in (Expect.ERROR, Expect.USAGE):
        return Outcome(Verdict.SILENT_WRONG_SUCCESS, "exit 0 where only an error is right", run)
    return _checked(case, effect, run)


def _checked(case: Case, effect: Effect, run: Run) -> Outcome:
    stray = new_files(effect.before, effect.after, case.targets)
    if stray:
        return Outcome(Verdict.SILENT_WRONG_SUCCESS, stray, run)
    try:
        problem = case.check(effect) if case.check else None
    except Exception as exc:
        problem = f"the result cannot be checked: {type(exc).__name__}: {exc}"
    if problem:
        return Outcome(Verdict.SILENT_WRONG_SUCCESS, problem, run)
    return Outcome(Verdict.RIGHT_RESULT, "as expected", run)


# --- running a case ------------------------------------------------------------------------------


@dataclass
class Tally:
    """Every verdict of the session, by class, and the cases whose bug is listed (xfail)."""

    verdicts: dict[str, Counter[str]] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    known: list[str] = field(default_factory=list)

    def add(self, group: str, case: Case, outcome: Outcome) -> None:
        self.verdicts.setdefault(group, Counter())[outcome.verdict.value] += 1
        if outcome.verdict in GOOD:
            return
        line = f"{group}/{case.name}: {outcome.verdict.value}: {outcome.detail}"
        (self.known if case.known else self.failures).append(line)

    def total(self) -> int:
        return sum(sum(c.values()) for c in self.verdicts.values())

    def count(self, verdict: Verdict, *, known: bool = False) -> int:
        lines = self.known if known else self.failures
        return sum(1 for line in lines if f": {verdict.value}: " in line)


TALLY = Tally()


def run_case(group: str, case: Case, place: Place, target: Target) -> Outcome:
    """Make the case's inputs, run it, classify it and count it in :data:`TALLY`."""
    argv = case.make(place)
    before = target.state(place.root, case.watch_database)
    run = run_peel_in_a_process(argv) if case.own_process else run_peel(argv)
    after = target.state(place.root, case.watch_database)
    effect = Effect(run, before, after, place)
    outcome = classify(case, run, before, after, effect)
    TALLY.add(group, case, outcome)
    return outcome
