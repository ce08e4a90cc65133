"""Connecting to the database, migrating it, and keeping its reference tables current."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import platformdirs
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from peelkit.errors import DatabaseError, StaleEdit
from peelkit.frameworks import load_all
from peelkit.record.schema import ForceRow, FrameworkAreaRow, FrameworkRow
from peelkit.reference import all_forces

ENV_VAR = "PEELKIT_DATABASE_URL"


def default_database_url() -> str:
    """``PEELKIT_DATABASE_URL`` if set, else a SQLite file in the user's data directory."""
    from_env = os.environ.get(ENV_VAR)
    if from_env:
        return from_env
    folder = Path(platformdirs.user_data_dir("peelkit"))
    return f"sqlite:///{folder / 'peelkit.sqlite'}"


def normalise_url(text: str) -> URL:
    """Accept a SQLAlchemy URL, ``postgresql://`` (driven by psycopg 3) or a plain file path."""
    if "://" not in text:
        return make_url(f"sqlite:///{Path(text).expanduser()}")
    try:
        url = make_url(text)
    except (ArgumentError, ValueError):  # ValueError: a port that is not a number
        raise DatabaseError(
            f"invalid database URL {text!r}", code="database_url_invalid", kind="invalid"
        ) from None
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    return url


def describe(url: URL) -> str:
    return url.render_as_string(hide_password=True)


def make_engine(url: URL) -> Engine:
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        try:
            Path(url.database or "").expanduser().parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseError(f"cannot use database {describe(url)}: {exc.strerror}") from None
    try:
        engine = create_engine(url)
    except (NoSuchModuleError, ArgumentError) as exc:
        raise DatabaseError(
            f"unsupported database URL {describe(url)}: {exc}",
            code="database_unsupported",
            kind="invalid",
        ) from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_foreign_keys)
    return engine


def _sqlite_foreign_keys(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", "peelkit.record:migrations")
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration (a no-op when it is already there)."""
    with engine.begin() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
        if current == head_revision():
            return
        config = _alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


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


class Database:
    """An engine and a session factory for one database URL, migrated on first use."""

    def __init__(self, url: str) -> None:
        self.url = normalise_url(url)
        self.engine = make_engine(self.url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._ready = False

    @property
    def name(self) -> str:
        return describe(self.url)

    def ensure_ready(self) -> None:
        if self._ready:
            return
        with self._translate_errors():
            migrate(self.engine)
            with self._sessions.begin() as session:
                sync_reference(session)
        self._ready = True

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
        except OperationalError as exc:
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            raise DatabaseError(f"cannot use database {self.name}: {reason}") from None
        except StaleDataError:
            # Two transactions changed one row at once (its version moved under us).
            raise StaleEdit(
                "someone else changed this item at the same moment: nothing was saved; "
                "reload it and make your change again"
            ) from None
        except SQLAlchemyError as exc:
            if isinstance(exc.__cause__, DatabaseError):
                raise exc.__cause__ from None
            raise

    def dispose(self) -> None:
        self.engine.dispose()
