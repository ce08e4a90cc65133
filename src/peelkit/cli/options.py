"""What the commands share: the options that mean the same thing in every command, the
database setting given before the command, and the deprecated spellings still accepted.

``--db URL`` the database; ``--json`` JSON instead of a table; ``--quiet`` no progress;
``--month YYYY-MM`` a statistics month (the 12 months ending it); ``--year`` an assessment or
financial year. ``--period`` is the old spelling of ``--month`` (``peel indicators``) and of
``--year`` (``peel report``, ``peel inspections add``): it still works, with a note.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any

import typer

from peelkit.cli.output import note
from peelkit.errors import PeelkitError, UsageError

if TYPE_CHECKING:
    from peelkit.workspace import Workspace

# The environment variable naming the database (peelkit.record.database.ENV_VAR; a test checks
# they agree). Spelt out here so that ``peel --help`` needs no database code.
DATABASE_ENV_VAR = "PEELKIT_DATABASE_URL"

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help=f"Database URL or SQLite file path (default: ${DATABASE_ENV_VAR}, else a SQLite "
        "file in the user's data directory).",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="Do not show progress.")]
AssessmentYearOption = Annotated[
    str | None,
    typer.Option(
        "--year", help="Assessment year, e.g. 2018/19 or 2016 (default: the framework's)."
    ),
]
# The old spelling, hidden from --help; the commands that had it still accept it.
PeriodOption = Annotated[
    str | None, typer.Option("--period", hidden=True, help="Deprecated: use --year.")
]


class Settings:
    """Options given before the command (``peel --db URL inspections``)."""

    database_url: str | None = None
    quiet: bool = False

    def reset(self) -> None:
        self.database_url = None
        self.quiet = False


settings = Settings()


@contextmanager
def workspace(db: str | None) -> Iterator[Workspace]:
    """The workspace on ``--db`` given to the command, else before it, else the default."""
    from peelkit.workspace import Workspace

    with Workspace(db or settings.database_url) as opened:
        yield opened


def quiet(given: bool) -> bool:
    return given or settings.quiet


def deprecated_period(period: str | None, value: str | None, replacement: str) -> str | None:
    """``value`` of the option that replaced ``--period``, or the ``--period`` given (with a
    deprecation note on standard error); both given is a mistake."""
    if period is None:
        return value
    name = replacement.split()[0]
    if value is not None:
        raise UsageError(f"give {name} or --period (its old spelling), not both")
    note(f"--period is deprecated; use {replacement}")
    return period


def parse_date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise PeelkitError(f"{option}: expected a date YYYY-MM-DD, got {value!r}") from None


def parse_datetime(value: str | None, option: str) -> dt.datetime | None:
    if value is None:
        return None
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        raise PeelkitError(f"{option}: expected YYYY-MM-DDTHH:MM, got {value!r}") from None


class DefaultCommandGroup(typer.core.TyperGroup):
    """A command group that runs its ``default_command`` when no subcommand is named.

    So ``peel groups Met`` means ``peel groups show Met`` while ``peel groups load FILE`` still
    loads, and ``peel inspections --force Met`` lists.
    """

    default_command = "show"

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h")):
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)


class ListDefaultGroup(DefaultCommandGroup):
    default_command = "list"
