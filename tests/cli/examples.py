"""One run of every ``peel`` command with ``--json``, on one database holding each kind of item.

Used by tests/cli/test_json_everywhere.py (every command prints valid JSON) and tests/test_docs.py
(every key printed is documented).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import typer

from peelkit.cli import app, main

PEEL_2018_19 = "001_2e8c9026aad1a9d7.txt"
# The subcommand a group runs when none is named (peel inspections, peel groups Met).
DEFAULTS = {"inspections": "list", "groups": "show"}
BASELINE_2005 = "004_8971e4e9a7c1f0c8.txt"
PEEL_2016 = "000_033c6fd077a275c5.txt"
WILTSHIRE_LETTER = "wiltshire_2021-22_coc-revisit-letter-2024-05.txt"


@dataclass(frozen=True)
class Printed:
    command: tuple[str, ...]  # the command's path, e.g. ("inspections", "show")
    args: tuple[str, ...]
    value: Any  # the JSON it printed


# Commands that run until stopped (a server): they print where they listen, not a result, so
# they have no --json and are not run here (tests/web starts the app itself).
SERVERS = {("serve",)}


def leaf_commands() -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every command of the ``peel`` app that runs and returns (not the groups, not the
    server), with its path."""

    def walk(command: Any, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], Any]]:
        subcommands = getattr(command, "commands", None)
        if subcommands is None:
            if path not in SERVERS:
                yield path, command
            return
        for name, sub in subcommands.items():
            yield from walk(sub, (*path, name))

    yield from walk(typer.main.get_command(app), ())


def run_every_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], shared: Path
) -> list[Printed]:
    reports = shared / "reference-reports"
    raw = shared / "data" / "raw"
    db = f"sqlite:///{tmp_path / 'every.sqlite'}"
    printed: list[Printed] = []

    def peel(*args: str) -> Any:
        code = main([*args, "--json"])
        captured = capsys.readouterr()
        assert code == 0, (args, captured.err)
        value = json.loads(captured.out)
        named = [p for p, _ in leaf_commands() if args[: len(p)] == p]
        command = named[0] if named else (args[0], DEFAULTS[args[0]])
        printed.append(Printed(command, args, value))
        return value

    peel("init", "--db", db)
    inspection = peel("inspections", "add", "Kent", "--framework", "peel-2018-19", "--db", db)
    iid = str(inspection["id"])
    peel("judgments", "add", iid, "efficiency", "Good", "--db", db)
    peel("findings", "add", iid, "area_for_improvement", "x", "--sub-item", "a", "--db", db)
    _evidence_and_figure(db, int(iid))
    peel("inspections", "--db", db)
    peel("inspections", "show", iid, "--db", db)
    peel("import", str(reports / PEEL_2018_19), "--dry-run")
    peel("import", str(reports / BASELINE_2005), "--dry-run")
    peel("import", str(reports / BASELINE_2005), "--db", db)
    peel("import", str(reports / PEEL_2018_19), "--db", db)
    peel("findings", "search", "registered sex offenders", "--limit", "2", "--db", db)
    grades = tmp_path / "grades.csv"
    lines = (raw / "peel-grades" / "peel_grades.csv").read_text(encoding="utf-8").splitlines()
    grades.write_text("\n".join(lines[:5]) + "\n", encoding="utf-8")
    peel("grades", "load", str(grades), "--db", db)
    groups = tmp_path / "groups.csv"
    groups.write_text("year,force,msg_force\n2018/19,Kent,Essex\n", encoding="utf-8")
    peel("groups", "load", str(groups), "--db", db)
    peel("groups", "Met", "--db", db)
    population = raw / "pfa-boundaries-2016-popm" / "pfa_population_mid2018_households_2017.csv"
    peel("data", "import", str(population), "--db", db)
    peel("data", "sources", "--db", db)
    peel("data", "problems", "--db", db)
    peel(
        "indicators", "Met", "--month", "2018-09", "--indicator", "recorded_crime_per_1000",
        "--db", db,
    )  # fmt: skip
    peel("indicators", "--list")
    peel("summary", "--db", db)
    peel("forces")
    peel("frameworks")
    peel("frameworks", "baseline-2005")
    out = tmp_path / "reports"
    peel(
        "report", "Met", "--framework", "peel-2018-19", "--format", "json", "--out", str(out),
        "--db", db,
    )  # fmt: skip
    export = tmp_path / "export.json"
    peel("export", str(export), "--db", db)
    peel("export-open", str(tmp_path / "open-data"), "--db", db)
    peel("load", str(export), "--db", f"sqlite:///{tmp_path / 'loaded.sqlite'}")
    peel("inspections", "delete", iid, "--db", db)
    _workflow(peel, db, tmp_path)
    _followup(peel, db, reports, shared / "examples" / "follow-up")
    return printed


def _followup(peel: Any, db: str, reports: Path, letters: Path) -> None:
    """Follow-up: the Met's 2016 report beside its 2018/19 one gives links to decide."""
    peel("import", str(reports / PEEL_2016), "--db", db)
    peel("import", str(letters / WILTSHIRE_LETTER), "--dry-run")
    peel("import", str(letters / WILTSHIRE_LETTER), "--db", db)
    peel("followup", "detect", "--db", db)
    links = peel("followup", "links", "--force", "Met", "--db", db)
    candidates = [link for link in links if link["status"] == "candidate"]
    peel("followup", "confirm", str(candidates[0]["id"]), "--db", db)
    peel("followup", "reject", str(candidates[1]["id"]), "--note", "not the same", "--db", db)
    later = candidates[1]["later"]["finding"]
    earlier = candidates[0]["earlier"]["finding"]
    peel("followup", "link", str(earlier), str(later), "--relation", "related", "--db", db)
    peel("followup", "status", str(later), "in_progress", "--date", "2020-01-31", "--db", db)
    peel("followup", "history", str(later), "--db", db)
    peel("followup", "register", "--force", "Met", "--db", db)
    peel("followup", "register", "--overdue", "--db", db)
    responses = peel("followup", "responses", "--force", "Met", "--db", db)
    inspection = str(responses[-1]["inspection"])
    peel("followup", "response", inspection, "--date", "2019-10-20", "--db", db)
    peel("followup", "monitoring", "--db", db)


def _workflow(peel: Any, db: str, tmp_path: Path) -> None:
    """Accounts, the workflow's transitions and the audit log of everything above."""
    password = tmp_path / "password.txt"
    password.write_text("correct horse battery staple\n", encoding="utf-8")
    peel(
        "users", "add", "alice", "--role", "moderator", "--password-file", str(password), "--db", db
    )
    peel("users", "list", "--db", db)
    peel("users", "disable", "alice", "--db", db)
    added = peel("inspections", "add", "Kent", "--framework", "peel-2023-25", "--db", db)
    draft = str(added["id"])
    peel("inspections", "moderate", draft, "--db", db)
    peel("inspections", "return", draft, "--comment", "check the grades", "--db", db)
    peel("inspections", "moderate", draft, "--db", db)
    peel("inspections", "publish", draft, "--embargo-until", "2099-01-01 00:01", "--db", db)
    peel("audit", "--db", db)


def _evidence_and_figure(db: str, inspection_id: int) -> None:
    """Evidence and a figure (no command enters them), one citing a document."""
    from peelkit import Workspace
    from peelkit.record.operations import Provenance

    with Workspace(db) as workspace:
        document = workspace.register_document(sha256="b" * 64, title="t")
        workspace.add_evidence(
            inspection_id,
            kind="survey",
            criteria_results=[],
            provenance=Provenance(document_id=document.id),
        )
        workspace.add_figure(inspection_id, measure="m")
