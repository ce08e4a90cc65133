"""The ``peel`` command: a thin layer over :class:`peelkit.workspace.Workspace`.

Each command opens the workspace, calls one method and prints the view it returns: as a table
or text, or with ``--json`` as JSON (``peelkit.views.json``; shapes in docs/json-output.md).
The same option means the same thing in every command (:mod:`peelkit.cli.options`). A user
mistake prints one line, ``peel: error: ...``, and exits with code 2; the database is left as
it was.

The commands live by group in ``reference``, ``record``, ``imports``, ``statistics``,
``grades``, ``reports``, ``web``, ``opendata``, ``accounts`` (users and the audit log) and
``followup``;
heavy modules (the database, the workspace, the report renderers) are imported inside the
commands, so ``peel --help`` stays quick.
"""

from __future__ import annotations

import sys
from functools import cache
from typing import TYPE_CHECKING, Annotated

import typer

from peelkit import __version__
from peelkit.cli import (
    accounts,
    followup,
    grades,
    imports,
    opendata,
    record,
    reference,
    reports,
    statistics,
    web,
)
from peelkit.cli.options import DbOption, QuietOption, settings
from peelkit.cli.output import USER_ERROR, print_error
from peelkit.errors import PeelkitError

if TYPE_CHECKING:
    from typer._click import Command  # the click typer ships and builds its commands with

HELP = """\
peelkit: the inspection record of the 43 police forces of England and Wales.

Forces, inspection frameworks (2005 baseline to PEEL 2023-25) and most similar groups are
built in. Inspections, graded judgments, findings, evidence and printed figures are kept in a
database: SQLite by default, or PostgreSQL with --db postgresql://HOST/DBNAME.

Every command that prints takes --json. --month YYYY-MM is a statistics month, --year an
assessment or financial year.

Start with: peel summary, peel forces, peel frameworks peel-2018-19.
"""

app = typer.Typer(
    help=HELP,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"peel {__version__}\n")
        raise typer.Exit()


@app.callback()
def root(
    db: DbOption = None,
    quiet: QuietOption = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    settings.database_url = db
    settings.quiet = quiet


app.command()(record.init)
app.command()(record.summary)
app.command()(reference.forces)
app.command()(reference.frameworks)
app.command("import")(imports.import_reports)
app.command()(statistics.indicators)
app.command()(reports.report)
app.command()(record.export)
app.command()(record.load)
app.command("export-open")(opendata.export_open)
app.command()(web.serve)
app.command()(accounts.audit)
app.add_typer(reference.groups_app, name="groups")
app.add_typer(record.inspections_app, name="inspections")
app.add_typer(record.judgments_app, name="judgments")
app.add_typer(record.findings_app, name="findings")
app.add_typer(statistics.data_app, name="data")
app.add_typer(grades.grades_app, name="grades")
app.add_typer(accounts.users_app, name="users")
app.add_typer(followup.followup_app, name="followup")


@cache
def _command() -> Command:
    """The click command of :data:`app`, built once a process: typer builds it from every
    command's signature, about 0.1 s each time (a test suite that runs ``main`` a thousand
    times in one process paid it a thousand times)."""
    return typer.main.get_command(app)


def main(argv: list[str] | None = None) -> int:
    """Run ``peel`` with these arguments; return the exit code (2 for a user's mistake)."""
    command = _command()
    try:
        command.main(args=argv, prog_name="peel", standalone_mode=True)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except PeelkitError as exc:
        print_error(exc)
        return USER_ERROR
    except OSError as exc:
        # A fault of the file system no check before the work could foresee (a name too long
        # for it, a disk gone): one line naming the file, not a traceback.
        print_error(PeelkitError(_os_message(exc), code="file_unreadable"))
        return USER_ERROR
    finally:
        settings.reset()
    return 0


def _os_message(exc: OSError) -> str:
    reason = exc.strerror or type(exc).__name__
    return f"{exc.filename}: {reason}" if exc.filename else f"{reason} ({exc})"


def run() -> None:
    sys.exit(main())


__all__ = ["app", "main", "run"]
