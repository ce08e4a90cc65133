"""Issue 15, "Damaged or foreign databases" and the database faults of item 2: each is one line
that names the database and what is wrong (exit 2 from ``peel``), with the database untouched,
and the right thing still works once the fault is gone. Real faults throughout: files that are
not databases or are damaged byte by byte, a newer schema revision, locks held by another
connection, read-only files and folders, a full disk, a server that is not there."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import socket
import sqlite3
import struct
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DataError, IntegrityError

from peelkit import Workspace
from peelkit.cli import main
from peelkit.errors import (
    DatabaseDamaged,
    DatabaseError,
    DatabaseFull,
    DatabaseLocked,
    DatabaseReadOnly,
    DatabaseRefusedChange,
    DatabaseRefusedValue,
    DatabaseTooNew,
    ForeignDatabase,
    NotADatabase,
    PeelkitError,
)
from peelkit.record.audit import Actor
from peelkit.record.database import (
    database_error,
    head_revision,
    make_engine,
    normalise_url,
    sqlite_file,
)
from tests.conftest import _private_schema

Opener = Callable[[str], Workspace]
FRAMEWORK = "peel-2017"
# A small report of the Met (a 2014 letter): an import that writes a few hundred rows.
LETTER = "003_02b487485919232c.txt"
# The 2015 effectiveness report: an import that writes more pages than a full disk has.
REPORT_2015 = "002_b3b722981796a923.txt"
REPORT_2018_19 = "001_2e8c9026aad1a9d7.txt"


def _peel(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _one_line_error(result: tuple[int, str, str], *parts: str) -> str:
    """The single ``peel: error:`` line of a failed command, holding every part."""
    code, _, err = result
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert code == 2, err
    assert len(lines) == 1, err
    assert lines[0].startswith("peel: error: cannot ")
    for part in parts:
        assert part in lines[0]
    return lines[0]


def _record_with_kent(path: Path) -> str:
    """A closed SQLite database holding one inspection (of Kent); its URL."""
    url = f"sqlite:///{path}"
    with Workspace(url) as workspace:
        workspace.add_inspection(force="Kent", framework=FRAMEWORK)
    return url


def _forces_inspected(url: str) -> list[str]:
    with Workspace(url) as workspace:
        return [i.force for i in workspace.inspections()]


@contextmanager
def _read_only(path: Path) -> Iterator[None]:
    """Make a file or folder read-only for real: its mode for a user; for root (whom modes do
    not stop) the immutable attribute. Skips, saying why, where neither can be had."""
    if os.geteuid() != 0:
        mode = path.stat().st_mode
        path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            yield
        finally:
            path.chmod(mode)
        return
    try:
        done = subprocess.run(["chattr", "+i", str(path)], capture_output=True, text=True)
    except FileNotFoundError:
        pytest.skip("running as root without chattr: cannot make a file read-only for root")
    if done.returncode != 0:
        pytest.skip(f"running as root and chattr +i failed here: {done.stderr.strip()}")
    try:
        assert not os.access(path, os.W_OK)
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


# --- files that are not databases, or are damaged ----------------------------------------------


def test_a_text_file_given_as_db_is_not_a_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("Inspections to enter:\nKent, PEEL 2017\n" * 40, encoding="utf-8")
    before = notes.read_bytes()
    expected = f"cannot use database sqlite:///{notes}: the file is not a SQLite database"
    assert _one_line_error(_peel(capsys, "inspections", "--db", str(notes))).endswith(expected)
    _one_line_error(
        _peel(capsys, "inspections", "add", "Kent", "--framework", FRAMEWORK, "--db", str(notes)),
        expected,
    )
    assert notes.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]
    with pytest.raises(NotADatabase) as caught:
        Workspace(str(notes)).initialise()
    assert (caught.value.code, caught.value.status) == ("database_not_a_database", 503)


def test_a_malformed_file_is_damaged_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "record.sqlite"
    _record_with_kent(path)
    damaged = bytearray(path.read_bytes())
    damaged[4096 : 4096 * 8] = b"\x55" * (4096 * 7)  # pages 2 to 8: neither header nor schema
    path.write_bytes(bytes(damaged))
    add = ("inspections", "add", "Essex", "--framework", FRAMEWORK, "--db", str(path))
    line = _one_line_error(_peel(capsys, *add), f"database sqlite:///{path}", "damaged")
    assert "restore it from a backup" in line
    assert path.read_bytes() == bytes(damaged)
    with pytest.raises(DatabaseDamaged) as caught:
        Workspace(str(path)).inspections()
    assert caught.value.code == "database_damaged"


def test_damage_no_write_would_meet_is_found_before_writing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two pages past the end that the header counts and nothing uses: SQLite itself writes to
    such a file without a word (the case of writes into a corrupt file that succeeded)."""
    path = tmp_path / "record.sqlite"
    _record_with_kent(path)
    healthy = tmp_path / "healthy.sqlite"
    shutil.copy(path, healthy)
    data = bytearray(path.read_bytes())
    page_size = struct.unpack(">H", data[16:18])[0]
    pages = struct.unpack(">I", data[28:32])[0]  # the header's database size, in pages
    assert pages * page_size == len(data)
    data += b"\0" * (2 * page_size)
    data[28:32] = struct.pack(">I", pages + 2)
    path.write_bytes(bytes(data))
    add = ("inspections", "add", "Essex", "--framework", FRAMEWORK, "--db")
    _one_line_error(
        _peel(capsys, *add, str(path)),
        f"cannot use database sqlite:///{path}: the file is damaged",
        f"PRAGMA quick_check: Page {pages + 1} is never used (and 1 more)",
        "nothing was written",
    )
    assert path.read_bytes() == bytes(data)
    # The same write on the file as it was before the damage works.
    code, _, err = _peel(capsys, *add, str(healthy))
    assert (code, err) == (0, "")
    assert _forces_inspected(str(healthy)) == ["essex", "kent"]


def test_a_folder_given_as_db_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError) as caught:
        Workspace(str(tmp_path)).inspections()
    assert str(caught.value) == f"cannot use database sqlite:///{tmp_path}: {tmp_path} is a folder"


# --- schemas that are not this peelkit's ---------------------------------------------------------


def _execute(url: str, *statements: str) -> None:
    engine = make_engine(normalise_url(url))
    try:
        with engine.begin() as connection:
            for statement in statements:
                connection.execute(text(statement))
    finally:
        engine.dispose()


def _scalars(url: str, query: str) -> list[Any]:
    engine = make_engine(normalise_url(url))
    try:
        with engine.connect() as connection:
            return list(connection.execute(text(query)).scalars())
    finally:
        engine.dispose()


def test_a_database_of_a_newer_peelkit_is_refused_and_never_downgraded(
    database_url: str, open_workspace: Opener, capsys: pytest.CaptureFixture[str]
) -> None:
    open_workspace(database_url).add_inspection(force="Kent", framework=FRAMEWORK)
    _execute(database_url, "UPDATE alembic_version SET version_num = '0099_from_a_newer_peelkit'")
    line = _one_line_error(
        _peel(capsys, "inspections", "--db", database_url),
        "its schema is at revision '0099_from_a_newer_peelkit'",
        f"schema revisions up to '{head_revision()}'",
        "a newer peelkit made it",
        "never downgrades",
    )
    assert "Can't locate revision" not in line
    with pytest.raises(DatabaseTooNew) as caught:
        open_workspace(database_url).add_inspection(force="Essex", framework=FRAMEWORK)
    assert caught.value.code == "database_newer_schema"
    assert _scalars(database_url, "SELECT version_num FROM alembic_version") == [
        "0099_from_a_newer_peelkit"
    ]
    assert _scalars(database_url, "SELECT force_id FROM inspection") == ["kent"]


def test_a_database_of_another_program_is_refused_and_left_alone(
    database_url: str, open_workspace: Opener, capsys: pytest.CaptureFixture[str]
) -> None:
    _execute(
        database_url,
        "CREATE TABLE people (name VARCHAR(40))",
        "INSERT INTO people (name) VALUES ('Ada')",
    )
    file = sqlite_file(normalise_url(database_url))
    before = file.read_bytes() if file is not None else None
    _one_line_error(
        _peel(capsys, "inspections", "--db", database_url),
        "it is not a peelkit database (it holds 1 table (people) but no peelkit schema revision)",
    )
    with pytest.raises(ForeignDatabase) as caught:
        open_workspace(database_url).initialise()
    assert caught.value.code == "database_foreign"
    if file is not None:
        # Refused before a connection of peelkit's set its journal to WAL (which rewrites the
        # file's header): the other program's file is byte for byte as it was.
        assert file.read_bytes() == before
    engine = make_engine(normalise_url(database_url))
    try:
        with engine.connect() as connection:
            assert inspect(connection).get_table_names() == ["people"]
    finally:
        engine.dispose()


def test_a_table_missing_from_its_revision_is_damage_not_a_traceback(
    database_url: str, open_workspace: Opener
) -> None:
    open_workspace(database_url).add_inspection(force="Kent", framework=FRAMEWORK)
    if database_url.startswith("sqlite"):
        connection = sqlite3.connect(make_url(database_url).database or "")
        connection.execute("DROP TABLE judgment")  # foreign keys are off on a plain connection
        connection.commit()
        connection.close()
    else:
        _execute(database_url, "DROP TABLE judgment CASCADE")
    with pytest.raises(DatabaseDamaged) as caught:
        open_workspace(database_url).inspections()
    message = str(caught.value)
    assert "its tables do not match its schema revision" in message
    assert "judgment" in message


# --- SQLite: WAL, the busy timeout and locks ---------------------------------------------------


def test_every_sqlite_connection_gets_wal_foreign_keys_and_the_busy_timeout(
    tmp_path: Path, open_workspace: Opener
) -> None:
    for query, busy_ms in (("", 20000), ("?timeout=2.5", 2500)):
        workspace = open_workspace(f"sqlite:///{tmp_path / 'record.sqlite'}{query}")
        workspace.initialise()
        engine = workspace.database.engine
        with engine.connect() as first, engine.connect() as second:
            for connection in (first, second):
                pragma = connection.exec_driver_sql
                assert pragma("PRAGMA journal_mode").scalar() == "wal"
                assert pragma("PRAGMA foreign_keys").scalar() == 1
                assert pragma("PRAGMA busy_timeout").scalar() == busy_ms
        workspace.close()


def test_a_closed_database_copies_whole_without_its_wal_file(
    tmp_path: Path, open_workspace: Opener
) -> None:
    path = tmp_path / "record.sqlite"
    _record_with_kent(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["record.sqlite"]
    copy = tmp_path / "copy" / "record.sqlite"
    copy.parent.mkdir()
    shutil.copy(path, copy)
    assert [i.force for i in open_workspace(str(copy)).inspections()] == ["kent"]


def test_a_writer_waits_for_another_writers_lock(tmp_path: Path, open_workspace: Opener) -> None:
    path = tmp_path / "record.sqlite"
    workspace = open_workspace(str(path))
    workspace.initialise()
    other = sqlite3.connect(path, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    release = threading.Timer(0.6, other.commit)
    release.start()
    started = time.monotonic()
    try:
        workspace.add_inspection(force="Kent", framework=FRAMEWORK)
    finally:
        release.join()
        other.close()
    assert time.monotonic() - started >= 0.5  # it waited for the lock, then wrote
    assert [i.force for i in workspace.inspections()] == ["kent"]


def test_a_lock_held_past_the_busy_timeout_is_one_line_and_saves_nothing(
    tmp_path: Path, open_workspace: Opener
) -> None:
    path = tmp_path / "record.sqlite"
    workspace = open_workspace(f"sqlite:///{path}?timeout=0.3")
    workspace.initialise()
    other = sqlite3.connect(path)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(DatabaseLocked) as caught:
            workspace.add_inspection(force="Kent", framework=FRAMEWORK)
    finally:
        other.rollback()
        other.close()
    assert (caught.value.code, caught.value.retry_after, caught.value.status) == (
        "database_locked",
        5,
        503,
    )
    assert str(caught.value) == (
        f"cannot use database sqlite:///{path}?timeout=0.3: another writer held it locked for "
        "longer than the busy timeout (0.3 s); nothing was saved: try again when it has finished"
    )
    assert workspace.inspections() == []
    workspace.add_inspection(force="Kent", framework=FRAMEWORK)
    assert [i.force for i in workspace.inspections()] == ["kent"]


# --- read-only files and folders, a full disk --------------------------------------------------


def test_a_read_only_file_is_read_and_a_write_to_it_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "record.sqlite"
    _record_with_kent(path)
    before = path.read_bytes()
    with _read_only(path):
        code, out, err = _peel(capsys, "inspections", "--db", str(path), "--json")
        assert (code, err) == (0, "")
        assert '"kent"' in out
        _one_line_error(
            _peel(
                capsys, "inspections", "add", "Essex", "--framework", FRAMEWORK, "--db", str(path)
            ),
            f"cannot use database sqlite:///{path}: it is read-only (the file {path} cannot be "
            "written); nothing was saved",
        )
        with pytest.raises(DatabaseReadOnly) as caught, Workspace(str(path)) as workspace:
            workspace.add_inspection(force="Essex", framework=FRAMEWORK)
        assert caught.value.code == "database_read_only"
    assert path.read_bytes() == before
    assert _forces_inspected(str(path)) == ["kent"]


def test_a_database_in_a_read_only_folder_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "records"
    folder.mkdir()
    path = folder / "record.sqlite"
    _record_with_kent(path)
    with _read_only(folder):
        # In WAL mode SQLite needs its -shm file beside the database even to read it.
        _one_line_error(
            _peel(capsys, "inspections", "--db", str(path)),
            f"cannot use database sqlite:///{path}: it is read-only (its folder {folder} cannot "
            "be written, and SQLite writes its journal there)",
        )
    assert _forces_inspected(str(path)) == ["kent"]


def _fill(folder: Path) -> Path:
    """A file that takes every free byte of the file system that holds ``folder``."""
    filler = folder / "filler"
    with filler.open("wb", buffering=0) as out:
        for size in (65536, 512):
            try:
                while out.write(b"\0" * size):
                    pass
            except OSError:
                pass
    return filler


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 16 MiB file system of its own (tmpfs), where the machine allows mounting one."""
    folder = tmp_path / "disk"
    folder.mkdir()
    try:
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(folder)],
            capture_output=True,
            text=True,
        )
    except FileNotFoundError:
        pytest.skip("no mount command: the full-disk case needs a small tmpfs")
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here ({done.stderr.strip()})")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_full_disk_is_one_line_and_loses_nothing(
    small_disk: Path, reference_reports: Path, open_workspace: Opener
) -> None:
    path = small_disk / "record.sqlite"
    workspace = open_workspace(str(path))
    workspace.add_inspection(force="Kent", framework=FRAMEWORK)
    filler = _fill(small_disk)
    with pytest.raises(DatabaseFull) as caught:
        workspace.import_report(reference_reports / REPORT_2015)
    assert caught.value.code == "database_full"
    assert str(caught.value).startswith(
        f"cannot write to database sqlite:///{path}: the disk is full"
    )
    assert str(caught.value).endswith("; nothing was saved")
    assert [i.force for i in workspace.inspections()] == ["kent"]
    filler.unlink()
    workspace.import_report(reference_reports / REPORT_2015)
    assert [i.force for i in workspace.inspections()] == ["kent", "metropolitan"]


def test_a_database_at_its_size_limit_is_full_and_loses_nothing(
    tmp_path: Path, reference_reports: Path, open_workspace: Opener
) -> None:
    """SQLite's own limit (``PRAGMA max_page_count``) gives the same SQLITE_FULL as a full disk,
    on any machine."""
    path = tmp_path / "record.sqlite"
    workspace = open_workspace(str(path))
    workspace.add_inspection(force="Kent", framework=FRAMEWORK)
    engine = workspace.database.engine

    def no_more_pages(connection: Any, _record: Any) -> None:
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        connection.execute(f"PRAGMA max_page_count = {pages}")

    event.listen(engine, "connect", no_more_pages)
    engine.dispose()  # connections from now on have the limit
    with pytest.raises(DatabaseFull) as caught:
        workspace.import_report(reference_reports / LETTER)
    assert str(caught.value) == (
        f"cannot write to database sqlite:///{path}: the disk is full (database or disk is "
        "full); "
        "nothing was saved"
    )
    assert [i.force for i in workspace.inspections()] == ["kent"]
    event.remove(engine, "connect", no_more_pages)
    engine.dispose()
    workspace.import_report(reference_reports / LETTER)
    assert [i.force for i in workspace.inspections()] == ["kent", "metropolitan"]


# --- URLs, drivers and servers -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "code", "part"),
    [
        ("mysql://peel@localhost/peelkit", "database_unsupported", "mysql://peel@localhost"),
        ("oracle://scott@localhost/orcl", "database_unsupported", "oracle://scott@localhost"),
        ("postgresql+nosuchdriver://localhost/peelkit", "database_unsupported", "nosuchdriver"),
        ("postgresql://localhost:abc/peelkit", "database_url_invalid", "localhost:abc"),
        ("postgresql://localhost:70000/peelkit", "database_url_invalid", "port 70000"),
        ("sqlite:///record.sqlite?timeout=soon", "database_url_invalid", "'soon'"),
        ("://", "database_url_invalid", "'://'"),
    ],
)
def test_a_bad_database_url_is_one_line(
    url: str,
    code: str,
    part: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(PeelkitError) as caught:
        Workspace(url).inspections()
    assert (caught.value.code, caught.value.kind) == (code, "invalid")
    assert part in str(caught.value)
    monkeypatch.setenv("PEELKIT_DATABASE_URL", url)
    code_, _, err = _peel(capsys, "inspections")
    assert code_ == 2
    assert len(err.strip().splitlines()) == 1
    assert err.startswith("peel: error: ") and part in err


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_a_postgresql_server_that_is_not_there_is_unavailable(
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = f"postgresql://127.0.0.1:{_free_port()}/peelkit"
    with pytest.raises(DatabaseError) as caught:
        Workspace(url).inspections()
    assert (caught.value.code, caught.value.retry_after, caught.value.status) == (
        "database_unavailable",
        5,
        503,
    )
    named = url.replace("postgresql://", "postgresql+psycopg://")
    assert str(caught.value).startswith(f"cannot use database {named}: connection failed")
    _one_line_error(_peel(capsys, "inspections", "--db", url), f"cannot use database {named}")


def _with_options(url: str, *options: str) -> str:
    parsed = make_url(url)
    given = parsed.query.get("options", "")
    assert isinstance(given, str)
    joined = " ".join([given, *options]).strip()
    return parsed.update_query_dict({"options": joined}).render_as_string(hide_password=False)


@pytest.mark.postgres
def test_a_postgresql_lock_held_past_the_lock_timeout_is_locked(open_workspace: Opener) -> None:
    with _private_schema() as url:
        open_workspace(url).initialise()
        impatient = open_workspace(_with_options(url, "-clock_timeout=300ms"))
        impatient.initialise()
        holder = make_engine(normalise_url(url))
        try:
            with holder.begin() as connection:
                connection.execute(text("LOCK TABLE inspection IN ACCESS EXCLUSIVE MODE"))
                with pytest.raises(DatabaseLocked) as caught:
                    impatient.add_inspection(force="Kent", framework=FRAMEWORK)
        finally:
            holder.dispose()
        assert (caught.value.code, caught.value.retry_after) == ("database_locked", 5)
        assert "another session held a lock it needs for too long" in str(caught.value)
        assert "lock timeout" in str(caught.value)
        impatient.add_inspection(force="Kent", framework=FRAMEWORK)
        assert [i.force for i in impatient.inspections()] == ["kent"]


@pytest.mark.postgres
def test_a_read_only_postgresql_session_reads_and_refuses_writes(open_workspace: Opener) -> None:
    with _private_schema() as url:
        open_workspace(url).add_inspection(force="Kent", framework=FRAMEWORK)
        read_only = open_workspace(_with_options(url, "-cdefault_transaction_read_only=on"))
        assert [i.force for i in read_only.inspections()] == ["kent"]
        with pytest.raises(DatabaseReadOnly) as caught:
            read_only.add_inspection(force="Essex", framework=FRAMEWORK)
        assert "cannot write to database" in str(caught.value)
        assert "read-only transaction" in str(caught.value)
        assert [i.force for i in read_only.inspections()] == ["kent"]


# --- what the database itself refuses ----------------------------------------------------------


def test_a_constraint_the_database_enforces_is_a_refused_change(
    database_url: str, open_workspace: Opener
) -> None:
    workspace = open_workspace(database_url)
    workspace.initialise()
    with pytest.raises(IntegrityError) as raised, workspace.database.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO force (id, name, short_name, country, territorial, "
                "in_england_and_wales_totals) VALUES ('kent', 'Kent', 'Kent', 'England', "
                "true, true)"
            )
        )
    error = database_error(raised.value, workspace.database.name)
    assert isinstance(error, DatabaseRefusedChange)
    assert (error.code, error.status) == ("database_refused_change", 409)
    assert str(error).startswith(f"database {workspace.database.name} refused the change (")
    assert str(error).endswith("); nothing was saved")
    assert "force" in str(error)


@pytest.mark.postgres
@pytest.mark.parametrize("name", ["x" * 41, "Kent\x00"])
def test_a_value_postgresql_cannot_store_is_a_refused_value(
    name: str, open_workspace: Opener
) -> None:
    with _private_schema() as url:
        workspace = open_workspace(url)
        workspace.initialise()
        engine = workspace.database.engine
        with pytest.raises(DataError) as raised, engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO force (id, name, short_name, country, territorial, "
                    "in_england_and_wales_totals) VALUES (:id, 'A', 'A', 'England', true, true)"
                ),
                {"id": name},
            )
        error = database_error(raised.value, workspace.database.name)
        assert isinstance(error, DatabaseRefusedValue)
        assert (error.code, error.status) == ("database_refused_value", 400)
        assert str(error).startswith(f"database {workspace.database.name} refused a value (")


# --- ids after a load (PostgreSQL's sequences) ---------------------------------------------------


def _ids(record: dict[str, Any]) -> dict[str, list[int]]:
    """The ids of each kind of row an export holds."""
    inspections = record["inspections"]
    followup = record.get("followup") or {}
    ids = {
        "documents": [d["id"] for d in record["documents"]],
        "warnings": [w["id"] for d in record["documents"] for w in d.get("warnings", [])],
        "inspections": [i["id"] for i in inspections],
    }
    for part in ("judgments", "findings", "evidence", "figures"):
        ids[part] = [item["id"] for i in inspections for item in i.get(part, [])]
    for part in ("links", "status_events", "pcc_responses"):
        ids[part] = [item["id"] for item in followup.get(part, [])]
    return ids


def test_after_a_load_every_new_row_gets_a_fresh_id(
    database_url: str, tmp_path: Path, reference_reports: Path, open_workspace: Opener
) -> None:
    """The issue's case: after ``peel load`` into PostgreSQL the next import crashed on the
    ``import_warning`` ids. A record with warnings, links, status events and a PCC response is
    loaded; then a report with a warning is imported and one of each row is added."""
    source = open_workspace(str(tmp_path / "source.sqlite"))
    for report in (REPORT_2015, REPORT_2018_19):
        source.import_report(reference_reports / report)
    earlier, later = (source.inspection(i.id) for i in source.inspections())
    assert (earlier.framework, later.framework) == ("peel-2015", "peel-2018-19")
    followed = [f for f in later.findings if f.kind != "strength"]
    source.record_status(followed[0].id, "in_progress", dt.date(2020, 1, 6))
    source.record_response(later.id, dt.date(2019, 11, 1), text="The PCC welcomes the report.")
    source.add_link(earlier.findings[0].id, followed[1].id, "related")
    export = tmp_path / "record.json"
    source.export_to(export)
    loaded = _ids(json.loads(export.read_text(encoding="utf-8")))
    assert len(loaded["warnings"]) == 2  # the 2018/19 report's two
    assert len(loaded["links"]) >= 1 and len(loaded["status_events"]) >= 1
    assert len(loaded["pcc_responses"]) == 1

    target = open_workspace(database_url)
    target.load(export)
    target.import_report(reference_reports / LETTER)  # a report with a warning
    kent = target.add_inspection(
        force="Kent", framework="peel-2018-19", status="published", published=dt.date(2019, 9, 27)
    )
    target.add_judgment(kent.id, area="Legitimacy", grade="Good")
    finding = target.add_finding(
        kent.id, kind="area_for_improvement", area="legitimacy", text="Improve vetting."
    )
    target.record_status(finding.id, "in_progress", dt.date(2020, 2, 3))
    target.record_response(kent.id, dt.date(2020, 3, 2), text="The PCC agrees.")
    (letter,) = [i for i in target.inspections() if i.framework == "core-business-2014"]
    target.add_link(target.inspection(letter.id).findings[0].id, followed[2].id, "related")
    target.add_user("ines", "inspector", "correct horse battery", actor=Actor.operator())
    after = _ids(target.export())
    for part, before in loaded.items():
        new = sorted(set(after[part]) - set(before))
        assert all(i > max(before, default=0) for i in new), part
    assert len(after["warnings"]) == 3  # the letter's warning, with a fresh id
    assert len(after["status_events"]) == len(loaded["status_events"]) + 1
    assert len(after["pcc_responses"]) == 2
    assert len(after["links"]) > len(loaded["links"])
    if database_url.startswith("postgresql"):
        # A load instead of the record never hands out an id again (an audit event may name it).
        target.load(export, replace=True)
        assert target.add_inspection(force="Essex", framework="peel-2017").id > kent.id


@pytest.mark.postgres
def test_a_postgresql_url_naming_no_schema_is_one_line(open_workspace: Opener) -> None:
    with _private_schema() as url:
        nowhere = _with_options(
            make_url(url).update_query_dict({"options": ""}).render_as_string(hide_password=False),
            "-csearch_path=peelkit_no_such_schema",
        )
        with pytest.raises(DatabaseError) as caught:
            open_workspace(nowhere).initialise()
        assert caught.value.code == "database_unavailable"
        assert str(caught.value).endswith(
            ": it has no such schema (no schema has been selected to create in)"
        )
