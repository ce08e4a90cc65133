"""What a command that changes or writes something did, as typed views: the database it set up
(``peel init``), the inspection it deleted, the files it wrote (``peel export``, ``peel report``)
and what it loaded (``peel load``). Shapes in docs/json-output.md."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class DatabaseView:
    """The database a command set up (its URL, password hidden)."""

    database: str


@dataclass(frozen=True)
class DeletedView:
    """An inspection deleted with all its items."""

    deleted: int  # the inspection's id


@dataclass(frozen=True)
class ExportView:
    """The record written to a file: how many documents, inspections and loaded groups."""

    file: str
    documents: int
    inspections: int
    most_similar_groups: int

    @classmethod
    def of(cls, file: Path, counts: Mapping[str, int]) -> ExportView:
        return cls(
            file=str(file),
            documents=counts["documents"],
            inspections=counts["inspections"],
            most_similar_groups=counts["most_similar_groups"],
        )


@dataclass(frozen=True)
class LoadView:
    """An export file loaded: how many of each kind of item (``counts``, kind -> number)."""

    file: str
    counts: Mapping[str, int]

    @classmethod
    def of(cls, file: Path, counts: Mapping[str, int]) -> LoadView:
        return cls(file=str(file), counts=dict(counts))


@dataclass(frozen=True)
class FilesView:
    """The files a command wrote, in the order written."""

    files: tuple[str, ...]

    @classmethod
    def of(cls, paths: Iterable[Path | str]) -> FilesView:
        return cls(files=tuple(str(p) for p in paths))
