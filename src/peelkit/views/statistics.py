"""The official statistics as typed views: the publications loaded (``peel data sources``), the
validation problems found in them (``peel data problems``) and what an import stored (``peel
data import``). Shapes in docs/json-output.md."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from peelkit.errors import Location
from peelkit.sources.model import Problem
from peelkit.sources.store import StoredSource


@dataclass(frozen=True)
class PublicationView:
    """One release of a publication, its provenance and what it covers."""

    id: str
    publisher: str
    title: str
    release: str
    release_date: str | None
    licence: str
    file: str
    sha256: str
    observations: int  # how many figures
    measures: tuple[str, ...]
    forces: int  # how many forces
    first_period: str | None
    last_period: str | None

    @classmethod
    def of(cls, described: Mapping[str, Any]) -> PublicationView:
        """From an entry of :func:`peelkit.sources.coverage.describe_dataset`."""
        return cls(**{**described, "measures": tuple(described["measures"])})


@dataclass(frozen=True)
class SourcesView:
    """The embedded dataset's publications and those imported into the database."""

    embedded: tuple[PublicationView, ...]
    imported: tuple[PublicationView, ...]

    @classmethod
    def of(
        cls, embedded: Iterable[Mapping[str, Any]], imported: Iterable[Mapping[str, Any]]
    ) -> SourcesView:
        return cls(
            embedded=tuple(PublicationView.of(p) for p in embedded),
            imported=tuple(PublicationView.of(p) for p in imported),
        )


@dataclass(frozen=True)
class StatisticsProblemView:
    """A validation problem: a stable code, a message, where it is and how serious."""

    code: str
    message: str
    file: str
    sheet: str | None
    row: int | None
    column: str | None
    severity: str
    location: Location

    @classmethod
    def of(cls, value: Problem) -> StatisticsProblemView:
        return cls(
            code=value.code,
            message=value.message,
            file=value.file,
            sheet=value.sheet,
            row=value.row,
            column=value.column,
            severity=value.severity,
            location=value.location,
        )

    @property
    def where(self) -> str:
        """``file, sheet, row, column`` (those known), as ``peel data problems`` prints them."""
        parts = (self.file, self.sheet, self.row, self.column)
        return ", ".join(str(p) for p in parts if p not in (None, ""))


@dataclass(frozen=True)
class StatisticsImportView:
    """What ``peel data import`` did with one file."""

    file: str
    publication: str
    release: str
    sha256: str
    observations: int
    problems: int
    already_imported: bool

    @classmethod
    def of(cls, stored: StoredSource) -> StatisticsImportView:
        return cls(
            file=stored.publication.filename,
            publication=stored.publication.id,
            release=stored.publication.release,
            sha256=stored.publication.sha256,
            observations=stored.observations,
            problems=stored.problems,
            already_imported=stored.already_imported,
        )
