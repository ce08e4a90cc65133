"""The errors peelkit raises for things a user can fix.

Every error here is a :class:`PeelkitError`. Its message is one line that names what was wrong
and where (file, field, row, force, ...), so the CLI can print it as it is and exit with code 2.
Programming errors are not PeelkitErrors and keep their tracebacks.
"""

from __future__ import annotations

from collections.abc import Sequence


class PeelkitError(Exception):
    """A problem with the user's input, files or database, described in one line."""


class UnknownForce(PeelkitError):
    def __init__(self, name: str, suggestions: Sequence[str] = ()) -> None:
        self.name = name
        self.suggestions = list(suggestions)
        hint = f" (closest: {', '.join(self.suggestions)})" if self.suggestions else ""
        super().__init__(f"unknown force {name!r}{hint}")


class UnknownFramework(PeelkitError):
    def __init__(self, framework_id: str, known: Sequence[str]) -> None:
        self.framework_id = framework_id
        super().__init__(f"unknown framework {framework_id!r} (known: {', '.join(known)})")


class UnknownArea(PeelkitError):
    def __init__(self, framework_id: str, name: str, suggestions: Sequence[str] = ()) -> None:
        self.framework_id = framework_id
        self.name = name
        hint = f" (closest: {', '.join(suggestions)})" if suggestions else ""
        super().__init__(f"unknown area {name!r} in framework {framework_id}{hint}")


class UnknownGrade(PeelkitError):
    def __init__(self, scale_id: str, value: str, allowed: Sequence[str]) -> None:
        self.scale_id = scale_id
        self.value = value
        super().__init__(
            f"unknown grade {value!r} on scale {scale_id} (expected one of: {', '.join(allowed)})"
        )


class GradesNotComparable(PeelkitError):
    def __init__(self, left_scale: str, right_scale: str) -> None:
        super().__init__(f"grades on scale {left_scale} and scale {right_scale} are not comparable")


class FrameworkFileError(PeelkitError):
    """A framework or grade-scale data file that does not follow docs/frameworks.md."""

    def __init__(self, file: str, where: str, problem: str) -> None:
        self.file = file
        self.where = where
        self.problem = problem
        location = f"{file}: {where}" if where else file
        super().__init__(f"{location}: {problem}")


class DataFileError(PeelkitError):
    """A data file given by the user (CSV, JSON export) that cannot be read as expected."""

    def __init__(self, file: str, where: str, problem: str) -> None:
        self.file = file
        self.where = where
        self.problem = problem
        location = f"{file}: {where}" if where else file
        super().__init__(f"{location}: {problem}")


class InvalidRecord(PeelkitError):
    """An operation on the inspection record that breaks one of its rules."""


class NotFound(PeelkitError):
    """A record that was asked for by id and does not exist."""


class DatabaseError(PeelkitError):
    """The database cannot be reached or used."""
