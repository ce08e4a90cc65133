"""The installed ``peel`` program itself: exit codes and one-line errors, as a user sees them."""

from __future__ import annotations

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
