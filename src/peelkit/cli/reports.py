"""Force and national reports: ``peel report``."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from peelkit.cli.options import (
    AssessmentYearOption,
    DbOption,
    JsonOption,
    PeriodOption,
    deprecated_period,
    workspace,
)
from peelkit.cli.output import out, print_json, warning
from peelkit.errors import UsageError

if TYPE_CHECKING:
    from peelkit.reports.layouts import Report


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
    from peelkit.outputs import check_output_folder
    from peelkit.reports.render import write_report
    from peelkit.views.actions import FilesView

    chosen_year = deprecated_period(period, year, "--year")
    if national == (force is not None):
        raise UsageError("give a FORCE with --framework, or --national")
    if force is not None and framework is None:
        raise UsageError("a force report needs --framework ID")
    formats = list(dict.fromkeys(f.value for f in (output_format or [ReportFormat.html])))
    check_output_folder(out_dir, "--out")
    with workspace(db) as ws:
        built = (
            ws.national_report(framework, indicator, chosen_year, by_region)
            if national
            else ws.force_report(force or "", framework or "", chosen_year)
        )
        written = FilesView.of(write_report(built, out_dir, formats))
    nothing = _no_record(built)
    if nothing:
        warning(nothing)
    if as_json:
        print_json(written)
        return
    for path in written.files:
        out().print(f"wrote {path}")


def _no_record(built: Report) -> str | None:
    """What to warn of when the record holds nothing the report could show: a force report
    with no inspection of the force (its own words, which the report prints too), or a national
    report with no grade of any force. ``None`` when there is something."""
    from peelkit.views.force_record import NOT_AVAILABLE
    from peelkit.views.force_report import ForceReportView

    if isinstance(built, ForceReportView):
        if built.has_record:
            return None
        return (built.intro[:1].lower() + built.intro[1:]).rstrip(".")
    if any(g.grade_id is not None for f in built.forces for g in f.grades):
        return None
    return (
        f"the record holds no grade of any force under {built.framework_title} for "
        f'{built.period}: every grade prints as "{NOT_AVAILABLE}"'
    )
