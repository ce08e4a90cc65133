"""Checking an export file whole before ``peel load`` writes any of it.

Three passes, each naming the first problem as the file and a JSON pointer (RFC 6901,
``/inspections/3/judgments/0/grade``) on one line, so that a refused file loads nothing:

1. :func:`parse`: the JSON itself. Duplicate keys in one object (a JSON reader keeps only one of
   them), lists and objects nested deeper than :data:`MAX_DEPTH`, numbers no database stores
   (``NaN``, ``Infinity``, ``1e400``, whole numbers of 2^63 or more) and text the database cannot
   store (a NUL character, half of a surrogate pair) are refused here.
2. :func:`check_schema`: the shape, against ``export.schema.json`` (JSON Schema 2020-12, the
   format's one description: fields and their types, ids and counts within the database's
   32-bit columns, text within the length of its column). The schema is checked as a schema by
   ``jsonschema`` (in the tests) and run compiled (:func:`_compile`, 20 times faster than
   ``jsonschema``'s own validation, which the tests hold it to).
3. :func:`check_record`: what a schema cannot say: ids unique within each kind of item,
   references (a judgment's document, a recommendation's cause of concern, follow-up links to
   findings) to ids in the file, one document per checksum, a force not in its own most similar
   group, and the other one-of-a-kind rules of the record's tables.

The loader (``peelkit.record.exchange``) then checks what needs the frameworks and forces
(areas, grades, finding kinds), still before its transaction commits.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, cast

from jsonschema import Draft202012Validator
from jsonschema.validators import extend

from peelkit.domain.forces import MAX_PEERS
from peelkit.domain.years import normalise_year
from peelkit.errors import DataFileError
from peelkit.frameworks import load_framework
from peelkit.record.json_reader import kind_of, located, pointer
from peelkit.reference import resolve_force

SCHEMA_FILE = "export.schema.json"
FORMAT = "peelkit-record"
READABLE_VERSIONS = (1, 2)
# Deeper than any export (a criteria result inside an evidence item is 7 levels down) and far
# below the depth at which Python's JSON reader gives up.
MAX_DEPTH = 64
# No whole number in an export reaches this; no database column peelkit uses could hold it.
INTEGER_LIMIT = 2**63
_RANGE = "whole numbers in an export are between -2^63 and 2^63 - 1"
# Longer literals are not even converted to numbers (Python refuses past 4300 digits).
_LONGEST_INTEGER = 25
_SHOWN_VALUE = 40  # characters of an offending value a message repeats


# --- 1. the JSON itself ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Unreadable:
    """A number literal the parser met that no database stores, kept to be named with its place."""

    literal: str
    problem: str


def _integer(literal: str) -> int | _Unreadable:
    if len(literal) > _LONGEST_INTEGER:
        digits = len(literal.lstrip("-"))
        return _Unreadable(literal, f"a whole number of {digits} digits is out of range ({_RANGE})")
    return int(literal)


def _float(literal: str) -> float | _Unreadable:
    value = float(literal)
    if not math.isfinite(value):
        return _Unreadable(literal, f"{_shown(literal)} is too large for any database")
    return value


def _constant(literal: str) -> _Unreadable:
    return _Unreadable(literal, f"{literal} is not a number JSON allows (nor does the database)")


def _shown(value: str) -> str:
    return value if len(value) <= _SHOWN_VALUE else value[: _SHOWN_VALUE - 1] + "…"


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# The escapes that can leave half a surrogate pair in a string; without any, no string has one.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


def parse(text: str, file: str) -> Any:
    """The JSON value of ``text``, refused (:class:`DataFileError`) where it has duplicate keys,
    nesting deeper than :data:`MAX_DEPTH`, or numbers or text no database stores.

    The walk that names the place of such a problem (:func:`_check_values`) runs only where one
    may be: a duplicate key or a number out of range met while parsing, an escape that can
    write NUL or half a surrogate pair, or nesting deeper than allowed."""
    duplicates: dict[int, str] = {}
    doubtful = False

    def integer(literal: str) -> int | _Unreadable:
        nonlocal doubtful
        if len(literal) >= _SAFE_DIGITS:
            doubtful = True
        return _integer(literal)

    def number(literal: str) -> float | _Unreadable:
        nonlocal doubtful
        value = _float(literal)
        if type(value) is not float:
            doubtful = True
        return value

    def constant(literal: str) -> _Unreadable:
        nonlocal doubtful
        doubtful = True
        return _constant(literal)

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        value = dict(items)
        if len(value) != len(items):
            seen: set[str] = set()
            for key, _ in items:
                if key in seen:
                    duplicates[id(value)] = key
                    break
                seen.add(key)
        return value

    try:
        document = json.loads(
            text,
            object_pairs_hook=pairs,
            parse_int=integer,
            parse_float=number,
            parse_constant=constant,
        )
    except json.JSONDecodeError as exc:
        raise DataFileError(
            file, f"line {exc.lineno}, column {exc.colno}", f"not valid JSON ({exc.msg})"
        ) from None
    except RecursionError:
        line, column = _too_deep_at(text)
        raise _too_deep(file, f"line {line}, column {column}") from None
    surrogates = _SURROGATE_ESCAPE.search(text) is not None
    if doubtful or duplicates or surrogates or _NUL_ESCAPE in text or not _nested_within(document):
        _check_values(document, file, duplicates, surrogates)
    return document


# Whole numbers written with fewer characters are within the range (2^63 has 19 digits).
_SAFE_DIGITS = 19
# The only way a JSON text can hold a NUL (a raw one is refused by the parser).
_NUL_ESCAPE = "\\u0000"


def _nested_within(document: Any) -> bool:
    """Whether no list or object lies deeper than :data:`MAX_DEPTH` (the document is level 1)."""
    if type(document) is not dict and type(document) is not list:
        return True
    stack: list[tuple[Any, int]] = [(document, 1)]
    while stack:
        node, depth = stack.pop()
        for value in node.values() if type(node) is dict else node:
            kind = type(value)
            if kind is dict or kind is list:
                if depth >= MAX_DEPTH:
                    return False
                if value:
                    stack.append((value, depth + 1))
    return True


def _too_deep(file: str, where: str) -> DataFileError:
    return DataFileError(
        file,
        where,
        f"lists and objects are nested deeper than {MAX_DEPTH} levels",
        code="json_too_deep",
    )


def _too_deep_at(text: str) -> tuple[int, int]:
    """The line and column of the bracket that opens level ``MAX_DEPTH + 1`` (only called for a
    file too deep for Python's reader, so its cost does not matter)."""
    depth = 0
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                start = match.start()
                line = text.count("\n", 0, start) + 1
                return line, start - (text.rfind("\n", 0, start) + 1) + 1
        elif token in "]}":
            depth -= 1
    return 1, 1


def _check_values(document: Any, file: str, duplicates: dict[int, str], surrogates: bool) -> None:
    """Walk the parsed document once (without recursion), in the order of the file."""

    def scalar(value: Any, where: str) -> None:
        if isinstance(value, str):
            _check_text(value, file, where, surrogates)
        elif type(value) is int:
            if not -INTEGER_LIMIT <= value < INTEGER_LIMIT:
                raise DataFileError(
                    file,
                    where,
                    f"{_shown(str(value))} is out of range ({_RANGE})",
                    code="number_out_of_range",
                )
        elif isinstance(value, _Unreadable):
            raise DataFileError(file, where, value.problem, code="number_out_of_range")

    if not isinstance(document, dict | list):
        scalar(document, "")
        return
    stack: list[tuple[Any, str, int]] = [(document, "", 1)]
    while stack:
        node, where, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise _too_deep(file, where)
        entries: Iterator[tuple[str | int, Any]]
        if isinstance(node, dict):
            duplicate = duplicates.get(id(node)) if duplicates else None
            if duplicate is not None:
                raise DataFileError(
                    file,
                    where,
                    f"the key {_shown(duplicate)!r} appears twice in one object (which one "
                    "counts is not defined)",
                    code="json_duplicate_key",
                )
            for key in node:
                _check_text(key, file, where, surrogates, "a key")
            entries = iter(node.items())
        else:
            entries = enumerate(node)
        below = []
        for key, value in entries:
            if isinstance(value, dict | list):
                below.append((value, pointer(where, key), depth + 1))
            else:
                scalar(value, pointer(where, key))
        stack.extend(reversed(below))


def _check_text(value: str, file: str, where: str, surrogates: bool, what: str = "text") -> None:
    if "\x00" in value:
        raise DataFileError(
            file,
            where,
            f"{what} holds a NUL character (\\u0000), which the database cannot store",
            code="text_not_storable",
        )
    if surrogates and (match := _LONE_SURROGATE.search(value)) is not None:
        raise DataFileError(
            file,
            where,
            f"{what} holds half of a surrogate pair (\\u{ord(match.group()):04x}), which is not "
            "a character and cannot be stored",
            code="text_not_storable",
        )


# --- 2. the shape: the JSON Schema -------------------------------------------------------------


@cache
def export_schema() -> dict[str, Any]:
    """``export.schema.json``, the export format's JSON Schema."""
    text = (resources.files("peelkit.record") / SCHEMA_FILE).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def _whole_number(checker: Any, value: Any) -> bool:
    # JSON Schema counts 1.0 as an integer; the record does not.
    return type(value) is int


@cache
def reference_validator() -> Any:
    """The ``jsonschema`` validator of the schema (JSON Schema 2020-12, whole numbers strict).

    It takes about 40 µs a value (19 s for a 20 MB export, longer than the load itself), so
    the loader runs the schema compiled by :func:`_compile` instead; the tests check the two
    agree, on the place and the keyword of the first problem."""
    checker = Draft202012Validator.TYPE_CHECKER.redefine("integer", _whole_number)
    strict = cast(Any, extend)(Draft202012Validator, type_checker=checker)
    return strict(export_schema())


@dataclass
class SchemaProblem:
    """Where a document first breaks the schema: the keyword, its value in the schema, the
    value it rejects and the schema object holding the keyword (as ``jsonschema`` reports)."""

    keyword: str
    expected: Any
    instance: Any
    schema: dict[str, Any]
    # The place, last part first (parts are added as the problem goes back up the document).
    reversed_path: list[str | int] = field(default_factory=list)

    @property
    def path(self) -> list[str | int]:
        return self.reversed_path[::-1]


Check = Callable[[Any], "SchemaProblem | None"]

# The keywords :func:`_compile` understands; annotations are read by people, not checked.
_ANNOTATIONS = frozenset({"$schema", "$defs", "$comment", "title", "description", "x-column"})
_PYTHON_TYPES: dict[str, tuple[type, ...]] = {
    "integer": (int,),
    "number": (int, float),
    "string": (str,),
    "boolean": (bool,),
    "null": (type(None),),
    "array": (list,),
    "object": (dict,),
}
_NUMBERS = (int, float)


def _same(left: Any, right: Any) -> bool:
    """JSON equality: ``true`` is not ``1`` (as it is in Python)."""
    if isinstance(left, bool) or isinstance(right, bool):
        return type(left) is type(right) and left == right
    return bool(left == right)


def _compile(node: dict[str, Any], defs: dict[str, Any], compiled: dict[str, Check]) -> Check:
    """A function that returns the first problem of a value against ``node`` (None if it has
    none), keyword by keyword in the schema's order as ``jsonschema`` checks them. Only the
    keywords the export schema uses are understood: another one is refused here, so the schema
    cannot quietly ask for a check that is not made."""
    checks: list[Check] = []
    for keyword, expected in node.items():
        if keyword in _ANNOTATIONS:
            continue
        checks.append(_keyword(node, keyword, expected, defs, compiled))

    def check(value: Any) -> SchemaProblem | None:
        for one in checks:
            problem = one(value)
            if problem is not None:
                return problem
        return None

    return check


def _keyword(
    node: dict[str, Any],
    keyword: str,
    expected: Any,
    defs: dict[str, Any],
    compiled: dict[str, Check],
) -> Check:
    def problem(value: Any) -> SchemaProblem:
        return SchemaProblem(keyword, expected, value, node)

    if keyword == "$ref":
        prefix = "#/$defs/"
        if not isinstance(expected, str) or not expected.startswith(prefix):
            raise ValueError(f"{SCHEMA_FILE}: only references to {prefix}NAME are read")
        name = expected.removeprefix(prefix)

        def reference(value: Any) -> SchemaProblem | None:
            target = compiled.get(name)
            if target is None:
                compiled[name] = target = _compile(defs[name], defs, compiled)
            return target(value)

        return reference
    if keyword == "type":
        names = [expected] if isinstance(expected, str) else list(expected)
        accepted = frozenset(t for name in names for t in _PYTHON_TYPES[name])
        return lambda value: None if type(value) in accepted else problem(value)
    if keyword == "properties":
        children = [(key, _compile(child, defs, compiled)) for key, child in expected.items()]

        def properties(value: Any) -> SchemaProblem | None:
            if type(value) is not dict:
                return None
            for key, child in children:
                if key in value:
                    found = child(value[key])
                    if found is not None:
                        found.reversed_path.append(key)
                        return found
            return None

        return properties
    if keyword == "required":
        needed = list(expected)
        return lambda value: (
            problem(value)
            if type(value) is dict and any(key not in value for key in needed)
            else None
        )
    if keyword == "additionalProperties":
        known = frozenset(node.get("properties", {}))
        if expected is False:
            return lambda value: (
                problem(value) if type(value) is dict and not known.issuperset(value) else None
            )
        if not isinstance(expected, dict):
            raise ValueError(f"{SCHEMA_FILE}: additionalProperties is read as false or a schema")
        other = _compile(expected, defs, compiled)

        def others(value: Any) -> SchemaProblem | None:
            """Each member not named in ``properties`` checked against the schema given."""
            if type(value) is not dict:
                return None
            for name, member in value.items():
                if name not in known:
                    found = other(member)
                    if found is not None:
                        found.reversed_path.append(name)
                        return found
            return None

        return others
    if keyword == "items":
        item = _compile(expected, defs, compiled)

        def items(value: Any) -> SchemaProblem | None:
            if type(value) is not list:
                return None
            for i, entry in enumerate(value):
                found = item(entry)
                if found is not None:
                    found.reversed_path.append(i)
                    return found
            return None

        return items
    if keyword == "minimum":
        return lambda value: (
            problem(value) if type(value) in _NUMBERS and value < expected else None
        )
    if keyword == "maximum":
        return lambda value: (
            problem(value) if type(value) in _NUMBERS and value > expected else None
        )
    if keyword == "maxLength":
        return lambda value: (
            problem(value) if type(value) is str and len(value) > expected else None
        )
    if keyword == "pattern":
        pattern = re.compile(expected)
        return lambda value: (
            problem(value) if type(value) is str and pattern.search(value) is None else None
        )
    if keyword == "const":
        return lambda value: None if _same(value, expected) else problem(value)
    if keyword == "enum":
        options = list(expected)
        return lambda value: (
            None if any(_same(value, option) for option in options) else problem(value)
        )
    raise ValueError(f"{SCHEMA_FILE}: the keyword {keyword!r} is not one peelkit checks")


@cache
def _schema_check() -> Check:
    schema = export_schema()
    # That the file is a valid JSON Schema 2020-12 is checked by the tests, not on every load.
    return _compile(schema, schema["$defs"], {})


def first_schema_problem(document: Any) -> SchemaProblem | None:
    """The first place where the document breaks the export's JSON Schema, or None."""
    if _schema_valid()(document):
        return None
    return _schema_check()(document)


# --- the same schema as a yes or no, to pass a good document quickly ----------------------------

Valid = Callable[[Any], bool]


@cache
def _schema_valid() -> Valid:
    schema = export_schema()
    return _compile_valid(schema, schema["$defs"], {})


def _compile_valid(node: dict[str, Any], defs: dict[str, Any], compiled: dict[str, Valid]) -> Valid:
    """Whether a value meets ``node``: what :func:`_compile` finds no problem in, keyword by
    keyword the same test, without the order or the place (:func:`first_schema_problem` asks
    :func:`_compile` for those once this says no). An object's members are walked once, each
    against its property's schema, instead of once for every keyword."""
    keywords = {k: v for k, v in node.items() if k not in _ANNOTATIONS}
    if list(keywords) == ["$ref"]:
        return _valid_reference(keywords["$ref"], defs, compiled)
    accepted: frozenset[type] | None = None
    if "type" in keywords:
        expected = keywords.pop("type")
        names = [expected] if isinstance(expected, str) else list(expected)
        accepted = frozenset(t for name in names for t in _PYTHON_TYPES[name])
    if {"properties", "required", "additionalProperties"} & keywords.keys():
        members = _valid_object(keywords, defs, compiled)
        if keywords:
            raise ValueError(f"{SCHEMA_FILE}: {sorted(keywords)} beside an object's keywords")
        return _typed(accepted, dict, members)
    if "items" in keywords:
        entry = _compile_valid(keywords.pop("items"), defs, compiled)

        def entries(value: list[Any]) -> bool:
            return all(map(entry, value))

        if keywords:
            raise ValueError(f"{SCHEMA_FILE}: {sorted(keywords)} beside a list's items")
        return _typed(accepted, list, entries)
    if accepted is not None and list(keywords) == ["maxLength"]:  # most text of the schema
        longest = keywords["maxLength"]
        return lambda value: (
            (kind := type(value)) in accepted and (kind is not str or len(value) <= longest)
        )
    tests = [_valid_keyword(keyword, expected) for keyword, expected in keywords.items()]
    if accepted is None:
        return lambda value: all(test(value) for test in tests)
    if not tests:
        return lambda value: type(value) in accepted
    if len(tests) == 1:
        (test,) = tests
        return lambda value: type(value) in accepted and test(value)
    return lambda value: type(value) in accepted and all(test(value) for test in tests)


def _typed(accepted: frozenset[type] | None, kind: type, test: Valid) -> Valid:
    """``test`` for a value of ``kind``; any other value passes if its type is accepted."""

    def valid(value: Any) -> bool:
        if type(value) is kind:
            return (accepted is None or kind in accepted) and test(value)
        return accepted is None or type(value) in accepted

    return valid


def _valid_reference(reference: str, defs: dict[str, Any], compiled: dict[str, Valid]) -> Valid:
    prefix = "#/$defs/"
    if not reference.startswith(prefix):
        raise ValueError(f"{SCHEMA_FILE}: only references to {prefix}NAME are read")
    name = reference.removeprefix(prefix)
    if name not in compiled:
        # A placeholder first, so that a definition that refers to itself compiles.
        compiled[name] = lambda value: compiled[name](value)
        compiled[name] = _compile_valid(defs[name], defs, compiled)
    return compiled[name]


def _valid_object(
    keywords: dict[str, Any], defs: dict[str, Any], compiled: dict[str, Valid]
) -> Valid:
    """``properties``, ``required`` and ``additionalProperties`` (taken from ``keywords``) as
    one walk over an object's members."""
    children = {
        key: _compile_valid(child, defs, compiled)
        for key, child in keywords.pop("properties", {}).items()
    }
    needed = list(keywords.pop("required", ()))
    extra = keywords.pop("additionalProperties", True)
    if extra is True:
        other: Valid | None = None
    elif extra is False:
        other = _refuse
    elif isinstance(extra, dict):
        other = _compile_valid(extra, defs, compiled)
    else:
        raise ValueError(f"{SCHEMA_FILE}: additionalProperties is read as false or a schema")

    def members(value: dict[str, Any]) -> bool:
        for key in needed:
            if key not in value:
                return False
        for key, member in value.items():
            child = children.get(key)
            if child is None:
                if other is not None and not other(member):
                    return False
            elif not child(member):
                return False
        return True

    return members


def _refuse(value: Any) -> bool:
    return False


def _valid_keyword(keyword: str, expected: Any) -> Valid:
    """A scalar keyword of :func:`_keyword` as a yes or no."""
    if keyword == "minimum":
        return lambda value: not (type(value) in _NUMBERS and value < expected)
    if keyword == "maximum":
        return lambda value: not (type(value) in _NUMBERS and value > expected)
    if keyword == "maxLength":
        return lambda value: not (type(value) is str and len(value) > expected)
    if keyword == "pattern":
        pattern = re.compile(expected)
        return lambda value: not (type(value) is str and pattern.search(value) is None)
    if keyword == "const":
        return lambda value: _same(value, expected)
    if keyword == "enum":
        options = list(expected)
        return lambda value: any(_same(value, option) for option in options)
    raise ValueError(f"{SCHEMA_FILE}: the keyword {keyword!r} is not one peelkit checks")


def check_format(document: dict[str, Any], file: str) -> None:
    """The file says it is an export of a version this peelkit reads (before its shape is
    checked: a later version's shape is not this one's)."""
    if "format" not in document:
        raise DataFileError(file, "", "missing field 'format': not a peelkit export")
    if document["format"] != FORMAT:
        raise DataFileError(
            file,
            "/format",
            f"format is {_shown(repr(document['format']))}, expected {FORMAT!r}",
        )
    version = document.get("format_version")
    if type(version) is not int or version not in READABLE_VERSIONS:
        raise DataFileError(
            file,
            "/format_version",
            f"format_version {_shown(json.dumps(version))} is not supported (this peelkit reads "
            f"versions {', '.join(str(v) for v in READABLE_VERSIONS)})",
        )


def check_schema(document: Any, file: str) -> None:
    """Refuse the document at the first place where it breaks the export's JSON Schema."""
    problem = first_schema_problem(document)
    if problem is not None:
        raise schema_error(problem, file)


_TYPE_LABEL = {
    "integer": "a whole number",
    "number": "a number",
    "string": "text",
    "boolean": "true or false",
    "array": "a list",
    "object": "an object",
    "null": "null",
}


def schema_error(error: SchemaProblem, file: str) -> DataFileError:
    """A schema problem in the words the record's own checks use, at its JSON pointer."""
    where = pointer("", *error.path)
    keyword, expected, value, schema = error.keyword, error.expected, error.instance, error.schema
    code = "data_file_invalid"
    if keyword == "required":
        missing = next(key for key in expected if key not in value)
        problem = f"missing field {missing!r}"
    elif keyword == "additionalProperties":
        known = schema.get("properties", {})
        unknown = next(key for key in value if key not in known)
        problem = f"unknown field {_shown(unknown)!r}"
    elif keyword == "type":
        kinds = [expected] if isinstance(expected, str) else list(expected)
        wanted = [_TYPE_LABEL[k] for k in kinds if k != "null"] or ["null"]
        problem = f"expected {' or '.join(wanted)}, found {kind_of(value)}"
    elif keyword in ("minimum", "maximum"):
        code = "number_out_of_range"
        problem = f"expected {schema.get('description', 'a smaller number')}, found {value}"
    elif keyword == "maxLength":
        code = "value_too_long"
        columns = schema.get("x-column")
        column = columns if isinstance(columns, str) else None
        held = f"the column {column}" if column else "the database"
        problem = f"text of {len(value)} characters is longer than the {expected} {held} holds"
    elif keyword == "pattern":
        problem = f"expected {schema.get('description', 'text')}, found {_shown(repr(value))}"
    elif keyword == "const":
        problem = f"expected {expected!r}, found {_shown(repr(value))}"
    elif keyword == "enum":
        options = ", ".join(repr(option) for option in expected)
        problem = f"expected one of {options}, found {_shown(repr(value))}"
    else:  # pragma: no cover - _compile refuses keywords it does not know
        problem = f"breaks the schema's {keyword!r}"
    return DataFileError(file, where, problem, code=code)


# --- 3. what a schema cannot say ---------------------------------------------------------------


# A place in the document: its JSON pointer, or the parts of one (written only for a message).
Place = str | tuple[str | int, ...]


def _where(place: Place) -> str:
    return place if isinstance(place, str) else pointer("", *place)


@dataclass
class _Ids:
    """The ids of each kind of item in the file, where each was first seen, and the references
    to them (checked once every id is known: a reference may point further down the file)."""

    file: str
    seen: dict[str, dict[int, Place]] = field(default_factory=dict)
    references: list[tuple[Place, str, int]] = field(default_factory=list)

    def add(self, kind: str, item: dict[str, Any], at: Place) -> None:
        value = item["id"]
        ids = self.seen.get(kind)
        if ids is None:
            ids = self.seen[kind] = {}
        elif value in ids:
            raise DataFileError(
                self.file,
                pointer(_where(at), "id"),
                f"two {_PLURAL[kind]} have the id {value} (the other is at {_where(ids[value])})",
                code="duplicate_id",
            )
        ids[value] = at

    def refer(self, at: Place, kind: str, value: int | None) -> None:
        if value is not None:
            self.references.append((at, kind, value))

    def check_references(self) -> None:
        for at, kind, value in self.references:
            if value not in self.seen.get(kind, {}):
                raise DataFileError(
                    self.file,
                    _where(at),
                    f"no {kind} with id {value} in the file",
                    code="unknown_reference",
                )


_PLURAL = {
    "document": "documents",
    "import warning": "import warnings",
    "inspection": "inspections",
    "judgment": "judgments",
    "finding": "findings",
    "evidence item": "evidence items",
    "figure": "figures",
    "performance table row": "performance table rows",
    "finding link": "finding links",
    "status event": "status events",
    "national recommendation": "national recommendations",
    "PCC response": "PCC responses",
    "monitoring statement": "monitoring statements",
}
_ITEMS = (
    ("judgments", "judgment"),
    ("findings", "finding"),
    ("evidence", "evidence item"),
    ("figures", "figure"),
    ("performance_table", "performance table row"),
)


def _duplicate(file: str, at: str, problem: str) -> DataFileError:
    return DataFileError(file, at, problem, code="duplicate_entry")


def check_record(document: dict[str, Any], file: str) -> None:
    """Ids, references and the one-of-a-kind rules of a document that passed the schema."""
    ids = _Ids(file)
    checksums: dict[str, str] = {}
    for i, item in enumerate(document["documents"]):
        at = pointer("", "documents", i)
        ids.add("document", item, at)
        other = checksums.setdefault(item["sha256"], at)
        if other != at:
            raise _duplicate(
                file,
                pointer(at, "sha256"),
                f"the same checksum as the document at {other} (one document per checksum)",
            )
        for j, warning in enumerate(item.get("warnings") or []):
            ids.add("import warning", warning, pointer(at, "warnings", j))
    for i, inspection in enumerate(document["inspections"]):
        place = ("inspections", i)
        ids.add("inspection", inspection, place)
        ids.refer((*place, "document"), "document", inspection.get("document"))
        for key, kind in _ITEMS:
            for j, item in enumerate(inspection.get(key) or ()):
                item_at = (*place, key, j)
                ids.add(kind, item, item_at)
                provenance = item.get("provenance")
                if provenance:
                    ids.refer(
                        (*item_at, "provenance", "document"), "document", provenance.get("document")
                    )
                if kind == "finding":
                    ids.refer(
                        (*item_at, "cause_of_concern"), "finding", item.get("cause_of_concern")
                    )
    _check_groups(document.get("most_similar_groups") or [], file)
    followup = document.get("followup")
    if followup:
        _check_followup(followup, file, ids)
    ids.check_references()


def _check_groups(groups: Sequence[dict[str, Any]], file: str) -> None:
    """Each force's group once a year, without the force itself or a peer twice (the rules the
    groups CSV follows)."""
    seen: dict[tuple[str, str], str] = {}
    for i, group in enumerate(groups):
        at = pointer("", "most_similar_groups", i)
        with located(file, pointer(at, "force")):
            force = resolve_force(group["force"]).id
        with located(file, pointer(at, "year")):
            year = normalise_year(group["year"])
        other = seen.setdefault((force, year), at)
        if other != at:
            raise _duplicate(file, at, f"{force}'s {year} group is also at {other}")
        peers: list[str] = []
        for j, name in enumerate(group["peers"]):
            peer_at = pointer(at, "peers", j)
            with located(file, peer_at):
                peer = resolve_force(name).id
            if peer == force:
                raise DataFileError(
                    file,
                    peer_at,
                    f"{peer} cannot be in its own most similar group",
                    code="group_includes_itself",
                )
            if peer in peers:
                raise _duplicate(file, peer_at, f"{peer} is listed twice in {force}'s {year} group")
            peers.append(peer)
        if len(peers) > MAX_PEERS:
            raise DataFileError(
                file,
                pointer(at, "peers"),
                f"{force}'s {year} group has more than {MAX_PEERS} peers",
            )


def _check_followup(followup: dict[str, Any], file: str, ids: _Ids) -> None:
    base = "/followup"

    def rows(key: str) -> Iterator[tuple[str, dict[str, Any]]]:
        for i, row in enumerate(followup.get(key) or []):
            at = pointer(base, key, i)
            ids.refer(pointer(at, "document"), "document", row.get("document"))
            yield at, row

    references: dict[str, str] = {}
    for at, row in rows("national_recommendations"):
        ids.add("national recommendation", row, at)
        other = references.setdefault(row["reference"], at)
        if other != at:
            raise _duplicate(
                file,
                pointer(at, "reference"),
                f"the reference {_shown(row['reference'])!r} is also that of {other}",
            )
        if row.get("framework") is not None:
            with located(file, pointer(at, "framework")):
                load_framework(row["framework"])
    pairs: dict[tuple[int, int], str] = {}
    for at, row in rows("links"):
        ids.add("finding link", row, at)
        ids.refer(pointer(at, "earlier"), "finding", row["earlier"])
        ids.refer(pointer(at, "later"), "finding", row["later"])
        other = pairs.setdefault((row["earlier"], row["later"]), at)
        if other != at:
            raise _duplicate(
                file, at, f"finding {row['earlier']} is linked to {row['later']} also at {other}"
            )
    for at, row in rows("status_events"):
        ids.add("status event", row, at)
        ids.refer(pointer(at, "finding"), "finding", row.get("finding"))
        ids.refer(
            pointer(at, "national_recommendation"),
            "national recommendation",
            row.get("national_recommendation"),
        )
    for at, row in rows("pcc_responses"):
        ids.add("PCC response", row, at)
        ids.refer(pointer(at, "inspection"), "inspection", row["inspection"])
        for j, entry in enumerate(row.get("items") or []):
            ids.refer(pointer(at, "items", j, "finding"), "finding", entry.get("finding"))
    statements: dict[tuple[str, str, str, int], str] = {}
    for at, row in rows("monitoring"):
        ids.add("monitoring statement", row, at)
        for j, reason in enumerate(row.get("reasons") or []):
            ids.refer(pointer(at, "reasons", j), "finding", reason)
        with located(file, pointer(at, "force")):
            force = resolve_force(row["force"]).id
        if row.get("document") is None:
            continue  # the database counts statements without a document as all different
        key = (force, row["stage"], row["date"], row["document"])
        other = statements.setdefault(key, at)
        if other != at:
            raise _duplicate(
                file, at, f"the same statement (force, stage, date and document) as {other}"
            )


def check_export(document: dict[str, Any], file: str) -> None:
    """Every check of passes 2 and 3, in order, on a parsed document (an object)."""
    check_format(document, file)
    check_schema(document, file)
    check_record(document, file)
