"""The errors peelkit raises for things a user can fix.

Every error here is a :class:`PeelkitError`. Its message is one line that names what was wrong
and where (file, field, row, force, ...), so the CLI can print it as it is and exit with code 2.
Programming errors are not PeelkitErrors and keep their tracebacks.

Beside its message every error has a stable ``code`` (listed, with what a user can do about it,
in ``errors.yaml`` and ``docs/errors.md``), a ``kind`` that a web layer maps to an HTTP status
(:data:`HTTP_STATUS`) and a structured :class:`Location`. A subclass sets the default code and
kind; a raise site may pass a more specific ``code=`` (and, rarely, ``kind=``).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from functools import cache
from importlib import resources
from typing import Any, Literal, get_args

Kind = Literal[
    "invalid",
    "not_found",
    "conflict",
    "unavailable",
    "unauthenticated",
    "forbidden",
    "throttled",
    "too_large",
]
KINDS: tuple[Kind, ...] = get_args(Kind)

# What a web layer answers for each kind of error.
HTTP_STATUS: dict[Kind, int] = {
    "invalid": 400,
    "not_found": 404,
    "conflict": 409,
    "unavailable": 503,
    "unauthenticated": 401,
    "forbidden": 403,
    "throttled": 429,
    "too_large": 413,
}

# What the ``peel`` command exits with after printing ``peel: error: MESSAGE``.
EXIT_CODE = 2

Part = str | int | None


@dataclass(frozen=True)
class Location:
    """Where a problem is: any of file, sheet, line, row, column and field (a JSON/YAML path).

    Rows and lines are 1-based as a spreadsheet or editor shows them; a column is a letter, a
    1-based number or a column name; a row may be a range (``"1-12"``) or, in a printed table,
    the row's label.
    """

    file: Part = None
    sheet: Part = None
    line: Part = None
    row: Part = None
    column: Part = None
    field: Part = None

    def where(self) -> str:
        """The place inside the file: ``sheet X, row 5, column C``; empty if none is known."""
        return ", ".join(
            f"{name} {value}"
            for name in ("sheet", "line", "row", "column", "field")
            if (value := getattr(self, name)) not in (None, "")
        )

    def describe(self) -> str:
        """``file: sheet X, row 5, column C``, as error messages name a place."""
        where = self.where()
        if self.file in (None, ""):
            return where
        return f"{self.file}: {where}" if where else str(self.file)

    def to_json(self) -> dict[str, Part]:
        """Every part, ``null`` when unknown."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


class PeelkitError(Exception):
    """A problem with the user's input, files or database, described in one line."""

    code: str = "invalid_input"
    kind: Kind = "invalid"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        kind: Kind | None = None,
        location: Location | None = None,
    ) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code
        if kind is not None:
            self.kind = kind
        self.location = location if location is not None else Location()

    @property
    def message(self) -> str:
        """The message on one line, as ``peel: error:`` prints it."""
        return " ".join(str(self).split())

    @property
    def status(self) -> int:
        """The HTTP status a web layer answers with."""
        return HTTP_STATUS[self.kind]

    def to_json(self) -> dict[str, Any]:
        """The body a JSON API returns: ``code``, ``kind``, ``message`` and ``location``."""
        return {
            "code": self.code,
            "kind": self.kind,
            "message": self.message,
            "location": self.location.to_json(),
        }


class UsageError(PeelkitError):
    """A command or call given options that do not go together, or without one it needs."""

    code = "usage"


class UnknownForce(PeelkitError):
    code = "unknown_force"
    kind = "not_found"

    def __init__(self, name: str, suggestions: Sequence[str] = ()) -> None:
        self.name = name
        self.suggestions = list(suggestions)
        hint = f" (closest: {', '.join(self.suggestions)})" if self.suggestions else ""
        super().__init__(f"unknown force {name!r}{hint}")


class UnknownFramework(PeelkitError):
    code = "unknown_framework"
    kind = "not_found"

    def __init__(self, framework_id: str, known: Sequence[str]) -> None:
        self.framework_id = framework_id
        super().__init__(f"unknown framework {framework_id!r} (known: {', '.join(known)})")


class UnknownArea(PeelkitError):
    code = "unknown_area"
    kind = "not_found"

    def __init__(self, framework_id: str, name: str, suggestions: Sequence[str] = ()) -> None:
        self.framework_id = framework_id
        self.name = name
        hint = f" (closest: {', '.join(suggestions)})" if suggestions else ""
        super().__init__(f"unknown area {name!r} in framework {framework_id}{hint}")


class UnknownGrade(PeelkitError):
    code = "unknown_grade"

    def __init__(self, scale_id: str, value: str, allowed: Sequence[str]) -> None:
        self.scale_id = scale_id
        self.value = value
        super().__init__(
            f"unknown grade {value!r} on scale {scale_id} (expected one of: {', '.join(allowed)})"
        )


class GradesNotComparable(PeelkitError):
    code = "grades_not_comparable"

    def __init__(self, left_scale: str, right_scale: str) -> None:
        super().__init__(f"grades on scale {left_scale} and scale {right_scale} are not comparable")


def _file_location(file: str, where: str, explicit: dict[str, Part]) -> tuple[str, Location]:
    """The ``where`` to print and the location: explicit parts win over parsed ones."""
    given = {name: value for name, value in explicit.items() if value is not None}
    location = replace(parse_where(where), file=file, **given)
    if not where and given:
        where = location.where()
    return where, location


class FrameworkFileError(PeelkitError):
    """A framework or grade-scale data file that does not follow docs/frameworks.md."""

    code = "framework_file_invalid"

    def __init__(
        self,
        file: str,
        where: str,
        problem: str,
        *,
        line: int | None = None,
        field: str | None = None,
        code: str | None = None,
    ) -> None:
        where, location = _file_location(file, where, {"line": line, "field": field})
        self.file = file
        self.where = where
        self.problem = problem
        shown = f"{file}: {where}" if where else file
        super().__init__(f"{shown}: {problem}", code=code, location=location)


class DataFileError(PeelkitError):
    """A data file given by the user (CSV, JSON export) that cannot be read as expected.

    ``where`` is the place as the message prints it (``"line 3, column grade"``); the
    structured location is parsed from it (:func:`parse_where`) unless given as keywords, in
    which case an empty ``where`` is written from them.
    """

    code = "data_file_invalid"

    def __init__(
        self,
        file: str,
        where: str,
        problem: str,
        *,
        sheet: str | None = None,
        line: int | None = None,
        row: int | str | None = None,
        column: int | str | None = None,
        field: str | None = None,
        code: str | None = None,
    ) -> None:
        parts: dict[str, Part] = {
            "sheet": sheet,
            "line": line,
            "row": row,
            "column": column,
            "field": field,
        }
        where, location = _file_location(file, where, parts)
        self.file = file
        self.where = where
        self.problem = problem
        shown = f"{file}: {where}" if where else file
        super().__init__(f"{shown}: {problem}", code=code, location=location)


class InvalidRecord(PeelkitError):
    """An operation on the inspection record that breaks one of its rules."""

    code = "invalid_record"


class NotFound(PeelkitError):
    """A record that was asked for by id and does not exist."""

    code = "not_found"
    kind = "not_found"


class NotAuthenticated(PeelkitError):
    """A request that needs a signed-in account and has none (or a session that ended)."""

    code = "not_signed_in"
    kind = "unauthenticated"


class Forbidden(PeelkitError):
    """An actor asks for an action its role does not allow, or a write lacks its CSRF token."""

    code = "forbidden"
    kind = "forbidden"


class Throttled(PeelkitError):
    """Too many failed sign-ins for an account or from an address; ``retry_after`` seconds."""

    code = "too_many_attempts"
    kind = "throttled"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class StaleEdit(PeelkitError):
    """An edit made to a version of a row that someone else has changed since."""

    code = "edit_conflict"
    kind = "conflict"


class DatabaseError(PeelkitError):
    """The database cannot be reached or used.

    ``retry_after``: the seconds after which trying again may work (a server that is down, a
    lock held by another writer); None when waiting will not help. A web layer sends it as
    ``Retry-After``. The subclasses below name what is wrong; peelkit.record.database maps
    SQLite's and PostgreSQL's errors to them.
    """

    code = "database_unavailable"
    kind: Kind = "unavailable"
    retry_after: int | None = None

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        kind: Kind | None = None,
        location: Location | None = None,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(message, code=code, kind=kind, location=location)
        if retry_after is not None:
            self.retry_after = retry_after


class NotADatabase(DatabaseError):
    """The file given as the database is not a SQLite database (a text file, say)."""

    code = "database_not_a_database"


class DatabaseDamaged(DatabaseError):
    """A SQLite file that fails ``PRAGMA quick_check``, or tables that do not match the
    database's schema revision."""

    code = "database_damaged"


class DatabaseLocked(DatabaseError):
    """Another writer held the database locked for longer than the busy timeout."""

    code = "database_locked"
    retry_after = 5


class DatabaseReadOnly(DatabaseError):
    """A write to a database whose file, folder or server is read-only."""

    code = "database_read_only"


class DatabaseFull(DatabaseError):
    """A write to a database on a full disk."""

    code = "database_full"


class DatabaseTooNew(DatabaseError):
    """A database whose schema revision this peelkit does not know: a newer peelkit made it."""

    code = "database_newer_schema"


class ForeignDatabase(DatabaseError):
    """A database that holds tables but no peelkit schema revision."""

    code = "database_foreign"


class DatabaseRefusedChange(DatabaseError):
    """The database refused a change by one of its constraints (nothing was saved)."""

    code = "database_refused_change"
    kind = "conflict"


class DatabaseRefusedValue(DatabaseError):
    """The database refused a value it cannot store (nothing was saved)."""

    code = "database_refused_value"
    kind = "invalid"


# --- the place named by a ``where`` string -----------------------------------------------------

_QUOTED = r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\""
_SEGMENT = re.compile(
    rf"(?P<key>sheet|line|row|column|feature|property) (?P<value>{_QUOTED}|[^,]+)"
    r"|(?P<word>properties|geometry)"
)
_EVERY_SHEET = re.compile(
    r"(?:first (?P<rows>\d+) rows|cell (?P<column>[A-Z]+)(?P<row>\d+)) of every sheet"
)
_SHEETS = re.compile(r"sheets (?P<sheets>.+)")


def _unquote(value: str) -> str:
    if value[:1] in ("'", '"'):
        text = ast.literal_eval(value)
        assert isinstance(text, str)
        return text
    return value.strip()


def _number(value: str) -> int | str:
    return int(value) if value.isdigit() else value


def parse_where(where: str) -> Location:
    """The location (without the file) that a ``where`` string of a message names.

    Understands the forms peelkit's readers write: ``line 3``, ``line 3, column grade``,
    ``row 5``, ``row 1-12``, ``row 5, column C``, ``sheet 'Table P1', row 5, column C``,
    ``sheet Index, column B``, ``feature 3, property PFA16CD`` (GeoJSON), ``first 12 rows of
    every sheet``, ``cell A1 of every sheet``, ``sheets A, B``; anything else (``documents[0].id``,
    ``scales[1].grades``, ``type``) is a field path. An empty ``where`` is an empty location.
    """
    where = where.strip()
    if not where:
        return Location()
    if match := _EVERY_SHEET.fullmatch(where):
        if match["rows"]:
            return Location(row=f"1-{match['rows']}")
        return Location(row=int(match["row"]), column=match["column"])
    if match := _SHEETS.fullmatch(where):
        return Location(sheet=match["sheets"])
    parts: dict[str, Part] = {}
    path = ""
    position = 0
    while position < len(where):
        match = _SEGMENT.match(where, position)
        if match is None:
            return Location(field=where)
        key, value = match["key"], match["value"]
        if match["word"]:
            path += f".{match['word']}" if path else match["word"]
        elif key == "feature":
            if not value.isdigit():
                return Location(field=where)
            path += f"features[{value}]"
        elif key == "property":
            path += f"{'.' if path else ''}properties.{_unquote(value)}"
        elif key in parts:
            return Location(field=where)
        elif key == "sheet":
            parts["sheet"] = _unquote(value)
        elif key == "line":
            if not value.isdigit():
                return Location(field=where)
            parts["line"] = int(value)
        else:  # row or column
            parts[key] = _number(_unquote(value))
        position = match.end()
        if where.startswith(", ", position):
            position += 2
        elif position < len(where):
            return Location(field=where)
    if path:
        parts["field"] = path
    return Location(**parts)


# --- the catalogue ---------------------------------------------------------------------------


@cache
def catalogue() -> dict[str, Any]:
    """``errors.yaml``: ``errors`` (code -> kind, title, when, action) and ``problems``."""
    # Imported here, not at the top: every command imports this module, few read the file.
    from peelkit.yamlfiles import load_yaml

    text = (resources.files("peelkit") / "errors.yaml").read_text(encoding="utf-8")
    document: dict[str, Any] = load_yaml(text)
    return document
