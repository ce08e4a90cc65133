"""Loads validated before they write (issue 15, "Loads that crash"): a bad export file gives one
line naming the file and the place (a JSON pointer), exit 2, and leaves the database exactly as
it was, on SQLite and PostgreSQL; the export's JSON Schema agrees with what peelkit writes."""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from peelkit import Workspace
from peelkit.cli import main
from peelkit.domain.forces import MostSimilarGroup
from peelkit.errors import DataFileError
from peelkit.record import exchange, exchange_followup, exchange_load, load_checks, serialise
from peelkit.record.schema import (
    Base,
    DataFigure,
    Evidence,
    Finding,
    FindingLinkRow,
    ImportWarningRow,
    Inspection,
    Judgment,
    MonitoringStatementRow,
    NationalRecommendationRow,
    PccResponseRow,
    PerformanceRow,
    SourceDocument,
    StatusEventRow,
)
from tests.record.test_exchange import _populate
from tests.report_text import printed_sentence

Opener = Callable[[str], Workspace]
Record = dict[str, Any]

AFI_2016 = printed_sentence(
    "000_033c6fd077a275c5.txt", "The force should ensure that the risks posed by"
)


# --- a real export: every kind of item, follow-up from the shared samples --------------------


def _build_record(folder: Path, shared: Path) -> Record:
    """The record of tests/record/test_exchange.py, a most similar group, the follow-up samples
    of ../shared imported, and a link a person entered: every list of the format non-empty."""
    with Workspace(f"sqlite:///{folder / 'source.sqlite'}") as workspace:
        workspace.initialise()
        _populate(workspace)
        groups = folder / "groups.csv"
        groups.write_text("year,force,msg_force\n2018/19,Kent,Essex\n2018/19,Kent,Sussex\n")
        workspace.load_groups(groups)
        early = workspace.add_inspection(
            force="Met", framework="peel-2016", status="published", published=dt.date(2017, 3, 2)
        ).id
        afi = workspace.add_finding(early, kind="area_for_improvement", text=AFI_2016).id
        (concern,) = [
            f.id
            for i in workspace.inspections(force="Met", framework="peel-2018-19")
            for f in workspace.inspection(i.id).findings
            if f.kind == "cause_of_concern"
        ]
        workspace.add_link(afi, concern, "escalated")
        for path in sorted((shared / "examples" / "follow-up").glob("*.txt")):
            workspace.import_followup(path)
        return workspace.export()


@pytest.fixture(scope="module")
def real_record(tmp_path_factory: pytest.TempPathFactory, shared: Path) -> Record:
    return _build_record(tmp_path_factory.mktemp("source"), shared)


@pytest.fixture
def record(real_record: Record) -> Record:
    return copy.deepcopy(real_record)


def test_the_real_export_has_every_kind_of_item(real_record: Record) -> None:
    assert real_record["documents"] and real_record["most_similar_groups"]
    assert any(d["warnings"] for d in real_record["documents"])
    for key in ("judgments", "findings", "evidence", "figures"):
        assert any(i[key] for i in real_record["inspections"]), key
    for key in exchange_followup.KEYS:
        assert real_record["followup"][key], key


# --- the schema --------------------------------------------------------------------------------


def test_a_real_export_validates_with_jsonschema_and_the_loaders_checks(
    real_record: Record,
) -> None:
    assert list(load_checks.reference_validator().iter_errors(real_record)) == []
    assert load_checks.first_schema_problem(real_record) is None
    load_checks.check_record(real_record, "record.json")


def _rows() -> dict[str, Any]:
    """One row of each table, unsaved, with what serialise.py needs to write it."""
    when = dt.datetime(2020, 1, 1, 9, 30)
    return {
        "document": SourceDocument(id=1, sha256="0" * 64),
        "warning": ImportWarningRow(id=1, code="c", message="m"),
        "inspection": Inspection(
            id=1, judgments=[], findings=[], evidence=[], figures=[], performance_rows=[]
        ),
        "judgment": Judgment(id=1),
        "finding": Finding(id=1),
        "evidence": Evidence(id=1),
        "figure": DataFigure(id=1),
        "performance_row": PerformanceRow(id=1),
        "link": FindingLinkRow(id=1, created_at=when),
        "status_event": StatusEventRow(id=1, date=when.date(), created_at=when),
        "national_recommendation": NationalRecommendationRow(id=1),
        "pcc_response": PccResponseRow(id=1),
        "monitoring_statement": MonitoringStatementRow(id=1, date=when.date(), reasons=[]),
    }


_WRITERS: dict[str, Callable[[Any], dict[str, Any]]] = {
    "document": serialise.document,
    "warning": serialise.import_warning,
    "inspection": serialise.inspection,
    "judgment": serialise.judgment,
    "finding": serialise.finding,
    "evidence": serialise.evidence,
    "figure": serialise.figure,
    "performance_row": serialise.performance_row,
    "link": serialise.finding_link,
    "status_event": serialise.status_event,
    "national_recommendation": serialise.national_recommendation,
    "pcc_response": serialise.pcc_response,
    "monitoring_statement": serialise.monitoring_statement,
}


def test_the_schemas_keys_are_what_serialise_writes_in_its_order() -> None:
    defs = load_checks.export_schema()["$defs"]
    for name, row in _rows().items():
        written = list(_WRITERS[name](row))
        assert list(defs[name]["properties"]) == written, name
    performance = serialise.performance_row(PerformanceRow(id=1))
    assert list(defs["cell"]["properties"]) == list(performance["previous"])
    assert list(defs["rank"]["properties"]) == list(performance["msf_rank"])
    assert list(defs["provenance"]["properties"]) == list(serialise.provenance(Judgment()))
    group = serialise.group(MostSimilarGroup("kent", "2018/19", ("essex",), "file.csv"))
    assert list(defs["group"]["properties"]) == list(group)
    assert list(defs["followup"]["properties"]) == list(exchange_followup.KEYS)


def test_the_top_level_of_the_schema_is_what_export_writes(real_record: Record) -> None:
    schema = load_checks.export_schema()
    assert list(schema["properties"]) == list(real_record)
    assert schema["properties"]["format"] == {"const": exchange.FORMAT}
    assert schema["properties"]["format_version"] == {"enum": list(exchange.READABLE_VERSIONS)}
    assert exchange.FORMAT_VERSION in exchange.READABLE_VERSIONS


def test_the_loaders_field_lists_say_what_the_schema_says() -> None:
    """The loader's own list of fields (and which it needs) is the schema's, for every kind."""
    defs = load_checks.export_schema()["$defs"]
    loaders = {
        "document": exchange_load._DOCUMENT,
        "warning": exchange_load._WARNING,
        "inspection": exchange_load._INSPECTION,
        "judgment": exchange_load._JUDGMENT,
        "finding": exchange_load._FINDING,
        "evidence": exchange_load._EVIDENCE,
        "figure": exchange_load._FIGURE,
        "performance_row": exchange_load._PERFORMANCE_ROW,
        "cell": exchange_load._CELL,
        "rank": exchange_load._RANK,
        "provenance": exchange_load._PROVENANCE,
        "group": exchange_load._GROUP,
        "link": exchange_followup._LINK,
        "status_event": exchange_followup._EVENT,
        "national_recommendation": exchange_followup._NATIONAL,
        "pcc_response": exchange_followup._RESPONSE,
        "monitoring_statement": exchange_followup._STATEMENT,
    }
    for name, fields in loaders.items():
        assert set(defs[name]["properties"]) == set(fields), name
        needed = {key for key, required in fields.items() if required}
        assert set(defs[name].get("required", [])) == needed, name
    assert defs["judgment"]["required"] == ["id", "area", "grade"]


def _columns(schema: Any) -> list[tuple[str, int]]:
    """Every (table.column, maxLength) the schema names with ``x-column``."""
    found = []
    if isinstance(schema, dict):
        columns = schema.get("x-column")
        if columns is not None:
            for column in [columns] if isinstance(columns, str) else columns:
                found.append((column, schema["maxLength"]))
        for value in schema.values():
            found.extend(_columns(value))
    elif isinstance(schema, list):
        for value in schema:
            found.extend(_columns(value))
    return found


# String columns an export does not fill with its text as it is: ids the loader resolves (force,
# framework, area, grade and direction ids, normalised years), a checksum (a pattern of exactly
# 64), or values a loaded table takes from elsewhere.
_RESOLVED = {
    "source_document.sha256",
    "source_document.text_sha256",
    "inspection.force_id",
    "inspection.framework_id",
    "inspection.period",
    "judgment.framework_id",
    "judgment.area_id",
    "judgment.grade",
    "judgment.direction",
    "judgment.year_last_inspected",
    "judgment.previous_grade",
    "finding.framework_id",
    "finding.area_id",
    "evidence.framework_id",
    "evidence.area_id",
    "data_figure.framework_id",
    "data_figure.area_id",
    "performance_row.framework_id",
    "performance_row.area_id",
    "finding_link.force_id",
    "national_recommendation.framework_id",
    "monitoring_statement.force_id",
    "most_similar_peer.force_id",
    "most_similar_peer.year",
    "most_similar_peer.peer_id",
}
_LOADED_TABLES = (
    "source_document",
    "import_warning",
    "inspection",
    "judgment",
    "finding",
    "evidence",
    "data_figure",
    "performance_row",
    "most_similar_peer",
    "finding_link",
    "status_event",
    "national_recommendation",
    "pcc_response",
    "monitoring_statement",
)


def test_each_maxlength_is_its_columns_length_and_every_column_has_one() -> None:
    named = _columns(load_checks.export_schema())
    for place, length in named:
        table, name = place.split(".")
        assert getattr(Base.metadata.tables[table].c[name].type, "length", None) == length, place
    bounded = {place for place, _ in named}
    for table in _LOADED_TABLES:
        for column in Base.metadata.tables[table].c:
            if getattr(column.type, "length", None) is None:
                continue  # Text, numbers, dates, JSON: no length to exceed
            key = f"{table}.{column.name}"
            assert key in bounded or key in _RESOLVED, f"{key} has no maxLength in the schema"


def _set(path: list[str | int], value: Any) -> Callable[[Record], None]:
    def change(record: Record) -> None:
        target: Any = record
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value

    return change


def _drop(path: list[str | int]) -> Callable[[Record], None]:
    def change(record: Record) -> None:
        target: Any = record
        for part in path[:-1]:
            target = target[part]
        del target[path[-1]]

    return change


# One change each, at every level and of every keyword the schema uses; each is a problem.
SCHEMA_CHANGES = {
    "format": _set(["format"], "peelkit"),
    "format_version_true": _set(["format_version"], True),
    "documents_null": _set(["documents"], None),
    "unknown_top_field": _set(["extra"], 1),
    "missing_inspections": _drop(["inspections"]),
    "document_id_text": _set(["documents", 0, "id"], "1"),
    "checksum_upper_case": _set(["documents", 0, "sha256"], "A" * 64),
    "filename_long": _set(["documents", 0, "filename"], "f" * 256),
    "stated_counts_text": _set(["documents", 0, "stated_counts"], "nine"),
    "stated_counts_by_grade_text": _set(
        ["documents", 0, "stated_counts"],
        {"areas": 9, "graded": 8, "by_grade": {"good": "two"}, "line_start": 3, "line_end": 3},
    ),
    "stated_counts_unknown_key": _set(
        ["documents", 0, "stated_counts"],
        {"areas": 9, "graded": 8, "by_grade": {}, "line_start": 3, "line_end": 3, "x": 1},
    ),
    "warning_line_zero": _set(["documents", 1, "warnings", 0, "line_start"], 0),
    "inspection_id_float": _set(["inspections", 0, "id"], 1.0),
    "inspection_id_bool": _set(["inspections", 0, "id"], True),
    "inspection_id_32_bits": _set(["inspections", 0, "id"], 2**31),
    "embargo_with_offset": _set(["inspections", 0, "embargo_until"], "2020-01-01T00:00:00+01:00"),
    "published_words": _set(["inspections", 0, "published"], "September 2019"),
    "judgment_without_grade": _drop(["inspections", 0, "judgments", 0, "grade"]),
    "judgment_colour": _set(["inspections", 0, "judgments", 0, "colour"], "red"),
    "shown_text": _set(["inspections", 0, "judgments", 0, "shown"], "yes"),
    "provenance_list": _set(["inspections", 0, "judgments", 0, "provenance"], []),
    "provenance_page_negative": _set(
        ["inspections", 0, "figures", 0, "provenance", "page_start"], -3
    ),
    "sub_item_number": _set(["inspections", 0, "findings", 1, "sub_items", 0], 7),
    "criteria_result_text": _set(["inspections", 0, "evidence", 0, "criteria_results", 0], "x"),
    "figure_value_text": _set(["inspections", 0, "figures", 0, "force_value"], "30,435"),
    "group_peers_text": _set(["most_similar_groups", 0, "peers"], "Essex"),
    "followup_list": _set(["followup"], []),
    "link_created_missing": _drop(["followup", "links", 0, "created_at"]),
    "event_date_time": _set(["followup", "status_events", 0, "date"], "2020-01-01T00:00"),
    "reference_long": _set(["followup", "national_recommendations", 0, "reference"], "r" * 41),
    "response_item_finding_text": _set(
        ["followup", "pcc_responses", 0, "items"], [{"finding": "1"}]
    ),
    "monitoring_reason_zero": _set(["followup", "monitoring", 0, "reasons"], [0]),
}


@pytest.mark.parametrize("name", sorted(SCHEMA_CHANGES))
def test_the_loaders_schema_checks_agree_with_jsonschema(record: Record, name: str) -> None:
    SCHEMA_CHANGES[name](record)
    expected = next(iter(load_checks.reference_validator().iter_errors(record)), None)
    assert expected is not None, "the change must break the schema"
    found = load_checks.first_schema_problem(record)
    assert found is not None
    assert (found.path, found.keyword) == (list(expected.absolute_path), expected.validator)


def test_the_compiled_schema_refuses_a_keyword_it_does_not_check() -> None:
    with pytest.raises(ValueError, match="'minItems' is not one peelkit checks"):
        load_checks._compile({"type": "array", "minItems": 1}, {}, {})


# --- refused files: one line, the place, nothing written -----------------------------------------


@dataclass(frozen=True)
class Case:
    """A change to the real export, the error it must give and where."""

    change: Callable[[Record], None]
    code: str
    place: str
    words: str
    # Placeholder strings in the record replaced by raw JSON text after it is written.
    raw: dict[str, str] = field(default_factory=dict)


def _index(record: Record, framework: str) -> int:
    return next(i for i, x in enumerate(record["inspections"]) if x["framework"] == framework)


def _met_2018(record: Record) -> Record:
    inspection: Record = record["inspections"][_index(record, "peel-2018-19")]
    return inspection


def _same_id(kind: str) -> Callable[[Record], None]:
    """The first item of ``kind`` of the Met's 2016 inspection takes the id of the 2018/19's."""

    def change(record: Record) -> None:
        record["inspections"][_index(record, "peel-2016")][kind][0]["id"] = _met_2018(record)[kind][
            0
        ]["id"]

    return change


def _nested(depth: int) -> list[Any]:
    value: list[Any] = []
    for _ in range(depth - 1):
        value = [value]
    return value


def _own_group(record: Record) -> None:
    group = record["most_similar_groups"][0]
    group["peers"].append(group["force"])


def _peer_twice(record: Record) -> None:
    group = record["most_similar_groups"][0]
    group["peers"].append(group["peers"][0])


def _group_twice(record: Record) -> None:
    record["most_similar_groups"].append(copy.deepcopy(record["most_similar_groups"][0]))


def _document_twice(record: Record) -> None:
    record["documents"][1]["id"] = record["documents"][0]["id"]


def _checksum_twice(record: Record) -> None:
    record["documents"][1]["sha256"] = record["documents"][0]["sha256"]


def _warning_twice(record: Record) -> None:
    record["documents"][2]["warnings"][0]["id"] = record["documents"][1]["warnings"][0]["id"]


def _inspection_twice(record: Record) -> None:
    record["inspections"][1]["id"] = record["inspections"][0]["id"]


def _link_twice(record: Record) -> None:
    link = copy.deepcopy(record["followup"]["links"][0])
    link["id"] = max(x["id"] for x in record["followup"]["links"]) + 1
    record["followup"]["links"].append(link)


def _reference_twice(record: Record) -> None:
    national = record["followup"]["national_recommendations"]
    national[1]["reference"] = national[0]["reference"]


def _link_across_forces(record: Record) -> None:
    staffordshire = next(i for i in record["inspections"] if i["force"] == "staffordshire")
    record["followup"]["links"][0]["later"] = staffordshire["findings"][0]["id"]


def _link_within_one_inspection(record: Record) -> None:
    met = _met_2018(record)
    link = record["followup"]["links"][0]
    assert link["later"] == met["findings"][0]["id"]
    link["earlier"] = met["findings"][1]["id"]


def _link_backwards(record: Record) -> None:
    link = record["followup"]["links"][0]
    link["earlier"], link["later"] = link["later"], link["earlier"]


CASES: dict[str, Case] = {
    # Duplicate ids.
    "two_inspections_with_one_id": Case(
        _inspection_twice, "duplicate_id", "/inspections/1/id", "two inspections have the id"
    ),
    "two_documents_with_one_id": Case(
        _document_twice, "duplicate_id", "/documents/1/id", "two documents have the id"
    ),
    "two_findings_with_one_id_across_inspections": Case(
        _same_id("findings"), "duplicate_id", "/inspections/2/findings/0/id", "two findings"
    ),
    "two_warnings_with_one_id_across_documents": Case(
        _warning_twice, "duplicate_id", "/documents/2/warnings/0/id", "two import warnings"
    ),
    "two_links_between_the_same_findings": Case(
        _link_twice, "duplicate_entry", "/followup/links/1", "also at /followup/links/0"
    ),
    "two_documents_with_one_checksum": Case(
        _checksum_twice, "duplicate_entry", "/documents/1/sha256", "the same checksum"
    ),
    "two_national_recommendations_with_one_reference": Case(
        _reference_twice,
        "duplicate_entry",
        "/followup/national_recommendations/1/reference",
        "is also that of /followup/national_recommendations/0",
    ),
    # References to ids the file does not hold.
    "a_judgments_document_not_in_the_file": Case(
        _set(["inspections", 0, "judgments", 0, "provenance", "document"], 999),
        "unknown_reference",
        "/inspections/0/judgments/0/provenance/document",
        "no document with id 999 in the file",
    ),
    "an_inspections_document_not_in_the_file": Case(
        _set(["inspections", 0, "document"], 998),
        "unknown_reference",
        "/inspections/0/document",
        "no document with id 998 in the file",
    ),
    "a_cause_of_concern_not_in_the_file": Case(
        _set(["inspections", 0, "findings", 1, "cause_of_concern"], 997),
        "unknown_reference",
        "/inspections/0/findings/1/cause_of_concern",
        "no finding with id 997 in the file",
    ),
    "a_link_to_a_finding_not_in_the_file": Case(
        _set(["followup", "links", 0, "later"], 996),
        "unknown_reference",
        "/followup/links/0/later",
        "no finding with id 996 in the file",
    ),
    "a_status_event_of_a_national_recommendation_not_in_the_file": Case(
        _set(["followup", "status_events", 0, "national_recommendation"], 995),
        "unknown_reference",
        "/followup/status_events/0/national_recommendation",
        "no national recommendation with id 995 in the file",
    ),
    "a_pcc_response_to_an_inspection_not_in_the_file": Case(
        _set(["followup", "pcc_responses", 0, "inspection"], 994),
        "unknown_reference",
        "/followup/pcc_responses/0/inspection",
        "no inspection with id 994 in the file",
    ),
    "a_monitoring_reason_not_in_the_file": Case(
        _set(["followup", "monitoring", 0, "reasons"], [993]),
        "unknown_reference",
        "/followup/monitoring/0/reasons/0",
        "no finding with id 993 in the file",
    ),
    "a_national_recommendation_of_an_unknown_framework": Case(
        _set(["followup", "national_recommendations", 0, "framework"], "peel-2099"),
        "data_file_invalid",
        "/followup/national_recommendations/0/framework",
        "unknown framework 'peel-2099'",
    ),
    # Links that break the rules a person's link follows (checked as the loader adds them).
    "a_link_across_forces": Case(
        _link_across_forces,
        "link_across_forces",
        "/followup/links/0/later",
        "not metropolitan: links join findings of the link's force",
    ),
    "a_link_within_one_inspection": Case(
        _link_within_one_inspection,
        "link_same_inspection",
        "/followup/links/0/later",
        "are of the same inspection",
    ),
    "a_link_from_the_later_finding": Case(
        _link_backwards, "link_order", "/followup/links/0/earlier", "the earlier one comes first"
    ),
    # Integers.
    "an_id_of_2_to_the_63": Case(
        _set(["inspections", 0, "id"], 2**63),
        "number_out_of_range",
        "/inspections/0/id",
        "9223372036854775808 is out of range",
    ),
    "an_id_beyond_32_bits": Case(
        _set(["inspections", 0, "judgments", 0, "id"], 2**31),
        "number_out_of_range",
        "/inspections/0/judgments/0/id",
        "expected an id (a whole number from 1 to 2147483647), found 2147483648",
    ),
    "a_negative_id": Case(
        _set(["inspections", 0, "findings", 0, "id"], -1),
        "number_out_of_range",
        "/inspections/0/findings/0/id",
        "found -1",
    ),
    "an_id_of_23_digits": Case(
        _set(["documents", 0, "id"], "@id@"),
        "number_out_of_range",
        "/documents/0/id",
        "is out of range",
        raw={'"@id@"': "12345678901234567890123"},
    ),
    "a_whole_number_of_5000_digits": Case(
        _set(["documents", 0, "line_count"], "@big@"),
        "number_out_of_range",
        "/documents/0/line_count",
        "a whole number of 5000 digits is out of range",
        raw={'"@big@"': "9" * 5000},
    ),
    "a_figure_of_nan": Case(
        _set(["inspections", 0, "figures", 0, "force_value"], "@nan@"),
        "number_out_of_range",
        "/inspections/0/figures/0/force_value",
        "NaN is not a number JSON allows",
        raw={'"@nan@"': "NaN"},
    ),
    "a_figure_of_1e400": Case(
        _set(["inspections", 0, "figures", 0, "change"], "@huge@"),
        "number_out_of_range",
        "/inspections/0/figures/0/change",
        "1e400 is too large",
        raw={'"@huge@"': "1e400"},
    ),
    # Nesting.
    "nesting_70_deep_in_a_criteria_result": Case(
        _set(["inspections", 0, "evidence", 0, "criteria_results", 0, "deep"], _nested(70)),
        "json_too_deep",
        # root 1, inspections 2, inspection 3, evidence 4, item 5, criteria_results 6, result 7,
        # so the 58th list of "deep" is the 65th level.
        "/inspections/0/evidence/0/criteria_results/0/deep" + "/0" * 57,
        "nested deeper than 64 levels",
    ),
    # Text the database cannot store.
    "a_nul_in_a_findings_text": Case(
        _set(["inspections", 0, "findings", 0, "text"], "Vetting\x00 backlog."),
        "text_not_storable",
        "/inspections/0/findings/0/text",
        "NUL character",
    ),
    "a_nul_in_a_key_of_a_criteria_result": Case(
        _set(["inspections", 0, "evidence", 0, "criteria_results", 0, "note\x00"], 1),
        "text_not_storable",
        "/inspections/0/evidence/0/criteria_results/0",
        "a key holds a NUL character",
    ),
    "half_a_surrogate_pair_in_a_title": Case(
        _set(["documents", 0, "title"], "@surrogate@"),
        "text_not_storable",
        "/documents/0/title",
        "half of a surrogate pair (\\ud800)",
        raw={'"@surrogate@"': '"PEEL \\ud800"'},
    ),
    # Values longer than their columns.
    "an_hm_inspector_longer_than_the_column": Case(
        _set(["inspections", 0, "hm_inspector"], "M" * 201),
        "value_too_long",
        "/inspections/0/hm_inspector",
        "text of 201 characters is longer than the 200 the column inspection.hm_inspector holds",
    ),
    "a_force_name_of_300_characters": Case(
        _set(["inspections", 0, "force"], "Kent " * 60),
        "value_too_long",
        "/inspections/0/force",
        "text of 300 characters is longer than the 200",
    ),
    "an_entered_by_longer_than_the_column": Case(
        _set(["inspections", 0, "judgments", 0, "provenance", "entered_by"], "x" * 101),
        "value_too_long",
        "/inspections/0/judgments/0/provenance/entered_by",
        "longer than the 100",
    ),
    # Most similar groups.
    "a_force_in_its_own_group": Case(
        _own_group,
        "group_includes_itself",
        "/most_similar_groups/0/peers/2",
        "cannot be in its own most similar group",
    ),
    "a_peer_twice_in_one_group": Case(
        _peer_twice, "duplicate_entry", "/most_similar_groups/0/peers/2", "is listed twice"
    ),
    "a_forces_group_twice_for_one_year": Case(
        _group_twice, "duplicate_entry", "/most_similar_groups/1", "is also at"
    ),
    # An inspection filed under a period its framework does not inspect (2014 under 2018/19).
    "a_period_its_framework_does_not_inspect": Case(
        _set(["inspections", 0, "period"], "2014"),
        "data_file_invalid",
        "/inspections/0",
        "framework peel-2018-19 inspects 2018/19, not 2014",
    ),
    # A judgment that does not say its grade.
    "a_judgment_with_no_grade": Case(
        _drop(["inspections", 0, "judgments", 0, "grade"]),
        "data_file_invalid",
        "/inspections/0/judgments/0",
        "missing field 'grade'",
    ),
    # Duplicate keys: a JSON reader keeps one of them (which "loaded nothing" before).
    "a_key_twice_in_one_object": Case(
        _set(["inspections", 0, "title"], "@title@"),
        "json_duplicate_key",
        "/inspections/0",
        "the key 'title' appears twice",
        raw={'"@title@"': '"PEEL 2018/19", "title": "Another title"'},
    ),
    "a_time_with_an_offset": Case(
        _set(["followup", "links", 0, "created_at"], "2020-01-01T10:00:00+01:00"),
        "data_file_invalid",
        "/followup/links/0/created_at",
        "expected a date and time YYYY-MM-DDTHH:MM:SS, without a UTC offset",
    ),
}


def _write(record: Record, case: Case, path: Path) -> Path:
    text = json.dumps(record, ensure_ascii=True)
    for placeholder, literal in case.raw.items():
        assert text.count(placeholder) == 1, placeholder
        text = text.replace(placeholder, literal)
    path.write_text(text, encoding="utf-8")
    return path


def _state(workspace: Workspace) -> dict[str, int]:
    """How many rows every table holds: the same before and after means nothing was written."""
    with workspace.database.transaction() as session:
        return {
            table.name: session.scalar(select(func.count()).select_from(table)) or 0
            for table in Base.metadata.sorted_tables
        }


def test_each_case_changes_the_record_it_names(real_record: Record) -> None:
    """The changes do what their names say (so that the cases test what they claim)."""
    record = copy.deepcopy(real_record)
    # The Met's 2018/19 inspection is the first: the cases name its items by index.
    assert _index(record, "peel-2018-19") == 0 and _index(record, "peel-2016") == 2
    assert record["inspections"][0]["findings"][1]["cause_of_concern"] is not None
    assert len(record["most_similar_groups"][0]["peers"]) == 2
    assert record["documents"][1]["warnings"] and record["documents"][2]["warnings"]
    assert len(record["followup"]["national_recommendations"]) >= 2


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_refused_file_names_the_place_and_writes_nothing(
    name: str, record: Record, database_url: str, tmp_path: Path, open_workspace: Opener
) -> None:
    case = CASES[name]
    case.change(record)
    bad = _write(record, case, tmp_path / "bad.json")
    workspace = open_workspace(database_url)
    workspace.initialise()
    before = _state(workspace)
    with pytest.raises(DataFileError) as caught:
        workspace.load(bad)
    error = caught.value
    assert error.code == case.code
    assert error.message.startswith(f"bad.json: {case.place}: "), error.message
    assert case.words in error.message
    assert error.location.file == "bad.json"
    assert "\n" not in str(error) and len(error.message) < 400
    assert _state(workspace) == before


def test_the_unchanged_export_loads_after_a_refused_one(
    real_record: Record, database_url: str, tmp_path: Path, open_workspace: Opener
) -> None:
    workspace = open_workspace(database_url)
    workspace.initialise()
    bad = copy.deepcopy(real_record)
    _inspection_twice(bad)
    (tmp_path / "bad.json").write_text(json.dumps(bad), encoding="utf-8")
    with pytest.raises(DataFileError):
        workspace.load(tmp_path / "bad.json")
    good = tmp_path / "good.json"
    good.write_text(exchange.dumps(real_record), encoding="utf-8")
    counts = workspace.load(good)
    assert counts["inspections"] == len(real_record["inspections"])
    assert counts["followup_links"] == len(real_record["followup"]["links"])
    again = tmp_path / "again.json"
    workspace.export_to(again)
    assert again.read_bytes() == good.read_bytes()


def test_nesting_too_deep_for_pythons_reader_is_one_line(tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        exchange.parse_export(deep)
    # The 65th bracket opens the 65th level.
    assert caught.value.message == (
        "deep.json: line 1, column 65: lists and objects are nested deeper than 64 levels"
    )
    assert caught.value.code == "json_too_deep"


def test_a_judgment_with_null_grade_loads_as_a_person_may_enter_one(
    record: Record, workspace: Workspace, tmp_path: Path
) -> None:
    """No grade available is a judgment the record allows (a hand entry may have grade None):
    an export saying so with ``"grade": null`` loads; only a judgment without the key is
    refused (above)."""
    workspace.initialise()
    judgment = record["inspections"][0]["judgments"][0]
    assert judgment["area"] == "legitimacy" and judgment["grade"] == "good"
    judgment["grade"] = None
    path = tmp_path / "null-grade.json"
    path.write_text(json.dumps(record), encoding="utf-8")
    workspace.load(path)
    loaded = workspace.export()["inspections"][0]["judgments"][0]
    assert (loaded["area"], loaded["grade"]) == ("legitimacy", None)
    other = workspace.add_inspection(force="Kent", framework="peel-2018-19").id
    entered = workspace.add_judgment(other, area="Legitimacy", grade=None)
    assert entered.grade is None


def test_a_refused_replace_from_the_command_line_keeps_the_record(
    real_record: Record, database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "record.json"
    good.write_text(exchange.dumps(real_record), encoding="utf-8")
    assert main(["load", str(good), "--db", database_url, "--quiet"]) == 0
    first = tmp_path / "first.json"
    assert main(["export", str(first), "--db", database_url]) == 0
    capsys.readouterr()
    bad = copy.deepcopy(real_record)
    _own_group(bad)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad), encoding="utf-8")
    code = main(["load", str(path), "--replace", "--db", database_url, "--quiet"])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in captured.err
    assert lines[0].startswith("peel: error: bad.json: /most_similar_groups/0/peers/2: ")
    second = tmp_path / "second.json"
    assert main(["export", str(second), "--db", database_url]) == 0
    assert second.read_bytes() == first.read_bytes()
