"""A list of views as CSV: one row per item, nested objects flattened to dotted column names.

- A nested object becomes one column per field, named by its path: ``era.statistics.basis``.
  A map whose keys are data (a framework's ``levels``) becomes one column per key found in the
  list (``levels.pillar``), in the order first met.
- A list becomes one cell holding it as JSON text (``["Met", "MPS"]``), so that nothing is lost
  and a cell never has to be split on a separator that could occur in the text; a list of
  objects with a key of their own (a force's grades, one per area) may instead be spread over
  columns by that key: ``grades.effectiveness.label``.
- ``null`` is an empty cell, ``true``/``false`` are written as such, numbers as JSON writes them.
- Text cells are protected against formula injection as OWASP advises: a cell that begins with
  ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a ``'`` in front. Numbers are
  written as numbers (a negative number is not a formula, and stays a number).

The columns come from the view's type when it is known, so an empty list still has its header
and every page of a list has the same columns in the same order.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import types
import typing
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import Any

# The first characters that make a spreadsheet read a cell as a formula (OWASP: CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# A column path, or a map field whose columns are its keys (expanded from the data).
_Column = tuple[str, bool]


def _unwrap_optional(hint: Any) -> Any:
    """``X | None`` -> ``X``; anything else as it is."""
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        members = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(members) == 1:
            return members[0]
    return hint


def _is_mapping(hint: Any) -> bool:
    origin = typing.get_origin(hint) or hint
    return isinstance(origin, type) and issubclass(origin, Mapping)


@cache
def type_columns(view: type, prefix: str = "") -> tuple[_Column, ...]:
    """The columns of a view type: (path, is a map expanded from the data)."""
    hints = typing.get_type_hints(view)
    found: list[_Column] = []
    for field in dataclasses.fields(view):
        if field.name.startswith("_"):
            continue
        path = f"{prefix}{field.name}"
        hint = _unwrap_optional(hints[field.name])
        if dataclasses.is_dataclass(hint) and isinstance(hint, type):
            found.extend(type_columns(hint, f"{path}."))
        elif _is_mapping(hint):
            found.append((path, True))
        else:
            found.append((path, False))
    return tuple(found)


def _flatten(value: Any, prefix: str, into: dict[str, Any]) -> None:
    if isinstance(value, Mapping):
        for key, item in value.items():
            _flatten(item, f"{prefix}.{key}" if prefix else str(key), into)
    else:
        into[prefix] = value


def flatten(item: Mapping[str, Any]) -> dict[str, Any]:
    """One JSON object as ``{dotted path: scalar or list}``."""
    flat: dict[str, Any] = {}
    _flatten(item, "", flat)
    return flat


def columns_for(
    rows: Sequence[Mapping[str, Any]],
    view: type | None = None,
    expanded: frozenset[str] = frozenset(),
) -> list[str]:
    """The columns of flattened rows: the view type's, its maps (and the fields named in
    ``expanded``) expanded from the rows; without a type, every path in the order first met."""
    if view is None:
        seen: dict[str, None] = {}
        for row in rows:
            seen.update(dict.fromkeys(row))
        return list(seen)
    columns: list[str] = []
    for path, is_map in type_columns(view):
        if not is_map and path not in expanded:
            columns.append(path)
            continue
        keys: dict[str, None] = {}
        for row in rows:
            keys.update(dict.fromkeys(k for k in row if k.startswith(f"{path}.")))
        columns.extend(keys)
    return columns


def cell(value: Any) -> str | int | float:
    """A CSV cell: numbers stay numbers; text is protected against formula injection."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return value
    if isinstance(value, list | tuple):
        return safe_text(json.dumps(list(value), ensure_ascii=False))
    return safe_text(str(value))


def safe_text(text: str) -> str:
    """``text``, with a ``'`` in front if a spreadsheet would read it as a formula."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def keyed_lists(item: Mapping[str, Any], keyed: Mapping[str, str]) -> dict[str, Any]:
    """``item`` with each list field named in ``keyed`` made a map by a field of its objects
    (``{"grades": "area_id"}``: ``grades`` by area id), that field left out of each object."""
    out = dict(item)
    for name, by in keyed.items():
        value = out.get(name)
        if isinstance(value, list):
            out[name] = {
                str(entry[by]): {k: v for k, v in entry.items() if k != by}
                for entry in value
                if isinstance(entry, Mapping)
            }
    return out


def to_csv(
    items: Iterable[Mapping[str, Any]],
    view: type | None = None,
    *,
    keyed: Mapping[str, str] | None = None,
) -> str:
    """The items (JSON objects, as ``to_json`` gives them) as CSV text with a header row
    (RFC 4180: comma-separated, CRLF line ends, cells quoted where they need it). Lists of
    objects named in ``keyed`` become columns by a field of theirs (:func:`keyed_lists`)."""
    rows = [flatten(keyed_lists(item, keyed) if keyed else item) for item in items]
    columns = columns_for(rows, view, frozenset(keyed or ()))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([cell(row.get(c)) for c in columns])
    return out.getvalue()
