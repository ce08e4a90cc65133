"""Reading the JSON files users give (exports): typed access to one object that names the
exact place of any problem as a JSON pointer (``/documents/3/sha256``, RFC 6901), and
``located`` to name the place when the record refuses an item."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from peelkit.errors import DataFileError, PeelkitError


class Reader:
    """Typed access to one JSON object, naming the exact place of any problem."""

    def __init__(self, file: str, path: str, value: Any, fields: dict[str, bool]) -> None:
        self.file = file
        self.path = path
        if not isinstance(value, dict):
            raise self.fail(f"expected an object, found {kind_of(value)}")
        for key in value:
            if key not in fields:
                raise self.fail(f"unknown field {key!r}")
        for key, required in fields.items():
            if required and key not in value:
                raise self.fail(f"missing field {key!r}")
        self.value: dict[str, Any] = value

    def fail(self, problem: str, *keys: str | int) -> DataFileError:
        return DataFileError(self.file, pointer(self.path, *keys), problem)

    def _typed(self, key: str, kinds: tuple[type, ...], label: str) -> Any:
        value = self.value.get(key)
        if value is None:
            return None
        if isinstance(value, bool) and bool not in kinds:
            raise self.fail(f"expected {label}, found {kind_of(value)}", key)
        if not isinstance(value, kinds):
            raise self.fail(f"expected {label}, found {kind_of(value)}", key)
        return value

    def text(self, key: str) -> str | None:
        value: str | None = self._typed(key, (str,), "text")
        return value

    def required_text(self, key: str) -> str:
        value = self.text(key)
        if value is None:
            raise self.fail("expected text, found null", key)
        return value

    def integer(self, key: str) -> int | None:
        value: int | None = self._typed(key, (int,), "a whole number")
        return value

    def number(self, key: str) -> float | None:
        value = self._typed(key, (int, float), "a number")
        return None if value is None else float(value)

    def flag(self, key: str) -> bool:
        value = self._typed(key, (bool,), "true or false")
        return bool(value)

    def date(self, key: str) -> dt.date | None:
        value = self.text(key)
        if value is None:
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise self.fail(f"expected a date YYYY-MM-DD, found {value!r}", key) from None

    def datetime(self, key: str) -> dt.datetime | None:
        value = self.text(key)
        if value is None:
            return None
        try:
            return dt.datetime.fromisoformat(value)
        except ValueError:
            raise self.fail(f"expected a date and time, found {value!r}", key) from None

    def items(self, key: str) -> list[Any]:
        value = self.value.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(f"expected a list, found {kind_of(value)}", key)
        return value

    def texts(self, key: str) -> list[str]:
        values = self.items(key)
        for i, item in enumerate(values):
            if not isinstance(item, str):
                raise self.fail(f"expected text, found {kind_of(item)}", key, i)
        return values

    def objects(self, key: str) -> list[dict[str, Any]]:
        values = self.items(key)
        for i, item in enumerate(values):
            if not isinstance(item, dict):
                raise self.fail(f"expected an object, found {kind_of(item)}", key, i)
        return values


# A part of a place longer than this is cut in messages (a hostile key can be megabytes long).
_LONGEST_PART = 60


def pointer(base: str, *parts: str | int) -> str:
    """The JSON pointer (RFC 6901) of ``parts`` below ``base`` (``""`` is the whole document):
    ``pointer("/inspections/3", "judgments", 0)`` is ``/inspections/3/judgments/0``. A part
    that cannot be printed on one line is written with JSON escapes, a very long one is cut."""
    for part in parts:
        text = str(part).replace("~", "~0").replace("/", "~1")
        if not text.isprintable():
            text = json.dumps(text)[1:-1]
        if len(text) > _LONGEST_PART:
            text = text[: _LONGEST_PART - 1] + "…"
        base = f"{base}/{text}"
    return base


def kind_of(value: Any) -> str:
    if value is None:
        return "null"
    return {
        bool: "true/false",
        int: "a number",
        float: "a number",
        str: "text",
        list: "a list",
        dict: "an object",
    }.get(type(value), type(value).__name__)


@contextmanager
def located(file: str, path: str) -> Iterator[None]:
    """Name the place in the file when the record refuses an item."""
    try:
        yield
    except DataFileError:
        raise
    except PeelkitError as exc:
        raise DataFileError(file, path, str(exc)) from None
