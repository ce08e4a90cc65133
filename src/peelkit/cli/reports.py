"""Force and national reports: ``peel report``."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from peelkit.cli.options import (
    AssessmentYearOption,
    DbOption,
    JsonOption,
    PeriodOption,
    deprecated_period,
    workspace,
)
from peelkit.cli.output import out, print_json
from peelkit.errors import UsageError


class ReportFormat(StrEnum):
    html = "html"
    pdf = "pdf"
    json = "json"


def report(
    force: Annotated[
        str | None, typer.Argument(metavar="[FORCE]", help="Any name of the force.")
    ] = None,
    national: Annotated[
        bool, typer.Option("--national", help="The national report: every force.")
    ] = False,
    framework: Annotated[
        str | None, typer.Option(help="Framework id (required for a force report).")
    ] = None,
    year: AssessmentYearOption = None,
    indicator: Annotated[
        str, typer.Option(help="National report: the indicator of the chart and the map.")
    ] = "recorded_crime_per_1000",
    by_region: Annotated[
        bool, typer.Option("--by-region", help="National report: group forces by region.")
    ] = False,
    output_format: Annotated[
        list[ReportFormat] | None,
        typer.Option(
            "--format",
            help="html, pdf or json (the report's view); repeat for more (default html).",
        ),
    ] = None,
    out_dir: Annotated[Path, typer.Option("--out", help="Folder to write into.")] = Path("out"),
    period: PeriodOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Render a force report (FORCE --framework ID) or the national report (--national) as
    HTML, PDF and/or JSON, from the inspection record and the indicator engine."""
    from peelkit.reports.render import write_report
    from peelkit.views.actions import FilesView

    chosen_year = deprecated_period(period, year, "--year")
    if national == (force is not None):
        raise UsageError("give a FORCE with --framework, or --national")
    if force is not None and framework is None:
        raise UsageError("a force report needs --framework ID")
    formats = list(dict.fromkeys(f.value for f in (output_format or [ReportFormat.html])))
    out_dir.mkdir(parents=True, exist_ok=True)
    with workspace(db) as ws:
        built = (
            ws.national_report(framework, indicator, chosen_year, by_region)
            if national
            else ws.force_report(force or "", framework or "", chosen_year)
        )
        written = FilesView.of(write_report(built, out_dir, formats))
    if as_json:
        print_json(written)
        return
    for path in written.files:
        out().print(f"wrote {path}")
