"""``peel indicators`` skips opening a record that adds nothing to the statistics
(``peelkit.record.quick_look``): the answer must be "adds nothing" only when the statistics
are then exactly the full path's, and "cannot tell" for every record that may add something."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from peelkit import Workspace
from peelkit.domain.periods import Period
from peelkit.indicators.service import embedded_engine, record_engine
from peelkit.record.database import Database
from peelkit.record.quick_look import adds_nothing_to_statistics
from peelkit.views.indicators import indicator_rows
from peelkit.views.json import to_json

PERIOD = Period.from_month("2018-09")


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory, reference_reports: Path) -> Iterator[Path]:
    """A record of the five reference reports (their printed most similar groups stored)."""
    path = tmp_path_factory.mktemp("quick") / "record.sqlite"
    with Workspace(f"sqlite:///{path}") as workspace:
        for report in sorted(reference_reports.glob("*.txt")):
            workspace.import_report(report)
    yield path


def _rows(engine: Any, force: str | None = None, **asked: Any) -> Any:
    return to_json(indicator_rows(engine, PERIOD, force=force, **asked))


def _full_path(url: str) -> Any:
    database = Database(url)
    try:
        with database.transaction() as session:
            return record_engine(session)[1]
    finally:
        database.dispose()


def _execute(path: Path, *statements: str) -> None:
    connection = sqlite3.connect(path)
    try:
        for statement in statements:
            connection.execute(statement)
        connection.commit()
    finally:
        connection.close()


def test_a_record_of_reports_adds_nothing_and_the_figures_are_the_full_paths(
    imported: Path,
) -> None:
    url = f"sqlite:///{imported}"
    connection = sqlite3.connect(imported)
    try:
        assert connection.execute("SELECT count(*) FROM most_similar_peer").fetchone()[0] > 0
    finally:
        connection.close()
    assert adds_nothing_to_statistics(url)
    full, quick = _full_path(url), embedded_engine()
    for force in ("metropolitan", "kent", "dyfed-powys"):
        for comparator in ("england_and_wales", "most_similar_group"):
            assert _rows(quick, force, comparator=comparator) == _rows(
                full, force, comparator=comparator
            )
    every: dict[str, Any] = {
        "indicator_ids": ["recorded_crime_per_1000"],
        "comparator": "most_similar_group",
    }
    assert _rows(quick, **every) == _rows(full, **every)


def test_an_empty_record_adds_nothing(tmp_path: Path) -> None:
    path = tmp_path / "empty.sqlite"
    with Workspace(f"sqlite:///{path}") as workspace:
        workspace.initialise()
    assert adds_nothing_to_statistics(str(path))
    assert adds_nothing_to_statistics(f"sqlite:///{path}")


def _copy(imported: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "copy.sqlite"
    copy.write_bytes(imported.read_bytes())
    return copy


def test_a_group_of_its_own_or_imported_figures_may_add_something(
    imported: Path, tmp_path: Path
) -> None:
    copy = _copy(imported, tmp_path)
    _execute(copy, "UPDATE most_similar_peer SET peer_id = 'kent' WHERE position = 0")
    assert not adds_nothing_to_statistics(str(copy))
    # And the full path's figures do differ: the look was right not to answer.
    full = _full_path(f"sqlite:///{copy}")
    asked = {"comparator": "most_similar_group"}
    assert _rows(full, "metropolitan", **asked) != _rows(embedded_engine(), "metropolitan", **asked)

    copy = _copy(imported, tmp_path)
    _execute(
        copy,
        "INSERT INTO publication (sha256, publication_id, filename, title, publisher, release, "
        "licence) VALUES ('" + "a" * 64 + "', 'x', 'x.csv', 't', 'p', 'r', 'l')",
    )
    assert adds_nothing_to_statistics(str(copy))  # a publication with no figure adds none
    _execute(
        copy,
        "INSERT INTO observation (measure, force_id, period, value, publication, sheet, row, "
        "\"column\") VALUES ('population', 'kent', 'ye2019-03', 1.0, '" + "a" * 64 + "', "
        "NULL, 1, 'A')",
    )
    assert not adds_nothing_to_statistics(str(copy))


@pytest.mark.parametrize(
    "damage",
    ["older-revision", "newer-revision", "no-revision", "not-a-database", "missing"],
)
def test_what_it_cannot_tell_is_left_to_the_full_open(
    imported: Path, tmp_path: Path, damage: str
) -> None:
    copy = _copy(imported, tmp_path)
    if damage == "older-revision":
        _execute(copy, "UPDATE alembic_version SET version_num = '0010'")
    elif damage == "newer-revision":
        _execute(copy, "UPDATE alembic_version SET version_num = '9999'")
    elif damage == "no-revision":
        _execute(copy, "DROP TABLE alembic_version")
    elif damage == "not-a-database":
        copy.write_bytes(b"not a database" * 100)
    else:
        copy.unlink()
    assert not adds_nothing_to_statistics(str(copy))


def test_postgresql_and_memory_are_left_to_the_full_open() -> None:
    assert not adds_nothing_to_statistics("postgresql://127.0.0.1:5432/test")
    assert not adds_nothing_to_statistics("sqlite://")
    assert not adds_nothing_to_statistics("sqlite:///:memory:")
