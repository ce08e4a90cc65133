"""What the commands share: the options that mean the same thing in every command, the
database setting given before the command, and the deprecated spellings still accepted.

``--db URL`` the database; ``--json`` JSON instead of a table; ``--quiet`` no progress;
``--month YYYY-MM`` a statistics month (the 12 months ending it); ``--year`` an assessment or
financial year. ``--period`` is the old spelling of ``--month`` (``peel indicators``) and of
``--year`` (``peel report``, ``peel inspections add``): it still works, with a note.

Values are checked as the options are read (:func:`record_id`, :func:`year_number`,
:func:`years_in`): an id the database cannot hold or a year out of any plausible range is
one line, ``peel: error: ...``, before the database is opened. (A database URL is checked
where it is opened, in :mod:`peelkit.record.database`.)
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

# Record ids are 32-bit integers in every database peelkit supports (peelkit.web.api.MAX_ID).
MAX_ID = 2**31 - 1
# The years an option may name (a statistics month or year, an assessment year, a population
# estimate): a bound on what is plausible, well beyond the publications peelkit reads.
FIRST_YEAR, LAST_YEAR = 1900, 2100


def _name(param: typer.CallbackParam) -> str:
    """The option (``--inspection``) or argument (``ID``) as the user wrote it."""
    if param.param_type_name == "option" and param.opts:
        return max(param.opts, key=len)
    metavar = getattr(param, "metavar", None)
    return str(metavar or (param.name or "value").upper())


def record_id(param: typer.CallbackParam, value: int | None) -> int | None:
    """An id of the record: from 1 to :data:`MAX_ID` (a larger one overflows the database)."""
    if value is not None and not 1 <= value <= MAX_ID:
        raise PeelkitError(
            f"{_name(param)} {value}: expected an id from 1 to {MAX_ID}", code="invalid_id"
        )
    return value


def year_number(param: typer.CallbackParam, value: int | None) -> int | None:
    """A year given as a number (``--population-year 2018``)."""
    if value is not None and not FIRST_YEAR <= value <= LAST_YEAR:
        raise PeelkitError(
            f"{_name(param)} {value}: expected a year from {FIRST_YEAR} to {LAST_YEAR}",
            code="invalid_year",
        )
    return value


def years_in(param: typer.CallbackParam, value: str | None) -> str | None:
    """A period or year written as text (``2018/19``, ``2016``, ``2018-09``): every year it
    names lies from :data:`FIRST_YEAR` to :data:`LAST_YEAR` (its form is the library's to
    check)."""
    import re

    if value is None:
        return value
    for match in re.finditer(r"\d{4,}", value):
        if not FIRST_YEAR <= int(match.group()) <= LAST_YEAR:
            raise PeelkitError(
                f"{_name(param)} {value!r}: expected a year from {FIRST_YEAR} to {LAST_YEAR}",
                code="invalid_year",
            )
    return value


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
        "--year",
        help="Assessment year, e.g. 2018/19 or 2016 (default: the framework's).",
        callback=years_in,
    ),
]
# The old spelling, hidden from --help; the commands that had it still accept it.
PeriodOption = Annotated[
    str | None,
    typer.Option("--period", hidden=True, help="Deprecated: use --year.", callback=years_in),
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
