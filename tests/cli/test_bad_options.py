"""Issue 15, "Options and paths": bad ids, years, database URLs and server options are one line,
``peel: error: ...``, exit 2, on SQLite and PostgreSQL; typer's own errors exit 2 with the usage,
never a traceback; the good values beside them still work.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from peelkit.cli import main

TWENTY_THREE_DIGITS = "12345678901234567890123"
PAST_32_BITS = "2147483648"  # one past the largest id a PostgreSQL integer column holds
LARGEST_ID = "2147483647"

# Every command that takes an id, with the id in the place ID stands, and the name the error
# gives it (the argument's metavar or the option).
ID_COMMANDS = [
    (("inspections", "show", "ID"), "ID"),
    (("inspections", "delete", "ID"), "ID"),
    (("inspections", "moderate", "ID"), "ID"),
    (("inspections", "return", "ID", "--comment", "why"), "ID"),
    (("inspections", "publish", "ID"), "ID"),
    (("judgments", "add", "ID", "effectiveness", "Good"), "INSPECTION"),
    (("findings", "add", "ID", "strength", "A strength."), "INSPECTION"),
    (("findings", "add", "1", "recommendation", "Do.", "--cause-of-concern", "ID"),
     "--cause-of-concern"),
    (("audit", "--inspection", "ID"), "--inspection"),
    (("followup", "confirm", "ID"), "LINK"),
    (("followup", "reject", "ID"), "LINK"),
    (("followup", "link", "ID", "1", "--relation", "repeated"), "EARLIER"),
    (("followup", "link", "1", "ID", "--relation", "repeated"), "LATER"),
    (("followup", "status", "ID", "open", "--date", "2020-01-01"), "FINDING"),
    (("followup", "history", "ID"), "FINDING"),
    (("followup", "response", "ID", "--date", "2020-01-01"), "INSPECTION"),
]  # fmt: skip


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def one_line_error(err: str) -> str:
    assert err.startswith("peel: error: ") and err.count("\n") == 1, err
    return err.removeprefix("peel: error: ").rstrip("\n")


@pytest.fixture
def db(database_url: str, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["init", "--db", database_url]) == 0
    capsys.readouterr()
    return database_url


# --- ids ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [TWENTY_THREE_DIGITS, PAST_32_BITS, "0"])
@pytest.mark.parametrize(("command", "name"), ID_COMMANDS)
def test_an_id_out_of_range_is_a_range_error(
    database_url: str,
    capsys: pytest.CaptureFixture[str],
    command: tuple[str, ...],
    name: str,
    value: str,
) -> None:
    """Checked as the options are read: the database (which would overflow) is not asked."""
    args = [value if part == "ID" else part for part in command]
    code, _, err = run(capsys, *args, "--db", database_url)
    assert code == 2
    assert one_line_error(err) == f"{name} {value}: expected an id from 1 to 2147483647"


def test_a_negative_id_is_a_range_error(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "inspections", "show", "--db", db, "--", "-1")
    assert code == 2
    assert one_line_error(err) == "ID -1: expected an id from 1 to 2147483647"


def test_the_largest_id_is_looked_for_and_not_found(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "inspections", "show", LARGEST_ID, "--db", db)
    assert code == 2
    assert one_line_error(err) == f"no inspection with id {LARGEST_ID}"
    code, _, err = run(capsys, "followup", "history", LARGEST_ID, "--db", db)
    assert code == 2
    assert "Traceback" not in err and LARGEST_ID in one_line_error(err)


def test_an_id_in_range_still_works(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "inspections", "add", "Met", "--framework", "peel-2018-19", "--db", db, "--json"
    )
    assert code == 0
    inspection = json.loads(out)["id"]
    code, out, _ = run(capsys, "inspections", "show", str(inspection), "--db", db, "--json")
    assert code == 0
    assert json.loads(out)["force"] == "metropolitan"


def test_an_id_that_is_not_a_number_is_typers_usage_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = run(capsys, "inspections", "show", "abc")
    assert code == 2
    assert "Usage: peel inspections show" in err and "Invalid value for 'ID'" in err
    assert "Traceback" not in err


# --- years --------------------------------------------------------------------------------------

INDICATOR = ("indicators", "Met", "--indicator", "recorded_crime_per_1000")


@pytest.mark.parametrize("year", ["-1", "0", "1899", "2101", TWENTY_THREE_DIGITS])
def test_a_population_year_that_is_no_year_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, year: str
) -> None:
    db = str(tmp_path / "r.sqlite")
    code, _, err = run(
        capsys, *INDICATOR, "--month", "2019-03", "--population-year", year, "--db", db
    )
    assert code == 2
    assert one_line_error(err) == f"--population-year {year}: expected a year from 1900 to 2100"
    assert not Path(db).exists()  # refused before the database is opened


def test_a_population_year_that_is_a_year_still_works(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = str(tmp_path / "r.sqlite")
    code, out, err = run(
        capsys, *INDICATOR, "--month", "2019-03", "--population-year", "2018", "--db", db, "--json"
    )
    assert (code, err) == (0, "")
    (row,) = json.loads(out)
    assert row["indicator"] == "recorded_crime_per_1000"


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        (("indicators", "Met", "--month", "0000-03"), "--month '0000-03'"),
        (
            ("indicators", "--all-forces", "--indicator", "recorded_crime_per_1000",
             "--month", "0000-03"),
            "--month '0000-03'",
        ),
        (("indicators", "Met", "--year", "0000/01"), "--year '0000/01'"),
        (("indicators", "Met", "--period", "9999-12"), "--period '9999-12'"),
        (("report", "Met", "--framework", "peel-2018-19", "--year", "0001"), "--year '0001'"),
        (("report", "--national", "--year", "9999/00"), "--year '9999/00'"),
        (("inspections", "add", "Met", "--framework", "peel-2018-19", "--year", "0000/01"),
         "--year '0000/01'"),
        (("groups", "Met", "--year", "0001"), "--year '0001'"),
        (("findings", "search", "--year", "0000"), "--year '0000'"),
    ],
)  # fmt: skip
def test_a_year_out_of_range_in_a_period_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: tuple[str, ...], shown: str
) -> None:
    db = tmp_path / "r.sqlite"
    code, _, err = run(capsys, *args, "--db", str(db))
    assert code == 2
    assert one_line_error(err) == f"{shown}: expected a year from 1900 to 2100"
    assert not db.exists()


def test_a_year_not_written_as_a_year_is_still_the_librarys_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(
        capsys, "report", "Met", "--framework", "peel-2018-19", "--year", "-1",
        "--out", str(tmp_path / "out"), "--db", str(tmp_path / "r.sqlite"),
    )  # fmt: skip
    assert code == 2
    assert one_line_error(err) == (
        "invalid year '-1' (expected a year such as 2017, or a range such as 2018/19)"
    )


# --- database URLs ------------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["before", "after"])
def test_a_mysql_url_is_one_line_and_hides_the_password(
    capsys: pytest.CaptureFixture[str], where: str
) -> None:
    """(The message is peelkit.record.database's: the URL is checked where it is opened.)"""
    url = "mysql://peel:secret@db.example/peelkit"
    args = ["--db", url, "summary"] if where == "before" else ["summary", "--db", url]
    code, _, err = run(capsys, *args)
    assert code == 2
    message = one_line_error(err)
    assert "mysql://peel:***@db.example/peelkit" in message
    assert "SQLite" in message and "PostgreSQL" in message
    assert "secret" not in err


def test_a_port_that_is_not_a_number_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--db", "postgresql://db.example:abc/peelkit", "summary")
    assert code == 2
    assert "postgresql://db.example:abc/peelkit" in one_line_error(err)


def test_a_driver_of_a_supported_database_passes_the_check(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "--db", f"sqlite+pysqlite:///{tmp_path / 'r.sqlite'}", "summary")
    assert code == 0
    assert "Database" in out


# --- peel serve ---------------------------------------------------------------------------------


def test_serve_refuses_a_huge_number_of_workers(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "serve", "--workers", TWENTY_THREE_DIGITS)
    assert code == 2
    assert one_line_error(err) == f"--workers {TWENTY_THREE_DIGITS}: expected 1 to 64"
    assert out == ""  # refused before it says it serves


def test_serve_refuses_a_host_that_is_no_address(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "serve", "--host", "not a host name", "--port", "8765")
    assert code == 2
    assert one_line_error(err).startswith("--host 'not a host name': not an address to listen on")


def test_serve_refuses_a_port_in_use(tmp_path: Path) -> None:
    """In a process of its own with a time limit: were the check to miss, the server would run."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [str(Path(sys.executable).parent / "peel"), "serve", "--port", str(port), "--db",
             str(tmp_path / "r.sqlite")],
            capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert one_line_error(done.stderr).startswith(
        f"--host 127.0.0.1 --port {port}: cannot listen there (Address already in use"
    )
