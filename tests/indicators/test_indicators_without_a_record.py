"""`peel indicators` with no record yet reads no database and makes none, and gives what an
empty record gives (the embedded statistics and the shipped most similar groups)."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path
from typing import Any

from peelkit.cli import main


def _rows(*args: str) -> list[dict[str, Any]]:
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = main(["indicators", *args, "--json"])
    assert code == 0
    rows: list[dict[str, Any]] = json.loads(buffer.getvalue())
    return rows


def test_no_record_reads_none_and_answers_as_an_empty_record(tmp_path: Path) -> None:
    missing = tmp_path / "none.sqlite"
    without = _rows("Met", "--month", "2018-09", "--comparator", "msg", "--db", str(missing))
    assert not missing.exists()  # nothing was made
    record = tmp_path / "record.sqlite"
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["data", "sources", "--db", str(record)]) == 0
    assert record.exists()
    with_record = _rows("Met", "--month", "2018-09", "--comparator", "msg", "--db", str(record))
    assert without == with_record
    assert len(without) > 10
    assert any(r["comparator_value"] is not None for r in without)


def test_a_record_that_is_not_a_database_is_still_refused(tmp_path: Path) -> None:
    # The fast path is only for a file that does not exist: anything else is opened and
    # checked as before (a text file is refused in one line, exit 2).
    junk = tmp_path / "junk.sqlite"
    junk.write_text("not a database\n", encoding="utf-8")
    error = io.StringIO()
    with contextlib.redirect_stderr(error), contextlib.redirect_stdout(io.StringIO()):
        code = main(["indicators", "Met", "--month", "2018-09", "--db", str(junk)])
    assert code == 2
    lines = [line for line in error.getvalue().splitlines() if line.strip()]
    assert len(lines) == 1 and "junk.sqlite" in lines[0]
