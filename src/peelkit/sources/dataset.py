"""The embedded dataset: the observations peelkit ships, built from the raw official files.

``scripts/build_dataset.py`` runs every publication reader over ``../shared/data/raw`` and
writes ``src/peelkit/data/publications.csv``, ``problems.csv`` and ``observations.npz`` (the
figures as typed columns, :mod:`peelkit.sources.table`, made for loading: issue 14); a test
checks that the shipped files equal what the script builds. Choices between overlapping
sources are data, in ``sources/dataset.yaml``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from peelkit.domain.periods import Period
from peelkit.errors import DataFileError
from peelkit.outputs import replace_files
from peelkit.sources.cells import parser_failed, quiet_panics
from peelkit.sources.model import Observation, Problem, Publication, SourceData
from peelkit.sources.readers import SourceReader, all_source_readers
from peelkit.sources.table import ObservationTable
from peelkit.yamlfiles import load_yaml

PUBLICATION_FIELDS = (
    "sha256",
    "id",
    "publisher",
    "title",
    "release",
    "release_date",
    "licence",
    "filename",
)
PROBLEM_FIELDS = ("code", "message", "file", "sheet", "row", "column")
OBSERVATIONS_FILE = "observations.npz"


class Dataset:
    """Publications, their figures and the problems found in them.

    The figures are held as a list of :class:`Observation` or as an :class:`ObservationTable`
    (columns, as the embedded dataset is stored); each form is made from the other when first
    asked for, so loading the embedded dataset makes no objects until something wants them.
    """

    def __init__(
        self,
        publications: list[Publication],
        observations: list[Observation] | None = None,
        problems: list[Problem] | None = None,
        *,
        table: ObservationTable | None = None,
    ) -> None:
        self.publications = publications
        self.problems = problems if problems is not None else []
        self._observations = observations
        self._table = table
        if observations is None and table is None:
            self._observations = []

    @property
    def observations(self) -> list[Observation]:
        if self._observations is None:
            assert self._table is not None
            self._observations = self._table.observations()
        return self._observations

    @property
    def table(self) -> ObservationTable:
        if self._table is None:
            self._table = ObservationTable.of(self.observations)
        return self._table

    def __len__(self) -> int:
        return len(self._table) if self._table is not None else len(self.observations)


def policy() -> dict[str, Any]:
    text = (resources.files("peelkit.sources") / "dataset.yaml").read_text(encoding="utf-8")
    document: dict[str, Any] = load_yaml(text)
    return document


def identify(path: Path) -> SourceReader | None:
    """The reader of the publication this file is, or None."""
    with path.open("rb") as handle:
        head = handle.read(65536)
    for reader in all_source_readers():
        try:
            with quiet_panics():
                recognised = reader.recognise(path, head)
        except BaseException as error:  # a cheap guess on arbitrary bytes: failing is a "no"
            if not parser_failed(error):  # (a python-calamine panic is a failure to guess)
                raise
            recognised = False
        if recognised:
            return reader
    return None


def read_file(path: Path) -> SourceData:
    """Identify and read one file; one-line errors for a missing, empty or unknown file."""
    try:
        reader = identify(path)
    except OSError as exc:
        raise DataFileError(
            str(path), "", f"cannot be read ({exc.strerror})", code="file_unreadable"
        ) from None
    if reader is None:
        known = "; ".join(r.title for r in all_source_readers())
        raise DataFileError(
            path.name,
            "",
            f"not a publication peelkit knows (it reads: {known})",
            code="unknown_publication",
        )
    try:
        with quiet_panics():
            return reader.read(path)
    except DataFileError:
        raise
    except BaseException as exc:
        # Third-party parsers (calamine, csv) fail in their own ways on a damaged file, a
        # python-calamine panic among them (a BaseException): say which file and what kind
        # of failure, in one line.
        if not parser_failed(exc):
            raise
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DataFileError(
            path.name, "", f"is not a readable {reader.title} file ({detail})"
        ) from None


def build(raw: Path) -> Dataset:
    """Read every known publication under ``raw`` and choose one figure per measure, force and
    period, by the precedence in ``dataset.yaml``."""
    rules = policy()
    excluded = [raw / folder for folder in rules["exclude"]]
    readings: list[SourceData] = []
    for path in sorted(p for p in raw.rglob("*") if p.is_file()):
        if any(path.is_relative_to(folder) for folder in excluded):
            continue
        reader = identify(path)
        if reader is not None:
            readings.append(reader.read(path))
    return choose(readings, rules["precedence"])


def choose(readings: Iterable[SourceData], precedence: list[str]) -> Dataset:
    rank = {publication_id: i for i, publication_id in enumerate(precedence)}

    def order(reading: SourceData) -> tuple[int, str, str]:
        publication = reading.publication
        released = publication.release_date.isoformat() if publication.release_date else ""
        # Earlier in precedence first; within a publication, the latest release first.
        return (
            rank.get(publication.id, len(rank)),
            _descending(released),
            _descending(publication.filename),
        )

    chosen: dict[tuple[str, str, Period], Observation] = {}
    origin: dict[tuple[str, str, Period], Publication] = {}
    problems: list[Problem] = []
    publications: dict[str, Publication] = {}
    for reading in sorted(readings, key=order):
        publications[reading.publication.sha256] = reading.publication
        problems.extend(reading.problems)
        for observation in reading.observations:
            key = (observation.measure, observation.force, observation.period)
            kept = chosen.get(key)
            if kept is None:
                chosen[key] = observation
                origin[key] = reading.publication
                continue
            first = origin[key]
            if first.id == reading.publication.id and kept.value != observation.value:
                problems.append(
                    Problem(
                        code="revised_between_releases",
                        message=(
                            f"{observation.measure} for {observation.force}, "
                            f"{observation.period.label()}: {observation.value:g} in this "
                            f"release, {kept.value:g} in {first.filename} (kept)"
                        ),
                        file=reading.publication.filename,
                        sheet=observation.cell.sheet,
                        row=observation.cell.row,
                        column=observation.cell.column,
                    )
                )
    used = {o.publication for o in chosen.values()}
    return Dataset(
        publications=sorted(
            (p for p in publications.values() if p.sha256 in used), key=lambda p: (p.id, p.filename)
        ),
        observations=sorted(chosen.values(), key=lambda o: (o.measure, o.force, o.period.key)),
        problems=problems,
    )


def _descending(text: str) -> str:
    return "".join(chr(0x10FFFF - ord(ch)) for ch in text)


def write(dataset: Dataset, folder: Path) -> None:
    """Write the dataset as three files (publications and problems as CSV, the figures as
    columns), byte-identical for the same content; each is made
    in memory and written whole (:func:`peelkit.outputs.replace_files`), so a failure leaves
    the earlier dataset as it was."""
    publications = io.StringIO()
    writer = csv.writer(publications, lineterminator="\n")
    writer.writerow(PUBLICATION_FIELDS)
    for p in dataset.publications:
        writer.writerow(
            [
                p.sha256,
                p.id,
                p.publisher,
                p.title,
                p.release,
                p.release_date.isoformat() if p.release_date else "",
                p.licence,
                p.filename,
            ]
        )
    problems = io.StringIO()
    writer = csv.writer(problems, lineterminator="\n")
    writer.writerow(PROBLEM_FIELDS)
    for problem in dataset.problems:
        writer.writerow(
            [
                problem.code,
                problem.message,
                problem.file,
                problem.sheet or "",
                "" if problem.row is None else problem.row,
                problem.column or "",
            ]
        )
    replace_files(
        {
            folder / "publications.csv": publications.getvalue(),
            folder / "problems.csv": problems.getvalue(),
            folder / OBSERVATIONS_FILE: dataset.table.to_bytes(),
        }
    )


def read(folder: Path) -> Dataset:
    with (folder / "publications.csv").open(encoding="utf-8", newline="") as handle:
        publications = [
            Publication(
                id=row["id"],
                publisher=row["publisher"],
                title=row["title"],
                release=row["release"],
                release_date=(
                    dt.date.fromisoformat(row["release_date"]) if row["release_date"] else None
                ),
                licence=row["licence"],
                filename=row["filename"],
                sha256=row["sha256"],
            )
            for row in csv.DictReader(handle)
        ]
    with (folder / "problems.csv").open(encoding="utf-8", newline="") as handle:
        problems = [
            Problem(
                code=row["code"],
                message=row["message"],
                file=row["file"],
                sheet=row["sheet"] or None,
                row=int(row["row"]) if row["row"] else None,
                column=row["column"] or None,
            )
            for row in csv.DictReader(handle)
        ]
    table = ObservationTable.read(folder / OBSERVATIONS_FILE)
    return Dataset(publications=publications, problems=problems, table=table)


# The ONS police force area boundaries (December 2016, ultra-generalised), shipped byte for byte
# so maps need nothing beside the package.
BOUNDARIES_SOURCE = "pfa-boundaries-2016-popm/Police_Force_Areas_December_2016_UGC.geojson"
BOUNDARIES_FILE = "Police_Force_Areas_December_2016_UGC.geojson"


def shipped_boundaries() -> Path:
    return shipped_folder() / BOUNDARIES_FILE


def shipped_folder() -> Path:
    return Path(str(resources.files("peelkit.data")))


@cache
def embedded() -> Dataset:
    """The dataset shipped in the package."""
    return read(shipped_folder())
