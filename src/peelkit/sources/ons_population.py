"""ONS population (mid-year estimates) and households by police force area, from a CSV with codes.

The columns, the measure and period of each figure column, and the rows to skip are declared
in ``layouts/ons-population.yaml``.
"""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path
from typing import Any

from peelkit.domain.periods import Period
from peelkit.errors import DataFileError, UnknownForce
from peelkit.reference import resolve_force, territorial_forces
from peelkit.sources.csv_text import csv_text
from peelkit.sources.figures import figure_problem
from peelkit.sources.measures import measure
from peelkit.sources.model import Cell, Observation, Problem, Publication, SourceData
from peelkit.sources.readers import SourceReader, layout

PUBLICATION_ID = "ons-population"


def _layout() -> dict[str, Any]:
    return layout(PUBLICATION_ID)


def _header() -> list[str]:
    spec = _layout()
    return [spec["code_column"], spec["name_column"], *spec["value_columns"]]


def recognise(path: Path, head: bytes) -> bool:
    first_line = head.split(b"\n", 1)[0].strip().lstrip(b"\xef\xbb\xbf")
    return [part.strip() for part in first_line.decode("utf-8", "replace").split(",")] == _header()


def _letter(index: int) -> str:
    return chr(65 + index)  # the file has a handful of columns


def read(path: Path) -> SourceData:
    spec = _layout()
    data = path.read_bytes()
    name = path.name
    digest = hashlib.sha256(data).hexdigest()
    rows = list(csv.reader(io.StringIO(csv_text(data, name))))
    expected = _header()
    header = [cell.strip() for cell in rows[0]] if rows else []
    for index, wanted in enumerate(expected):
        found = header[index] if index < len(header) else ""
        if found != wanted:
            raise DataFileError(
                name,
                f"row 1, column {_letter(index)}",
                f"expected the column {wanted!r}, found {found!r}",
            )
    if len(header) > len(expected):
        raise DataFileError(
            name,
            f"row 1, column {_letter(len(expected))}",
            f"expected {len(expected)} columns, found an extra column {header[len(expected)]!r}",
        )
    value_columns = [
        (index + 2, column, spec["value_columns"][column])
        for index, column in enumerate(list(spec["value_columns"]))
    ]
    periods = {column: Period.from_key(info["period"]) for _, column, info in value_columns}
    aggregates = tuple(spec["aggregate_code_prefixes"])
    skip_names = set(spec["skip_names"])

    observations: list[Observation] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for row_number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(expected):
            raise DataFileError(
                name, f"row {row_number}", f"expected {len(expected)} fields, found {len(row)}"
            )
        code, area = row[0].strip(), row[1].strip()
        if not code:
            if area not in skip_names:
                problems.append(
                    Problem(
                        "unknown_force",
                        f"{area!r} has no area code",
                        name,
                        None,
                        row_number,
                        "code",
                    )
                )
            continue
        if code.startswith(aggregates):
            continue
        try:
            force = resolve_force(code)
        except UnknownForce:
            problems.append(
                Problem(
                    "unknown_force",
                    f"area code {code!r} ({area}) is not a known police force area",
                    name,
                    None,
                    row_number,
                    "code",
                )
            )
            continue
        try:
            named = resolve_force(area).id
        except UnknownForce:
            named = None
        if named != force.id:
            problems.append(
                Problem(
                    "name_code_mismatch",
                    f"{area!r} does not name the force of area code {code} ({force.name})",
                    name,
                    None,
                    row_number,
                    "name",
                )
            )
        if force.id in seen:
            problems.append(
                Problem(
                    "duplicate_force",
                    f"{force.name} appears twice (first on row {seen[force.id]}); first kept",
                    name,
                    None,
                    row_number,
                    "code",
                )
            )
            continue
        seen[force.id] = row_number
        for index, column, info in value_columns:
            text = row[index].strip().replace(",", "")
            if not text:
                continue
            try:
                value = float(text)
            except ValueError:
                problems.append(
                    Problem(
                        "not_a_number",
                        f"{row[index]!r} is not a number",
                        name,
                        None,
                        row_number,
                        column,
                    )
                )
                continue
            wrong = figure_problem(value, row[index].strip(), measure(info["measure"]).unit)
            if wrong is not None:
                problems.append(Problem(*wrong, name, None, row_number, column))
                continue
            if value < 0:
                problems.append(
                    Problem(
                        "negative_count",
                        f"{value:g} is negative (kept as published)",
                        name,
                        None,
                        row_number,
                        column,
                    )
                )
            observations.append(
                Observation(
                    info["measure"],
                    force.id,
                    periods[column],
                    value,
                    digest,
                    Cell(None, row_number, column),
                )
            )
    for force in territorial_forces():
        if force.id not in seen:
            problems.append(
                Problem("missing_force", f"no row for {force.name} ({force.ons_code})", name)
            )

    publication = Publication(
        id=PUBLICATION_ID,
        publisher=spec["publication"]["publisher"],
        title=spec["publication"]["title"],
        release=spec["publication"]["release"],
        release_date=None,
        licence=spec["publication"]["licence"],
        filename=name,
        sha256=digest,
    )
    return SourceData(publication, observations, problems)


READER = SourceReader(
    id=PUBLICATION_ID,
    title="ONS population (mid-year estimates) and households by police force area",
    publisher="Office for National Statistics",
    recognise=recognise,
    read=read,
)
