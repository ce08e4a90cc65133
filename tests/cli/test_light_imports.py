"""``peel --help`` needs none of the heavy modules: the command modules import the database, the
workspace, the report renderers and the views inside the commands, not when they load."""

from __future__ import annotations

import ast
from pathlib import Path

CLI = Path(__file__).resolve().parents[2] / "src" / "peelkit" / "cli"
# What a command module may import when it loads (everything else inside a command).
ALLOWED = ("peelkit.cli", "peelkit.errors", "peelkit.views.json", "typer", "__future__")
STANDARD = ("sys", "datetime", "collections", "contextlib", "enum", "functools", "pathlib")


def _loaded_imports(path: Path) -> list[str]:
    """Modules imported at module level, leaving out ``if TYPE_CHECKING:`` blocks."""
    names: list[str] = []
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "peelkit":
                names.extend(f"peelkit.{alias.name}" for alias in node.names)
            else:
                names.append(node.module)
    return names


def test_command_modules_load_nothing_heavy() -> None:
    modules = sorted(CLI.glob("*.py"))
    assert len(modules) >= 8
    heavy = {
        path.name: name
        for path in modules
        for name in _loaded_imports(path)
        if not name.startswith(ALLOWED)
        and name.split(".")[0] not in STANDARD
        and name not in ("typing", "peelkit.__version__")
    }
    assert heavy == {}
