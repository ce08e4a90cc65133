"""The package's shape: data flows one way. No import cycle between the subpackages (and
top-level modules) of src/peelkit; nothing below the workspace imports it; views render nothing
and reports and views import no command-line or web framework.

Imports are read from the source (every ``import`` statement, including those inside functions
and under ``TYPE_CHECKING``), so a cycle hidden in a function body still fails.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import peelkit

PACKAGE = Path(peelkit.__file__).parent


def _modules() -> Iterator[tuple[str, Path]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        yield ".".join(parts), path


def _imports(module: str, path: Path) -> Iterator[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module or ""
            yield name
            yield from (f"{name}.{alias.name}" for alias in node.names)


def _unit(module: str) -> str | None:
    """The subpackage or top-level module a module belongs to (``peelkit.views``)."""
    parts = module.split(".")
    if parts[0] != "peelkit" or len(parts) < 2:
        return None
    return ".".join(parts[:2])


def _known_units() -> set[str]:
    return {u for m, _ in _modules() if (u := _unit(m)) is not None}


def dependency_graph() -> dict[str, set[str]]:
    units = _known_units()
    graph: dict[str, set[str]] = {u: set() for u in units}
    for module, path in _modules():
        source = _unit(module)
        if source is None:
            continue
        for name in _imports(module, path):
            target = _unit(name)
            if target in units and target != source:
                graph[source].add(target)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """A cycle of the graph as a path (first node repeated at the end), or None."""
    state: dict[str, int] = {}  # 1: on the stack, 2: done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*stack[stack.index(target) :], target]
            if target not in state:
                found = visit(target)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_find_cycle_finds_a_cycle_and_only_a_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def test_no_import_cycle_between_subpackages() -> None:
    graph = dependency_graph()
    assert "peelkit.views" in graph and "peelkit.reports" in graph
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def _importers_of(target: str) -> set[str]:
    return {
        module
        for module, path in _modules()
        if any(name == target or name.startswith(target + ".") for name in _imports(module, path))
    }


def test_nothing_below_the_workspace_imports_it() -> None:
    importers = {m for m in _importers_of("peelkit.workspace") if m != "peelkit.workspace"}
    above = ("peelkit.cli", "peelkit.web")
    below = sorted(m for m in importers if m != "peelkit" and not m.startswith(above))
    assert below == [], f"modules below the workspace import it: {below}"


def test_views_render_nothing_and_layers_import_no_framework() -> None:
    forbidden_in_views = ("peelkit.reports", "peelkit.cli", "peelkit.web", "jinja2", "matplotlib")
    frameworks = ("typer", "rich", "fastapi", "starlette", "uvicorn")
    for module, path in _modules():
        names = set(_imports(module, path))
        if module.startswith("peelkit.views"):
            bad = sorted(n for n in names if n.startswith(forbidden_in_views))
            assert bad == [], f"{module} imports {bad}"
        if not module.startswith(("peelkit.cli", "peelkit.web")):
            bad = sorted(n for n in names if n.split(".")[0] in frameworks)
            assert bad == [], f"{module} imports {bad}"
