"""Fixtures of the hostile-input suite: prepared databases made once a session and copied per
case (a file copy is fast; building one takes seconds), references computed once, and the
order that puts the tally last."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest

from tests.reliability.harness import Case, Outcome, Place, run_case
from tests.reliability.runs import run_peel
from tests.reliability.state import Target

T = TypeVar("T")

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
REPORTS = SHARED / "reference-reports"
EXAMPLES = SHARED / "examples"
RAW = SHARED / "data" / "raw"
KENT_PAGE = EXAMPLES / "hmicfrs-web-pages" / "kent_peel-2017_effectiveness.txt"
STAFFORDSHIRE_REPORT = EXAMPLES / "hmicfrs-2021-25" / "staffordshire_2021-22_report.txt"
STAFFORDSHIRE_LETTER = EXAMPLES / "follow-up" / "staffordshire_2021-22_accelerated-coc.txt"

# What each prepared database holds: ``empty`` the reference data only; ``record`` an
# inspection record to lose (a saved web page of Kent, the Staffordshire 2021/22 report and a
# follow-up letter about it), so that "nothing lost" is a real check.
TEMPLATES: dict[str, list[list[str]]] = {
    "empty": [["init"]],
    "record": [
        ["init"],
        ["import", str(KENT_PAGE), "--quiet"],
        ["import", str(STAFFORDSHIRE_REPORT), "--quiet"],
        ["import", str(STAFFORDSHIRE_LETTER), "--quiet"],
    ],
}


def quietly(argv: list[str]) -> None:
    """Run ``peel ARGV`` to prepare something; it must succeed."""
    run = run_peel(argv)
    assert run.code == 0 and run.escaped is None, (argv, run.err, run.escaped)


class Prepared:
    """The session's prepared databases and references, each made the first time it is asked
    for (a run of one class builds only what that class needs)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._made: dict[str, Any] = {}

    def database(self, template: str) -> Path:
        key = f"database:{template}"
        if key not in self._made:
            path = self.folder / template / "record.sqlite"
            path.parent.mkdir(parents=True)
            for argv in TEMPLATES[template]:
                quietly([*argv, "--db", f"sqlite:///{path}"])
            left = [p.name for p in path.parent.iterdir() if p != path]
            assert not left, f"the prepared database has files beside it: {left}"
            self._made[key] = path
        path = self._made[key]
        assert isinstance(path, Path)
        return path

    def reference(self, key: str, build: Callable[[Prepared], T]) -> T:
        """``build(self)``, made once a session under ``key``."""
        if key not in self._made:
            self._made[key] = build(self)
        made: T = self._made[key]
        return made

    def scratch(self, name: str) -> Path:
        """A new folder for a reference's own files."""
        path = self.folder / "scratch" / name
        path.mkdir(parents=True)
        return path

    def copy_of(self, template: str, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / "record.sqlite"
        shutil.copy(self.database(template), target)
        return target


@pytest.fixture(scope="session")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Prepared:
    if not REPORTS.is_dir():
        pytest.fail(f"the shared folder is missing: expected it beside the repository ({SHARED})")
    return Prepared(tmp_path_factory.mktemp("reliability"))


CaseRunner = Callable[[str, Case], Outcome]


@pytest.fixture
def peel_case(prepared: Prepared, tmp_path: Path) -> Iterator[CaseRunner]:
    """Run a case of a class on a fresh copy of its prepared database (SQLite)."""
    places: list[Place] = []

    def run(group: str, case: Case) -> Outcome:
        root = tmp_path / "case"
        for sub in ("in", "out", "db"):
            (root / sub).mkdir(parents=True)
        database = root / "db" / "record.sqlite"
        if case.template != "none":
            prepared.copy_of(case.template, database.parent)
        url = f"sqlite:///{database}"
        place = Place(root, url, database, prepared)
        places.append(place)
        return run_case(group, case, place, Target(url, database))

    yield run
    for place in places:
        for undo in reversed(place.cleanups):
            undo()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tally reads every case's verdict: it runs after them, wherever it was collected."""
    last = [i for i in items if i.nodeid.endswith("test_tally.py::test_the_tally")]
    for item in last:
        items.remove(item)
        items.append(item)
