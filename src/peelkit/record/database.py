"""Connecting to the database, migrating it, and keeping its reference tables current.

Every fault of the database becomes one line that names the database and what is wrong
(:func:`database_error`, the one place that reads SQLite's and PostgreSQL's error codes). SQLite
files run in WAL mode with a busy timeout, so that writers wait for each other instead of
failing, and an existing file is checked (``PRAGMA quick_check``) before anything writes to it.
Setting up the schema takes a lock (SQLite: ``BEGIN IMMEDIATE``; PostgreSQL: an advisory lock)
and checks again under it, so several processes starting together on a new database all succeed.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, select, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import (
    ArgumentError,
    DataError,
    DBAPIError,
    IntegrityError,
    NoSuchModuleError,
    OperationalError,
    SQLAlchemyError,
)
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from peelkit import __version__
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
    StaleEdit,
)
from peelkit.frameworks import load_all
from peelkit.record import lengths
from peelkit.record.location import ENV_VAR as ENV_VAR  # re-exported: the old home
from peelkit.record.location import default_database_url as default_database_url
from peelkit.record.revisions import head_revision as head_revision  # re-exported
from peelkit.record.revisions import known_revisions
from peelkit.record.schema import ForceRow, FrameworkAreaRow, FrameworkRow
from peelkit.reference import all_forces

# How long a SQLite connection waits for another writer's lock before it gives up; a URL's
# ``?timeout=SECONDS`` sets another.
BUSY_TIMEOUT_SECONDS = 20.0
# How long a process setting up a SQLite database waits, trying again, for another that is
# setting it up at the same moment (see :func:`prepare`).
SCHEMA_WAIT_SECONDS = 120.0
SCHEMA_RETRY_PAUSE_SECONDS = 0.05
# What a client is told to wait before trying again when the database is down or busy.
RETRY_AFTER_SECONDS = 5
SUPPORTED_BACKENDS = ("sqlite", "postgresql")


def normalise_url(text: str) -> URL:
    """Accept a SQLAlchemy URL, ``postgresql://`` (driven by psycopg 3) or a plain file path."""
    if "://" not in text:
        return make_url(f"sqlite:///{Path(text).expanduser()}")
    try:
        url = make_url(text)
        port = url.port
    except (ArgumentError, ValueError):  # ValueError: a port that is not a number
        raise DatabaseError(
            f"invalid database URL {text!r}", code="database_url_invalid", kind="invalid"
        ) from None
    if port is not None and not 0 < port < 65536:
        raise DatabaseError(
            f"invalid database URL {text!r}: port {port} is not from 1 to 65535",
            code="database_url_invalid",
            kind="invalid",
        )
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    return url


def describe(url: URL) -> str:
    return url.render_as_string(hide_password=True)


def make_engine(url: URL) -> Engine:
    """An engine on a SQLite or PostgreSQL URL. SQLite connections get foreign keys, WAL and a
    busy timeout (:func:`_sqlite_connection`); PostgreSQL connections are checked before use,
    so that the engine reconnects by itself after the server comes back."""
    backend = url.get_backend_name()
    if backend not in SUPPORTED_BACKENDS:
        raise DatabaseError(
            f"unsupported database URL {describe(url)}: peelkit uses SQLite (a file path or "
            "sqlite:///PATH) or PostgreSQL (postgresql://HOST/DBNAME)",
            code="database_unsupported",
            kind="invalid",
        )
    options: dict[str, Any] = {}
    if backend == "sqlite" and "timeout" not in url.query:
        options["connect_args"] = {"timeout": BUSY_TIMEOUT_SECONDS}
    if backend == "postgresql":
        options["pool_pre_ping"] = True
    try:
        engine = create_engine(url, **options)
    except ValueError as exc:  # a ?timeout= that is not a number
        raise DatabaseError(
            f"invalid database URL {describe(url)}: {exc}",
            code="database_url_invalid",
            kind="invalid",
        ) from None
    except (NoSuchModuleError, ArgumentError, ImportError) as exc:
        raise DatabaseError(
            f"unsupported database URL {describe(url)}: {exc}",
            code="database_unsupported",
            kind="invalid",
        ) from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_connection)
    return engine


def _sqlite_connection(dbapi_connection: Any, _record: Any) -> None:
    """Every SQLite connection: foreign keys on, and WAL, so that readers do not wait for a
    writer. A file or folder that cannot be written keeps its journal mode: reading it still
    works, and a write says why it cannot."""
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
        except sqlite3.OperationalError as exc:
            if _sqlite_primary(exc) not in ("SQLITE_READONLY", "SQLITE_CANTOPEN"):
                raise
    finally:
        cursor.close()


def sqlite_file(url: URL) -> Path | None:
    """The file of a SQLite URL; None for PostgreSQL, an in-memory database or a ``file:`` URI."""
    if url.get_backend_name() != "sqlite" or url.query.get("uri"):
        return None
    if url.database in (None, "", ":memory:"):
        return None
    return Path(url.database or "").expanduser()


def busy_timeout(url: URL) -> float:
    """The seconds a SQLite connection on ``url`` waits for another writer's lock."""
    given = url.query.get("timeout")
    return float(given if isinstance(given, str) else BUSY_TIMEOUT_SECONDS)


@dataclass(frozen=True)
class SqliteFileState:
    """What a read-only look at an existing SQLite file finds, before anything writes to it."""

    problems: list[str]  # what ``PRAGMA quick_check`` finds (empty: none)
    tables: list[str]  # its tables, SQLite's own left out
    has_revision: bool  # whether it holds Alembic's ``alembic_version`` table


def check_sqlite_file(path: Path, timeout: float) -> SqliteFileState:
    """Read an existing SQLite file on a read-only connection: the problems ``PRAGMA
    quick_check`` finds, and its tables (so that another program's database is refused before
    a connection of ours switches its journal to WAL, which rewrites the file's header). Raises
    sqlite3's error for a file that is not a database at all."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    connection = sqlite3.connect(uri, uri=True, timeout=timeout)
    try:
        found = [str(row[0]) for row in connection.execute("PRAGMA quick_check")]
        names = [
            str(row[0])
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
    finally:
        connection.close()
    problems: list[str] = []
    if found != ["ok"]:
        # One problem a line; "*** in database main ***" only says which attached database.
        lines = (line.strip() for row in found for line in row.splitlines())
        problems = [line for line in lines if line and not line.startswith("***")]
    tables = sorted(name for name in names if name != "alembic_version")
    return SqliteFileState(problems, tables, "alembic_version" in names)


def _alembic_config() -> Any:
    from alembic.config import Config  # Alembic only where a schema may change (start-up)

    config = Config()
    config.set_main_option("script_location", "peelkit.record:migrations")
    return config


def schema_revisions(connection: Connection) -> tuple[str, ...]:
    """The database's schema revisions (none for a new database). Refuses a database of a newer
    peelkit (a revision this one does not know: it is never downgraded) and a database that
    holds tables but no revision (not peelkit's)."""
    heads = _stored_revisions(connection)
    name = describe(connection.engine.url)
    unknown = [head for head in heads if head not in known_revisions()]
    if unknown:
        raise DatabaseTooNew(
            f"cannot use database {name}: its schema is at revision {unknown[0]!r}, which this "
            f"peelkit ({__version__}, schema revisions up to {head_revision()!r}) does not know; "
            "a newer peelkit made it: use that peelkit (peelkit never downgrades a database)"
        )
    if not heads:
        tables = sorted(t for t in inspect(connection).get_table_names() if t != "alembic_version")
        if tables:
            raise foreign_database(name, tables)
    return heads


def foreign_database(name: str, tables: list[str]) -> ForeignDatabase:
    """The refusal of a database that holds ``tables`` but no peelkit schema revision."""
    shown = ", ".join(tables[:3]) + (", ..." if len(tables) > 3 else "")
    count = f"{len(tables)} table{'s' if len(tables) > 1 else ''}"
    return ForeignDatabase(
        f"cannot use database {name}: it is not a peelkit database (it holds {count} "
        f"({shown}) but no peelkit schema revision); give a new file or an empty database"
    )


def _stored_revisions(connection: Connection) -> tuple[str, ...]:
    """The revisions in Alembic's ``alembic_version`` table (none where it is absent)."""
    if not inspect(connection).has_table("alembic_version"):
        return ()
    rows = connection.execute(text("SELECT version_num FROM alembic_version"))
    return tuple(sorted(str(row[0]) for row in rows))


def lock_schema(connection: Connection) -> None:
    """Hold the database's schema lock until the connection's transaction ends, so that one
    process at a time sets up or migrates it (the others wait, then find it done)."""
    if connection.dialect.name == "sqlite":
        # pysqlite begins a transaction only before a row change; this one starts now, takes
        # the write lock at once, and holds the DDL too.
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    elif connection.dialect.name == "postgresql":
        connection.execute(
            text(
                "SELECT pg_advisory_xact_lock("
                "hashtext('peelkit schema ' || COALESCE(current_schema(), '')))"
            )
        )


def _upgrade(connection: Connection) -> None:
    if schema_revisions(connection) == (head_revision(),):
        return
    from alembic import command

    config = _alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration (a no-op when it is already there)."""
    with engine.begin() as connection:
        lock_schema(connection)
        _upgrade(connection)


def prepare(engine: Engine) -> None:
    """Migrate the schema and write the reference tables, unless both are current already (a
    read, which needs no lock and works on a read-only database); else under the schema lock,
    looking again once it is held.

    On SQLite, a process that finds the file busy while another sets it up tries again until
    :data:`SCHEMA_WAIT_SECONDS` have passed: the busy timeout alone is not enough, because
    SQLite reports some conflicts at once (a connection turning a new file to WAL while another
    writes) and a migration on a loaded machine can outlast it."""
    deadline = time.monotonic() + SCHEMA_WAIT_SECONDS
    while True:
        try:
            _prepare_once(engine)
            return
        except OperationalError as exc:
            if not _sqlite_busy(exc) or time.monotonic() >= deadline:
                raise
            time.sleep(SCHEMA_RETRY_PAUSE_SECONDS)


def _sqlite_busy(exc: OperationalError) -> bool:
    return isinstance(exc.orig, sqlite3.Error) and _sqlite_primary(exc.orig) in (
        "SQLITE_BUSY",
        "SQLITE_LOCKED",
    )


def _prepare_once(engine: Engine) -> None:
    with engine.connect() as connection:
        if schema_revisions(connection) == (head_revision(),):
            with Session(bind=connection) as session:
                if reference_is_current(session):
                    return
    with engine.begin() as connection:
        lock_schema(connection)
        _upgrade(connection)
        with Session(bind=connection) as session:
            sync_reference(session)
            session.flush()


_FORCE_COLUMNS = (
    "id",
    "name",
    "short_name",
    "ons_code",
    "region",
    "country",
    "territorial",
    "in_england_and_wales_totals",
)


def reference_is_current(session: Session) -> bool:
    """Whether the reference tables hold the shipped forces and frameworks as they are."""
    columns = [getattr(ForceRow, name) for name in _FORCE_COLUMNS]
    stored = {tuple(row) for row in session.execute(select(*columns))}
    shipped = {tuple(getattr(force, name) for name in _FORCE_COLUMNS) for force in all_forces()}
    if not shipped <= stored:
        return False
    checksums = {
        row[0]: row[1] for row in session.execute(select(FrameworkRow.id, FrameworkRow.checksum))
    }
    return all(checksums.get(f.id) == f.checksum for f in load_all())


def sync_reference(session: Session) -> None:
    """Write the shipped forces and frameworks into the reference tables if they changed."""
    rows = session.execute(select(FrameworkRow.id, FrameworkRow.checksum)).all()
    stored = {framework_id: checksum for framework_id, checksum in rows}
    for force in all_forces():
        session.merge(
            ForceRow(
                id=force.id,
                name=force.name,
                short_name=force.short_name,
                ons_code=force.ons_code,
                region=force.region,
                country=force.country,
                territorial=force.territorial,
                in_england_and_wales_totals=force.in_england_and_wales_totals,
            )
        )
    for framework in load_all():
        if stored.get(framework.id) == framework.checksum:
            continue
        session.merge(
            FrameworkRow(
                id=framework.id,
                title=framework.title,
                programme=framework.programme,
                period=framework.period,
                grade_scale=framework.grade_scale.id if framework.grade_scale else None,
                direction_scale=framework.direction_scale.id if framework.direction_scale else None,
                checksum=framework.checksum,
            )
        )
        session.flush()
        for position, area in enumerate(framework.walk()):
            session.merge(
                FrameworkAreaRow(
                    framework_id=framework.id,
                    id=area.id,
                    parent_id=area.parent_id,
                    level=area.level,
                    name=area.name,
                    code=area.code,
                    graded=area.graded,
                    direction=area.direction,
                    position=position,
                )
            )


# --- faults of the database as one-line errors --------------------------------------------------


@dataclass(frozen=True)
class Fault:
    """What a database error means: the error to raise, its message (``{name}`` the database,
    ``{reason}`` the driver's first line, ``{timeout}`` the busy timeout, ``{file}`` what the
    file system says of a SQLite file) and whether trying again later may work."""

    error: type[DatabaseError]
    message: str
    retry: bool = False


_UNREACHABLE = Fault(DatabaseError, "cannot use database {name}: {reason}", retry=True)
_LOCKED = Fault(
    DatabaseLocked,
    "cannot use database {name}: another writer held it locked for longer than the busy "
    "timeout ({timeout} s); nothing was saved: try again when it has finished",
    retry=True,
)
_READ_ONLY = Fault(
    DatabaseReadOnly, "cannot use database {name}: it is read-only ({file}); nothing was saved"
)
_FULL = Fault(
    DatabaseFull, "cannot write to database {name}: the disk is full ({reason}); nothing was saved"
)
_MISMATCH = Fault(
    DatabaseDamaged,
    "cannot use database {name}: its tables do not match its schema revision ({reason}); "
    "restore it from a backup or load an export into a new database",
)
_REFUSED_CHANGE = Fault(
    DatabaseRefusedChange, "database {name} refused the change ({reason}); nothing was saved"
)
_REFUSED_VALUE = Fault(
    DatabaseRefusedValue, "database {name} refused a value ({reason}); nothing was saved"
)

# SQLite's primary result codes (https://sqlite.org/rescode.html).
SQLITE_FAULTS: dict[str, Fault] = {
    "SQLITE_NOTADB": Fault(
        NotADatabase, "cannot use database {name}: the file is not a SQLite database"
    ),
    "SQLITE_CORRUPT": Fault(
        DatabaseDamaged,
        "cannot use database {name}: the file is damaged ({reason}); nothing was written: "
        "restore it from a backup or load an export into a new database",
    ),
    "SQLITE_BUSY": _LOCKED,
    "SQLITE_LOCKED": _LOCKED,
    "SQLITE_READONLY": _READ_ONLY,
    "SQLITE_PERM": _READ_ONLY,
    "SQLITE_CANTOPEN": Fault(DatabaseError, "cannot open database {name}: {file}", retry=True),
    "SQLITE_IOERR": Fault(
        DatabaseError,
        "cannot use database {name}: reading or writing the file failed ({reason})",
        retry=True,
    ),
    "SQLITE_FULL": _FULL,
    "SQLITE_CONSTRAINT": _REFUSED_CHANGE,
    "SQLITE_TOOBIG": _REFUSED_VALUE,
    "SQLITE_MISMATCH": _REFUSED_VALUE,
    "SQLITE_RANGE": _REFUSED_VALUE,
}
# What SQLite says (as a generic SQLITE_ERROR) of tables or columns its schema lacks.
SQLITE_MISMATCH_REASONS = ("no such table", "no such column")

# PostgreSQL's SQLSTATE codes (https://www.postgresql.org/docs/current/errcodes-appendix.html):
# a whole code, else its class (the first two characters).
POSTGRES_FAULTS: dict[str, Fault] = {
    "08": _UNREACHABLE,  # connection exception
    "57P01": _UNREACHABLE,  # admin shutdown
    "57P02": _UNREACHABLE,  # crash shutdown
    "57P03": _UNREACHABLE,  # cannot connect now (starting up)
    "53300": _UNREACHABLE,  # too many connections
    "53200": _UNREACHABLE,  # out of memory
    "53100": _FULL,  # disk full
    "25006": Fault(
        DatabaseReadOnly,
        "cannot write to database {name}: it is read-only ({reason}); nothing was saved",
    ),
    "55P03": Fault(
        DatabaseLocked,
        "cannot use database {name}: another session held a lock it needs for too long "
        "({reason}); nothing was saved: try again",
        retry=True,
    ),
    "40P01": Fault(
        DatabaseLocked,
        "cannot use database {name}: two changes were made at once ({reason}); nothing was "
        "saved: try again",
        retry=True,
    ),
    "40001": Fault(
        DatabaseLocked,
        "cannot use database {name}: two changes were made at once ({reason}); nothing was "
        "saved: try again",
        retry=True,
    ),
    "3F000": Fault(DatabaseError, "cannot use database {name}: it has no such schema ({reason})"),
    "42P01": _MISMATCH,  # undefined table
    "42703": _MISMATCH,  # undefined column
    "23": _REFUSED_CHANGE,  # integrity constraint violation
    "22": _REFUSED_VALUE,  # data exception
}


def _sqlite_primary(exc: sqlite3.Error) -> str:
    """``SQLITE_IOERR`` for ``SQLITE_IOERR_WRITE``: the primary code of an extended one."""
    name = str(getattr(exc, "sqlite_errorname", "") or "")
    return "_".join(name.split("_")[:2])


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0].strip() if lines else type(exc).__name__


def _file_state(file: Path | None, reason: str) -> str:
    """What the file system says of a SQLite file that cannot be opened or written."""
    if file is None:
        return reason
    folder = file.parent
    if not folder.is_dir():
        return f"its folder {folder} does not exist"
    if file.exists() and not os.access(file, os.R_OK):
        return f"the file {file} cannot be read"
    if file.exists() and not os.access(file, os.W_OK):
        return f"the file {file} cannot be written"
    if not os.access(folder, os.W_OK):
        return f"its folder {folder} cannot be written, and SQLite writes its journal there"
    return reason


def _sqlite_fault(exc: sqlite3.Error, reason: str, file: Path | None) -> Fault | None:
    primary = _sqlite_primary(exc)
    if primary == "SQLITE_ERROR" and reason.startswith(SQLITE_MISMATCH_REASONS):
        return _MISMATCH
    if primary == "SQLITE_CANTOPEN" and file is not None and file.is_file():
        # An existing file whose folder cannot take the WAL or journal file beside it.
        return _READ_ONLY if not os.access(file.parent, os.W_OK) else SQLITE_FAULTS[primary]
    return SQLITE_FAULTS.get(primary)


def _postgres_fault(exc: BaseException, original: BaseException) -> Fault | None:
    sqlstate = getattr(original, "sqlstate", None)
    if isinstance(sqlstate, str):
        found = POSTGRES_FAULTS.get(sqlstate) or POSTGRES_FAULTS.get(sqlstate[:2])
        if found is not None:
            return found
    # psycopg's own errors carry no SQLSTATE: a connection that failed, a NUL in a text.
    if isinstance(exc, IntegrityError):
        return _REFUSED_CHANGE
    if isinstance(exc, DataError):
        return _REFUSED_VALUE
    if isinstance(exc, OperationalError) and sqlstate is None:
        return _UNREACHABLE
    return None


def database_error(
    exc: BaseException,
    name: str,
    file: Path | None = None,
    timeout: float = BUSY_TIMEOUT_SECONDS,
) -> DatabaseError | None:
    """The one-line error for a fault of the database named ``name`` (``file``: its SQLite
    file); None for an error that is not a fault of the database (a programming error, which
    keeps its traceback)."""
    original = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    reason = _first_line(original)
    if isinstance(original, sqlite3.Error):
        fault = _sqlite_fault(original, reason, file)
    else:
        fault = _postgres_fault(exc, original)
    if fault is None and isinstance(exc, OperationalError):
        fault = Fault(DatabaseError, "cannot use database {name}: {reason}")
    if fault is None:
        return None
    message = fault.message.format(
        name=name, reason=reason, timeout=f"{timeout:g}", file=_file_state(file, reason)
    )
    return fault.error(message, retry_after=RETRY_AFTER_SECONDS if fault.retry else None)


class Database:
    """An engine and a session factory for one database URL, checked and migrated on first use
    (and again after a failed first use: a database that comes back is used without a restart)."""

    def __init__(self, url: str) -> None:
        self.url = normalise_url(url)
        self.engine = make_engine(self.url)
        self.file = sqlite_file(self.url)
        self.busy_timeout = busy_timeout(self.url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        # Text longer than its column is refused whatever writes it (SQLite would store it).
        event.listen(self._sessions, "before_flush", lengths.before_flush)
        self._ready = False
        self._readying = threading.Lock()

    @property
    def name(self) -> str:
        return describe(self.url)

    def ensure_ready(self) -> None:
        if self._ready:
            return
        with self._readying:
            if self._ready:
                return
            with self._translate_errors():
                self._check_file()
                prepare(self.engine)
            self._ready = True

    def _check_file(self) -> None:
        """A SQLite file: refuse a folder, a file that is not a database and a damaged one
        before anything writes to it; make the folder of a new one."""
        file = self.file
        if file is None:
            return
        if file.is_dir():
            raise DatabaseError(f"cannot use database {self.name}: {file} is a folder")
        if not file.exists():
            try:
                file.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DatabaseError(
                    f"cannot use database {self.name}: its folder {file.parent} cannot be made "
                    f"({exc.strerror})",
                    retry_after=RETRY_AFTER_SECONDS,
                ) from None
            return
        if file.stat().st_size == 0:
            return  # SQLite's new, empty database
        state = check_sqlite_file(file, self.busy_timeout)
        problems = state.problems
        if problems:
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            raise DatabaseDamaged(
                f"cannot use database {self.name}: the file is damaged (PRAGMA quick_check: "
                f"{problems[0]}{more}); nothing was written: restore it from a backup or load "
                "an export into a new database"
            )
        if state.tables and not state.has_revision:
            raise foreign_database(self.name, state.tables)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed on success and rolled back on any error."""
        self.ensure_ready()
        with self._translate_errors(), self._sessions.begin() as session:
            yield session

    @contextmanager
    def _translate_errors(self) -> Iterator[None]:
        try:
            yield
        except StaleDataError:
            # Two transactions changed one row at once (its version moved under us).
            raise StaleEdit(
                "someone else changed this item at the same moment: nothing was saved; "
                "reload it and make your change again"
            ) from None
        except (SQLAlchemyError, sqlite3.Error) as exc:
            if isinstance(exc.__cause__, DatabaseError):
                raise exc.__cause__ from None
            error = database_error(exc, self.name, self.file, self.busy_timeout)
            if error is None:
                raise
            raise error from None

    def dispose(self) -> None:
        self.engine.dispose()
