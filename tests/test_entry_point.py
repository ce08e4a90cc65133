"""The installed ``peel`` program itself: exit codes and one-line errors, as a user sees them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PEEL = Path(sys.executable).parent / "peel"


def _run(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PEELKIT_DATABASE_URL": f"sqlite:///{tmp_path / 'entry.sqlite'}"}
    return subprocess.run(
        [str(PEEL), *args], capture_output=True, text=True, env=env, timeout=60, check=False
    )


def test_peel_is_installed_and_answers(tmp_path: Path) -> None:
    result = _run("forces", "--json", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert '"E23000001"' in result.stdout


def test_user_mistake_is_one_line_and_exit_2(tmp_path: Path) -> None:
    result = _run("groups", "Narnia Constabulary", tmp_path=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "peel: error: unknown force 'Narnia Constabulary'"
    ] or result.stderr.startswith("peel: error: unknown force 'Narnia Constabulary' (closest")
    assert len(result.stderr.splitlines()) == 1
    bad = tmp_path / "bad.json"
    bad.write_text("not json")
    result = _run("load", str(bad), tmp_path=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "peel: error: bad.json: line 1, column 1: not valid JSON (Expecting value)"
    )


def test_usage_error_exit_2(tmp_path: Path) -> None:
    result = _run("inspections", "add", tmp_path=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "Missing" in result.stderr


def test_the_entry_point_is_the_cli_package() -> None:
    import tomllib

    from peelkit.cli import run

    pyproject = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())
    module, function = pyproject["project"]["scripts"]["peel"].split(":")
    assert (module, function) == (run.__module__, run.__name__)


def test_old_option_still_works_with_one_note_on_stderr(tmp_path: Path) -> None:
    result = _run(
        "indicators", "Met", "--period", "2018-09", "--indicator", "recorded_crime_per_1000",
        "--json", tmp_path=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stderr == "peel: note: --period is deprecated; use --month YYYY-MM\n"
    (row,) = json.loads(result.stdout)
    assert row["period"] == "12 months to 30 September 2018"
