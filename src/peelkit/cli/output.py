"""How ``peel`` prints: JSON from views, tables and text with Rich, one-line errors and notes.

Standard output carries the answer (a table, text or JSON); standard error carries progress,
notes (``peel: note: ...``), warnings (``peel: warning: ...``, the command still succeeds) and
errors (``peel: error: ...``, exit code 2, no traceback).
"""

from __future__ import annotations

import sys
from functools import cache
from typing import TYPE_CHECKING

from peelkit.views.json import dumps

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

# The exit code after a user's mistake (the same as a usage error's).
USER_ERROR = 2


@cache
def _console(stderr: bool) -> Console:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


def out() -> Console:
    """The console for answers (standard output)."""
    return _console(False)


def err() -> Console:
    """The console for progress (standard error)."""
    return _console(True)


def print_json(view: object) -> None:
    """Any view (or list of views) as JSON on standard output, through ``views.json``."""
    sys.stdout.write(dumps(view) + "\n")


def one_line(error: BaseException) -> str:
    """An error's message on one line."""
    return " ".join(str(error).split())


def print_error(error: BaseException) -> None:
    """``peel: error: MESSAGE`` on standard error."""
    sys.stderr.write(f"peel: error: {one_line(error)}\n")


def note(message: str) -> None:
    """``peel: note: MESSAGE`` on standard error (a deprecation, a hint)."""
    sys.stderr.write(f"peel: note: {message}\n")


def warning(message: str) -> None:
    """``peel: warning: MESSAGE`` on standard error: the command did what was asked, but the
    result is not what it looks like (a report of a force the record holds nothing about)."""
    sys.stderr.write(f"peel: warning: {' '.join(message.split())}\n")


def table(*columns: str, title: str | None = None) -> Table:
    """A table with these column headings (printed with ``out().print``)."""
    from rich.table import Table

    made = Table(title=title, title_justify="left") if title else Table()
    for column in columns:
        made.add_column(column)
    return made


@cache
def force_names() -> dict[str, str]:
    """Force id -> the force's name, for tables."""
    from peelkit.reference import all_forces

    return {f.id: f.name for f in all_forces()}


def or_dash(value: object) -> str:
    """A cell: the value, or ``-`` when there is none."""
    return "-" if value in (None, "") else str(value)
