"""Loading an export (``peel load``): every item checked as the record's operations check it,
and written in batches.

The file is what :func:`peelkit.record.exchange.parse_export` returns: checked whole against the
export's schema (so every field has its type), ids and references. What needs the frameworks,
forces and the record's rules (areas, grades, finding kinds, one shown judgment per area) is
checked here, item by item in the file's order, with the functions and messages of
``peelkit.record.operations`` (split from its ORM writes for this), against what the load holds
in memory: the documents, the causes of concern and the inspections' keys loaded so far, and
what the database held before (nothing, for the empty record a load is for). Rows are plain
dictionaries written by ``peelkit.record.bulk`` a batch at a time, in the caller's transaction:
building and tracking an ORM object for each of 40,000 items took most of the time a load took.

An export made before judgments had ``shown`` (and could hold two inspections of one force,
framework and period) still loads: inspections of one force, framework and period are merged
into one (the one with a report document, else the lowest id, as migration 0004 does), and a
judgment without ``shown`` is shown or not by the record's precedence rule.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from peelkit.domain.findings import Comparator, FindingKind, InspectionStatus
from peelkit.domain.forces import MostSimilarGroup
from peelkit.domain.frameworks import Framework
from peelkit.domain.years import normalise_year
from peelkit.errors import DataFileError, PeelkitError
from peelkit.frameworks import load_framework
from peelkit.record import bulk, load_checks
from peelkit.record import operations as ops
from peelkit.record.exchange_followup import load_followup
from peelkit.record.groups import store_groups
from peelkit.record.json_reader import Reader, located, pointer
from peelkit.record.schema import (
    Base,
    DataFigure,
    Evidence,
    Finding,
    ImportWarningRow,
    Inspection,
    Judgment,
    PerformanceRow,
    SourceDocument,
)
from peelkit.reference import resolve_force

_TABLES = Base.metadata.tables
_DOCUMENT_TABLE = _TABLES[SourceDocument.__tablename__]
_WARNING_TABLE = _TABLES[ImportWarningRow.__tablename__]
_INSPECTION_TABLE = _TABLES[Inspection.__tablename__]
_JUDGMENT_TABLE = _TABLES[Judgment.__tablename__]
_FINDING_TABLE = _TABLES[Finding.__tablename__]
_EVIDENCE_TABLE = _TABLES[Evidence.__tablename__]
_FIGURE_TABLE = _TABLES[DataFigure.__tablename__]
_PERFORMANCE_TABLE = _TABLES[PerformanceRow.__tablename__]

# The fields of each kind of object the loader reads, True where required (the schema's own
# lists: tests/record/test_load_validation.py holds them to it).
_PROVENANCE = {
    k: False for k in ("document", "line_start", "line_end", "page_start", "page_end", "entered_by")
}
_DOCUMENT = {
    "id": True,
    "sha256": True,
    "text_sha256": False,
    "title": False,
    "filename": False,
    "media_type": False,
    "publisher": False,
    "published": False,
    "line_count": False,
    "page_count": False,
    "stated_counts": False,
    "warnings": False,
}
_WARNING = {
    "id": True,
    "code": True,
    "message": True,
    "table": False,
    "row": False,
    "column": False,
    "line_start": False,
    "line_end": False,
}
_CELL = {"printed": False, "value": False}
_RANK = {"printed": False, "position": False, "of": False, "tied": False}
_PERFORMANCE_ROW = {
    "id": True,
    "area": False,
    "table": True,
    "indicator": True,
    "previous": False,
    "current": False,
    "change": False,
    "change_unit": False,
    "msf_average": False,
    "msf_rank": False,
    "national_average": False,
    "national_rank": False,
    "provenance": False,
}
_INSPECTION = {
    "id": True,
    "version": False,
    "force": True,
    "framework": True,
    "period": False,
    "title": False,
    "status": False,
    "published": False,
    "embargo_until": False,
    "hm_inspector": False,
    "document": False,
    "entered_by": False,
    "judgments": False,
    "findings": False,
    "evidence": False,
    "figures": False,
    "performance_table": False,
}
_JUDGMENT = {
    "id": True,
    "version": False,
    "area": True,
    "grade": True,  # null where no grade is available, never left out
    "grade_as_printed": False,
    "direction": False,
    "direction_as_printed": False,
    "year_last_inspected": False,
    "carried_over": False,
    "previous_grade": False,
    "read_from": False,
    "rationale": False,
    "shown": False,
    "shown_reason": False,
    "provenance": False,
}
_FINDING = {
    "id": True,
    "version": False,
    "area": False,
    "kind": True,
    "text": True,
    "heading": False,
    "lead_in": False,
    "sub_items": False,
    "cause_of_concern": False,
    "deadline": False,
    "flag": False,
    "provenance": False,
}
_EVIDENCE = {
    "id": True,
    "version": False,
    "area": False,
    "kind": True,
    "description": False,
    "sample_size": False,
    "period": False,
    "criteria_results": False,
    "provenance": False,
}
_FIGURE = {
    "id": True,
    "version": False,
    "area": False,
    "table": False,
    "measure": True,
    "period": False,
    "unit": False,
    "force_value_as_printed": False,
    "force_value": False,
    "comparator": False,
    "comparator_label": False,
    "comparator_value_as_printed": False,
    "comparator_value": False,
    "change_as_printed": False,
    "change": False,
    "provenance": False,
}
_GROUP = {"force": True, "year": True, "peers": True, "source": True}


def _provenance(file: str, path: str, value: Any) -> ops.Provenance:
    if value is None:
        return ops.Provenance()
    item = Reader(file, path, value, _PROVENANCE)
    return ops.Provenance(
        document_id=item.integer("document"),
        line_start=item.integer("line_start"),
        line_end=item.integer("line_end"),
        page_start=item.integer("page_start"),
        page_end=item.integer("page_end"),
        entered_by=item.text("entered_by"),
    )


def load_record(
    session: Session,
    document: dict[str, Any],
    file: str,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, int]:
    """Load an export into the session's (empty) record. Returns counts of what was loaded.

    ``document`` is what :func:`parse_export` returns: checked whole against the export's schema
    (so every field has its type), ids and references. What needs the frameworks, forces and
    the record's rules (areas, grades, one shown judgment per area) is checked here as each item
    is added, inside the caller's transaction; rows are written in batches as they are checked.
    """
    top = Reader(
        file,
        "",
        document,
        {
            "format": True,
            "format_version": True,
            "documents": True,
            "inspections": True,
            "most_similar_groups": False,
            "followup": False,
        },
    )
    load_checks.check_format(document, file)
    counts = _load_items(_Load(session, file), top, progress)
    groups = []
    for i, raw in enumerate(top.objects("most_similar_groups")):
        path = pointer("", "most_similar_groups", i)
        item = Reader(file, path, raw, _GROUP)
        with located(file, path):
            groups.append(_group(item))
    store_groups(session, groups)
    counts["most_similar_groups"] = len(groups)
    if top.value.get("followup") is not None:
        with located(file, "/followup"):
            loaded_followup = load_followup(session, top.value["followup"], file)
        counts.update({f"followup_{k}": v for k, v in loaded_followup.items()})
    if session.get_bind().dialect.name == "postgresql":
        _advance_sequences(session)
    return counts


def _load_items(
    load: _Load, top: Reader, progress: Callable[[int, int], None] | None
) -> dict[str, int]:
    """The documents and inspections of the export, checked and written."""
    file = load.file
    for i, raw in enumerate(top.objects("documents")):
        load.document(Reader(file, pointer("", "documents", i), raw, _DOCUMENT))
    # Written now: what follows may look a document up (the precedence of judgments).
    load.batches.write()
    inspections = top.objects("inspections")
    readers = [
        Reader(file, pointer("", "inspections", i), raw, _INSPECTION)
        for i, raw in enumerate(inspections)
    ]
    merged_into = _merge_targets(load.session, file, readers)
    kept = set(merged_into.values())
    loaded: dict[int, _Inspection] = {}
    # Inspections that merge into another are loaded after all the others.
    order = [i for i in range(len(readers)) if i not in merged_into] + sorted(merged_into)
    for done, i in enumerate(order, start=1):
        into = loaded[merged_into[i]] if i in merged_into else None
        loaded[i] = load.inspection(readers[i], into, keep=i in kept)
        if progress:
            progress(done, len(inspections))
    for i in sorted(kept):
        load.write_judgments(loaded[i])
    load.batches.write()
    return load.counts


def _group(item: Reader) -> MostSimilarGroup:
    force = resolve_force(item.required_text("force")).id
    peers = tuple(resolve_force(p).id for p in item.texts("peers"))
    return MostSimilarGroup(
        force_id=force,
        year=normalise_year(item.required_text("year")),
        peers=peers,
        source=item.required_text("source"),
    )


def _merge_targets(session: Session, file: str, readers: list[Reader]) -> dict[int, int]:
    """For an older export holding several inspections of one force, framework and period:
    index of each inspection -> index of the one it merges into (loaded first: the one with a
    report document, else the lowest id). Empty for an export of this version."""
    groups: dict[tuple[str, str, str], list[int]] = {}
    for i, item in enumerate(readers):
        with located(file, item.path):
            spec = load_framework(item.required_text("framework"))
            key = (
                resolve_force(item.required_text("force")).id,
                spec.id,
                ops.inspection_period(spec, item.text("period")),
            )
        groups.setdefault(key, []).append(i)
    targets: dict[int, int] = {}
    for members in groups.values():
        if len(members) < 2:
            continue

        def rank(i: int) -> tuple[bool, int]:
            document = session.get(SourceDocument, readers[i].integer("document") or -1)
            return (not ops.is_report_document(document), readers[i].integer("id") or 0)

        survivor = min(members, key=rank)
        targets.update({i: survivor for i in members if i != survivor})
    return targets


class _Problem(Exception):
    """A value of an item the record refuses, at ``key`` below the item (raised while the
    item's place is not yet known; :meth:`_Load.place` names it)."""

    def __init__(self, key: str, problem: str) -> None:
        super().__init__(problem)
        self.key = key
        self.problem = problem


class _Inspection:
    """An inspection being loaded: what its items are checked against, and its judgments by
    area (kept until the end for one that an older export's duplicates merge into)."""

    __slots__ = ("document_id", "id", "judgments", "keep", "spec")

    def __init__(self, inspection_id: int, spec: Framework, document_id: int | None) -> None:
        self.id = inspection_id
        self.spec = spec
        self.document_id = document_id
        self.judgments: dict[str, list[dict[str, Any]]] = {}
        self.keep = False


_FINDING_KINDS = frozenset(kind.value for kind in FindingKind)
_COMPARATORS = frozenset(comparator.value for comparator in Comparator)
_NO_PROVENANCE: dict[str, Any] = {}
_NO_SPANS = (None, None, None, None)
_UNKNOWN = object()
# An item's provenance: its document, line start and end, page start and end, entered by.
_Cited = tuple[int | None, int | None, int | None, int | None, int | None, str | None]


class _Load:
    """One load: the rows waiting to be written, and what the checks of later items need to
    know of earlier ones (the documents, the causes of concern, the inspections' keys)."""

    def __init__(self, session: Session, file: str) -> None:
        self.session = session
        self.file = file
        self.batches = bulk.Batches(
            session,
            [
                ("documents", _DOCUMENT_TABLE),
                ("warnings", _WARNING_TABLE),
                ("inspections", _INSPECTION_TABLE),
                ("judgments", _JUDGMENT_TABLE),
                ("findings", _FINDING_TABLE),
                # Recommendations naming their cause of concern, after every cause (the search
                # index of a recommendation holds its cause's words).
                ("answers", _FINDING_TABLE),
                ("evidence", _EVIDENCE_TABLE),
                ("figures", _FIGURE_TABLE),
                ("performance_rows", _PERFORMANCE_TABLE),
            ],
            # The file's lengths were checked against the export's schema (maxLength).
            lengths_checked=True,
        )
        self.counts = {
            "documents": 0,
            "inspections": 0,
            "judgments": 0,
            "findings": 0,
            "evidence": 0,
            "figures": 0,
            "performance_rows": 0,
            "most_similar_groups": 0,
        }
        # What the database held before (nothing, for the empty record a load is for).
        self.checksums: dict[str, int] = {
            sha256: document_id
            for sha256, document_id in session.execute(
                select(_DOCUMENT_TABLE.c.sha256, _DOCUMENT_TABLE.c.id)
            )
        }
        self.document_ids = set(self.checksums.values())
        self.inspection_keys: dict[tuple[str, str, str], int] = {}
        for inspection_id, force_id, framework_id, period in session.execute(
            select(
                _INSPECTION_TABLE.c.id,
                _INSPECTION_TABLE.c.force_id,
                _INSPECTION_TABLE.c.framework_id,
                _INSPECTION_TABLE.c.period,
            )
        ):
            self.inspection_keys[(force_id, framework_id, period)] = inspection_id
        self.inspection_ids = set(self.inspection_keys.values())
        # The causes of concern loaded so far: finding id -> inspection id.
        self.causes: dict[int, int] = {}
        # Checks already passed, by what they were given (an area, a grade...): the answer.
        self.judgment_codes: dict[tuple[Any, ...], tuple[str, str | None, str | None, str | None]]
        self.judgment_codes = {}
        self.item_areas: dict[tuple[Any, ...], Any] = {}

    # --- places --------------------------------------------------------------------------------

    def place(self, exc: PeelkitError | _Problem, path: str, *parts: str | int) -> DataFileError:
        """The error of an item refused at ``path/parts...`` (as ``located`` names it)."""
        if isinstance(exc, DataFileError):
            return exc
        at = pointer(path, *parts)
        if isinstance(exc, _Problem):
            return DataFileError(self.file, pointer(at, exc.key), exc.problem)
        return DataFileError(self.file, at, str(exc))

    def check_document(self, document_id: int | None) -> None:
        if document_id is not None and document_id not in self.document_ids:
            raise ops.document_not_found(document_id)

    # --- documents -----------------------------------------------------------------------------

    def document(self, item: Reader) -> None:
        file, path = self.file, item.path
        with located(file, path):
            document_id = item.integer("id")
            sha256 = item.required_text("sha256")
            row = {
                "id": document_id,
                "sha256": sha256,
                "title": item.text("title"),
                "filename": item.text("filename"),
                "media_type": item.text("media_type"),
                "publisher": item.text("publisher"),
                "published": item.date("published"),
                "line_count": item.integer("line_count"),
                "page_count": item.integer("page_count"),
            }
            ops.check_checksum(sha256)  # as ops.register_document checks it
            stored = self.checksums.get(sha256)
            if stored is not None and stored != document_id:
                raise item.fail(f"the same checksum appears again (document {stored})", "sha256")
            text_sha256 = item.text("text_sha256")
            if text_sha256 is not None and not re.fullmatch("[0-9a-f]{64}", text_sha256):
                raise item.fail("expected 64 lower-case hex digits or null", "text_sha256")
            stated_counts = item.value.get("stated_counts")  # checked by the schema
            if stored is None:
                assert document_id is not None  # the schema requires it
                self.batches.add(
                    "documents", {**row, "text_sha256": text_sha256, "stated_counts": stated_counts}
                )
                self.checksums[sha256] = document_id
                self.document_ids.add(document_id)
            else:  # the database holds it already, with this id: it is kept, as re-imports do
                self.session.execute(
                    update(_DOCUMENT_TABLE)
                    .where(_DOCUMENT_TABLE.c.id == stored)
                    .values(text_sha256=text_sha256, stated_counts=stated_counts)
                )
        for j, raw_warning in enumerate(item.objects("warnings")):
            at = pointer(path, "warnings", j)
            entry = Reader(file, at, raw_warning, _WARNING)
            with located(file, at):
                self.batches.add(
                    "warnings",
                    {
                        "id": entry.integer("id"),
                        "document_id": document_id,
                        "code": entry.required_text("code"),
                        "message": entry.required_text("message"),
                        "table_title": entry.text("table"),
                        "row": entry.text("row"),
                        "column": entry.text("column"),
                        "line_start": entry.integer("line_start"),
                        "line_end": entry.integer("line_end"),
                    },
                )
        self.counts["documents"] += 1

    # --- inspections ---------------------------------------------------------------------------

    def inspection(self, item: Reader, into: _Inspection | None, keep: bool) -> _Inspection:
        """Load one inspection, or (an older export's duplicate) its items into ``into``; the
        judgments of one that others merge into (``keep``) are written by
        :meth:`write_judgments` once they have all been added."""
        file, path = self.file, item.path
        if into is not None:
            inspection = into
        else:
            with located(file, path):
                inspection = self._create(item)
            inspection.keep = keep
            self.counts["inspections"] += 1
        value = item.value
        for j, raw in enumerate(value.get("judgments") or ()):
            try:
                self._judgment(inspection, raw)
            except (PeelkitError, _Problem) as exc:
                raise self.place(exc, path, "judgments", j) from None
        with located(file, path):
            # Before anything is written (at most one shown judgment per area, at every row).
            ops.check_shown_counts(
                inspection.id,
                (
                    (row["area_id"], row["shown"])
                    for rows in inspection.judgments.values()
                    for row in rows
                ),
            )
        if not inspection.keep:
            self.write_judgments(inspection)
        for j, raw in enumerate(value.get("findings") or ()):
            try:
                self._finding(inspection, raw)
            except (PeelkitError, _Problem) as exc:
                raise self.place(exc, path, "findings", j) from None
        for j, raw in enumerate(value.get("evidence") or ()):
            at = pointer(path, "evidence", j)
            entry = Reader(file, at, raw, _EVIDENCE)
            with located(file, at):
                self._evidence(inspection, entry)
        for j, raw in enumerate(value.get("figures") or ()):
            try:
                self._figure(inspection, raw)
            except (PeelkitError, _Problem) as exc:
                raise self.place(exc, path, "figures", j) from None
        for j, raw in enumerate(value.get("performance_table") or ()):
            at = pointer(path, "performance_table", j)
            entry = Reader(file, at, raw, _PERFORMANCE_ROW)
            with located(file, at):
                self._performance_row(inspection, entry)
        return inspection

    def _create(self, item: Reader) -> _Inspection:
        """The checks of ``ops.create_inspection``, in its order, against the inspections the
        database held and those loaded so far."""
        inspection_id = item.integer("id")
        force = item.required_text("force")
        framework = item.required_text("framework")
        period = item.text("period")
        title = item.text("title")
        status = item.text("status") or "draft"
        published = item.date("published")
        embargo_until = item.datetime("embargo_until")
        hm_inspector = item.text("hm_inspector")
        document_id = item.integer("document")
        entered_by = item.text("entered_by")
        resolved = resolve_force(force)
        spec = load_framework(framework)
        self.check_document(document_id)
        assert inspection_id is not None  # the schema requires it
        if inspection_id in self.inspection_ids:
            raise ops.inspection_id_exists(inspection_id)
        year = ops.inspection_period(spec, period)
        ops.check_period(spec, year)
        key = (resolved.id, spec.id, year)
        existing = self.inspection_keys.get(key)
        if existing is not None:
            raise ops.inspection_exists(existing, resolved.id, spec.id, year)
        ops.choice(status, InspectionStatus, "status")
        version = _version(item)
        self.batches.add(
            "inspections",
            {
                "id": inspection_id,
                "force_id": resolved.id,
                "framework_id": spec.id,
                "period": year,
                "title": title,
                "status": status,
                "published": published,
                "embargo_until": embargo_until,
                "hm_inspector": hm_inspector,
                "document_id": document_id,
                "entered_by": entered_by,
                "version": version,
            },
        )
        self.inspection_ids.add(inspection_id)
        self.inspection_keys[key] = inspection_id
        return _Inspection(inspection_id, spec, document_id)

    # --- the items of an inspection ------------------------------------------------------------

    @staticmethod
    def _cited(raw: dict[str, Any]) -> _Cited:
        """An item's provenance: document, line start and end, page start and end, entered by
        (its spans checked by :meth:`_check_span`)."""
        get = (raw.get("provenance") or _NO_PROVENANCE).get
        return (
            get("document"),
            get("line_start"),
            get("line_end"),
            get("page_start"),
            get("page_end"),
            get("entered_by"),
        )

    @staticmethod
    def _check_span(cited: _Cited) -> None:
        """As ``ops.Provenance.check``."""
        if cited[1:5] != _NO_SPANS:
            ops.check_span(cited[1], cited[2], cited[3], cited[4])

    def _judgment(self, inspection: _Inspection, raw: dict[str, Any]) -> None:
        """The checks of ``ops.record_judgment``, in its order."""
        get = raw.get
        spec = inspection.spec
        area, grade = raw["area"], raw["grade"]  # both required by the schema
        direction, previous = get("direction"), get("previous_grade")
        key = (spec.id, area, grade, direction, previous)
        codes = self.judgment_codes.get(key)
        if codes is None:
            codes = ops.judgment_codes(spec, area, grade, direction, previous)
            self.judgment_codes[key] = codes
        area_id, grade_id, direction_id, previous_id = codes
        read_from = get("read_from")
        ops.check_read_from(read_from)
        cited = self._cited(raw)
        document_id, line_start, line_end, page_start, page_end, entered_by = cited
        self._check_span(cited)
        self.check_document(document_id)
        same_area = inspection.judgments.setdefault(area_id, [])
        for existing in same_area:
            if existing["document_id"] == document_id:
                raise ops.judgment_exists(inspection.id, area_id, document_id)
        year_last_inspected = get("year_last_inspected")
        row = {
            "id": get("id"),
            "inspection_id": inspection.id,
            "framework_id": spec.id,
            "area_id": area_id,
            "grade": grade_id,
            "grade_as_printed": get("grade_as_printed"),
            "direction": direction_id,
            "direction_as_printed": get("direction_as_printed"),
            "year_last_inspected": (
                normalise_year(year_last_inspected) if year_last_inspected else None
            ),
            "carried_over": bool(get("carried_over")),
            "previous_grade": previous_id,
            "rationale": get("rationale"),
            "read_from": read_from,
            "shown": get("shown"),
            "shown_reason": get("shown_reason"),
            "document_id": document_id,
            "line_start": line_start,
            "line_end": line_end,
            "page_start": page_start,
            "page_end": page_end,
            "entered_by": entered_by,
            "version": 1,
        }
        if row["shown"] is None:
            if same_area:
                self._show_by_precedence(inspection, [*same_area, row])
            else:  # the precedence rule for an area's only judgment: shown, no reason given
                row["shown"], row["shown_reason"] = True, None
        same_area.append(row)
        row["version"] = _item_version(get("version"))
        self.counts["judgments"] += 1

    def _show_by_precedence(self, inspection: _Inspection, rows: list[dict[str, Any]]) -> None:
        """A judgment an older export gives without ``shown``: the shown one of its area chosen
        by the record's precedence rule (``ops.record_judgment`` with ``shown`` None), on
        unsaved copies of the area's rows."""
        owner = Inspection(
            id=inspection.id, framework_id=inspection.spec.id, document_id=inspection.document_id
        )
        copies = [Judgment(**row) for row in rows]
        ops.show_among(self.session, owner, copies)
        for row, copy in zip(rows, copies, strict=True):
            row["shown"], row["shown_reason"] = copy.shown, copy.shown_reason

    def write_judgments(self, inspection: _Inspection) -> None:
        for rows in inspection.judgments.values():
            for row in rows:
                self.batches.add("judgments", row)
        inspection.judgments = {}

    def _finding(self, inspection: _Inspection, raw: dict[str, Any]) -> None:
        """The checks of ``ops.record_finding``, in its order."""
        get = raw.get
        spec = inspection.spec
        area, kind, text = get("area"), raw["kind"], raw["text"]  # required by the schema
        # The area's id as checked for an earlier item (if this one's kind and text pass).
        known = (spec.id, area)
        area_id = self.item_areas.get(known, _UNKNOWN)
        if area_id is _UNKNOWN or kind not in _FINDING_KINDS or not text.strip():
            area_id = self.item_areas[known] = ops.finding_area(spec, area, kind, text)
        cause = get("cause_of_concern")
        if cause is not None:
            ops.check_may_name_a_cause(kind)
            held = self.causes.get(cause)
            ops.check_cause(
                inspection.id,
                cause,
                (held, FindingKind.CAUSE_OF_CONCERN.value) if held is not None else None,
            )
        cited = self._cited(raw)
        document_id, line_start, line_end, page_start, page_end, entered_by = cited
        self.check_document(document_id)
        self._check_span(cited)
        finding_id = raw["id"]
        self.batches.add(
            "findings" if cause is None else "answers",
            {
                "id": finding_id,
                "inspection_id": inspection.id,
                "framework_id": spec.id,
                "area_id": area_id,
                "kind": kind,
                "text": text,
                "heading": get("heading"),
                "lead_in": get("lead_in"),
                "sub_items": list(get("sub_items") or ()),
                "cause_of_concern_id": cause,
                "deadline": get("deadline"),
                "flag": get("flag"),
                "document_id": document_id,
                "line_start": line_start,
                "line_end": line_end,
                "page_start": page_start,
                "page_end": page_end,
                "entered_by": entered_by,
                "version": _item_version(get("version")),
            },
        )
        if kind == FindingKind.CAUSE_OF_CONCERN:
            self.causes[finding_id] = inspection.id
        self.counts["findings"] += 1

    def _evidence(self, inspection: _Inspection, entry: Reader) -> None:
        spec = inspection.spec
        kind = entry.required_text("kind")
        sample_size = entry.integer("sample_size")
        criteria_results = entry.objects("criteria_results")
        provenance = _provenance(
            self.file, pointer(entry.path, "provenance"), entry.value.get("provenance")
        )
        area_id = ops.evidence_area(spec, entry.text("area"), kind, sample_size, criteria_results)
        self.check_document(provenance.document_id)
        provenance.check()
        self.batches.add(
            "evidence",
            {
                "id": entry.integer("id"),
                "inspection_id": inspection.id,
                "framework_id": spec.id,
                "area_id": area_id,
                "kind": kind,
                "description": entry.text("description"),
                "sample_size": sample_size,
                "period": entry.text("period"),
                "criteria_results": list(criteria_results),
                **_provenance_columns(provenance),
                "version": _version(entry),
            },
        )
        self.counts["evidence"] += 1

    def _figure(self, inspection: _Inspection, raw: dict[str, Any]) -> None:
        """The checks of ``ops.record_figure``, in its order."""
        get = raw.get
        spec = inspection.spec
        area, measure = get("area"), raw["measure"]  # required by the schema
        comparator = get("comparator") or "none"
        # The area's id as checked for an earlier item (if this one's comparator and measure
        # pass).
        known = (spec.id, area)
        area_id = self.item_areas.get(known, _UNKNOWN)
        if area_id is _UNKNOWN or comparator not in _COMPARATORS or not measure.strip():
            area_id = self.item_areas[known] = ops.figure_area(spec, area, comparator, measure)
        cited = self._cited(raw)
        document_id, line_start, line_end, page_start, page_end, entered_by = cited
        self.check_document(document_id)
        self._check_span(cited)
        self.batches.add(
            "figures",
            {
                "id": get("id"),
                "inspection_id": inspection.id,
                "framework_id": spec.id,
                "area_id": area_id,
                "table_title": get("table"),
                "measure": measure,
                "period": get("period"),
                "unit": get("unit"),
                "force_value_as_printed": get("force_value_as_printed"),
                "force_value": _number(get("force_value")),
                "comparator": comparator,
                "comparator_label": get("comparator_label"),
                "comparator_value_as_printed": get("comparator_value_as_printed"),
                "comparator_value": _number(get("comparator_value")),
                "change_as_printed": get("change_as_printed"),
                "change": _number(get("change")),
                "document_id": document_id,
                "line_start": line_start,
                "line_end": line_end,
                "page_start": page_start,
                "page_end": page_end,
                "entered_by": entered_by,
                "version": _item_version(get("version")),
            },
        )
        self.counts["figures"] += 1

    def _performance_row(self, inspection: _Inspection, entry: Reader) -> None:
        spec = inspection.spec
        previous, current, change = (_cell(entry, k) for k in ("previous", "current", "change"))
        msf_average, national_average = (
            _cell(entry, "msf_average"),
            _cell(entry, "national_average"),
        )
        msf_rank, national_rank = _rank(entry, "msf_rank"), _rank(entry, "national_rank")
        change_unit = entry.text("change_unit")
        provenance = _provenance(
            self.file, pointer(entry.path, "provenance"), entry.value.get("provenance")
        )
        area_id = ops.performance_row_area(
            spec,
            entry.text("area"),
            entry.required_text("indicator"),
            change_unit,
            msf_rank,
            national_rank,
        )
        self.check_document(provenance.document_id)
        provenance.check()
        self.batches.add(
            "performance_rows",
            {
                "id": entry.integer("id"),
                "inspection_id": inspection.id,
                "framework_id": spec.id,
                "area_id": area_id,
                "table_title": entry.required_text("table"),
                "indicator": entry.required_text("indicator"),
                "previous_as_printed": previous.printed,
                "previous": previous.value,
                "current_as_printed": current.printed,
                "current": current.value,
                "change_as_printed": change.printed,
                "change": change.value,
                "change_unit": change_unit,
                "msf_average_as_printed": msf_average.printed,
                "msf_average": msf_average.value,
                "msf_rank_as_printed": msf_rank.printed,
                "msf_rank": msf_rank.position,
                "msf_rank_of": msf_rank.of,
                "msf_rank_tied": msf_rank.tied,
                "national_average_as_printed": national_average.printed,
                "national_average": national_average.value,
                "national_rank_as_printed": national_rank.printed,
                "national_rank": national_rank.position,
                "national_rank_of": national_rank.of,
                "national_rank_tied": national_rank.tied,
                **_provenance_columns(provenance),
            },
        )
        self.counts["performance_rows"] += 1


def _provenance_columns(provenance: ops.Provenance) -> dict[str, Any]:
    return {
        "document_id": provenance.document_id,
        "line_start": provenance.line_start,
        "line_end": provenance.line_end,
        "page_start": provenance.page_start,
        "page_end": provenance.page_end,
        "entered_by": provenance.entered_by,
    }


def _number(value: int | float | None) -> float | None:
    """A number of the export as the record stores it (``Reader.number``)."""
    return None if value is None else float(value)


def _item_version(version: int | None) -> int:
    """:func:`_version` of an item read without a :class:`Reader`."""
    if version is None:
        return 1
    if version < 1:
        raise _Problem("version", f"version must be 1 or more, got {version}")
    return version


def _version(entry: Reader) -> int:
    """An item's version as exported (1 when the export has none)."""
    version = entry.integer("version")
    if version is None:
        return 1
    if version < 1:
        raise entry.fail(f"version must be 1 or more, got {version}", "version")
    return version


def _cell(entry: Reader, key: str) -> ops.PrintedCell:
    raw = entry.value.get(key)
    if raw is None:
        return ops.PrintedCell()
    cell = Reader(entry.file, pointer(entry.path, key), raw, _CELL)
    return ops.PrintedCell(printed=cell.text("printed"), value=cell.number("value"))


def _rank(entry: Reader, key: str) -> ops.PrintedRank:
    raw = entry.value.get(key)
    if raw is None:
        return ops.PrintedRank()
    rank = Reader(entry.file, pointer(entry.path, key), raw, _RANK)
    return ops.PrintedRank(
        printed=rank.text("printed"),
        position=rank.integer("position"),
        of=rank.integer("of"),
        tied=rank.flag("tied"),
    )


def _advance_sequences(session: Session) -> None:
    """After explicit ids, move PostgreSQL's id sequence of every table with an integer id
    past the largest id it holds (never back: ids given out before a ``--replace`` stay used)."""
    bulk.advance_sequences(session, Base.metadata.sorted_tables)
