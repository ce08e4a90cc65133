"""peel indicators and peel data, end to end in process: JSON rows and bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from peelkit.cli import main


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_indicators_json_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "i.sqlite")
    code, out, err = _run(
        capsys,
        "indicators",
        "Met",
        "--month",
        "2018-09",
        "--population-year",
        "2018",
        "--comparator",
        "msg",
        "--indicator",
        "recorded_crime_per_1000",
        "--db",
        db,
        "--json",
    )
    assert code == 0, err
    (row,) = json.loads(out)
    for key in (
        "force",
        "indicator",
        "value",
        "display",
        "comparator",
        "comparator_value",
        "comparator_display",
        "rank",
        "of",
        "band",
        "provenance",
    ):
        assert key in row
    assert row["comparator"] == "most_similar_group"
    assert {p["measure"] for p in row["provenance"]} >= {"population"}
    assert all(p["sha256"] and p["file"] for p in row["provenance"])


def test_ranking_table_for_all_forces(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(
        capsys,
        "indicators",
        "--all-forces",
        "--indicator",
        "recorded_crime_per_1000",
        "--year",
        "2017/18",
        "--db",
        str(tmp_path / "r.sqlite"),
        "--json",
    )
    assert code == 0
    rows: list[dict[str, Any]] = json.loads(out)
    assert len(rows) == 43
    best = min(rows, key=lambda r: r["value"])
    assert best["rank"] == 1
    assert {r["band"] for r in rows} == {
        "one of the highest",
        "one of the lowest",
        "broadly in line",
    }
    code, out, _ = _run(capsys, "indicators", "--list", "--json")
    assert "recorded_crime_per_1000" in {i["id"] for i in json.loads(out)}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["indicators", "Met", "--month", "2018-13"], "invalid period '2018-13'"),
        (["indicators", "Met"], "give the period as --month YYYY-MM or --year YYYY/YY"),
        (
            ["indicators", "Met", "--month", "2018-09", "--year", "2017/18"],
            "give the period as --month YYYY-MM or --year YYYY/YY",
        ),
        (
            ["indicators", "Met", "--month", "2018-09", "--period", "2018-09"],
            "give --month or --period (its old spelling), not both",
        ),
        (
            ["indicators", "Met", "--month", "2018-09", "--indicator", "crime_rate"],
            "unknown indicator 'crime_rate'",
        ),
        (["indicators", "Metropolis", "--month", "2018-09"], "unknown force 'Metropolis'"),
        (["indicators", "--all-forces", "--month", "2018-09"], "--all-forces needs --indicator"),
        (
            [
                "indicators",
                "--all-forces",
                "--indicator",
                "recorded_crime_per_1000",
                "--month",
                "2031-03",
            ],
            "no data for recorded_crime_per_1000",
        ),
        (
            ["indicators", "Met", "--month", "2018-09", "--comparator", "county"],
            "unknown comparator 'county' (expected ew, msg or region)",
        ),
    ],
)
def test_bad_indicator_requests(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, out, err = _run(capsys, *args, "--db", str(tmp_path / "b.sqlite"))
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert err.startswith("peel: error: ") and message in err


def test_data_import_sources_and_problems(
    raw_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "d.sqlite")
    population = (
        raw_data / "pfa-boundaries-2016-popm" / "pfa_population_mid2018_households_2017.csv"
    )
    code, out, err = _run(capsys, "data", "import", str(population), "--db", db, "--json")
    assert code == 0, err
    (result,) = json.loads(out)
    assert result["publication"] == "ons-population"
    assert result["observations"] == 86 and not result["already_imported"]
    code, out, _ = _run(capsys, "data", "import", str(population), "--db", db, "--json")
    assert json.loads(out)[0]["already_imported"]
    code, out, _ = _run(capsys, "data", "sources", "--db", db, "--json")
    sources = json.loads(out)
    assert [s["file"] for s in sources["imported"]] == [population.name]
    assert any(s["id"] == "ons-recorded-crime-pfa" for s in sources["embedded"])
    code, out, _ = _run(capsys, "data", "problems", "--db", db, "--json")
    assert any(p["code"] == "missing_force" for p in json.loads(out))

    unknown = tmp_path / "notes.csv"
    unknown.write_text("a,b\n1,2\n")
    code, out, err = _run(capsys, "data", "import", str(unknown), "--db", db)
    assert code == 2
    assert err.startswith("peel: error: notes.csv: not a publication peelkit knows (it reads: ")
    assert "Police workforce" in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("policeforceareatablesyearendingmarch2018.xlsx", bytes(range(256)) * 12),
        ("police-workforce-sep19-tables.ods", b"PK\x03\x04" + b"\x00" * 200),
        ("2018-01-kent-street.csv", b'Crime ID,Month,Reported by\n"broken'),
        ("rec-crime-pfa.csv", b""),
    ],
)
def test_damaged_files_named_like_publications(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: bytes
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    code, _, err = _run(capsys, "data", "import", str(path), "--db", str(tmp_path / "x.sqlite"))
    assert code == 2
    assert "Traceback" not in err
    assert err.startswith(f"peel: error: {name}: ")
    assert len(err.strip().splitlines()) == 1


def test_the_catalogue_list_gives_each_indicators_polarity(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import yaml

    from peelkit import indicators

    source = Path(indicators.__file__).with_name("catalogue.yaml")
    declared = yaml.safe_load(source.read_text(encoding="utf-8"))["indicators"]
    code, out, _ = _run(capsys, "indicators", "--list", "--json", "--db", str(tmp_path / "x.db"))
    assert code == 0
    listed = {item["id"]: item["polarity"] for item in json.loads(out)}
    assert listed == {name: entry["polarity"] for name, entry in declared.items()}
    assert {"low_is_good", "no_judgement"} <= set(listed.values())
