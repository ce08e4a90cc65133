"""Shared fixtures: the ../shared folder, and databases on SQLite and (for real) PostgreSQL.

Tests that take ``database_url`` run once on SQLite and once on PostgreSQL. The PostgreSQL run
needs ``PEELKIT_TEST_POSTGRES_URL`` (CI sets it); each test gets a schema of its own, dropped
afterwards, so tests never see each other's data.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from peelkit import Workspace
from peelkit.record.database import normalise_url

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
POSTGRES_ENV = "PEELKIT_TEST_POSTGRES_URL"


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.fail(f"the shared folder is missing: expected it beside the repository ({SHARED})")
    return SHARED


@pytest.fixture(scope="session")
def reference_reports(shared: Path) -> Path:
    return shared / "reference-reports"


@pytest.fixture(scope="session")
def raw_data(shared: Path) -> Path:
    return shared / "data" / "raw"


def _postgres_base() -> str | None:
    return os.environ.get(POSTGRES_ENV) or None


@contextmanager
def _private_schema() -> Iterator[str]:
    """A URL whose connections work in a fresh PostgreSQL schema, dropped afterwards."""
    base = _postgres_base()
    if base is None:
        pytest.skip(f"{POSTGRES_ENV} is not set (CI sets it)")
    schema = f"peelkit_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(normalise_url(base))
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = normalise_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'record.sqlite'}"
        return
    with _private_schema() as url:
        yield url


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL schema, for what only PostgreSQL has (its search vectors)."""
    with _private_schema() as url:
        yield url


@pytest.fixture
def second_database_url(database_url: str, tmp_path: Path) -> Iterator[str]:
    """Another empty database of the same kind as ``database_url``."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'second.sqlite'}"
        return
    with _private_schema() as url:
        yield url


@pytest.fixture
def open_workspace() -> Iterator[Callable[[str], Workspace]]:
    """Open workspaces on URLs; all are closed (their connections returned) at teardown."""
    opened: list[Workspace] = []

    def factory(url: str) -> Workspace:
        workspace = Workspace(url)
        opened.append(workspace)
        return workspace

    yield factory
    for workspace in opened:
        workspace.close()


@pytest.fixture
def workspace(database_url: str, open_workspace: Callable[[str], Workspace]) -> Workspace:
    return open_workspace(database_url)
