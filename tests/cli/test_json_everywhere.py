"""Every command that prints takes ``--json`` and prints valid JSON."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.examples import leaf_commands, run_every_command


def test_every_command_has_json_and_the_same_common_options() -> None:
    for path, command in leaf_commands():
        flags = {flag for p in command.params for flag in p.opts}
        assert "--json" in flags, path
        # The statistics month is --month everywhere; --period is only a hidden old spelling.
        for parameter in command.params:
            if "--period" in parameter.opts:
                assert parameter.hidden, path


def test_every_command_prints_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], shared: Path
) -> None:
    printed = run_every_command(tmp_path, capsys, shared)
    assert {p for p, _ in leaf_commands()} == {p.command for p in printed}
    added = next(p.value for p in printed if p.command == ("inspections", "add"))
    shown = next(p.value for p in printed if p.command == ("inspections", "show"))
    # The inspection shown is the one added, with the judgment and finding recorded on it.
    assert shown["id"] == added["id"] and shown["force"] == "kent"
    assert [j["grade"] for j in shown["judgments"]] == ["good"]
    assert [f["sub_items"] for f in shown["findings"]] == [["a"]]
    deleted = next(p.value for p in printed if p.command == ("inspections", "delete"))
    assert deleted == {"deleted": added["id"]}
    exported = next(p.value for p in printed if p.command == ("export",))
    loaded = next(p.value for p in printed if p.command == ("load",))
    assert loaded["counts"]["inspections"] == exported["inspections"]
    assert loaded["counts"]["documents"] == exported["documents"]
    written = next(p.value for p in printed if p.command == ("report",))
    (report,) = written["files"]
    assert report.endswith("metropolitan-peel-2018-19.json") and Path(report).is_file()
