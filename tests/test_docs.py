"""The documentation stays true: every command, option and JSON key is documented."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer

from peelkit.cli import app
from tests.cli.examples import run_every_command

DOCS = Path(__file__).resolve().parents[1] / "docs"


def _commands(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    yield path, command
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        yield from _commands(sub, (*path, name))


def _sections(text: str) -> dict[str, str]:
    """Each '### `peel ...`' heading of docs/cli.md with the text up to the next heading."""
    parts = re.split(r"^### `(peel[^`]*)`\s*$", text, flags=re.MULTILINE)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts), 2)}


def test_every_command_and_option_is_documented() -> None:
    sections = _sections((DOCS / "cli.md").read_text(encoding="utf-8"))
    root = typer.main.get_command(app)
    missing = []
    for path, command in _commands(root):
        title = " ".join(("peel", *path))
        section = sections.get(title)
        if section is None:
            missing.append(f"section for {title}")
            continue
        for parameter in command.params:
            for flag in [*parameter.opts, *parameter.secondary_opts]:
                if flag.startswith("-") and flag != "--help" and f"`{flag}" not in section:
                    missing.append(f"{flag} of {title}")
            if parameter.param_type_name == "argument":
                metavar = (parameter.metavar or parameter.name).strip("[]")
                if f"`{metavar}`" not in section:
                    missing.append(f"argument {metavar} of {title}")
    assert missing == []


# Objects whose keys are data (framework ids, level names), not part of the shape.
DATA_MAPS = {"by_framework", "levels", "attributes"}


def _keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        found = set(value)
        for key, item in value.items():
            if key not in DATA_MAPS:
                found |= _keys(item)
        return found
    if isinstance(value, list):
        found = set()
        for item in value:
            found |= _keys(item)
        return found
    return set()


@pytest.fixture
def outputs(tmp_path: Path, capsys: pytest.CaptureFixture[str], shared: Path) -> list[Any]:
    """Every command's JSON (tests/cli/examples.py), and the file peel export wrote."""
    printed = run_every_command(tmp_path, capsys, shared)
    return [*(p.value for p in printed), json.loads((tmp_path / "export.json").read_text())]


def test_every_json_key_is_documented(outputs: list[Any]) -> None:
    text = (DOCS / "json-output.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`([a-z_0-9]+)`", text))
    keys = set().union(*(_keys(o) for o in outputs))
    assert keys - documented == set()


def test_readme_names_the_two_commands_and_ci_runs_the_test_one() -> None:
    root = DOCS.parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert "bash scripts/main.sh" in readme
    assert "bash scripts/test.sh" in readme
    assert "bash scripts/test.sh" in (root / ".ci" / "run").read_text(encoding="utf-8")
