"""Where the record is kept by default, told without opening it (no SQLAlchemy imported).

A command that only reads may skip the database when there is none: the SQLite file the URL
names does not exist, so nothing was ever imported into it (``peel indicators`` then computes
from the embedded dataset and the shipped most similar groups, as an empty record would).
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

ENV_VAR = "PEELKIT_DATABASE_URL"


def default_database_url() -> str:
    """``PEELKIT_DATABASE_URL`` if set, else a SQLite file in the user's data directory."""
    from_env = os.environ.get(ENV_VAR)
    if from_env:
        return from_env
    folder = Path(platformdirs.user_data_dir("peelkit"))
    return f"sqlite:///{folder / 'peelkit.sqlite'}"


def sqlite_path(text: str | None) -> Path | None:
    """The SQLite file ``text`` (a URL or a plain path, None for the default) names; None for
    anything else (another database, an in-memory one, a URL with options), which the caller
    opens as usual."""
    url = text or default_database_url()
    if "://" not in url:
        path = Path(url).expanduser()
    elif url.startswith("sqlite:///") and "?" not in url:
        path = Path(url.removeprefix("sqlite:///"))
    else:
        return None
    if not str(path) or str(path) in (".", ":memory:"):
        return None
    return path


def missing_sqlite_file(text: str | None) -> bool:
    """Whether ``text`` names a SQLite file that does not exist (see :func:`sqlite_path`)."""
    path = sqlite_path(text)
    return path is not None and not path.exists()
