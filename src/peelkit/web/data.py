"""The downloads: ``/data`` (the page listing the open-data files) and ``/data/{name}`` (each
file: the CSV files, ``datapackage.json``, ``record.json``), exactly as ``peel export-open``
writes them, from the inspections public at the app clock's time.

The folder is built on the first request and kept, with its files in memory, while the
record's change counter and what is public stay the same
(``Workspace.record_version()``, ``Workspace.visibility_key(now)``); a write or a passing
embargo makes the next request build it again. Responses go through
:func:`peelkit.web.caching.cached_response` (ETag, ``Cache-Control``, 304).
"""

from __future__ import annotations

import datetime as dt
import tempfile
import threading
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from peelkit.errors import NotFound
from peelkit.names import closest
from peelkit.opendata import file_names, write_open_data
from peelkit.views.open_data import OpenDataFilesView
from peelkit.web.app import now_of, workspace_of
from peelkit.web.caching import Body, cached_response
from peelkit.web.pages import HTML, html_of
from peelkit.workspace import Workspace

router = APIRouter(include_in_schema=False)

MEDIA_TYPES = {".csv": "text/csv; charset=utf-8", ".json": "application/json"}


@dataclass(frozen=True)
class BuiltOpenData:
    """One build of the open-data folder: what it holds and the bytes of every file."""

    key: Hashable
    files: OpenDataFilesView
    content: Mapping[str, bytes]


class OpenDataCache:
    """The latest build, by (database, record version, visibility); one build at a time (a
    request arriving during a build waits for it and gets its files)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._built: BuiltOpenData | None = None
        self.builds = 0

    def get(self, workspace: Workspace, now: dt.datetime) -> BuiltOpenData:
        key = _state_key(workspace, now)
        with self._lock:
            built = self._built
            if built is not None and built.key == key:
                return built
            built = self._built = _build(workspace, now, key)
            self.builds += 1
            return built


def _state_key(workspace: Workspace, now: dt.datetime) -> Hashable:
    return (workspace.database_name, workspace.record_version(), workspace.visibility_key(now))


def _build(workspace: Workspace, now: dt.datetime, key: Hashable) -> BuiltOpenData:
    with tempfile.TemporaryDirectory(prefix="peelkit-open-data-") as scratch:
        folder = Path(scratch) / "open-data"
        files = write_open_data(workspace.open_data(public_at=now), folder, created=now)
        content = {f.name: (folder / f.name).read_bytes() for f in files.files}
    return BuiltOpenData(key=key, files=files, content=content)


_CREATE_LOCK = threading.Lock()


def open_data_cache(request: Request) -> OpenDataCache:
    """The app's open-data cache (one per app, made on first use)."""
    state = request.app.state
    found: OpenDataCache | None = getattr(state, "open_data_cache", None)
    if found is None:
        with _CREATE_LOCK:
            found = getattr(state, "open_data_cache", None)
            if found is None:
                found = state.open_data_cache = OpenDataCache()
    return found


def built_open_data(request: Request) -> BuiltOpenData:
    return open_data_cache(request).get(workspace_of(request), now_of(request))


@router.get("/data", response_class=HTMLResponse)
def data_page(request: Request) -> Response:
    def produce() -> str:
        built = built_open_data(request)
        return html_of(request, "data.html.j2", view=built.files)

    return cached_response(request, produce, media_type=HTML)


@router.get("/data/{name}")
def data_file(request: Request, name: str) -> Response:
    known = file_names()
    if name not in known:
        suggestions = closest(name, list(known))
        hint = f"closest: {', '.join(suggestions)}" if suggestions else f"files: {', '.join(known)}"
        raise NotFound(f"no open-data file {name!r} ({hint})", code="download_not_found")
    media_type = MEDIA_TYPES[Path(name).suffix]

    def produce() -> Body:
        content = built_open_data(request).content[name]
        disposition = "inline" if name == "datapackage.json" else "attachment"
        headers = {
            "Content-Disposition": f'{disposition}; filename="{name}"',
            "Access-Control-Allow-Origin": "*",
        }
        return Body(content, headers)

    return cached_response(request, produce, media_type=media_type)
