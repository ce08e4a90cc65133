"""A report's printed previous grades checked against the earlier inspection in the record."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from peelkit.workspace import Workspace

PEEL_2016 = "000_033c6fd077a275c5.txt"
PEEL_2015 = "002_b3b722981796a923.txt"


def test_the_2016_report_agrees_with_the_2015_one(
    workspace: Workspace, reference_reports: Path
) -> None:
    workspace.initialise()
    workspace.import_report(reference_reports / PEEL_2015)
    _, result = workspace.import_report(reference_reports / PEEL_2016)
    assert [w for w in result.warnings if "previous grade" in w] == []


def test_a_previous_grade_the_record_contradicts_is_a_warning(
    workspace: Workspace, reference_reports: Path
) -> None:
    workspace.initialise()
    # The 2016 report prints investigating crime's previous grade as requires improvement
    # (its 2015 grade); a record that says good for 2015 must be questioned, not trusted.
    earlier = workspace.add_inspection(
        force="Met", framework="peel-2015", status="published", published=dt.date(2016, 2, 18)
    ).id
    workspace.add_judgment(earlier, area="Investigating crime", grade="Good")
    _, result = workspace.import_report(reference_reports / PEEL_2016)
    mismatches = [w for w in result.warnings if "previous grade" in w]
    assert len(mismatches) == 1
    assert "Investigating crime" in mismatches[0]
    assert "requires_improvement" in mismatches[0] and "good" in mismatches[0]


def test_the_warning_names_both_inspections_and_both_grades(
    workspace: Workspace, reference_reports: Path
) -> None:
    workspace.initialise()
    earlier = workspace.add_inspection(force="Met", framework="peel-2015", status="published").id
    workspace.add_judgment(earlier, area="Investigating crime", grade="Outstanding")
    workspace.add_judgment(earlier, area="Preventing crime", grade="Good")
    _, result = workspace.import_report(reference_reports / PEEL_2016)
    [own] = result.inspections
    # The 2016 report prints preventing crime's previous grade as good: no warning. Its area
    # of investigating crime is named otherwise than 2015's, and found by that name.
    assert [w for w in result.warnings if "previous grade" in w] == [
        f"inspection {own} (peel-2016) prints the previous grade of 'Investigating crime and "
        "reducing re-offending' as requires_improvement, but the record's peel-2015 inspection "
        f"{earlier} grades it outstanding"
    ]
