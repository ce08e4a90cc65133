"""``peel load`` on hostile exports, generated from a real small export made here (the record
database with the 2018/19 report imported, a few grades and a most similar group, exported by
``peel export``): every kind of item given a wrong id (text, fraction, true, 0, -1, 2^31, 2^63,
23 digits), a sibling's id, no id, an unknown field or another type; text with NUL; numbers too
large; references to ids the file does not hold; duplicate keys, deep nesting, cut files and
files that are no export at all.

Each loads with ``--replace`` into a copy of the ``record`` database, so that a refused file
must leave the record it would have replaced whole. A right result is the file's record: the
database exported again gives the file's bytes (as ``peel export`` writes them)."""

from __future__ import annotations

import codecs
import copy
import json
from collections.abc import Callable
from typing import Any

import pytest

from peelkit.record.exchange import dumps
from tests.reliability.conftest import RAW, REPORTS, CaseRunner, Prepared, quietly
from tests.reliability.harness import GOOD, Case, Effect, Expect, Place, params
from tests.reliability.runs import run_peel

GROUP = "load"
FILE = "record.json"
Record = dict[str, Any]


def _build_export(prepared: Prepared) -> Record:
    folder = prepared.scratch("export")
    database = prepared.copy_of("record", folder)
    url = f"sqlite:///{database}"
    grades = RAW / "peel-grades" / "peel_grades.csv"
    subset = folder / "grades.csv"
    subset.write_text("\n".join(grades.read_text(encoding="utf-8").splitlines()[:8]) + "\n")
    groups = folder / "groups.csv"
    groups.write_text("year,force,msg_force\n2018/19,Kent,Essex\n2018/19,Kent,Sussex\n")
    quietly(["import", str(REPORTS / "001_2e8c9026aad1a9d7.txt"), "--db", url, "--quiet"])
    quietly(["grades", "load", str(subset), "--db", url])
    quietly(["groups", "load", str(groups), "--db", url])
    quietly(["export", str(folder / FILE), "--db", url])
    record: Record = json.loads((folder / FILE).read_text(encoding="utf-8"))
    return record


def export(prepared: Prepared) -> Record:
    """The real export (a copy: cases change it)."""
    return copy.deepcopy(prepared.reference("export", _build_export))


def the_file_loaded(effect: Effect) -> str | None:
    """The database holds the file's record: exported again, it is the file (as peel export
    writes it)."""
    given = json.loads((effect.place.inputs / FILE).read_text(encoding="utf-8-sig"))
    folder = effect.place.prepared.scratch(f"again-{id(effect)}")
    run = run_peel(["export", str(folder / "again.json"), "--db", effect.place.url])
    if run.code != 0:
        return f"the loaded record cannot be exported: {run.err.strip()}"
    again = (folder / "again.json").read_text(encoding="utf-8")
    if again != dumps(given):
        return "the record exported after the load is not the file that was loaded"
    return None


# --- how a case changes the export ------------------------------------------------------------

Change = Callable[[Record], None]


def _at(record: Record, path: list[str | int]) -> Any:
    target: Any = record
    for part in path:
        target = target[part]
    return target


def _set(path: list[str | int], value: Any) -> Change:
    def change(record: Record) -> None:
        _at(record, path[:-1])[path[-1]] = value

    return change


def _drop(path: list[str | int]) -> Change:
    def change(record: Record) -> None:
        del _at(record, path[:-1])[path[-1]]

    return change


def _pointer(path: list[str | int]) -> str:
    return "/" + "/".join(str(p) for p in path)


def _written(text: Callable[[Place], str], *options: str) -> Callable[[Place], list[str]]:
    def make(place: Place) -> list[str]:
        place.write(FILE, text(place))
        return [
            "load",
            str(place.inputs / FILE),
            "--replace",
            "--quiet",
            "--db",
            place.url,
            *options,
        ]

    return make


def _changed(change: Change, raw: dict[str, str] | None = None) -> Callable[[Place], str]:
    """The export with ``change`` made; placeholders in ``raw`` replaced by raw JSON text."""

    def text(place: Place) -> str:
        record = export(place.prepared)
        change(record)
        written = json.dumps(record, ensure_ascii=True)
        for placeholder, literal in (raw or {}).items():
            assert written.count(placeholder) == 1, placeholder
            written = written.replace(placeholder, literal)
        return written

    return text


# Where the cases change the export, by kind of item (the export is made from fixed inputs,
# so these places are fixed; a case whose place is gone fails, naming it): the first item of
# each kind gets every wrong id, the last one a sibling's id.
FIRST_ITEMS: list[list[str | int]] = [
    ["documents", 0],
    ["documents", 2, "warnings", 0],
    ["inspections", 0],
    ["inspections", 2, "judgments", 0],
    ["inspections", 2, "findings", 0],
    ["inspections", 2, "figures", 0],
    ["inspections", 1, "findings", 0],
    ["followup", "status_events", 0],
]
LAST_ITEMS: list[list[str | int]] = [
    ["documents", 4],
    ["documents", 2, "warnings", 5],
    ["inspections", 4],
    ["inspections", 2, "judgments", 12],
    ["inspections", 2, "findings", 25],
    ["inspections", 2, "figures", 25],
    ["inspections", 0, "judgments", 3],
    ["followup", "status_events", 4],
]
BAD_IDS: dict[str, Any] = {
    "text": "1",
    "fraction": 1.5,
    "true": True,
    "null": None,
    "zero": 0,
    "negative": -1,
    "2-to-the-31": 2**31,
    "2-to-the-63": 2**63,
    "23-digits": 12345678901234567890123,
}
# The wrong ids every first item gets (the inspection gets all of them).
SOME_BAD_IDS = ("text", "zero", "2-to-the-63", "23-digits")
TEXTS: list[list[str | int]] = [
    ["documents", 0, "title"],
    ["documents", 4, "filename"],
    ["documents", 2, "warnings", 0, "message"],
    ["inspections", 2, "title"],
    ["inspections", 2, "judgments", 0, "grade_as_printed"],
    ["inspections", 2, "findings", 0, "text"],
    ["inspections", 2, "findings", 0, "heading"],
    ["inspections", 2, "figures", 0, "measure"],
    ["most_similar_groups", 0, "source"],
    ["followup", "status_events", 0, "note"],
]
NUMBERS: list[list[str | int]] = [
    ["documents", 0, "line_count"],
    ["inspections", 2, "judgments", 0, "provenance", "line_start"],
    ["inspections", 2, "version"],
    ["inspections", 2, "figures", 0, "force_value"],
    ["followup", "status_events", 0, "line_end"],
]


def _slug(path: list[str | int]) -> str:
    return ".".join(str(p) for p in path)


def _siblings_id(path: list[str | int]) -> Change:
    """The item takes the id of the first item of its kind."""

    def change(record: Record) -> None:
        first = _at(record, [*path[:-1], 0])
        _at(record, path)["id"] = first["id"]

    return change


def _item_cases() -> list[Case]:
    cases = []
    for path in FIRST_ITEMS:
        where = _pointer(path)
        labels = BAD_IDS if path == ["inspections", 0] else SOME_BAD_IDS
        for label in labels:
            cases.append(
                Case(
                    f"{_slug(path)}-id-{label}",
                    _written(_changed(_set([*path, "id"], BAD_IDS[label]))),
                    Expect.ERROR,
                    names=(FILE, f"{where}/id"),
                )
            )
        cases += [
            Case(
                f"{_slug(path)}-without-id",
                _written(_changed(_drop([*path, "id"]))),
                Expect.ERROR,
                names=(FILE, where),
            ),
            Case(
                f"{_slug(path)}-with-an-unknown-field",
                _written(_changed(_set([*path, "colour"], "red"))),
                Expect.ERROR,
                names=(FILE, where),
            ),
            Case(
                f"{_slug(path)}-as-a-list",
                _written(_changed(_set(path, [1, 2]))),
                Expect.ERROR,
                names=(FILE, where),
            ),
        ]
    for path in LAST_ITEMS:
        where = _pointer(path)
        cases += [
            Case(
                f"{_slug(path)}-with-its-first-siblings-id",
                _written(_changed(_siblings_id(path))),
                Expect.ERROR,
                names=(FILE, where),
            ),
            Case(
                f"{_slug(path)}-as-null",
                _written(_changed(_set(path, None))),
                Expect.ERROR,
                names=(FILE, where),
            ),
        ]
    return cases


def _with_nul(path: list[str | int]) -> Change:
    def change(record: Record) -> None:
        _set(path, _at(record, path) + "\x00tail")(record)

    return change


def _as_text(path: list[str | int]) -> Change:
    def change(record: Record) -> None:
        _set(path, str(_at(record, path)))(record)

    return change


def _leaf_cases() -> list[Case]:
    cases = []
    for path in TEXTS:
        cases.append(
            Case(
                f"{_slug(path)}-with-a-nul",
                _written(_changed(_with_nul(path))),
                Expect.ERROR,
                names=(FILE, _pointer(path)),
            )
        )
    for path in NUMBERS:
        for label, literal in (("1e400", "1e400"), ("2-to-the-64", str(2**64)), ("NaN", "NaN")):
            cases.append(
                Case(
                    f"{_slug(path)}-as-{label}",
                    _written(_changed(_set(path, "@n@"), {'"@n@"': literal})),
                    Expect.ERROR,
                    names=(FILE, _pointer(path)),
                )
            )
        cases.append(
            Case(
                f"{_slug(path)}-as-text",
                _written(_changed(_as_text(path))),
                Expect.ERROR,
                names=(FILE, _pointer(path)),
            )
        )
    return cases


JUDGMENT: list[str | int] = ["inspections", 2, "judgments", 0]


def _reference_cases() -> list[Case]:
    cases = [
        Case(
            "judgment-of-a-document-not-in-the-file",
            _written(_changed(_set([*JUDGMENT, "provenance", "document"], 999))),
            Expect.ERROR,
            names=(FILE, "/inspections/2/judgments/0/provenance/document"),
        ),
        Case(
            "inspection-of-a-document-not-in-the-file",
            _written(_changed(_set(["inspections", 0, "document"], 998))),
            Expect.ERROR,
            names=(FILE, "/inspections/0/document"),
        ),
        Case(
            "status-event-of-a-finding-not-in-the-file",
            _written(_changed(_set(["followup", "status_events", 0, "finding"], 997))),
            Expect.ERROR,
            names=(FILE, "/followup/status_events/0/finding"),
        ),
        Case(
            "a-force-in-its-own-group",
            _written(
                _changed(
                    lambda r: r["most_similar_groups"][0]["peers"].append(
                        r["most_similar_groups"][0]["force"]
                    )
                )
            ),
            Expect.ERROR,
            names=(FILE, "/most_similar_groups/0/peers"),
        ),
        Case(
            "an-unknown-force",
            _written(_changed(_set(["inspections", 0, "force"], "atlantis"))),
            Expect.ERROR,
            names=(FILE, "/inspections/0", "atlantis"),
        ),
        Case(
            "an-unknown-framework",
            _written(_changed(_set(["inspections", 0, "framework"], "peel-2099"))),
            Expect.ERROR,
            names=(FILE, "/inspections/0", "peel-2099"),
        ),
        Case(
            "an-unknown-area",
            _written(_changed(_set([*JUDGMENT, "area"], "juggling"))),
            Expect.ERROR,
            names=(FILE, "/inspections/2/judgments/0", "juggling"),
        ),
        Case(
            "an-unknown-grade",
            _written(_changed(_set([*JUDGMENT, "grade"], "superb"))),
            Expect.ERROR,
            names=(FILE, "/inspections/2/judgments/0", "superb"),
        ),
        Case(
            "a-judgment-without-its-grade",
            _written(_changed(_drop([*JUDGMENT, "grade"]))),
            Expect.ERROR,
            names=(FILE, "/inspections/2/judgments/0"),
        ),
        Case(
            "a-name-of-300-characters",
            _written(_changed(_set(["inspections", 0, "hm_inspector"], "M" * 300))),
            Expect.ERROR,
            names=(FILE, "/inspections/0/hm_inspector"),
        ),
        Case(
            "a-date-that-is-no-date",
            _written(_changed(_set(["inspections", 0, "published"], "2019-02-30"))),
            Expect.ERROR,
            names=(FILE, "/inspections/0/published"),
        ),
        Case(
            "a-newer-format-version",
            _written(_changed(_set(["format_version"], 99))),
            Expect.ERROR,
            names=(FILE, "/format_version"),
        ),
        Case(
            "another-format",
            _written(_changed(_set(["format"], "something-else"))),
            Expect.ERROR,
            names=(FILE, "/format"),
        ),
        Case(
            "without-inspections",
            _written(_changed(_drop(["inspections"]))),
            Expect.ERROR,
            names=(FILE,),
        ),
    ]
    return cases


def _raw_cases() -> list[Case]:
    def text_of(place: Place) -> str:
        return dumps(export(place.prepared))

    def cut(share: float) -> Callable[[Place], str]:
        return lambda place: text_of(place)[: int(len(text_of(place)) * share)]

    def key_twice(place: Place) -> str:
        record = export(place.prepared)
        record["inspections"][0]["title"] = "@title@"
        written = json.dumps(record)
        return written.replace('"@title@"', '"PEEL", "title": "Another title"')

    def top_key_twice(place: Place) -> str:
        written = text_of(place).rstrip().rstrip("}")
        return written + ', "inspections": []}'

    def deep(place: Place) -> str:
        record = export(place.prepared)
        record["inspections"][0]["title"] = "@deep@"
        return json.dumps(record).replace('"@deep@"', "[" * 100_000 + "]" * 100_000)

    def evidence_deep(place: Place) -> str:
        record = export(place.prepared)
        value: Any = []
        for _ in range(80):
            value = [value]
        record["inspections"][0]["findings"][0]["sub_items"] = value
        return json.dumps(record)

    cases = [
        Case(f"cut-at-{share:.0%}", _written(cut(share)), Expect.ERROR, names=(FILE,))
        for share in (0.01, 0.3, 0.6, 0.99)
    ]
    cases += [
        Case("a-key-twice-in-an-inspection", _written(key_twice), Expect.ERROR, names=(FILE,)),
        Case("a-key-twice-at-the-top", _written(top_key_twice), Expect.ERROR, names=(FILE,)),
        Case("nested-100000-deep", _written(deep), Expect.ERROR, names=(FILE,)),
        Case("nested-80-deep-in-sub-items", _written(evidence_deep), Expect.ERROR, names=(FILE,)),
        Case(
            "trailing-garbage",
            _written(lambda p: text_of(p) + "garbage"),
            Expect.ERROR,
            names=(FILE,),
        ),
        Case(
            "two-exports-one-after-the-other",
            _written(lambda p: text_of(p) + text_of(p)),
            Expect.ERROR,
            names=(FILE,),
        ),
        Case("empty", _written(lambda p: ""), Expect.ERROR, names=(FILE,)),
        Case("null", _written(lambda p: "null"), Expect.ERROR, names=(FILE,)),
        Case("a-list", _written(lambda p: "[]"), Expect.ERROR, names=(FILE,)),
        Case(
            "a-number", _written(lambda p: "12345678901234567890123"), Expect.ERROR, names=(FILE,)
        ),
        Case(
            "an-html-page",
            _written(lambda p: "<!doctype html><html><body>Export</body></html>"),
            Expect.ERROR,
            names=(FILE,),
        ),
        Case(
            "the-grades-csv",
            _written(lambda p: (RAW / "peel-grades" / "peel_grades.csv").read_text()[:5000]),
            Expect.ERROR,
            names=(FILE,),
        ),
    ]

    def in_utf16(place: Place) -> list[str]:
        place.write(FILE, text_of(place).encode("utf-16"))
        return ["load", str(place.inputs / FILE), "--replace", "--quiet", "--db", place.url]

    def binary(place: Place) -> list[str]:
        place.write(FILE, bytes(range(256)) * 40)
        return ["load", str(place.inputs / FILE), "--replace", "--quiet", "--db", place.url]

    def with_bom(place: Place) -> list[str]:
        place.write(FILE, codecs.BOM_UTF8 + text_of(place).encode("utf-8"))
        return ["load", str(place.inputs / FILE), "--replace", "--quiet", "--db", place.url]

    cases += [
        Case(
            "in-utf-16",
            in_utf16,
            Expect.EITHER,
            names=(FILE,),
            replaces=True,
            check=the_file_loaded,
        ),
        Case("binary", binary, Expect.ERROR, names=(FILE,)),
        Case(
            "with-a-byte-order-mark",
            with_bom,
            Expect.EITHER,
            names=(FILE,),
            replaces=True,
            check=the_file_loaded,
        ),
    ]
    return cases


def _right_cases() -> list[Case]:
    def plain(place: Place) -> str:
        return dumps(export(place.prepared))

    def long_text(place: Place) -> str:
        record = export(place.prepared)
        record["inspections"][0]["findings"][0]["text"] = "A finding. " * 100_000
        return dumps(record)

    def unicode_text(place: Place) -> str:
        record = export(place.prepared)
        record["inspections"][0]["title"] = "PEEL 𝔓𝔈𝔈𝔏 — été \u202e \ufeff 漢字"
        return dumps(record)

    def load_without_replace(place: Place) -> list[str]:
        place.write(FILE, plain(place))
        return ["load", str(place.inputs / FILE), "--quiet", "--db", place.url]

    def load_with_progress(place: Place) -> list[str]:
        place.write(FILE, plain(place))
        return ["load", str(place.inputs / FILE), "--replace", "--db", place.url]

    def missing(place: Place) -> list[str]:
        return ["load", str(place.inputs / "gone.json"), "--replace", "--db", place.url]

    def folder(place: Place) -> list[str]:
        (place.inputs / "exports").mkdir()
        return ["load", str(place.inputs / "exports"), "--replace", "--db", place.url]

    def loaded(name: str, make: Callable[[Place], list[str]], template: str = "record") -> Case:
        replaces = template != "empty"
        return Case(
            name, make, Expect.RESULT, template=template, replaces=replaces, check=the_file_loaded
        )

    return [
        loaded("the-export-as-it-is", _written(plain)),
        loaded("a-finding-of-1-MB", _written(long_text)),
        loaded("a-title-in-far-unicode", _written(unicode_text)),
        loaded("into-an-empty-database", load_without_replace, template="empty"),
        loaded("with-the-progress-shown", load_with_progress),
        Case(
            "into-a-record-without-replace",
            load_without_replace,
            Expect.ERROR,
            names=("--replace",),
        ),
        Case("a-missing-file", missing, Expect.ERROR, names=("gone.json",)),
        Case("a-folder", folder, Expect.ERROR, names=("exports",)),
    ]


CASES = _item_cases() + _leaf_cases() + _reference_cases() + _raw_cases() + _right_cases()


@pytest.mark.parametrize("case", params(CASES))
def test_load(case: Case, peel_case: CaseRunner) -> None:
    outcome = peel_case(GROUP, case)
    assert outcome.verdict in GOOD, outcome.describe(case)
