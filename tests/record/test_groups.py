"""Most similar groups stored in the database: loading a user's CSV file, refusing bad ones."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select

from peelkit import Workspace
from peelkit.errors import DataFileError, InvalidRecord
from peelkit.record.database import normalise_url
from peelkit.record.schema import MostSimilarPeer


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
