"""One function from any view to JSON data: dataclasses become objects with their fields in
declaration order, tuples become lists, dates ISO strings. Fields whose name starts with an
underscore are private to the view and left out."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

JsonValue = Any


def to_json(value: object) -> JsonValue:
    """``value`` as JSON-ready data (dicts, lists, strings, numbers, booleans, None)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: to_json(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if not f.name.startswith("_")
        }
    if isinstance(value, Mapping):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value) if isinstance(value, set | frozenset) else value
        return [to_json(v) for v in items]
    if isinstance(value, enum.Enum):
        return to_json(value.value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"{type(value).__name__} is not a view value")


def dumps(value: object, indent: int | None = 2) -> str:
    """The view as a JSON document (UTF-8 text, keys in the view's order)."""
    return json.dumps(to_json(value), indent=indent, ensure_ascii=False)
