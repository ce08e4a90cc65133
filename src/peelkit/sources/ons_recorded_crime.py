"""ONS "Recorded crime data at Police Force Area level": rolling-year counts by offence.

The layout (columns, offence labels and the measures they map to, the fraud bodies to skip) is
declared in ``layouts/ons-recorded-crime-pfa.yaml``.
"""

from __future__ import annotations

import calendar
import csv
import hashlib
import io
from pathlib import Path
from typing import Any

from peelkit.domain.periods import Period
from peelkit.errors import DataFileError, UnknownForce
from peelkit.reference import resolve_force, territorial_forces
from peelkit.sources.cells import column_letter as _letter
from peelkit.sources.csv_text import csv_text
from peelkit.sources.figures import figure_problem
from peelkit.sources.model import Cell, Observation, Problem, Publication, SourceData
from peelkit.sources.readers import SourceReader, layout

PUBLICATION_ID = "ons-recorded-crime-pfa"


def _layout() -> dict[str, Any]:
    return layout(PUBLICATION_ID)


def _header() -> list[str]:
    return list(_layout()["columns"].values())


def recognise(path: Path, head: bytes) -> bool:
    first_line = head.split(b"\n", 1)[0].strip().lstrip(b"\xef\xbb\xbf")
    return first_line.decode("utf-8", "replace") == ",".join(_header())


def _period(text: str) -> Period | None:
    """``31-03-2018`` -> the 12 months ending March 2018 (None if not a DD-MM-YYYY date)."""
    parts = text.strip().split("-")
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        day, month, year = (int(p) for p in parts)
        if 1 <= month <= 12 and 1 <= day <= 31 and year > 1900:
            return Period.year_ending(year, month)
    return None


def read(path: Path) -> SourceData:
    spec = _layout()
    data = path.read_bytes()
    name = path.name
    columns: dict[str, str] = spec["columns"]
    offences: dict[str, str] = spec["offences"]
    skip_forces = set(spec["skip_forces"])

    reader = csv.reader(io.StringIO(csv_text(data, name), newline=""))
    header = next(reader, None)
    expected = list(columns.values())
    if header is None:
        raise DataFileError(
            name, "row 1", f"expected the header {','.join(expected)}; the file is empty"
        )
    for index, wanted in enumerate(expected):
        found = header[index].strip() if index < len(header) else ""
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
    count_column = columns["count"]

    problems: list[Problem] = []
    periods: dict[str, Period] = {}
    forces: dict[str, str | None] = {}
    unknown_offences: set[str] = set()
    unknown_forces: set[str] = set()
    # (force, date as written, measure) -> [value, row of the cell, abs value of that cell]
    totals: dict[tuple[str, str, str], list[float]] = {}

    for row_number, row in enumerate(reader, start=2):
        if len(row) != len(expected):
            if not any(cell.strip() for cell in row):
                continue
            raise DataFileError(
                name, f"row {row_number}", f"expected {len(expected)} fields, found {len(row)}"
            )
        date_text, force_name, _region, offence, count_text = row
        period = periods.get(date_text)
        if period is None:  # the first row of this date: parse and check it once
            period = _period(date_text)
            if period is None:
                raise DataFileError(
                    name,
                    f"row {row_number}, column {columns['period']}",
                    f"expected a date DD-MM-YYYY, found {date_text!r}",
                )
            periods[date_text] = period
            if int(date_text.split("-")[0]) != period.end.day:
                problems.append(
                    Problem(
                        "irregular_date",
                        f"{date_text!r} is not the last day of its month; read as the 12 months "
                        f"to {period.end.day} {calendar.month_name[period.end.month]} "
                        f"{period.end.year}",
                        name,
                        None,
                        row_number,
                        columns["period"],
                    )
                )
        if force_name in skip_forces:
            continue
        force_id = _force(force_name, forces)
        if force_id is None:
            if force_name not in unknown_forces:
                unknown_forces.add(force_name)
                problems.append(
                    Problem(
                        "unknown_force",
                        f"{force_name!r} is not a known police force",
                        name,
                        None,
                        row_number,
                        columns["force"],
                    )
                )
            continue
        measure = offences.get(offence)
        if measure is None:
            if offence not in unknown_offences:
                unknown_offences.add(offence)
                problems.append(
                    Problem(
                        "unknown_offence",
                        f"offence {offence!r} is not declared in the layout",
                        name,
                        None,
                        row_number,
                        columns["offence"],
                    )
                )
            continue
        text = count_text.strip()
        if not text:
            continue
        try:
            value = float(int(text.replace(",", "")))
        except (ValueError, OverflowError):  # not a whole number, or none a float holds
            problems.append(
                Problem(
                    "not_a_number",
                    f"{text!r} is not a count",
                    name,
                    None,
                    row_number,
                    count_column,
                )
            )
            continue
        wrong = figure_problem(value, text, "count")
        if wrong is not None:
            problems.append(Problem(*wrong, name, None, row_number, count_column))
            continue
        if value < 0:
            # Kept as published (a rolling total can go negative when crimes are cancelled or
            # reclassified), but reported: a count of crimes cannot be negative.
            problems.append(
                Problem(
                    "negative_count",
                    f"{offence} for {force_name}: {text}",
                    name,
                    None,
                    row_number,
                    count_column,
                )
            )
        key = (force_id, date_text, measure)
        entry = totals.get(key)
        if entry is None:
            totals[key] = [value, float(row_number), abs(value)]
        else:
            entry[0] += value
            if abs(value) > entry[2]:  # cite the row that carries the figure, not the zero
                entry[1] = float(row_number)
                entry[2] = abs(value)

    digest = hashlib.sha256(data).hexdigest()
    all_periods = sorted({periods[key[1]] for key in totals})
    release = (
        f"12 months ending {all_periods[0].end:%B %Y} to {all_periods[-1].end:%B %Y}"
        if all_periods
        else "empty"
    )
    publication = Publication(
        id=PUBLICATION_ID,
        publisher=spec["publication"]["publisher"],
        title=spec["publication"]["title"],
        release=release,
        release_date=None,
        licence=spec["publication"]["licence"],
        filename=name,
        sha256=digest,
    )
    observations = [
        Observation(
            measure, force_id, periods[date], value, digest, Cell(None, int(row), count_column)
        )
        for (force_id, date, measure), (value, row, _) in totals.items()
    ]
    problems.extend(_missing_forces({(f, periods[d]) for f, d, _ in totals}, name))
    return SourceData(publication, observations, problems)


def _force(force_name: str, cache: dict[str, str | None]) -> str | None:
    if force_name in cache:
        return cache[force_name]
    try:
        force_id: str | None = resolve_force(force_name).id
    except UnknownForce:
        force_id = None
    cache[force_name] = force_id
    return force_id


def _missing_forces(pairs: set[tuple[str, Period]], name: str) -> list[Problem]:
    present: dict[Period, set[str]] = {}
    for force_id, period in pairs:
        present.setdefault(period, set()).add(force_id)
    problems = []
    for period in sorted(present):
        for force in territorial_forces():
            if force.id not in present[period]:
                problems.append(
                    Problem(
                        "missing_force",
                        f"no figures for {force.name} in the {period.label()}",
                        name,
                    )
                )
    return problems


READER = SourceReader(
    id=PUBLICATION_ID,
    title="ONS recorded crime data at police force area level (rolling-year counts by offence)",
    publisher="Office for National Statistics",
    recognise=recognise,
    read=read,
)
