"""Keyset pagination of the API's lists: ``?limit=`` (bounded) and an opaque ``cursor``.

A cursor is the sort key of the last item of a page, written as URL-safe base64 of a small JSON
document with a check value: ``{"k": [key...], "c": check}``. Decoding is strict: anything that
is not such a document, whose check does not match, or whose key does not have the shape of the
list's keys is an :class:`InvalidCursor` (HTTP 400), never a 500. The next page starts after the
first item whose key is greater than the cursor's, so a page boundary stays put while items
before it come and go (lists held in memory are sorted by their key; searches keep their own
cursors, which the API passes through).

The check is a keyed hash (not a secret signature: cursors carry nothing private, only keys of
items the caller has already seen); it catches cursors that were cut, edited or made up.
"""

from __future__ import annotations

import base64
import binascii
import bisect
import hashlib
import hmac
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from peelkit.errors import Location, PeelkitError

T = TypeVar("T")
KeyPart = str | int
Key = tuple[KeyPart, ...]

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
# Cursors longer than this are refused before decoding (keys are short).
MAX_CURSOR_LENGTH = 1024
_CHECK_KEY = b"peelkit-api-cursor-v1"


class InvalidCursor(PeelkitError):
    """A ``cursor`` that is not one the API gave out."""

    code = "invalid_cursor"

    def __init__(self, problem: str) -> None:
        super().__init__(
            f"cursor: {problem}; use the cursor of a list's 'next' link as it is, or leave it "
            "out for the first page",
            location=Location(field="cursor"),
        )


def _check(payload: str) -> str:
    return hmac.new(_CHECK_KEY, payload.encode("utf-8"), hashlib.sha256).hexdigest()[:16]


def _key_payload(key: Key) -> str:
    return json.dumps(list(key), ensure_ascii=True, separators=(",", ":"))


def encode_cursor(key: Key) -> str:
    """The opaque cursor of ``key`` (the last item's sort key)."""
    payload = _key_payload(key)
    document = json.dumps({"k": list(key), "c": _check(payload)}, separators=(",", ":"))
    return base64.urlsafe_b64encode(document.encode("utf-8")).decode("ascii").rstrip("=")


def decode_cursor(cursor: str, shape: Sequence[type] | None = None) -> Key:
    """The key a cursor holds, checked to have ``shape`` (the types of the list's key parts;
    None: any key of text and whole numbers, for a list with no items to compare with)."""
    if not cursor or len(cursor) > MAX_CURSOR_LENGTH:
        raise InvalidCursor("empty or too long")
    if not all(c.isascii() and (c.isalnum() or c in "-_") for c in cursor):
        raise InvalidCursor("not a cursor (unexpected characters)")
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        document = json.loads(raw.decode("utf-8"))
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise InvalidCursor("not a cursor (cannot be decoded)") from None
    if not isinstance(document, dict) or set(document) != {"k", "c"}:
        raise InvalidCursor("not a cursor (unexpected content)")
    key, check = document["k"], document["c"]
    if not isinstance(key, list) or not isinstance(check, str):
        raise InvalidCursor("not a cursor (unexpected content)")
    if not hmac.compare_digest(check, _check(_key_payload(tuple(key)))):
        raise InvalidCursor("not a cursor (its check does not match)")
    kinds = shape if shape is not None else [type(p) for p in key]
    if (
        not key
        or len(key) != len(kinds)
        or not all(type(p) is k and k in (str, int) for p, k in zip(key, kinds, strict=True))
    ):
        raise InvalidCursor("a cursor of another list")
    return tuple(key)


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list: its items, the cursor of the next page (None on the last) and how
    many items the whole list has."""

    items: tuple[T, ...]
    next: str | None
    total: int


def paginate(
    items: Sequence[T],
    key: Callable[[T], Key],
    *,
    limit: int = DEFAULT_LIMIT,
    cursor: str | None = None,
) -> Page[T]:
    """The page of ``items`` (in the order of ``key``, which must be unique) after ``cursor``."""
    if not 1 <= limit <= MAX_LIMIT:
        raise PeelkitError(
            f"limit: expected a number from 1 to {MAX_LIMIT}, got {limit}",
            code="invalid_parameter",
            location=Location(field="limit"),
        )
    ordered = sorted(items, key=key)
    keys = [key(item) for item in ordered]
    if len(set(keys)) != len(keys):
        raise ValueError("pagination keys must be unique")
    start = 0
    if cursor is not None:
        after = decode_cursor(cursor, [type(part) for part in keys[0]] if keys else None)
        start = bisect.bisect_right(keys, after)
    chosen = ordered[start : start + limit]
    more = start + limit < len(ordered)
    return Page(
        items=tuple(chosen),
        next=encode_cursor(key(chosen[-1])) if more and chosen else None,
        total=len(ordered),
    )
