"""Running ``peel``: in this process (its output captured, whatever escapes it kept, a time
limit), or in a process of its own (a memory limit; a signal sent mid-write)."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

from peelkit.cli import main

# A case that runs longer than this is a near-hang (issue 15 found one at 528 s).
TIME_LIMIT_SECONDS = 30.0


@dataclass(frozen=True)
class Run:
    code: int | None
    out: str
    err: str
    escaped: BaseException | None
    seconds: float

    def json(self) -> Any:
        return json.loads(self.out)


class CaseTimeout(BaseException):
    """Raised in the case's command when it runs past :data:`TIME_LIMIT_SECONDS`."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    def expire(_signal: int, _frame: FrameType | None) -> None:
        raise CaseTimeout(f"still running after {seconds:.0f} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run_peel(argv: list[str], seconds: float = TIME_LIMIT_SECONDS) -> Run:
    """``peel ARGV`` in this process, its output captured, whatever escapes it kept."""
    import time

    out, err = io.StringIO(), io.StringIO()
    escaped: BaseException | None = None
    code: int | None = None
    started = time.perf_counter()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            with time_limit(seconds):
                code = main(argv)
        except BaseException as exc:
            escaped = exc
    return Run(code, out.getvalue(), err.getvalue(), escaped, time.perf_counter() - started)


# What a process of its own may take (a spreadsheet reader that asks for 512 GiB is refused,
# and the process aborts, instead of the machine swapping).
MEMORY_LIMIT_BYTES = 4 * 2**30
PEEL = "import sys; from peelkit.cli import main; sys.exit(main(sys.argv[1:]))"


def _limit_memory() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))


def run_peel_in_a_process(argv: list[str], seconds: float = TIME_LIMIT_SECONDS) -> Run:
    """``peel ARGV`` in a process of its own, with a memory limit: for the cases where a
    regression would take this process down with it."""
    import sys
    import time

    started = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, "-c", PEEL, *argv],
            capture_output=True,
            text=True,
            timeout=seconds + 30,
            preexec_fn=_limit_memory,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        return Run(None, "", "", CaseTimeout(str(exc)), time.perf_counter() - started)
    return Run(done.returncode, done.stdout, done.stderr, None, time.perf_counter() - started)


def fill(disk: Path) -> None:
    """Fill the file system of ``disk`` to its last byte (a file named ``filler``)."""
    with (disk / "filler").open("wb", buffering=0) as handle:
        for chunk in (b"\0" * 4096, b"\0"):
            try:
                while handle.write(chunk):
                    pass
            except OSError:
                pass  # full


def kill_during(
    argv: list[str], wait_for: Path, sig: int, delay: float
) -> subprocess.CompletedProcess[str]:
    """``peel ARGV`` in a process of its own, sent ``sig`` ``delay`` seconds after ``wait_for``
    (the database's write-ahead log) first holds something: killed mid-write."""
    import sys
    import time

    process = subprocess.Popen(
        [sys.executable, "-c", PEEL, *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    deadline = time.monotonic() + 60
    while process.poll() is None and time.monotonic() < deadline:
        if wait_for.exists() and wait_for.stat().st_size > 0:
            break
        time.sleep(0.002)
    time.sleep(delay)
    if process.poll() is None:
        process.send_signal(sig)
    out, err = process.communicate(timeout=60)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)
