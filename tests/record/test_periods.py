"""An inspection is filed under a period its framework inspects (issue 15): the framework's own
period, or one of its ``era.other_periods``; any other is refused, naming the frameworks of that
period. The periods are read here from the framework files themselves."""

from __future__ import annotations

from importlib import resources
from typing import Any

import pytest
import yaml
from sqlalchemy import func, select

from peelkit import Workspace
from peelkit.domain.years import normalise_year
from peelkit.errors import InvalidRecord
from peelkit.record.schema import Inspection


def _framework_files() -> dict[str, dict[str, Any]]:
    folder = resources.files("peelkit.frameworks").joinpath("data")
    found = {}
    for entry in folder.iterdir():
        if entry.name.endswith(".yaml") and entry.name != "grade-scales.yaml":
            data = yaml.safe_load(entry.read_text("utf-8"))
            found[data["id"]] = data
    return found


FILES = _framework_files()
PERIODS = {
    fid: [normalise_year(data["period"])]
    + [normalise_year(p) for p in data["era"].get("other_periods") or ()]
    for fid, data in FILES.items()
}


def _count(workspace: Workspace) -> int:
    with workspace.database.transaction() as session:
        return int(session.scalar(select(func.count()).select_from(Inspection)) or 0)


def test_every_period_a_framework_file_names_is_accepted(workspace: Workspace) -> None:
    added = 0
    for framework, periods in sorted(PERIODS.items()):
        for period in periods:
            inspection = workspace.add_inspection(force="Kent", framework=framework, period=period)
            assert inspection.period == period
            added += 1
    assert _count(workspace) == added
    assert len(PERIODS["baseline-2005"]) > 1  # the later baseline assessments


def test_a_year_of_other_frameworks_is_refused_naming_them(workspace: Workspace) -> None:
    of_2014 = sorted(f for f, periods in PERIODS.items() if "2014" in periods)
    assert of_2014  # core business and PEEL 2014
    with pytest.raises(InvalidRecord) as caught:
        workspace.add_inspection(force="Essex", framework="peel-2017", period="2014")
    assert caught.value.code == "period_not_of_framework"
    assert str(caught.value) == (
        f"framework peel-2017 inspects {PERIODS['peel-2017'][0]}, not 2014 "
        f"(the frameworks of 2014: {', '.join(of_2014)})"
    )
    assert _count(workspace) == 0


def test_a_year_no_framework_inspects_is_refused(workspace: Workspace) -> None:
    assert not any("2019" in periods for periods in PERIODS.values())
    with pytest.raises(InvalidRecord, match=r"not 2019 \(no framework inspects 2019\)$"):
        workspace.add_inspection(force="Essex", framework="peel-2018-19", period="2019")
    assert _count(workspace) == 0
