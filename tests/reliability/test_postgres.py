"""A handful of the hostile cases on PostgreSQL (the server named by PEELKIT_TEST_POSTGRES_URL,
which CI sets; skipped, with that reason, where it is not set): loads that crashed there (ids
after a load, NUL characters, names longer than their column, integers past 2^63), an entry by
hand longer than its column, and bad files of each import. All run in one private schema,
in order; each case's fingerprint is of every table of that schema."""

from __future__ import annotations

import copy
import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from peelkit.record.exchange import dumps
from tests.conftest import _private_schema
from tests.reliability.conftest import RAW, REPORTS, Prepared, quietly
from tests.reliability.harness import (
    GOOD,
    Case,
    Effect,
    Expect,
    Outcome,
    Place,
    params,
    run_case,
)
from tests.reliability.state import Target
from tests.reliability.test_load_exports import export, the_file_loaded

GROUP = "postgresql"
FILE = "record.json"
LETTER = REPORTS / "003_02b487485919232c.txt"

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def schema() -> Iterator[str]:
    """One private schema for the module's cases, set up once (``peel init``)."""
    with _private_schema() as url:
        quietly(["init", "--db", url])
        yield url


def _load_file(record: Callable[[Prepared], dict[str, Any] | str]) -> Callable[[Place], list[str]]:
    def make(place: Place) -> list[str]:
        made = record(place.prepared)
        place.write(FILE, made if isinstance(made, str) else dumps(made))
        return ["load", str(place.inputs / FILE), "--replace", "--quiet", "--db", place.url]

    return make


def _changed(change: Callable[[dict[str, Any]], None]) -> Callable[[Prepared], dict[str, Any]]:
    def made(prepared: Prepared) -> dict[str, Any]:
        record = copy.deepcopy(export(prepared))
        change(record)
        return record

    return made


def _duplicate_ids(record: dict[str, Any]) -> None:
    record["inspections"][1]["id"] = record["inspections"][0]["id"]


def _nul(record: dict[str, Any]) -> None:
    record["inspections"][2]["findings"][0]["text"] += "\x00"


def _long_name(record: dict[str, Any]) -> None:
    record["inspections"][0]["hm_inspector"] = "M" * 300


def _past_2_to_the_63(record: dict[str, Any]) -> str:
    record["inspections"][0]["id"] = "@id@"
    return json.dumps(record).replace('"@id@"', str(2**63))


def _import_after_a_load(place: Place) -> list[str]:
    """The issue's crash: after a load the import_warning id sequence was not advanced."""
    path = place.write(FILE, dumps(export(place.prepared)))
    quietly(["load", str(path), "--replace", "--quiet", "--db", place.url])
    return ["import", str(LETTER), "--db", place.url, "--quiet"]


def _letter_imported(effect: Effect) -> str | None:
    gained = [(i["force_id"], i["framework_id"]) for i in effect.gained("inspection")]
    if gained != [("metropolitan", "core-business-2014")]:
        return f"gained inspections {gained}"
    if not effect.gained("import_warning") and not effect.gained("finding"):
        return "the letter's findings were not stored"
    return None


def _grades_with_a_nul(place: Place) -> list[str]:
    lines = (RAW / "peel-grades" / "peel_grades.csv").read_text(encoding="utf-8").splitlines()
    path = place.write("grades.csv", "\n".join([lines[0], lines[1] + "\x00", lines[2]]) + "\n")
    return ["grades", "load", str(path), "--db", place.url]


def _cut_csv(place: Place) -> list[str]:
    data = (
        RAW / "pfa-boundaries-2016-popm" / "pfa_population_mid2018_households_2017.csv"
    ).read_bytes()
    path = place.write("population.csv", data[: len(data) // 3])
    return ["data", "import", str(path), "--db", place.url]


def _binary(place: Place) -> list[str]:
    path = place.write("scan.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    return ["import", str(path), "--db", place.url]


def _within(column: str, length: int) -> Callable[[Effect], str | None]:
    def check(effect: Effect) -> str | None:
        for row in effect.gained("inspection"):
            if isinstance(row[column], str) and len(row[column]) > length:
                return f"{column} of {len(row[column])} characters stored"
        return None

    return check


CASES = [
    Case(
        "load-the-export", _load_file(export), Expect.RESULT, replaces=True, check=the_file_loaded
    ),
    Case("import-after-a-load", _import_after_a_load, Expect.RESULT, check=_letter_imported),
    Case(
        "load-with-duplicate-ids",
        _load_file(_changed(_duplicate_ids)),
        Expect.ERROR,
        names=(FILE, "/inspections/1/id"),
    ),
    Case(
        "load-with-a-nul",
        _load_file(_changed(_nul)),
        Expect.ERROR,
        names=(FILE, "/inspections/2/findings/0/text"),
    ),
    Case(
        "load-with-a-name-of-300-characters",
        _load_file(_changed(_long_name)),
        Expect.ERROR,
        names=(FILE, "hm_inspector"),
    ),
    Case(
        "load-with-an-id-past-2-to-the-63",
        _load_file(lambda p: _past_2_to_the_63(copy.deepcopy(export(p)))),
        Expect.ERROR,
        names=(FILE, "/inspections/0/id"),
    ),
    Case(
        "add-with-an-inspector-of-300-characters",
        lambda p: [
            "inspections",
            "add",
            "Essex",
            "--framework",
            "peel-2017",
            "--hm-inspector",
            "M" * 300,
            "--db",
            p.url,
        ],
        Expect.EITHER,
        names=("hm_inspector",),
        check=_within("hm_inspector", 200),
    ),
    Case(
        "grades-with-a-nul",
        _grades_with_a_nul,
        Expect.EITHER,
        names=("grades.csv",),
        check=lambda e: None if len(e.gained("judgment")) == 2 else "not the file's 2 grades",
    ),
    Case("data-import-of-a-cut-csv", _cut_csv, Expect.ERROR, names=("population.csv",)),
    Case("import-of-an-image", _binary, Expect.ERROR, names=("scan.txt",)),
]


@pytest.mark.parametrize("case", params(CASES))
def test_on_postgresql(case: Case, schema: str, prepared: Prepared, tmp_path: Path) -> None:
    root = tmp_path / "case"
    for sub in ("in", "out"):
        (root / sub).mkdir(parents=True)
    place = Place(root, schema, None, prepared)
    try:
        outcome: Outcome = run_case(GROUP, case, place, Target(schema, None))
    finally:
        for undo in reversed(place.cleanups):
            undo()
        shutil.rmtree(root, ignore_errors=True)
    assert outcome.verdict in GOOD, outcome.describe(case)
