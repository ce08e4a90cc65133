"""Database faults under every kind of command (a read, a list, an entry by hand, an import, an
export): a file that is no database (text, an image, random bytes, a zeroed header), a damaged
one (cut short, a page overwritten), one of a newer schema revision, another program's, a
read-only file and folder, a folder, a path through a file, a full disk, and URLs that name no
database peelkit can use. Each fault is one line naming the database, and the file is left
byte for byte as it was (no journal left beside it); where the fault does not stop the command
(an empty file, a missing folder, a read on a read-only file) the command does its work."""

from __future__ import annotations

import random
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.reliability.conftest import REPORTS, CaseRunner
from tests.reliability.harness import GOOD, Case, Effect, Expect, Place, params
from tests.reliability.runs import fill
from tests.reliability.state import State, file_hashes, sqlite_tables

GROUP = "database faults"
LETTER = REPORTS / "003_02b487485919232c.txt"

# How a fault is made: from the case's place, the path of the database it leaves (the record
# database copied to db/record.sqlite is there to start from).
Fault = Callable[[Place], Path]


def _database(place: Place) -> Path:
    assert place.database_file is not None
    return place.database_file


def _replaced(data: Callable[[], bytes]) -> Fault:
    def make(place: Place) -> Path:
        path = _database(place)
        path.write_bytes(data())
        return path

    return make


def _cut(share: float) -> Fault:
    def make(place: Place) -> Path:
        path = _database(place)
        data = path.read_bytes()
        path.write_bytes(data[: int(len(data) * share)])
        return path

    return make


def _page_overwritten(place: Place) -> Path:
    path = _database(place)
    data = bytearray(path.read_bytes())
    page = 4096 * (len(data) // 4096 // 2)
    data[page : page + 4096] = random.Random(7).randbytes(4096)
    path.write_bytes(bytes(data))
    return path


def _header_zeroed(place: Place) -> Path:
    path = _database(place)
    data = bytearray(path.read_bytes())
    data[:100] = bytes(100)
    path.write_bytes(bytes(data))
    return path


def _newer_schema(place: Place) -> Path:
    path = _database(place)
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'ffff9999_from_the_future'")
    connection.close()
    return path


def _foreign(place: Place) -> Path:
    path = _database(place)
    path.unlink()
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
        connection.execute("INSERT INTO notes (text) VALUES ('my shopping list')")
    connection.close()
    return path


def _read_only_file(place: Place) -> Path:
    return place.immutable(_database(place))


def _read_only_folder(place: Place) -> Path:
    path = _database(place)
    place.immutable(path.parent)
    return path


def _a_folder(place: Place) -> Path:
    path = _database(place)
    path.unlink()
    path.mkdir()
    return path


def _through_a_file(place: Place) -> Path:
    notes = _database(place).parent / "notes.txt"
    notes.write_text("not a folder\n", encoding="utf-8")
    return notes / "record.sqlite"


def _missing_folder(place: Place) -> Path:
    return _database(place).parent / "new" / "deeper" / "record.sqlite"


def _full_disk(place: Place) -> Path:
    disk = place.small_disk("disk", size="2m")
    path = disk / "record.sqlite"
    shutil.copy(_database(place), path)
    fill(disk)
    return path


FAULTS: dict[str, tuple[Fault, bool]] = {
    # name: (how it is made, whether the command still works on it)
    "a-text-file": (_replaced(lambda: b"Inspections to enter:\nKent, PEEL 2017\n" * 40), False),
    "an-image": (_replaced(lambda: b"\x89PNG\r\n\x1a\n" + random.Random(1).randbytes(5000)), False),
    "random-bytes": (_replaced(lambda: random.Random(2).randbytes(64 * 1024)), False),
    "cut-at-50%": (_cut(0.5), False),
    "cut-at-99%": (_cut(0.99), False),
    "a-page-overwritten": (_page_overwritten, False),
    "the-header-zeroed": (_header_zeroed, False),
    "a-newer-schema": (_newer_schema, False),
    "another-programs-database": (_foreign, False),
    "a-folder": (_a_folder, False),
    "through-a-file": (_through_a_file, False),
    "an-empty-file": (_replaced(lambda: b""), True),
    "in-a-missing-folder": (_missing_folder, True),
}
# Faults that stop writes only.
WRITE_FAULTS: dict[str, Fault] = {
    "a-read-only-file": _read_only_file,
    "a-read-only-folder": _read_only_folder,
    "a-full-disk": _full_disk,
}


def _gained_inspection(force: str, framework: str) -> Callable[[Effect], str | None]:
    def check(effect: Effect) -> str | None:
        gained = [(i["force_id"], i["framework_id"]) for i in effect.gained("inspection")]
        return None if gained == [(force, framework)] else f"gained inspections {gained}"

    return check


def _summary_of(effect: Effect) -> str | None:
    """The summary counts the inspections the database holds (read here from its tables)."""
    held = len(effect.rows("inspection"))
    said = effect.run.json()["inspections"]["total"]
    return None if said == held else f"the summary says {said} inspections, the file holds {held}"


def _listed(effect: Effect) -> str | None:
    held = sorted(i["id"] for i in effect.rows("inspection"))
    said = sorted(i["id"] for i in effect.run.json())
    return None if said == held else f"listed {said}, the file holds {held}"


def _exported(effect: Effect) -> str | None:
    import json

    written = json.loads((effect.place.outputs / "record.json").read_text(encoding="utf-8"))
    held = len(effect.rows("inspection"))
    return None if len(written["inspections"]) == held else "the export is not the record"


# The commands each fault is tried with: arguments (DB is the database's URL), and the check
# of a result where the fault leaves the command working.
COMMANDS: dict[
    str, tuple[Callable[[Place, str], list[str]], Callable[[Effect], str | None], bool]
] = {
    "summary": (lambda p, db: ["summary", "--db", db, "--json"], _summary_of, False),
    "list": (lambda p, db: ["inspections", "--db", db, "--json"], _listed, False),
    "add": (
        lambda p, db: ["inspections", "add", "Essex", "--framework", "peel-2017", "--db", db],
        _gained_inspection("essex", "peel-2017"),
        True,
    ),
    "import": (
        lambda p, db: ["import", str(LETTER), "--db", db, "--quiet"],
        _gained_inspection("metropolitan", "core-business-2014"),
        True,
    ),
    "export": (
        lambda p, db: ["export", str(p.outputs / "record.json"), "--db", db],
        _exported,
        False,
    ),
}


def _case(fault_name: str, fault: Fault, command: str, works: bool | None) -> Case:
    """A case of ``command`` on ``fault``: ``works`` True a result, False an error, None
    either (a read-only folder: SQLite needs to write its shared-memory file to read a
    database in WAL mode, so a read may be refused too, clearly)."""
    argv_of, check, _writes = COMMANDS[command]
    holder: dict[str, Path] = {}

    def make(place: Place) -> list[str]:
        path = fault(place)
        holder["path"] = path
        return argv_of(place, f"sqlite:///{path}")

    def result(effect: Effect) -> str | None:
        if holder["path"] != effect.place.database_file:
            # The command worked on another file than the one copied: read that one.
            tables, unreadable = sqlite_tables(holder["path"])
            after = State(tables, unreadable, file_hashes(effect.place.root))
            empty = State({}, "missing", {})
            return check(Effect(effect.run, empty, after, effect.place))
        return check(effect)

    targets: tuple[str, ...] = ("out/record.json",) if command == "export" else ()
    if fault_name == "in-a-missing-folder":
        targets += ("db/new",)
    expect = Expect.EITHER if works is None else Expect.RESULT if works else Expect.ERROR
    return Case(
        f"{fault_name}-{command}",
        make,
        expect,
        names=("cannot use database",) if works is not True else (),
        check=result,
        watch_database=works is not True,
        targets=targets,
    )


def fault_cases() -> list[Case]:
    cases = []
    for fault_name, (fault, works) in FAULTS.items():
        for command in COMMANDS:
            cases.append(_case(fault_name, fault, command, works))
    for fault_name, fault in WRITE_FAULTS.items():
        for command, (_, _, writes) in COMMANDS.items():
            if fault_name == "a-full-disk" and not writes:
                continue  # a read of a full disk is a read
            verdict: bool | None = not writes
            if fault_name == "a-read-only-folder" and not writes:
                verdict = None
            cases.append(_case(fault_name, fault, command, verdict))
    return cases


def url_cases() -> list[Case]:
    urls = {
        "mysql": ("mysql://peel:secret@db.example/peelkit", "mysql://peel:***@db.example"),
        "oracle": ("oracle://db.example/peelkit", "oracle://"),
        "port-abc": ("postgresql://db.example:abc/peelkit", "postgresql://db.example:abc/peelkit"),
        "port-99999": ("postgresql://127.0.0.1:99999/peelkit", "99999"),
        "a-closed-port": ("postgresql://127.0.0.1:1/peelkit", "127.0.0.1:1"),
        "no-scheme-but-a-folder": ("db/", "db"),
        "sqlite-of-a-folder": ("sqlite:///db", "db"),
    }
    cases = []
    for name, (url, shown) in urls.items():
        for command in ("summary", "import"):
            argv_of = COMMANDS[command][0]

            def make(
                place: Place, url: str = url, argv_of: Callable[[Place, str], list[str]] = argv_of
            ) -> list[str]:
                given = str(place.root / url) if not url.partition("://")[1] else url
                if url == "sqlite:///db":
                    given = f"sqlite:///{place.root / 'db'}"
                return argv_of(place, given)

            cases.append(
                Case(
                    f"url-{name}-{command}", make, Expect.ERROR, names=(shown,), watch_database=True
                )
            )
    return cases


CASES = fault_cases() + url_cases()


@pytest.mark.parametrize("case", params(CASES))
def test_database_fault(case: Case, peel_case: CaseRunner) -> None:
    outcome = peel_case(GROUP, case)
    assert outcome.verdict in GOOD, outcome.describe(case)
    if case.name.startswith("url-mysql"):
        assert "secret" not in outcome.run.err
