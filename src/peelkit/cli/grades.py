"""Published grades: ``peel grades load FILE``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from peelkit.cli.accounts import cli_actor
from peelkit.cli.options import DbOption, JsonOption, workspace
from peelkit.cli.output import out, print_json

grades_app = typer.Typer(
    help="Published grades: load the HMICFRS grades CSV.", add_completion=False
)


@grades_app.command("load")
def grades_load(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="The grades CSV.")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Load HMICFRS graded judgments from a CSV (year,force,pillar,question,grade,source_url)
    into each force's inspection for the framework and year, every grade with the line it came
    from."""
    from peelkit.views.imports import GradesLoadView

    with workspace(db) as ws:
        result = GradesLoadView.of(file.name, ws.load_grades(file, actor=cli_actor()))
    if as_json:
        print_json(result)
        return
    if result.already_loaded:
        out().print(f"{result.file}: already loaded; nothing changed")
        return
    out().print(f"{result.file}: {result.judgments} judgments in {result.inspections} inspections")
    for disagreement in result.disagreements:
        out().print(f"  warning: {disagreement}", markup=False)
