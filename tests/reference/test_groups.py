"""Most similar groups: the shipped ones as the reports name them, and a user's CSV file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select

from peelkit import Workspace
from peelkit.errors import DataFileError, InvalidRecord
from peelkit.record.database import normalise_url
from peelkit.record.schema import MostSimilarPeer
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


def _peers(url: str) -> int:
    engine = create_engine(normalise_url(url))
    with engine.connect() as connection:
        count = connection.execute(select(func.count()).select_from(MostSimilarPeer))
        value = int(count.scalar_one())
    engine.dispose()
    return value


def test_load_groups_from_the_shared_layout(
    workspace: Workspace, tmp_path: Path, raw_data: Path
) -> None:
    header = (raw_data / "peel-grades" / "msg.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == "year,force,msg_force,source_url"
    path = tmp_path / "groups.csv"
    rows = [
        "2018/19,Kent,Essex,https://example.org/kent",
        "2018/19,Kent,Sussex,",
        "2018/19,Kent,Hampshire,",
        "2018-19,West Yorkshire,Greater Manchester,",
        # Asymmetric: Essex's group need not contain Kent.
        "2018/19,Essex,Hertfordshire,",
    ]
    path.write_text("\ufeff" + header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    loaded = workspace.load_groups(path)
    assert len(loaded) == 3
    kent = workspace.groups("Kent Police", "2018/19")[0]
    assert kent.peers == ("essex", "sussex", "hampshire")
    assert kent.source == "https://example.org/kent"
    assert workspace.groups("Essex", "2018/19")[0].peers == ("hertfordshire",)
    # Loading again replaces, not duplicates.
    workspace.load_groups(path)
    assert len(workspace.groups("Kent", "2018/19")[0].peers) == 3


def test_a_loaded_group_overrides_the_shipped_one(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "met.csv"
    path.write_text("year,force,peer\n2018/19,MPS,West Midlands Police\n")
    workspace.load_groups(path)
    met = workspace.groups("MPS", "2018/19")[0]
    assert met.peers == ("west-midlands",)
    assert met.source == "met.csv"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "empty.csv: line 1: empty file"),
        ("year,force\n2018/19,Kent\n", "empty.csv: line 1: missing column 'msg_force'"),
        (
            "year,force,msg_force\n2018/19,Kent,Essex\n2018/19,Kentt Police,Essex\n",
            "empty.csv: line 3, column force: unknown force 'Kentt Police' (closest: Kent Police",
        ),
        (
            "year,force,msg_force\n2018/19,Kent,Kent\n",
            "empty.csv: line 2, column msg_force: kent cannot be in its own",
        ),
        (
            "year,force,msg_force\n2018/19,Kent,Essex\n2018/19,Kent,Essex Police\n",
            "empty.csv: line 3, column msg_force: essex is listed twice",
        ),
        (
            "year,force,msg_force\nlast year,Kent,Essex\n",
            "empty.csv: line 2, column year: invalid year 'last year'",
        ),
        ("year,force,msg_force\n2018/19,Kent,\n", "empty.csv: line 2, column msg_force: empty"),
        ("year,force,msg_force\n", "empty.csv: no groups found"),
        (
            "year,force,msg_force\n"
            + "".join(
                f"2018/19,Kent,{peer}\n"
                for peer in (
                    "Essex",
                    "Sussex",
                    "Surrey",
                    "Hampshire",
                    "Norfolk",
                    "Suffolk",
                    "Thames Valley",
                    "Hertfordshire",
                )
            ),
            "empty.csv: line 9, column msg_force: kent's 2018/19 group has more than 7 peers",
        ),
    ],
)
def test_bad_groups_file_is_refused_whole(
    workspace: Workspace, database_url: str, tmp_path: Path, content: str, message: str
) -> None:
    workspace.initialise()
    path = tmp_path / "empty.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        workspace.load_groups(path)
    assert str(caught.value).startswith(message)
    assert _peers(database_url) == 0


def test_year_without_force_is_refused(workspace: Workspace) -> None:
    with pytest.raises(InvalidRecord, match="--year needs a force"):
        workspace.groups(None, "2018/19")
