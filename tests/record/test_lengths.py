"""Text longer than its column is refused, whatever writes it, on both databases (issue 15):
SQLite would store it, and the record's own export would then not load.

The lengths are the export schema's (``maxLength``), the format's documented description."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import pytest
from sqlalchemy import func, select

from peelkit import Workspace
from peelkit.errors import InvalidRecord
from peelkit.record.operations import Provenance
from peelkit.record.schema import Finding, Inspection


def _schema() -> dict[str, Any]:
    text = resources.files("peelkit.record").joinpath("export.schema.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


HM_INSPECTOR = _schema()["$defs"]["inspection"]["properties"]["hm_inspector"]["maxLength"]
ENTERED_BY = _schema()["$defs"]["entered_by"]["maxLength"]


def _count(workspace: Workspace, table: type[Inspection] | type[Finding]) -> int:
    with workspace.database.transaction() as session:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)


@pytest.mark.parametrize(
    ("field", "length"), [("hm_inspector", HM_INSPECTOR), ("entered_by", ENTERED_BY)]
)
def test_an_inspection_field_one_longer_than_its_column_is_refused(
    workspace: Workspace, field: str, length: int
) -> None:
    with pytest.raises(InvalidRecord) as caught:
        fields: dict[str, Any] = {field: "x" * (length + 1)}
        workspace.add_inspection(force="Kent", framework="peel-2017", **fields)
    assert caught.value.code == "value_too_long"
    assert str(caught.value) == (
        f"inspection {field}: {length + 1} characters, but at most {length} are kept: shorten it"
    )
    assert _count(workspace, Inspection) == 0
    # As long as the column: kept whole.
    kept: dict[str, Any] = {field: "y" * length}
    added = workspace.add_inspection(force="Kent", framework="peel-2017", **kept)
    assert getattr(added, field) == "y" * length


def test_a_finding_entered_by_a_name_too_long_writes_nothing(workspace: Workspace) -> None:
    inspection = workspace.add_inspection(force="Kent", framework="peel-2017")
    with pytest.raises(InvalidRecord) as caught:
        workspace.add_finding(
            inspection.id,
            kind="strength",
            text="Good.",
            provenance=Provenance(entered_by="e" * (ENTERED_BY + 1)),
        )
    assert caught.value.code == "value_too_long"
    assert "finding entered_by" in str(caught.value)
    assert _count(workspace, Finding) == 0
