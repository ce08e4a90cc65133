"""Official statistics a user imports (``peel data import``), kept in the database.

An imported release is stored whole (publication, observations, problems) in one transaction;
importing the same file again changes nothing. Its figures are used beside the embedded
dataset, and win where both give the same measure, force and period (a newer release).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from peelkit.domain.periods import Period
from peelkit.errors import DataFileError
from peelkit.record.schema import DataProblemRow, ObservationRow, PublicationRow
from peelkit.sources.dataset import Dataset
from peelkit.sources.model import Cell, Observation, Problem, Publication, SourceData


@dataclass
class StoredSource:
    publication: Publication
    observations: int
    problems: int
    already_imported: bool


def store_source(session: Session, data: SourceData) -> StoredSource:
    """Store a release whole; a release already stored changes nothing; one that gives no
    figure at all (a header and no rows, every row unreadable) is refused, not stored empty."""
    publication = data.publication
    if session.get(PublicationRow, publication.sha256) is not None:
        return StoredSource(publication, len(data.observations), len(data.problems), True)
    if not data.observations:
        first = f"; the first: {data.problems[0]}" if data.problems else ""
        raise DataFileError(
            publication.filename,
            "",
            f"no figures read ({len(data.problems)} problem(s){first}): the file holds no "
            "figure of any force",
            code="no_figures",
        )
    session.add(
        PublicationRow(
            sha256=publication.sha256,
            publication_id=publication.id,
            publisher=publication.publisher,
            title=publication.title,
            release=publication.release,
            release_date=publication.release_date,
            licence=publication.licence,
            filename=publication.filename,
        )
    )
    session.flush()
    seen: set[tuple[str, str, str]] = set()
    rows = []
    for o in data.observations:
        key = (o.measure, o.force, o.period.key)
        if key in seen:
            continue  # a reader's duplicate (a figure printed twice): the first cell is kept
        seen.add(key)
        rows.append(
            {
                "publication": publication.sha256,
                "measure": o.measure,
                "force_id": o.force,
                "period": o.period.key,
                "value": o.value,
                "sheet": o.cell.sheet,
                "row": o.cell.row,
                "column": o.cell.column,
            }
        )
    if rows:
        session.execute(insert(ObservationRow), rows)
    for problem in data.problems:
        session.add(
            DataProblemRow(
                publication=publication.sha256,
                code=problem.code,
                message=problem.message,
                file=problem.file,
                sheet=problem.sheet,
                row=problem.row,
                column=problem.column,
            )
        )
    return StoredSource(publication, len(rows), len(data.problems), False)


def _publication(row: PublicationRow) -> Publication:
    return Publication(
        id=row.publication_id,
        publisher=row.publisher,
        title=row.title,
        release=row.release,
        release_date=row.release_date,
        licence=row.licence,
        filename=row.filename,
        sha256=row.sha256,
    )


def imported(session: Session) -> Dataset:
    """Every imported publication with its observations and problems."""
    publications = [
        _publication(r)
        for r in session.scalars(
            select(PublicationRow).order_by(PublicationRow.publication_id, PublicationRow.filename)
        )
    ]
    periods: dict[str, Period] = {}
    observations = []
    for row in session.scalars(select(ObservationRow).order_by(ObservationRow.id)):
        period = periods.get(row.period) or periods.setdefault(
            row.period, Period.from_key(row.period)
        )
        observations.append(
            Observation(
                row.measure,
                row.force_id,
                period,
                row.value,
                row.publication,
                Cell(row.sheet, row.row, row.column),
            )
        )
    problems = [
        Problem(r.code, r.message, r.file, r.sheet, r.row, r.column)
        for r in session.scalars(select(DataProblemRow).order_by(DataProblemRow.id))
    ]
    return Dataset(publications, observations, problems)


def remove_source(session: Session, sha256: str) -> bool:
    found = session.get(PublicationRow, sha256)
    if found is None:
        return False
    session.execute(delete(ObservationRow).where(ObservationRow.publication == sha256))
    session.execute(delete(DataProblemRow).where(DataProblemRow.publication == sha256))
    session.delete(found)
    return True


def combined(embedded: Dataset, user: Dataset) -> Dataset:
    """The embedded dataset with the user's imported figures laid over it."""
    if not user.observations:
        return embedded
    keys = {(o.measure, o.force, o.period) for o in user.observations}
    kept = [o for o in embedded.observations if (o.measure, o.force, o.period) not in keys]
    return Dataset(
        publications=[*embedded.publications, *user.publications],
        observations=kept + user.observations,
        problems=[*embedded.problems, *user.problems],
    )


def publication_keys(session: Session) -> list[str]:
    """The checksums of the imported publications (cheap: tells whether anything changed)."""
    return list(session.scalars(select(PublicationRow.sha256).order_by(PublicationRow.sha256)))
