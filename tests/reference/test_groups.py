"""Most similar groups shipped with peelkit, as the reference reports name them."""

from __future__ import annotations

import re
from pathlib import Path

from peelkit import Workspace
from peelkit.reference import resolve_force, shipped_groups


def _split_names(listing: str) -> list[str]:
    return [n.strip() for n in re.split(r";|,| and ", listing) if n.strip()]


def test_shipped_groups_are_the_ones_the_reports_name(reference_reports: Path) -> None:
    baseline = (reference_reports / "004_8971e4e9a7c1f0c8.txt").read_text(encoding="utf-8")
    match = re.search(r"most similar to the MPS in terms of [^:]*: ([^.]*)\.", baseline)
    assert match is not None
    expected_2005 = [resolve_force(n).id for n in _split_names(match.group(1))]
    peel = (reference_reports / "001_2e8c9026aad1a9d7.txt").read_text(encoding="utf-8")
    match = re.search(r"MSG forces are ([^.]*)\.", peel)
    assert match is not None
    expected_2019 = [resolve_force(n).id for n in _split_names(match.group(1))]
    shipped = {(g.force_id, g.year): list(g.peers) for g in shipped_groups()}
    assert shipped[("metropolitan", "2004/05")] == expected_2005
    assert shipped[("metropolitan", "2018/19")] == expected_2019
    assert len(expected_2005) == 4
    assert len(expected_2019) == 3


def test_group_in_effect_for_a_year(workspace: Workspace) -> None:
    groups = workspace.groups("Met", "2019/20")
    assert [(g.year, len(g.with_force)) for g in groups] == [("2018/19", 4)]
    assert workspace.groups("Met", "2005-06")[0].year == "2004/05"
    assert workspace.groups("Met", "2003/04") == []
    assert [g.year for g in workspace.groups("Metropolitan Police")] == ["2004/05", "2018/19"]


def test_city_of_london_has_no_group(workspace: Workspace, reference_reports: Path) -> None:
    peel = (reference_reports / "001_2e8c9026aad1a9d7.txt").read_text(encoding="utf-8")
    assert "could not identify any forces similar to City of London Police" in peel
    assert workspace.groups("City of London Police") == []
    reason = workspace.no_group_reason("City of London")
    assert reason is not None and "no forces similar enough" in reason
    assert workspace.no_group_reason("Kent") is None
