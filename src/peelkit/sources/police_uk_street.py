"""data.police.uk street-level crime CSV files: the number of rows per force and month.

Each row is one crime (or anti-social behaviour incident) with the month and the force whose
area it falls within. The accepted headers and the columns used are declared in
``layouts/police-uk-street.yaml``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections import Counter
from pathlib import Path
from typing import Any

from peelkit.domain.periods import Period
from peelkit.errors import DataFileError, UnknownForce
from peelkit.reference import resolve_force
from peelkit.sources.csv_text import csv_text
from peelkit.sources.model import Cell, Observation, Problem, Publication, SourceData
from peelkit.sources.readers import SourceReader, layout

PUBLICATION_ID = "police-uk-street"

_MONTH = re.compile(r"(\d{4})-(\d{2})")


def recognise(path: Path, head: bytes) -> bool:
    """A CSV whose first line is one of the declared street-level headers."""
    first_line = head.split(b"\n", 1)[0].decode("utf-8-sig", errors="replace").strip()
    try:
        cells = next(csv.reader([first_line]), [])
    except csv.Error:  # binary or otherwise not a CSV line
        return False
    return [c.strip() for c in cells] in layout(PUBLICATION_ID)["headers"]


def read(path: Path) -> SourceData:
    spec = layout(PUBLICATION_ID)
    name = path.name
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise DataFileError(name, "", f"not a readable UTF-8 CSV file ({error})") from None
    text = csv_text(raw, name)
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [cell.strip() for cell in next(reader, [])]
    positions = _positions(name, header, spec)
    width = len(header)
    i_month, i_force, i_type = positions["month"], positions["force"], positions["crime_type"]
    excluded = frozenset(spec["excluded_crime_types"])
    counts: Counter[tuple[str, str]] = Counter()
    first: dict[tuple[str, str], int] = {}
    problems: list[Problem] = []
    for number, row in enumerate(reader, 2):
        if len(row) != width:
            if row:  # a blank line is no row
                problems.append(
                    Problem(
                        "wrong_field_count",
                        f"expected {width} fields, found {len(row)}",
                        name,
                        None,
                        number,
                    )
                )
            continue
        if row[i_type] in excluded:
            continue
        key = (row[i_force], row[i_month])
        if key not in first:
            first[key] = number
        counts[key] += 1
    publication = _publication(spec, name, raw, counts)
    data = SourceData(publication, problems=problems)
    month_column = header[i_month]
    force_column = header[i_force]
    forces: dict[str, str | None] = {}
    for (force_label, month_label), count in counts.items():
        row_number = first[force_label, month_label]
        force_id = forces.get(force_label, "")
        if force_id == "":
            force_id = forces[force_label] = _force(data, force_label, row_number, force_column)
        period = _month(month_label)
        if period is None:
            data.problems.append(
                Problem(
                    "not_a_month",
                    f"expected a month YYYY-MM, found {month_label!r} ({count} rows)",
                    name,
                    None,
                    row_number,
                    month_column,
                )
            )
            continue
        if force_id is None:
            continue
        data.observations.append(
            Observation(
                spec["measure"],
                force_id,
                period,
                float(count),
                publication.sha256,
                Cell(None, row_number, month_column),
            )
        )
    return data


READER = SourceReader(
    id=PUBLICATION_ID,
    title="Street-level crime (data.police.uk)",
    publisher="data.police.uk",
    recognise=recognise,
    read=read,
)


def _positions(file: str, header: list[str], spec: dict[str, Any]) -> dict[str, int]:
    """The index of each declared field, by the header the file has; drift fails here."""
    headers: list[list[str]] = spec["headers"]
    published = headers[0]
    if header not in headers:
        # Name the first column that differs from the closest declared header.
        closest = max(headers, key=lambda h: sum(a == b for a, b in zip(h, header, strict=False)))
        for j, expected in enumerate(closest):
            found = header[j] if j < len(header) else ""
            if found != expected:
                raise DataFileError(
                    file,
                    f"row 1, column {j + 1}",
                    f"expected column {expected!r}, found {found!r} (a police.uk street-level "
                    "header)",
                )
        raise DataFileError(
            file,
            f"row 1, column {len(closest) + 1}",
            f"expected {len(closest)} columns, found {len(header)}",
        )
    return {field: published.index(column) for field, column in spec["fields"].items()}


def _force(data: SourceData, label: str, row: int, column: str) -> str | None:
    try:
        return resolve_force(label).id
    except UnknownForce as error:
        data.problems.append(
            Problem("unknown_force", str(error), data.publication.filename, None, row, column)
        )
        return None


def _month(text: str) -> Period | None:
    match = _MONTH.fullmatch(text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        return None
    return Period.month(int(match.group(1)), int(match.group(2)))


def _publication(
    spec: dict[str, Any], name: str, raw: bytes, counts: Counter[tuple[str, str]]
) -> Publication:
    """The release is the month(s) and force(s) the file covers, as police.uk names downloads."""
    months = sorted({month for _, month in counts})
    forces = sorted({force for force, _ in counts})
    span = months[0] if len(months) == 1 else f"{months[0]} to {months[-1]}" if months else ""
    return Publication(
        id=PUBLICATION_ID,
        publisher=spec["publisher"],
        title=spec["title"],
        release=f"{span} {', '.join(forces)}".strip(),
        release_date=None,
        licence=spec["licence"],
        filename=name,
        sha256=hashlib.sha256(raw).hexdigest(),
    )
