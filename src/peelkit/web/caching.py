"""HTTP caching for pages and API alike: ``cached_response(request, produce, media_type=...)``.

Two things, kept apart so that nothing unpublished leaks through them:

- **The ETag is a hash of the body** (and its content type): it changes exactly when what the
  public sees changes, not when a draft is saved, and it is the same in every worker and after
  a restart. ``If-None-Match`` with the current ETag is answered ``304 Not Modified``, no body.
- **The in-process cache** (a small LRU bounded in entries and bytes) keeps bodies by what
  decides their content: the record's change counter (``Workspace.record_version()``, bumped by
  every write), what the public may see at the app clock's time
  (``Workspace.visibility_key(now)``, which changes when an embargo passes), the database,
  peelkit's version, the method (HEAD as GET: HEAD answers with GET's headers), the URL and the
  ``Accept`` header. A repeat request, or a revalidation, is answered from it without producing
  anything; a write or a passing embargo makes a new key, so a kept body is never stale.

``Cache-Control`` is ``public, no-cache`` by default: anyone may keep a copy but must revalidate
it (cheaply, with the ETag) before using it, so an inspection published or an embargo lifted
shows at once. Give ``max_age`` to let a copy be used unchecked for that many seconds.

Only successful answers are cached; errors raised by ``produce`` pass through untouched to the
app's error handlers.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from fastapi import Request
from fastapi.responses import Response

from peelkit import __version__
from peelkit.web.app import now_of, workspace_of

MAX_ENTRIES = 512
MAX_BYTES = 64 * 1024 * 1024
# A body larger than this is answered but not kept.
MAX_ENTRY_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class Body:
    """What ``produce`` may return instead of bare text: the content and headers that depend
    on it (a ``Link`` to the next page, a ``Content-Disposition``)."""

    content: str | bytes
    headers: Mapping[str, str] = field(default_factory=dict)


Produce = Callable[[], "str | bytes | Body"]


@dataclass(frozen=True)
class _Entry:
    content: bytes
    headers: tuple[tuple[str, str], ...]
    etag: str


class ResponseCache:
    """A bounded LRU of response bodies by ETag key (entries and bytes both bounded)."""

    def __init__(self, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: str) -> _Entry | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return entry

    def put(self, key: str, entry: _Entry) -> None:
        size = len(entry.content)
        if size > MAX_ENTRY_BYTES or size > self.max_bytes:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= len(old.content)
            self._entries[key] = entry
            self._bytes += size
            while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
                _, dropped = self._entries.popitem(last=False)
                self._bytes -= len(dropped.content)

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0


_CREATE_LOCK = threading.Lock()


def cache_of(request: Request) -> ResponseCache:
    """The app's response cache (one per app, made on first use)."""
    state = request.app.state
    cache: ResponseCache | None = getattr(state, "response_cache", None)
    if cache is None:
        with _CREATE_LOCK:
            cache = getattr(state, "response_cache", None)
            if cache is None:
                cache = ResponseCache()
                state.response_cache = cache
    return cache


def _record_state(request: Request) -> str:
    """What decides every answer's content besides the request: the database, the record's
    change counter and what the public may see at the app clock's time."""
    workspace = workspace_of(request)
    version = workspace.record_version()
    visibility = workspace.visibility_key(now_of(request))
    return f"{workspace.database_name}|{version}|{visibility}"


def _request_basis(request: Request, media_type: str) -> str:
    method = "GET" if request.method == "HEAD" else request.method
    accept = request.headers.get("accept", "")
    return f"{__version__}|{method}|{request.url}|{accept}|{media_type}"


def _digest(*parts: str | bytes) -> str:
    hashed = hashlib.sha256()
    for part in parts:
        hashed.update(part.encode("utf-8") if isinstance(part, str) else part)
        hashed.update(b"\x00")
    return hashed.hexdigest()[:32]


def _entry(produced: str | bytes | Body, media_type: str) -> _Entry:
    body = produced if isinstance(produced, Body) else Body(produced)
    content = body.content.encode("utf-8") if isinstance(body.content, str) else body.content
    headers = tuple(body.headers.items())
    etag = f'"{_digest(media_type, *(f"{k}: {v}" for k, v in headers), content)}"'
    return _Entry(content, headers, etag)


def etag_matches(header: str | None, etag: str) -> bool:
    """``If-None-Match`` names ``etag`` (weak comparison, as RFC 9110 says for GET) or is
    ``*`` (the resource has a representation: this one)."""
    if not header:
        return False
    wanted = etag.removeprefix("W/")
    tags = [candidate.strip() for candidate in header.split(",")]
    return any(tag == "*" or tag.removeprefix("W/") == wanted for tag in tags)


def cache_control(max_age: int) -> str:
    return f"public, max-age={max_age}" if max_age > 0 else "public, no-cache"


def cached_response(
    request: Request,
    produce: Produce,
    *,
    media_type: str,
    max_age: int = 0,
    vary: str = "Accept",
) -> Response:
    """The response to ``request``: the body from the in-process cache or from ``produce()``
    (kept for next time), with ``ETag``, ``Cache-Control`` and ``Vary``; 304 with no body if
    the client holds the current ETag. HEAD gets GET's headers and no body."""
    key = _digest(_record_state(request), _request_basis(request, media_type))
    cache = cache_of(request)
    entry = cache.get(key)
    if entry is None:
        entry = _entry(produce(), media_type)
        cache.put(key, entry)
    headers = {"ETag": entry.etag, "Cache-Control": cache_control(max_age), "Vary": vary}
    if etag_matches(request.headers.get("if-none-match"), entry.etag):
        return Response(status_code=304, headers=headers)
    headers.update(entry.headers)
    if request.method == "HEAD":
        headers["Content-Length"] = str(len(entry.content))
        return Response(status_code=200, headers=headers, media_type=media_type)
    return Response(entry.content, status_code=200, headers=headers, media_type=media_type)
