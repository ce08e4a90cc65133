"""The peel command end to end, in process: JSON payloads, database state, and bad input."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from peelkit.cli import main


class Run:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err

    def json(self) -> Any:
        return json.loads(self.out)


Peel = Callable[..., Run]


@pytest.fixture
def peel(capsys: pytest.CaptureFixture[str]) -> Peel:
    def run(*args: str) -> Run:
        code = main(list(args))
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


def test_forces_json(peel: Peel) -> None:
    result = peel("forces", "--json")
    assert result.code == 0
    forces = result.json()
    assert len(forces) == 44
    territorial = [f for f in forces if f["territorial"]]
    assert len(territorial) == 43
    assert all(f["ons_code"][:3] in ("E23", "W15") for f in territorial)
    met = next(f for f in forces if f["id"] == "metropolitan")
    assert met["ons_code"] == "E23000001"
    assert "MPS" in met["aliases"]
    btp = forces[-1]
    assert (btp["name"], btp["in_england_and_wales_totals"]) == ("British Transport Police", False)


def test_frameworks_json(peel: Peel) -> None:
    listed = peel("frameworks", "--json").json()
    ids = [f["id"] for f in listed]
    for expected in (
        "baseline-2005",
        "core-business-2014",
        "peel-2015",
        "peel-2016",
        "peel-2018-19",
        "peel-2021-22",
        "peel-2023-25",
    ):
        assert expected in ids
    tree = peel("frameworks", "peel-2018-19", "--json").json()
    assert [p["name"] for p in tree["areas"]] == ["Effectiveness", "Efficiency", "Legitimacy"]
    assert sum(len(p["areas"]) for p in tree["areas"]) == 10
    assert [g["label"] for g in tree["grade_scale"]["grades"]] == [
        "Outstanding",
        "Good",
        "Requires improvement",
        "Inadequate",
    ]
    baseline = peel("frameworks", "baseline-2005", "--json").json()
    assert len(baseline["areas"]) == 7
    assert sum(len(d["areas"]) for d in baseline["areas"]) == 27
    assert baseline["direction_scale"]["id"] == "baseline-direction"


def test_frameworks_tree_as_text(peel: Peel) -> None:
    result = peel("frameworks", "peel-2018-19")
    assert result.code == 0
    assert "Armed policing" in result.out
    assert "Requires improvement" in result.out


def test_record_workflow_and_round_trip(
    peel, database_url: str, second_database_url: str, tmp_path: Path
) -> None:
    added = peel(
        "inspections",
        "add",
        "Metropolitan Police Service",
        "--framework",
        "peel-2018-19",
        "--status",
        "published",
        "--published",
        "2019-09-27",
        "--db",
        database_url,
        "--json",
    )
    assert added.code == 0, added.err
    iid = str(added.json()["id"])
    reason = ("--reason", "transcribed from the published report")
    assert (
        peel("--db", database_url, "judgments", "add", iid, "Legitimacy", "Good", *reason).code == 0
    )
    assert (
        peel(
            "judgments",
            "add",
            iid,
            "Firearms capability",
            "Ungraded",
            "--db",
            database_url,
            *reason,
        ).code
        == 0
    )
    concern = peel(
        "findings",
        "add",
        iid,
        "cause_of_concern",
        "Vetting backlog.",
        "--area",
        "ethical-and-lawful-workforce-behaviour",
        "--reason",
        "transcribed from the published report",
        "--db",
        database_url,
        "--json",
    )
    recommendation = peel(
        "findings",
        "add",
        iid,
        "recommendation",
        "Clear the backlog.",
        "--cause-of-concern",
        str(concern.json()["id"]),
        "--deadline",
        "within 12 months",
        "--sub-item",
        "one",
        "--sub-item",
        "two",
        "--reason",
        "transcribed from the published report",
        "--db",
        database_url,
        "--json",
    )
    assert recommendation.json()["sub_items"] == ["one", "two"]
    listed = peel("inspections", "--force", "MPS", "--db", database_url, "--json").json()
    assert [(i["force"], i["judgments"], i["findings"]) for i in listed] == [("metropolitan", 2, 2)]
    shown = peel("inspections", "show", iid, "--db", database_url, "--json").json()
    assert {j["area"]: j["grade"] for j in shown["judgments"]} == {
        "legitimacy": "good",
        "armed-policing": "ungraded",
    }
    assert shown["published"] == "2019-09-27"
    text = peel("inspections", "show", iid, "--db", database_url).out
    assert "Armed policing" in text and "Ungraded" in text

    first, second = tmp_path / "one.json", tmp_path / "two.json"
    assert peel("export", str(first), "--db", database_url).code == 0
    loaded = peel("load", str(first), "--db", second_database_url, "--quiet")
    assert loaded.code == 0, loaded.err
    assert "1 inspections" in loaded.out
    assert peel("export", str(second), "--db", second_database_url).code == 0
    assert first.read_bytes() == second.read_bytes()

    summary = peel("summary", "--db", second_database_url, "--json").json()
    assert summary["inspections"] == {"total": 1, "by_framework": {"peel-2018-19": 1}}
    assert peel("inspections", "delete", iid, "--db", database_url).code == 0
    assert peel("inspections", "--db", database_url, "--json").json() == []


def test_groups_commands(peel: Peel, tmp_path: Path) -> None:
    db = str(tmp_path / "groups.sqlite")
    shown = peel("groups", "Met", "--year", "2018/19", "--db", db, "--json").json()
    assert shown["groups"][0]["peers"] == ["west-midlands", "greater-manchester", "west-yorkshire"]
    city = peel("groups", "City of London", "--db", db, "--json").json()
    assert city["groups"] == [] and city["no_group_reason"]
    assert "has no most similar group" in peel("groups", "City of London", "--db", db).out
    csv = tmp_path / "msg.csv"
    csv.write_text("year,force,msg_force\n2018/19,Kent,Essex\n")
    assert peel("groups", "load", str(csv), "--db", db).code == 0
    everything = peel("groups", "--db", db, "--json").json()
    assert ("kent", "2018/19") in {(g["force"], g["year"]) for g in everything["groups"]}


def _one_line_error(result: Run, *fragments: str) -> None:
    assert result.code == 2
    assert result.out == ""
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith("peel: error: ")
    assert "Traceback" not in result.err
    for fragment in fragments:
        assert fragment in lines[0]


def test_bad_input_is_one_line_exit_2_and_changes_nothing(
    peel,
    database_url: str,
    tmp_path: Path,
) -> None:
    iid = str(
        peel(
            "inspections",
            "add",
            "Kent",
            "--framework",
            "peel-2018-19",
            "--db",
            database_url,
            "--json",
        ).json()["id"]
    )
    before = peel("inspections", "show", iid, "--db", database_url, "--json").json()

    _one_line_error(
        peel(
            "inspections",
            "add",
            "Kent Constabulry",
            "--framework",
            "peel-2017",
            "--db",
            database_url,
        ),
        "unknown force 'Kent Constabulry'",
        "closest: Kent Police",
    )
    _one_line_error(
        peel("inspections", "add", "Kent", "--framework", "peel-2019", "--db", database_url),
        "unknown framework 'peel-2019'",
    )
    _one_line_error(peel("frameworks", "peel-2019"), "unknown framework 'peel-2019'")
    _one_line_error(
        peel("judgments", "add", iid, "Firearms", "Good", "--db", database_url),
        "unknown area 'Firearms' in framework peel-2018-19",
    )
    _one_line_error(
        peel("judgments", "add", iid, "Investigating crime", "Adequate", "--db", database_url),
        "unknown grade 'Adequate' on scale peel-4-point",
    )
    _one_line_error(
        peel(
            "inspections",
            "add",
            "Kent",
            "--framework",
            "peel-2017",
            "--published",
            "May 2017",
            "--db",
            database_url,
        ),
        "--published: expected a date YYYY-MM-DD",
    )
    _one_line_error(peel("groups", "Kentish", "--db", database_url), "unknown force 'Kentish'")
    _one_line_error(
        peel("inspections", "show", "999", "--db", database_url), "no inspection with id 999"
    )

    malformed = tmp_path / "broken.json"
    malformed.write_text('{"format": "peelkit-record", "inspections": [}')
    _one_line_error(
        peel("load", str(malformed), "--db", database_url), "broken.json: line 1", "not valid JSON"
    )
    export = tmp_path / "export.json"
    peel("export", str(export), "--db", database_url)
    record = json.loads(export.read_text())
    record["inspections"][0]["judgments"] = [{"id": 1, "area": "legitimacy", "grade": "Great"}]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(record))
    _one_line_error(
        peel("load", str(bad), "--replace", "--db", database_url),
        "bad.json: /inspections/0/judgments/0: unknown grade 'Great'",
    )
    # --replace would have discarded the record: the failed load must have rolled that back.
    after = peel("inspections", "show", iid, "--db", database_url, "--json").json()
    assert after == before


def test_framework_file_of_ones_own(peel: Peel, tmp_path: Path) -> None:
    shipped = Path(__file__).resolve().parents[1] / "src/peelkit/frameworks/data/peel-2017.yaml"
    copy = tmp_path / "peel-2017.yaml"
    copy.write_text(shipped.read_text(encoding="utf-8"), encoding="utf-8")
    shown = peel("frameworks", "--file", str(copy), "--json")
    assert shown.code == 0
    assert shown.json()["id"] == "peel-2017"
    copy.write_text(shipped.read_text(encoding="utf-8").replace("programme:", "programe:"))
    _one_line_error(
        peel("frameworks", "--file", str(copy)), "peel-2017.yaml: unknown field 'programe'"
    )
    copy.write_text(shipped.read_text(encoding="utf-8").replace("title:", "# title:", 1))
    _one_line_error(
        peel("frameworks", "--file", str(copy)), "peel-2017.yaml: missing field 'title'"
    )


def test_unreachable_database(peel: Peel) -> None:
    result = peel("inspections", "--db", "postgresql://127.0.0.1:1/nowhere")
    _one_line_error(result, "cannot use database postgresql+psycopg://127.0.0.1:1/nowhere")
    unknown = peel("inspections", "--db", "oracle-ish://x/y")
    _one_line_error(unknown, "oracle-ish")


def test_usage_errors_exit_2(peel: Peel) -> None:
    result = peel("judgments", "add", "not-a-number", "x", "Good")
    assert result.code == 2
    assert "Traceback" not in result.err
    assert peel("--version").out.strip().startswith("peel ")
