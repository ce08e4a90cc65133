"""Export and load: lossless round trips, and bad files refused with their place named."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from peelkit import Workspace
from peelkit.errors import DataFileError, InvalidRecord
from peelkit.record.operations import Provenance

Opener = Callable[[str], Workspace]


def _populate(workspace: Workspace) -> None:
    """A record with every kind of item, odd values included (accents, floats, nulls)."""
    document = workspace.register_document(
        sha256="0123456789abcdef" * 4,
        title="PEEL 2018/19: Metropolitan Police Service",
        filename="001.txt",
        media_type="text/plain",
        publisher="HMICFRS",
        line_count=1194,
    )
    where = Provenance(document_id=document.id, line_start=40, line_end=41)
    inspection = workspace.add_inspection(
        force="Metropolitan Police Service",
        framework="peel-2018-19",
        status="published",
        title="PEEL 2018/19",
        hm_inspector="Matt Parr",
        document_id=document.id,
    )
    iid = inspection.id
    workspace.add_judgment(
        iid,
        area="Legitimacy",
        grade="Good",
        grade_as_printed="Good",
        provenance=where,
        rationale="From the pillar’s own heading.",
    )
    workspace.add_judgment(
        iid, area="Armed response capability", grade="Ungraded", year_last_inspected="2018-19"
    )
    concern = workspace.add_finding(
        iid, kind="cause_of_concern", area="legitimacy", text="Vetting backlog.", provenance=where
    )
    workspace.add_finding(
        iid,
        kind="recommendation",
        area="legitimacy",
        text="Clear it.",
        cause_of_concern_id=concern.id,
        deadline="within 12 months",
        lead_in="The force should:",
        sub_items=["a", "b"],
    )
    workspace.add_evidence(
        iid,
        kind="case_file_review",
        area="investigating-crime",
        sample_size=90,
        period="1 May to 31 July 2018",
        criteria_results=[
            {
                "criterion": "effective investigation",
                "count": 72,
                "denominator": 90,
                "stated_percent": 80,
            }
        ],
    )
    workspace.add_figure(
        iid,
        measure="Police Officer",
        table_title="Workforce",
        unit="fte",
        force_value_as_printed="30,435",
        force_value=30435,
        comparator="earlier_date",
        comparator_label="31 March 2014",
        comparator_value_as_printed="30,932",
        comparator_value=30932,
        change_as_printed="-2%",
        change=-1.6067503,
        provenance=Provenance(document_id=document.id, page_start=7, page_end=7),
    )
    baseline = workspace.add_inspection(
        force="GMP", framework="baseline-2005", entered_by="analyst"
    )
    workspace.add_judgment(baseline.id, area="2B", grade="Fair", direction="S")


def _load_groups(workspace: Workspace, tmp_path: Path) -> None:
    csv = tmp_path / "groups.csv"
    csv.write_text("year,force,msg_force\n2018/19,Kent,Essex\n2018/19,Kent,Sussex\n")
    workspace.load_groups(csv)


def test_round_trip_is_lossless(
    database_url: str, second_database_url: str, tmp_path: Path, open_workspace: Opener
) -> None:
    first = open_workspace(database_url)
    _populate(first)
    _load_groups(first, tmp_path)
    exported = tmp_path / "first.json"
    first.export_to(exported)
    second = open_workspace(second_database_url)
    counts = second.load(exported)
    assert counts["inspections"] == 2
    assert counts["judgments"] == 3
    assert counts["findings"] == 2
    assert counts["most_similar_groups"] == 1
    again = tmp_path / "second.json"
    second.export_to(again)
    assert again.read_bytes() == exported.read_bytes()
    # Ids and links survive, and new items after a load get fresh ids (PostgreSQL sequences).
    record = json.loads(again.read_text())
    finding = record["inspections"][0]["findings"][1]
    assert finding["cause_of_concern"] == record["inspections"][0]["findings"][0]["id"]
    assert record["inspections"][0]["figures"][0]["change"] == -1.6067503
    added = second.add_inspection(force="Kent", framework="peel-2017")
    assert added.id == max(i["id"] for i in record["inspections"]) + 1


def test_load_needs_an_empty_record(workspace: Workspace, tmp_path: Path) -> None:
    _populate(workspace)
    exported = tmp_path / "record.json"
    workspace.export_to(exported)
    with pytest.raises(InvalidRecord, match="already holds a record"):
        workspace.load(exported)
    counts = workspace.load(exported, replace=True)
    assert counts["inspections"] == 2
    assert len(workspace.inspections()) == 2


def _export_of_one(tmp_path: Path) -> dict[str, Any]:
    with Workspace(f"sqlite:///{tmp_path / 'source.sqlite'}") as workspace:
        _populate(workspace)
        return workspace.export()


@pytest.mark.parametrize(
    ("change", "place", "message"),
    [
        (
            lambda r: r["inspections"][0].update(force="Metropolis"),
            "/inspections/0",
            "unknown force 'Metropolis'",
        ),
        (
            lambda r: r["inspections"][1].update(framework="baseline-2006"),
            "/inspections/1",
            "unknown framework 'baseline-2006'",
        ),
        (
            lambda r: r["inspections"][0]["judgments"][0].update(area="Fairness"),
            "/inspections/0/judgments/0",
            "unknown area 'Fairness'",
        ),
        (
            lambda r: r["inspections"][0]["judgments"][1].update(grade="Brilliant"),
            "/inspections/0/judgments/1",
            "unknown grade 'Brilliant'",
        ),
        (
            lambda r: r["inspections"][0]["judgments"][0].pop("area"),
            "/inspections/0/judgments/0",
            "missing field 'area'",
        ),
        (
            lambda r: r["inspections"][0]["judgments"][0].update(colour="red"),
            "/inspections/0/judgments/0",
            "unknown field 'colour'",
        ),
        (
            lambda r: r["inspections"][0]["evidence"][0].update(sample_size="ninety"),
            "/inspections/0/evidence/0/sample_size",
            "expected a whole number, found text",
        ),
        (
            lambda r: r["inspections"][0].update(published="September 2019"),
            "/inspections/0/published",
            "expected a date YYYY-MM-DD",
        ),
        (lambda r: r.update(format_version=99), "/format_version", "is not supported"),
        (
            lambda r: r["inspections"][0]["findings"][1].update(kind="praise"),
            "/inspections/0/findings/1",
            "unknown finding kind 'praise'",
        ),
    ],
)
def test_bad_export_file_names_the_place_and_changes_nothing(
    workspace: Workspace, tmp_path: Path, change: Any, place: str, message: str
) -> None:
    record = _export_of_one(tmp_path)
    change(record)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(record))
    with pytest.raises(DataFileError) as caught:
        workspace.load(bad)
    assert str(caught.value).startswith(f"bad.json: {place}")
    assert message in str(caught.value)
    assert workspace.inspections() == []
    assert workspace.export()["documents"] == []


def test_malformed_json_names_line_and_column(tmp_path: Path, open_workspace: Opener) -> None:
    bad = tmp_path / "truncated.json"
    bad.write_text('{\n  "format": "peelkit-record",\n  "inspections": [\n')
    workspace = open_workspace(f"sqlite:///{tmp_path / 'x.sqlite'}")
    with pytest.raises(DataFileError, match=r"truncated.json: line 4, column 1: not valid JSON"):
        workspace.load(bad)


def test_not_an_export(tmp_path: Path, open_workspace: Opener) -> None:
    other = tmp_path / "list.json"
    other.write_text("[1, 2]")
    workspace = open_workspace(f"sqlite:///{tmp_path / 'x.sqlite'}")
    with pytest.raises(DataFileError, match="list.json: expected a JSON object, found a list"):
        workspace.load(other)
    missing = tmp_path / "absent.json"
    with pytest.raises(DataFileError, match="absent.json: cannot be read"):
        workspace.load(missing)
