"""Reference data: ``peel forces``, ``peel frameworks [ID]`` and ``peel groups [show|load]``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from peelkit.cli.accounts import cli_actor
from peelkit.cli.options import DbOption, DefaultCommandGroup, JsonOption, workspace, years_in
from peelkit.cli.output import force_names, or_dash, out, print_json, table
from peelkit.errors import UsageError

if TYPE_CHECKING:
    from rich.tree import Tree

    from peelkit.views.reference import AreaView, FrameworkView


def forces(as_json: JsonOption = False) -> None:
    """The 43 territorial forces with their ONS codes and regions, and British Transport Police."""
    from peelkit.reference import all_forces
    from peelkit.views.reference import ForceView

    listed = [ForceView.of(f) for f in all_forces()]
    if as_json:
        print_json(listed)
        return
    shown = table("id", "name", "ONS code", "region", "E&W totals")
    for force in listed:
        shown.add_row(
            force.id,
            force.name,
            or_dash(force.ons_code),
            or_dash(force.region),
            "yes" if force.in_england_and_wales_totals else "no (excluded)",
        )
    out().print(shown)


def frameworks(
    framework_id: Annotated[
        str | None, typer.Argument(metavar="[ID]", help="A framework id, e.g. peel-2018-19.")
    ] = None,
    file: Annotated[
        Path | None,
        typer.Option(help="Check and show a framework data file of your own (docs/frameworks.md)."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """List the inspection frameworks, or show one framework's tree of areas and its grades."""
    from peelkit.frameworks import load_all, load_framework, load_framework_file
    from peelkit.views.reference import FrameworkSummaryView, FrameworkView

    if file is not None:
        if framework_id is not None:
            raise UsageError("give a framework ID or --file, not both")
        _show_framework(FrameworkView.of(load_framework_file(file)), as_json)
        return
    if framework_id is not None:
        _show_framework(FrameworkView.of(load_framework(framework_id)), as_json)
        return
    listed = [FrameworkSummaryView.of(f) for f in load_all()]
    if as_json:
        print_json(listed)
        return
    shown = table("id", "period", "grade scale", "structure", "title")
    for item in listed:
        structure = ", ".join(f"{n} {level}" for level, n in item.levels.items())
        shown.add_row(item.id, item.period, item.grade_scale or "ungraded", structure, item.title)
    out().print(shown)


def _show_framework(framework: FrameworkView, as_json: bool) -> None:
    from rich.tree import Tree

    if as_json:
        print_json(framework)
        return
    tree = Tree(f"[bold]{framework.id}[/bold]  {framework.title}")
    for area in framework.areas:
        _add_branch(tree, area)
    out().print(tree)
    if framework.grade_scale:
        scale = framework.grade_scale
        grades = ", ".join(g.label for g in scale.grades)
        others = ", ".join(g.label for g in scale.non_grades)
        out().print(
            f"Grades ({scale.id}, best first): {grades}" + (f"; also {others}" if others else "")
        )
    if framework.direction_scale:
        direction = ", ".join(g.label for g in framework.direction_scale.grades)
        out().print(f"Direction of travel: {direction}")


def _add_branch(tree: Tree, area: AreaView) -> None:
    marks = []
    if not area.graded:
        marks.append("ungraded")
    if area.mandatory:
        marks.append("inspected in every force")
    label = f"{area.code + ' ' if area.code and area.code not in area.name else ''}{area.name}"
    suffix = f"  [dim]({area.level}{'; ' + '; '.join(marks) if marks else ''})[/dim]"
    branch = tree.add(f"{label}{suffix}  [dim]id {area.id}[/dim]")
    for child in area.areas:
        _add_branch(branch, child)


# --- most similar groups ----------------------------------------------------------------------

groups_app = typer.Typer(
    cls=DefaultCommandGroup,
    help="Most similar groups: peel groups [FORCE] [--year Y] shows them (short for peel groups "
    "show), peel groups load FILE loads them from a CSV file.",
    add_completion=False,
)


@groups_app.command("show")
def groups_show(
    force: Annotated[
        str | None, typer.Argument(metavar="[FORCE]", help="Any name of the force.")
    ] = None,
    year: Annotated[
        str | None,
        typer.Option(
            help="Assessment year, e.g. 2018/19: the group in effect then.", callback=years_in
        ),
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """A force's most similar groups (all forces' groups without FORCE)."""
    with workspace(db) as ws:
        found = ws.most_similar_groups(force, year)
    if as_json:
        print_json(found)
        return
    names = force_names()
    name = names[found.force] if found.force else None
    if found.no_group_reason:
        out().print(f"{name} has no most similar group: {found.no_group_reason}")
        return
    if not found.groups:
        out().print(
            "no most similar group recorded"
            + (f" for {name}" if name else "")
            + (f" in {year}" if year else "")
            + "; load one with: peel groups load FILE"
        )
        return
    shown = table("force", "year", "peers", "source")
    for group in found.groups:
        shown.add_row(
            names[group.force],
            group.year,
            ", ".join(names[p] for p in group.peers),
            group.source,
        )
    out().print(shown)


@groups_app.command("load")
def groups_load(
    file: Annotated[
        Path, typer.Argument(metavar="FILE", help="CSV with columns year,force,msg_force[,source].")
    ],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Load most similar groups from a CSV file (one row per peer); replaces the same groups."""
    from peelkit.views.groups import GroupsLoadView

    with workspace(db) as ws:
        loaded = GroupsLoadView.of(file.name, ws.load_groups(file, actor=cli_actor()))
    if as_json:
        print_json(loaded)
        return
    out().print(f"loaded {len(loaded.groups)} most similar group(s) from {loaded.file}")
