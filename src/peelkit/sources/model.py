"""Tidy observations from official statistics, with the provenance of every figure."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from peelkit.domain.periods import Period
from peelkit.errors import Location
from peelkit.problems import Problem as BaseProblem


@dataclass(frozen=True)
class Publication:
    """One release of one publication: who published it, when, and the file's checksum."""

    id: str  # e.g. "ons-recorded-crime-pfa", "ons-pfa-data-tables", "home-office-workforce"
    publisher: str  # "Office for National Statistics", "Home Office", "data.police.uk"
    title: str
    release: str  # as the publisher names it, e.g. "year ending September 2018 (corrected)"
    release_date: dt.date | None
    licence: str  # "Open Government Licence v3.0"
    filename: str
    sha256: str


@dataclass(frozen=True)
class Cell:
    """Where a figure was read: sheet (None for CSV), 1-based row, and column name or letter."""

    sheet: str | None
    row: int
    column: str


@dataclass(frozen=True)
class Observation:
    """One figure: a measure for one force and period, as the publication gives it.

    ``measure`` is a measure id from ``sources/measures.yaml`` (counts, populations, FTE), not
    an indicator: indicators are computed from observations.
    """

    measure: str
    force: str  # force id (peelkit.reference); aggregates are computed, not read
    period: Period
    value: float
    publication: str  # Publication.sha256 of the file it came from
    cell: Cell


@dataclass(frozen=True)
class Problem(BaseProblem):
    """A validation problem with its coordinates: a stable code plus file, sheet, row, column.

    The shared :class:`peelkit.problems.Problem`; ``location`` is made from file, sheet, row and
    column. Codes are listed in ``errors.yaml`` (``problems.statistics``).
    """

    # code: e.g. not_a_number, negative_count, unknown_force, missing_force, total_mismatch,
    # revised_between_releases
    file: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    location: Location = field(init=False, default_factory=Location)

    def __post_init__(self) -> None:
        location = Location(file=self.file, sheet=self.sheet, row=self.row, column=self.column)
        object.__setattr__(self, "location", location)

    def details(self) -> dict[str, Any]:
        return {"file": self.file, "sheet": self.sheet, "row": self.row, "column": self.column}

    def __str__(self) -> str:
        where = ", ".join(
            part
            for part in (
                self.file,
                f"sheet {self.sheet}" if self.sheet else "",
                f"row {self.row}" if self.row is not None else "",
                f"column {self.column}" if self.column else "",
            )
            if part
        )
        return f"{where}: {self.message}"


@dataclass
class SourceData:
    """What a reader made of one file."""

    publication: Publication
    observations: list[Observation] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # data problems (file still usable)
