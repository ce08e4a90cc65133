"""What an import must have done, read from the database: the checks the import cases share.

A faithful copy of a report (another encoding, line ending or name) must give what the report
says (:mod:`tests.reliability.expected`); a damaged copy must either be refused, read as the
original is read, or say what changed (a new warning, a "not found"), as the mutation tests
of the importer ask (tests/reportimport/test_mutations.py); text is stored without control
characters.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from tests.reliability.conftest import REPORTS, Prepared
from tests.reliability.expected import BASELINE_AREAS, Document
from tests.reliability.harness import Check, Effect, Place
from tests.reliability.runs import run_peel
from tests.reliability.state import Target

# Control characters no stored text may hold: C0 but tab and newline, DEL, C1.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def control_characters(effect: Effect) -> str | None:
    """A gained text cell holding a control character (they are warned about and stripped)."""
    for table in effect.after.tables:
        for row in effect.gained(table):
            for column, value in row.items():
                if isinstance(value, str) and CONTROL.search(value):
                    found = CONTROL.search(value)
                    assert found is not None
                    return f"{table}.{column} stores the control character {found.group()!r}"
    return None


def own_inspection(effect: Effect, framework: str, force: str) -> dict[str, Any] | str:
    found = [
        i
        for i in effect.gained("inspection")
        if (i["framework_id"], i["force_id"]) == (framework, force)
    ]
    if len(found) != 1:
        gained = [(i["force_id"], i["framework_id"]) for i in effect.gained("inspection")]
        return f"expected one new inspection of {force} under {framework}, gained {gained}"
    return found[0]


def faithful(document: Document, *, force: str | None = None, copies: int = 1) -> Check:
    """The record gained what ``document`` says, once (``copies`` times for a batch)."""

    def check(effect: Effect) -> str | None:
        inspections = effect.gained("inspection")
        if len(inspections) != document.inspections * copies:
            return (
                f"gained {len(inspections)} inspections, expected {document.inspections * copies}"
            )
        documents = effect.gained("source_document")
        if len(documents) != copies:
            return f"gained {len(documents)} documents, expected {copies}"
        judgments = effect.gained("judgment")
        by_inspection = Counter(j["inspection_id"] for j in judgments)
        for inspection in inspections:
            if inspection["framework_id"] != document.framework:
                return f"gained an inspection under {inspection['framework_id']}"
            judged = by_inspection[inspection["id"]]
            if document.framework == "baseline-2005" and judged != BASELINE_AREAS:
                return (
                    f"the inspection of {inspection['force_id']} has {judged} judgments, "
                    f"not {BASELINE_AREAS}"
                )
        own = [i for i in inspections if i["force_id"] == (force or document.force)]
        if len(own) != copies:
            return f"gained {len(own)} inspections of {force or document.force}"
        for inspection in own:
            mine = [j for j in judgments if j["inspection_id"] == inspection["id"]]
            if document.framework != "baseline-2005":
                grades = {j["area_id"]: j["grade"] for j in mine}
                if grades != document.grades or len(mine) != len(document.grades):
                    return f"judgments {sorted(grades.items())} are not the report's"
            if document.findings is not None:
                findings = [
                    f for f in effect.gained("finding") if f["inspection_id"] == inspection["id"]
                ]
                if len(findings) != document.findings:
                    return f"{len(findings)} findings, the report lists {document.findings}"
        return control_characters(effect)

    return check


def nothing_changed(effect: Effect) -> str | None:
    """An "already imported" copy: the record as it was."""
    return effect.unchanged()


@dataclass(frozen=True)
class Reading:
    """What an import stored (the parts a damaged copy must not change silently) and what it
    said about the document."""

    structure: tuple[Any, ...]
    said: frozenset[str]


def reading(effect: Effect) -> Reading:
    inspections = {i["id"]: i for i in effect.gained("inspection")}

    def force_of(row: dict[str, Any]) -> str:
        inspection = inspections.get(row["inspection_id"])
        return inspection["force_id"] if inspection else "?"

    structure = (
        sorted((i["force_id"], i["framework_id"]) for i in inspections.values()),
        sorted(
            (force_of(j), j["area_id"] or "", j["grade"] or "", j["direction"] or "")
            for j in effect.gained("judgment")
        ),
        sorted((f["kind"], f["area_id"] or "") for f in effect.gained("finding")),
        sorted(
            (f["measure"] or "", f["period"] or "", f["force_value_as_printed"] or "")
            for f in effect.gained("data_figure")
        ),
        sorted(
            (r["area_id"] or "", r["indicator"] or "", r["current_as_printed"] or "")
            for r in effect.gained("performance_row")
        ),
    )
    return Reading(structure, _said(effect))


def _said(effect: Effect) -> frozenset[str]:
    said: set[str] = set()
    result = effect.run.json()
    for item in result if isinstance(result, list) else [result]:
        for key in ("warnings", "not_found", "disagreements"):
            said.update(f"{key}: {text}" for text in item.get(key, []))
        parsed = item.get("parsed")
        if isinstance(parsed, dict):
            said.update(f"warnings: {w}" for w in parsed.get("warnings", []))
    return frozenset(said)


def pristine(prepared: Prepared, path_text: str, *, framework: str | None = None) -> Reading:
    """How the undamaged file is read (on the ``record`` database), once a session."""

    def build(prepared: Prepared) -> Reading:
        folder = prepared.scratch(f"pristine-{len(prepared._made)}")
        database = prepared.copy_of("record", folder)
        url = f"sqlite:///{database}"
        target = Target(url, database)
        before = target.state(folder, False)
        argv = ["import", path_text, "--db", url, "--json"]
        if framework:
            argv += ["--framework", framework]
        run = run_peel(argv)
        assert run.code == 0, (path_text, run.err)
        after = target.state(folder, False)
        return reading(Effect(run, before, after, Place(folder, url, database, prepared)))

    return prepared.reference(f"pristine:{path_text}:{framework}", build)


def _within(now: Reading, before: Reading) -> bool:
    """Everything ``now`` holds, ``before`` holds too (it may hold more)."""
    for old, new in zip(before.structure, now.structure, strict=True):
        if Counter(map(repr, new)) - Counter(map(repr, old)):
            return False
    return True


def read_alike_or_said(original: str, *, removes: bool = False) -> Check:
    """A damaged copy of ``original``: read as the original is, or a new warning says what
    changed. A copy with lines taken out (``removes``) may also hold less than the original,
    but nothing it does not: an item gone without trace is one no reader can miss (no report
    prints how many findings it has), an item changed or added is one the record gets wrong."""

    def check(effect: Effect) -> str | None:
        stored = control_characters(effect)
        if stored:
            return stored
        before = pristine(effect.place.prepared, original)
        now = reading(effect)
        if now.structure == before.structure or now.said - before.said:
            return None
        if removes and _within(now, before):
            return None
        changed = [
            name
            for name, old, new in zip(
                ("inspections", "judgments", "findings", "figures", "performance rows"),
                before.structure,
                now.structure,
                strict=True,
            )
            if old != new
        ]
        return f"the record's {', '.join(changed)} changed with no new warning"

    return check


def warned(effect: Effect) -> str | None:
    """Control characters put in: the import says so (a warning) and stores none."""
    stored = control_characters(effect)
    if stored:
        return stored
    said = reading(effect).said
    if not any("control" in s.lower() for s in said):
        return "no warning about the control characters"
    return None


def report_text(name: str) -> str:
    return (REPORTS / name).read_text(encoding="utf-8")
