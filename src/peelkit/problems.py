"""One shape for the problems peelkit finds in data it can still use.

A statistics reader's validation problem (:class:`peelkit.sources.model.Problem`) and a report
reader's import warning (:class:`peelkit.reportimport.model.ImportWarning`) are both a
:class:`Problem`: a stable ``code`` (listed in ``errors.yaml`` and ``docs/errors.md``), a
one-line ``message``, a ``severity`` and a structured :class:`~peelkit.errors.Location`. The two
subclasses keep the fields and constructors they always had and derive their location from them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from peelkit.errors import Location, PeelkitError

Severity = Literal["warning", "error"]
SEVERITIES: tuple[Severity, ...] = ("warning", "error")


@dataclass(frozen=True)
class Problem:
    """A problem found in data: a stable code, a message, a severity and where it is."""

    code: str
    message: str
    location: Location = field(default_factory=Location, kw_only=True)
    # "warning": what was read is kept and the problem is reported beside it (every problem a
    # reader finds today); "error": an error listed instead of raised (see from_error).
    severity: Severity = field(default="warning", kw_only=True)

    @staticmethod
    def from_error(error: PeelkitError) -> Problem:
        """An error as a problem of severity ``error``, for a list that goes on past it."""
        return Problem(error.code, error.message, location=error.location, severity="error")

    def __str__(self) -> str:
        """``file: sheet X, row 5: message``; just the message if it names the place itself."""
        where = self.location.describe()
        if not where or self.message.startswith(where):
            return self.message
        return f"{where}: {self.message}"

    def details(self) -> dict[str, Any]:
        """The fields of a subclass, as its documented JSON shows them (none here)."""
        return {}

    def to_json(self) -> dict[str, Any]:
        """``code``, ``message``, a subclass's own fields, ``severity`` and ``location``."""
        return {
            "code": self.code,
            "message": self.message,
            **self.details(),
            "severity": self.severity,
            "location": self.location.to_json(),
        }
