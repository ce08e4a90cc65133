"""The ``peel`` command: a thin layer over :class:`peelkit.workspace.Workspace`.

Commands parse their options, call the workspace, and print its answer as a table or, with
``--json``, as JSON (shapes in docs/json-output.md). A user mistake prints one line,
``peel: error: ...``, and exits with code 2; the database is left as it was.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table
from rich.tree import Tree

from peelkit import __version__
from peelkit.views import reference as views
from peelkit.domain.frameworks import Area, Framework
from peelkit.domain.periods import Period
from peelkit.errors import PeelkitError
from peelkit.frameworks import load_framework_file
from peelkit.indicators.catalogue import catalogue
from peelkit.record.database import ENV_VAR
from peelkit.workspace import Workspace

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


class DefaultCommandGroup(typer.core.TyperGroup):
    """A command group that runs its ``default_command`` when no subcommand is named.

    So ``peel groups Met`` means ``peel groups show Met`` while ``peel groups load FILE`` still
    loads, and ``peel inspections --force Met`` lists.
    """

    default_command = "show"

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h")):
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)


class ListDefaultGroup(DefaultCommandGroup):
    default_command = "list"


HELP = """\
peelkit: the inspection record of the 43 police forces of England and Wales.

Forces, inspection frameworks (2005 baseline to PEEL 2023-25) and most similar groups are
built in. Inspections, graded judgments, findings, evidence and printed figures are kept in a
database: SQLite by default, or PostgreSQL with --db postgresql://HOST/DBNAME.

Start with: peel summary, peel forces, peel frameworks peel-2018-19.
"""

app = typer.Typer(
    help=HELP,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
groups_app = typer.Typer(
    cls=DefaultCommandGroup,
    help="Most similar groups: peel groups [FORCE] [--year Y] shows them (short for peel groups "
    "show), peel groups load FILE loads them from a CSV file.",
    add_completion=False,
)
inspections_app = typer.Typer(
    cls=ListDefaultGroup,
    help="Inspections in the record: peel inspections [--force F] lists them (short for peel "
    "inspections list); show, add or delete one.",
    add_completion=False,
)
judgments_app = typer.Typer(help="Graded judgments of an inspection.", add_completion=False)
findings_app = typer.Typer(help="Findings of an inspection.", add_completion=False)
app.add_typer(groups_app, name="groups")
app.add_typer(inspections_app, name="inspections")
app.add_typer(judgments_app, name="judgments")
app.add_typer(findings_app, name="findings")
data_app = typer.Typer(
    help="Official statistics: import a file, list what is loaded, list validation problems.",
    add_completion=False,
)
app.add_typer(data_app, name="data")
grades_app = typer.Typer(
    help="Published grades: load the HMICFRS grades CSV.", add_completion=False
)
app.add_typer(grades_app, name="grades")

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help=f"Database URL or SQLite file path (default: ${ENV_VAR}, else a SQLite file in "
        "the user's data directory).",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="Do not show progress.")]


class Settings:
    database_url: str | None = None
    quiet: bool = False


settings = Settings()


def _version(value: bool) -> None:
    if value:
        out.print(f"peel {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    db: DbOption = None,
    quiet: QuietOption = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    settings.database_url = db
    settings.quiet = quiet


@contextmanager
def workspace(db: str | None) -> Iterator[Workspace]:
    with Workspace(db or settings.database_url) as opened:
        yield opened


def print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, indent=2, ensure_ascii=False) + "\n")


# --- set-up and overview ----------------------------------------------------------------------


@app.command()
def init(db: DbOption = None) -> None:
    """Create the database (or upgrade it to this version) and write the reference data."""
    with workspace(db) as ws:
        ws.initialise()
        out.print(f"database ready: {ws.database_name}")


@app.command()
def summary(db: DbOption = None, as_json: JsonOption = False) -> None:
    """What the database holds: forces, frameworks, most similar groups and inspections."""
    with workspace(db) as ws:
        result = ws.summary()
    if as_json:
        print_json(result)
        return
    out.print(f"[bold]Database[/bold] {result['database']}")
    forces = result["forces"]
    out.print(
        f"[bold]Forces[/bold] {forces['territorial']} territorial forces of England and Wales, "
        f"plus {', '.join(forces['other'])} (outside England and Wales totals)"
    )
    table = Table(title="Frameworks", title_justify="left")
    for column in ("id", "areas", "title"):
        table.add_column(column)
    for item in result["frameworks"]:
        table.add_row(item["id"], str(item["areas"]), item["title"])
    out.print(table)
    out.print(f"[bold]Most similar groups[/bold] {result['most_similar_groups']}")
    inspections = result["inspections"]
    by_framework = ", ".join(f"{k}: {v}" for k, v in inspections["by_framework"].items())
    out.print(
        f"[bold]Inspections[/bold] {inspections['total']}"
        + (f" ({by_framework})" if by_framework else "")
    )


# --- reference data ---------------------------------------------------------------------------


@app.command()
def forces(as_json: JsonOption = False) -> None:
    """The 43 territorial forces with their ONS codes and regions, and British Transport Police."""
    listed = Workspace.forces()
    if as_json:
        print_json([views.force(f) for f in listed])
        return
    table = Table()
    for column in ("id", "name", "ONS code", "region", "E&W totals"):
        table.add_column(column)
    for force in listed:
        table.add_row(
            force.id,
            force.name,
            force.ons_code or "-",
            force.region or "-",
            "yes" if force.in_england_and_wales_totals else "no (excluded)",
        )
    out.print(table)


@app.command()
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
    if file is not None:
        if framework_id is not None:
            raise PeelkitError("give a framework ID or --file, not both")
        _show_framework(load_framework_file(file), as_json)
        return
    if framework_id is None:
        listed = Workspace.frameworks()
        if as_json:
            print_json([views.framework_summary(f) for f in listed])
            return
        table = Table()
        for column in ("id", "period", "grade scale", "structure", "title"):
            table.add_column(column)
        for item in listed:
            structure = ", ".join(f"{n} {lvl}" for lvl, n in views.level_counts(item).items())
            scale = item.grade_scale.id if item.grade_scale else "ungraded"
            table.add_row(item.id, item.period, scale, structure, item.title)
        out.print(table)
        return
    _show_framework(Workspace.framework(framework_id), as_json)


def _show_framework(framework: Framework, as_json: bool) -> None:
    if as_json:
        print_json(views.framework(framework))
        return
    tree = Tree(f"[bold]{framework.id}[/bold]  {framework.title}")
    for area in framework.areas:
        _add_branch(tree, area)
    out.print(tree)
    if framework.grade_scale:
        grade_scale = framework.grade_scale
        grades = ", ".join(g.label for g in grade_scale.grades)
        others = ", ".join(g.label for g in grade_scale.non_grades)
        out.print(
            f"Grades ({grade_scale.id}, best first): {grades}"
            + (f"; also {others}" if others else "")
        )
    if framework.direction_scale:
        direction = ", ".join(g.label for g in framework.direction_scale.grades)
        out.print(f"Direction of travel: {direction}")


def _add_branch(tree: Tree, area: Area) -> None:
    marks = []
    if not area.graded:
        marks.append("ungraded")
    if area.mandatory:
        marks.append("inspected in every force")
    label = f"{area.code + ' ' if area.code and area.code not in area.name else ''}{area.name}"
    suffix = f"  [dim]({area.level}{'; ' + '; '.join(marks) if marks else ''})[/dim]"
    branch = tree.add(f"{label}{suffix}  [dim]id {area.id}[/dim]")
    for child in area.children:
        _add_branch(branch, child)


# --- most similar groups ----------------------------------------------------------------------


@groups_app.command("show")
def groups_show(
    force: Annotated[
        str | None, typer.Argument(metavar="[FORCE]", help="Any name of the force.")
    ] = None,
    year: Annotated[
        str | None, typer.Option(help="Assessment year, e.g. 2018/19: the group in effect then.")
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """A force's most similar groups (all forces' groups without FORCE)."""
    with workspace(db) as ws:
        found = ws.groups(force, year)
        reason = ws.no_group_reason(force) if force else None
        resolved = ws.resolve_force(force) if force else None
    if as_json:
        print_json(
            {
                "force": resolved.id if resolved else None,
                "year": year,
                "groups": [
                    {
                        "force": g.force_id,
                        "year": g.year,
                        "peers": list(g.peers),
                        "source": g.source,
                    }
                    for g in found
                ],
                "no_group_reason": reason,
            }
        )
        return
    if reason:
        out.print(f"{resolved.name if resolved else force} has no most similar group: {reason}")
        return
    if not found:
        out.print(
            "no most similar group recorded"
            + (f" for {resolved.name}" if resolved else "")
            + (f" in {year}" if year else "")
            + "; load one with: peel groups load FILE"
        )
        return
    names = {f.id: f.name for f in Workspace.forces()}
    table = Table()
    for column in ("force", "year", "peers", "source"):
        table.add_column(column)
    for group in found:
        table.add_row(
            names[group.force_id],
            group.year,
            ", ".join(names[p] for p in group.peers),
            group.source,
        )
    out.print(table)


@groups_app.command("load")
def groups_load(
    file: Annotated[
        Path, typer.Argument(metavar="FILE", help="CSV with columns year,force,msg_force[,source].")
    ],
    db: DbOption = None,
) -> None:
    """Load most similar groups from a CSV file (one row per peer); replaces the same groups."""
    with workspace(db) as ws:
        loaded = ws.load_groups(file)
    out.print(f"loaded {len(loaded)} most similar group(s) from {file.name}")


# --- inspections ------------------------------------------------------------------------------


@inspections_app.command("list")
def inspections_list(
    force: Annotated[str | None, typer.Option(help="Only this force (any of its names).")] = None,
    framework: Annotated[str | None, typer.Option(help="Only this framework id.")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """List the inspections in the record."""
    with workspace(db) as ws:
        listed = ws.inspections(force=force, framework=framework)
    if as_json:
        print_json(listed)
        return
    if not listed:
        out.print("no inspections recorded yet")
        return
    table = Table()
    for column in (
        "id",
        "force",
        "framework",
        "period",
        "status",
        "published",
        "judgments",
        "findings",
    ):
        table.add_column(column)
    for item in listed:
        table.add_row(
            str(item["id"]),
            item["force"],
            item["framework"],
            item["period"],
            item["status"],
            item["published"] or "-",
            str(item["judgments"]),
            str(item["findings"]),
        )
    out.print(table)


@inspections_app.command("show")
def inspections_show(
    inspection_id: Annotated[int, typer.Argument(metavar="ID", help="The inspection id.")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show one inspection with its judgments and findings."""
    with workspace(db) as ws:
        item = ws.inspection(inspection_id)
        framework = ws.framework(item["framework"])
    if as_json:
        print_json(item)
        return
    out.print(
        f"[bold]Inspection {item['id']}[/bold] {item['force']} {item['framework']} "
        f"{item['period']} ({item['status']})"
    )
    labels = {}
    if framework.grade_scale:
        labels = {v.id: v.label for v in framework.grade_scale.values}
    table = Table(title="Judgments", title_justify="left")
    for column in ("area", "grade", "direction", "last inspected", "carried over"):
        table.add_column(column)
    for judgment in item["judgments"]:
        table.add_row(
            framework.area(judgment["area"]).name,
            labels.get(judgment["grade"], "not available"),
            judgment["direction"] or "-",
            judgment["year_last_inspected"] or "-",
            "yes" if judgment["carried_over"] else "",
        )
    out.print(table)
    for finding in item["findings"]:
        area = framework.area(finding["area"]).name if finding["area"] else "-"
        out.print(f"[{finding['id']}] {finding['kind']} ({area}): {finding['text']}")


def _date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise PeelkitError(f"{option}: expected a date YYYY-MM-DD, got {value!r}") from None


def _datetime(value: str | None, option: str) -> dt.datetime | None:
    if value is None:
        return None
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        raise PeelkitError(f"{option}: expected YYYY-MM-DDTHH:MM, got {value!r}") from None


@inspections_app.command("add")
def inspections_add(
    force: Annotated[str, typer.Argument(metavar="FORCE", help="Any name of the force.")],
    framework: Annotated[str, typer.Option(help="Framework id, e.g. peel-2018-19.")],
    period: Annotated[
        str | None, typer.Option(help="Assessment year (default: the framework's).")
    ] = None,
    title: Annotated[str | None, typer.Option(help="Title of the inspection report.")] = None,
    status: Annotated[str, typer.Option(help="draft, moderated or published.")] = "draft",
    published: Annotated[str | None, typer.Option(help="Publication date YYYY-MM-DD.")] = None,
    embargo_until: Annotated[
        str | None, typer.Option(help="Embargoed until, YYYY-MM-DDTHH:MM (e.g. 2014-09-04T00:01).")
    ] = None,
    hm_inspector: Annotated[str | None, typer.Option(help="The HM Inspector.")] = None,
    entered_by: Annotated[str | None, typer.Option(help="Who is entering it.")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Add an inspection of a force under a framework."""
    with workspace(db) as ws:
        item = ws.add_inspection(
            force=force,
            framework=framework,
            period=period,
            title=title,
            status=status,
            published=_date(published, "--published"),
            embargo_until=_datetime(embargo_until, "--embargo-until"),
            hm_inspector=hm_inspector,
            entered_by=entered_by,
        )
    if as_json:
        print_json(item)
    else:
        out.print(
            f"added inspection {item['id']}: {item['force']} {item['framework']} {item['period']}"
        )


@inspections_app.command("delete")
def inspections_delete(
    inspection_id: Annotated[int, typer.Argument(metavar="ID", help="The inspection id.")],
    db: DbOption = None,
) -> None:
    """Delete an inspection with its judgments, findings, evidence and figures."""
    with workspace(db) as ws:
        ws.delete_inspection(inspection_id)
    out.print(f"deleted inspection {inspection_id}")


@judgments_app.command("add")
def judgments_add(
    inspection_id: Annotated[int, typer.Argument(metavar="INSPECTION", help="Inspection id.")],
    area: Annotated[str, typer.Argument(metavar="AREA", help="Area id, code, name or alias.")],
    grade: Annotated[str, typer.Argument(metavar="GRADE", help="Grade (e.g. Good) or Ungraded.")],
    direction: Annotated[str | None, typer.Option(help="Direction of travel (2005).")] = None,
    last_inspected: Annotated[str | None, typer.Option(help="Year last inspected.")] = None,
    carried_over: Annotated[bool, typer.Option(help="Carried over from an earlier year.")] = False,
    rationale: Annotated[str | None, typer.Option(help="Why this grade.")] = None,
    entered_by: Annotated[str | None, typer.Option(help="Who is entering it.")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record a judgment. Pillar and overall grades are entered, never derived."""
    from peelkit.record.operations import Provenance

    with workspace(db) as ws:
        item = ws.add_judgment(
            inspection_id,
            area=area,
            grade=grade,
            direction=direction,
            year_last_inspected=last_inspected,
            carried_over=carried_over,
            rationale=rationale,
            provenance=Provenance(entered_by=entered_by),
        )
    if as_json:
        print_json(item)
    else:
        out.print(f"recorded judgment {item['id']}: {item['area']} {item['grade']}")


@findings_app.command("add")
def findings_add(
    inspection_id: Annotated[int, typer.Argument(metavar="INSPECTION", help="Inspection id.")],
    kind: Annotated[
        str,
        typer.Argument(
            metavar="KIND",
            help="strength, area_for_improvement, "
            "cause_of_concern, recommendation, good_practice "
            "or finding.",
        ),
    ],
    text: Annotated[str, typer.Argument(metavar="TEXT", help="The full text of the finding.")],
    area: Annotated[str | None, typer.Option(help="Area id, code, name or alias.")] = None,
    cause_of_concern: Annotated[
        int | None, typer.Option(help="For a recommendation: the id of its cause of concern.")
    ] = None,
    deadline: Annotated[str | None, typer.Option(help="e.g. 'within 12 months'.")] = None,
    sub_item: Annotated[
        list[str] | None, typer.Option(help="A sub-item (repeat for more).")
    ] = None,
    entered_by: Annotated[str | None, typer.Option(help="Who is entering it.")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record a finding: strength, area for improvement, cause of concern, recommendation..."""
    from peelkit.record.operations import Provenance

    with workspace(db) as ws:
        item = ws.add_finding(
            inspection_id,
            kind=kind,
            text=text,
            area=area,
            cause_of_concern_id=cause_of_concern,
            deadline=deadline,
            sub_items=sub_item or [],
            provenance=Provenance(entered_by=entered_by),
        )
    if as_json:
        print_json(item)
    else:
        out.print(f"recorded finding {item['id']}: {item['kind']}")


# --- official statistics ---------------------------------------------------------------------


@data_app.command("import")
def data_import(
    files: Annotated[
        list[Path], typer.Argument(metavar="FILE...", help="Official statistics files.")
    ],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Import official statistics files: each is identified, checked against its publication's
    declared layout, and stored with its provenance (one transaction per file)."""
    results = []
    failures = 0
    with workspace(db) as ws:
        for path in files:
            try:
                stored = ws.import_statistics(path)
            except PeelkitError as exc:
                failures += 1
                sys.stderr.write(f"peel: error: {' '.join(str(exc).split())}\n")
                continue
            results.append(
                {
                    "file": stored.publication.filename,
                    "publication": stored.publication.id,
                    "release": stored.publication.release,
                    "sha256": stored.publication.sha256,
                    "observations": stored.observations,
                    "problems": stored.problems,
                    "already_imported": stored.already_imported,
                }
            )
    if as_json:
        print_json(results)
    else:
        for item in results:
            state = (
                "already imported; nothing changed"
                if item["already_imported"]
                else (f"{item['observations']} figures, {item['problems']} problem(s)")
            )
            out.print(f"{item['file']}: {item['publication']} ({item['release']}): {state}")
    if failures:
        raise typer.Exit(2)


@data_app.command("sources")
def data_sources(db: DbOption = None, as_json: JsonOption = False) -> None:
    """The publications loaded: the embedded dataset's and those imported, with what each
    covers (measures, forces, first and last period) and its provenance."""
    with workspace(db) as ws:
        sources = ws.statistics_sources()
    if as_json:
        print_json(sources)
        return
    for origin in ("embedded", "imported"):
        table = Table(title=f"{origin} publications", title_justify="left")
        for column in ("publication", "release", "file", "figures", "forces", "periods"):
            table.add_column(column)
        for item in sources[origin]:
            table.add_row(
                item["id"],
                item["release"],
                item["file"],
                str(item["observations"]),
                str(item["forces"]),
                f"{item['first_period']} to {item['last_period']}",
            )
        out.print(table)


@data_app.command("problems")
def data_problems(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Validation problems found in the statistics, each with its file, sheet, row and column."""
    with workspace(db) as ws:
        problems = ws.statistics_problems()
    if as_json:
        print_json(problems)
        return
    if not problems:
        out.print("no problems recorded")
    for problem in problems:
        where = ", ".join(
            str(problem[k])
            for k in ("file", "sheet", "row", "column")
            if problem[k] not in (None, "")
        )
        out.print(f"{problem['code']}: {where}: {problem['message']}")


# --- indicators ------------------------------------------------------------------------------


@app.command()
def indicators(
    force: Annotated[
        str | None, typer.Argument(metavar="[FORCE]", help="Any name of the force.")
    ] = None,
    period: Annotated[
        str | None,
        typer.Option(help="YYYY-MM: the 12 months ending that month (stocks: at its end)."),
    ] = None,
    year: Annotated[
        str | None, typer.Option(help="A financial year such as 2017/18 (12 months to March).")
    ] = None,
    indicator: Annotated[
        list[str] | None, typer.Option(help="An indicator id (repeat for more; default all).")
    ] = None,
    all_forces: Annotated[
        bool, typer.Option("--all-forces", help="Every force, ranked (needs --indicator).")
    ] = False,
    comparator: Annotated[
        str, typer.Option(help="ew (England and Wales) or msg (most similar group).")
    ] = "ew",
    population_year: Annotated[
        int | None,
        typer.Option(help="Mid-year population estimate to use (default: the period's end year)."),
    ] = None,
    msg_mean: Annotated[
        bool,
        typer.Option("--msg-mean", help="Most similar group as the mean of its forces' rates."),
    ] = False,
    list_indicators: Annotated[
        bool, typer.Option("--list", help="List the indicator catalogue and stop.")
    ] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Indicators from official statistics: a force's figures against England and Wales or its
    most similar group, or every force ranked for one indicator."""
    if list_indicators:
        _list_indicators(as_json)
        return
    if (period is None) == (year is None):
        raise PeelkitError("give the period as --period YYYY-MM or --year YYYY/YY")
    chosen = Period.from_month(period) if period else Period.financial_year(year or "")
    if all_forces == (force is not None):
        raise PeelkitError("give a FORCE, or --all-forces with --indicator")
    if all_forces and not indicator:
        raise PeelkitError("--all-forces needs --indicator ID")
    with workspace(db) as ws:
        rows = ws.indicators(
            chosen,
            force=force,
            indicator_ids=indicator,
            comparator=comparator,
            population_year=population_year,
            msg_method="mean" if msg_mean else "pooled",
        )
    if as_json:
        print_json(rows)
        return
    one_force = len({item["force"] for item in rows}) == 1
    names = {f.id: f.name for f in Workspace.forces()}
    title = chosen.label() + (f": {names[rows[0]['force']]}" if one_force and rows else "")
    table = Table(title=title, title_justify="left")
    notes = any(item.get("missing") or item.get("note") for item in rows)
    columns = [
        c
        for c in ("force", "indicator", "value", "comparator", "rank", "band", "note")
        if (c != "force" or not one_force) and (c != "note" or notes)
    ]
    for column in columns:
        table.add_column(column)
    for item in rows:
        compared = (
            f"{item.get('comparator_display') or '-'} "
            f"({'E&W' if item.get('comparator') == 'england_and_wales' else 'MSG'})"
            if item.get("comparator")
            else "-"
        )
        rank = f"{item['rank_display']} of {item['of']}" if item.get("rank_display") else "-"
        cells = {
            "force": names.get(item["force"], item["force"]),
            "indicator": item["label"],
            "value": item.get("display") or "n/a",
            "comparator": compared,
            "rank": rank,
            "band": item.get("band") or "-",
            "note": item.get("missing") or item.get("note") or "",
        }
        table.add_row(*(cells[c] for c in columns))
    out.print(table)


def _list_indicators(as_json: bool) -> None:
    items: list[dict[str, Any]] = [
        {
            "id": i.id,
            "label": i.label,
            "kind": i.kind,
            "unit": i.unit,
            "decimals": i.decimals,
            "better": i.better,
            "comparators": list(i.comparators),
        }
        for i in catalogue().indicators.values()
    ]
    if as_json:
        print_json(items)
        return
    table = Table()
    for column in ("id", "label", "unit", "better"):
        table.add_column(column)
    for item in items:
        table.add_row(item["id"], item["label"], item["unit"], item["better"])
    out.print(table)


# --- published grades and reports --------------------------------------------------------------


@grades_app.command("load")
def grades_load(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="The grades CSV.")],
    db: DbOption = None,
) -> None:
    """Load HMICFRS graded judgments from a CSV (year,force,pillar,question,grade,source_url):
    one inspection per force and framework, every grade with the line it came from."""
    with workspace(db) as ws:
        result = ws.load_grades(file)
    if result.already_loaded:
        out.print(f"{file.name}: already loaded; nothing changed")
    else:
        out.print(f"{file.name}: {result.judgments} judgments in {result.inspections} inspections")


class ReportFormat(StrEnum):
    html = "html"
    pdf = "pdf"


@app.command()
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
    period: Annotated[
        str | None, typer.Option(help="Assessment year (default: the framework's).")
    ] = None,
    indicator: Annotated[
        str, typer.Option(help="National report: the indicator of the chart and the map.")
    ] = "recorded_crime_per_1000",
    by_region: Annotated[
        bool, typer.Option("--by-region", help="National report: group forces by region.")
    ] = False,
    output_format: Annotated[
        list[ReportFormat] | None,
        typer.Option("--format", help="html or pdf (repeat for both; default html)."),
    ] = None,
    out_dir: Annotated[Path, typer.Option("--out", help="Folder to write into.")] = Path("out"),
    db: DbOption = None,
) -> None:
    """Render a force report (FORCE --framework ID) or the national report (--national) as
    HTML and/or PDF, from the inspection record and the indicator engine."""
    from peelkit.reports.render import write_report

    if national == (force is not None):
        raise PeelkitError("give a FORCE with --framework, or --national")
    if force is not None and framework is None:
        raise PeelkitError("a force report needs --framework ID")
    formats = [f.value for f in (output_format or [ReportFormat.html])]
    out_dir.mkdir(parents=True, exist_ok=True)
    with workspace(db) as ws:
        built = (
            ws.national_report(framework, indicator, period, by_region)
            if national
            else ws.force_report(force or "", framework or "", period)
        )
        written = write_report(built, out_dir, formats)
    for path in written:
        out.print(f"wrote {path}")


# --- importing published reports -------------------------------------------------------------


class OutputFormat(StrEnum):
    table = "table"
    json = "json"


@app.command("import")
def import_reports(
    paths: Annotated[
        list[Path],
        typer.Argument(metavar="PATH...", help="Report files: text, PDF or saved web pages."),
    ],
    framework: Annotated[
        str | None, typer.Option(help="The framework id, if detection gets it wrong.")
    ] = None,
    force: Annotated[
        str | None, typer.Option(help="The force, if detection gets it wrong.")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Parse and print; do not touch the database.")
    ] = False,
    output: Annotated[
        OutputFormat, typer.Option("--format", help="table, or json (shape in docs).")
    ] = OutputFormat.table,
    db: DbOption = None,
    quiet: QuietOption = False,
) -> None:
    """Import published inspection reports into the record (one transaction per document).

    Detects the framework and the force, extracts judgments, findings, figures and performance
    tables with the lines they came from, and warns about impossible printed values. Importing
    the same file again changes nothing.
    """
    failures = 0
    results: list[dict[str, Any]] = []
    show = not (quiet or settings.quiet) and output is OutputFormat.table
    with workspace(db) as ws:
        for path in paths:
            try:
                if dry_run:
                    parsed = ws.parse_report(path, framework=framework, force=force)
                    results.append(parsed.to_json())
                    if output is OutputFormat.table:
                        _print_parsed(parsed.to_json(), None)
                    continue
                parsed, stored = ws.import_report(path, framework=framework, force=force)
            except PeelkitError as exc:
                failures += 1
                message = " ".join(str(exc).split())
                sys.stderr.write(f"peel: error: {message}\n")
                continue
            outcome = {
                "file": stored.filename,
                "document": stored.document_id,
                "already_imported": stored.already_imported,
                "inspections": stored.inspections,
                "force": parsed.force,
                "framework": parsed.framework,
                "counts": stored.counts,
                "warnings": [w["message"] for w in parsed.to_json()["warnings"]],
                "not_found": list(parsed.not_found),
            }
            results.append(outcome)
            if output is OutputFormat.table:
                _print_parsed(parsed.to_json(), outcome)
            elif show:
                err.print(f"imported {path.name}")
    if output is OutputFormat.json:
        print_json(results[0] if len(paths) == 1 and results else results)
    if failures:
        raise typer.Exit(2)


def _print_parsed(parsed: dict[str, Any], outcome: dict[str, Any] | None) -> None:
    document = parsed["document"]
    source = document["source"]
    if outcome and outcome["already_imported"]:
        out.print(
            f"{source['filename']}: already imported (document {outcome['document']}); "
            "nothing changed"
        )
        return
    verb = "imported" if outcome else "parsed (dry run, nothing stored)"
    out.print(
        f"[bold]{source['filename']}[/bold] {verb}: {document['framework']}, "
        f"{document['force']}, {document['title'] or 'untitled'}"
    )
    kinds: dict[str, int] = {}
    for finding in parsed["findings"]:
        kinds[finding["kind"]] = kinds.get(finding["kind"], 0) + 1
    own = [j for j in parsed["judgments"] if j["force"] in (None, document["force"])]
    out.print(
        f"  judgments {len(own)}"
        + (
            f" (+{len(parsed['judgments']) - len(own)} for other forces)"
            if len(own) != len(parsed["judgments"])
            else ""
        )
        + "; findings "
        + (", ".join(f"{k} {v}" for k, v in kinds.items()) or "0")
        + f"; figures {len(parsed['figures'])}"
        + f"; performance rows {len(parsed['performance_table'])}"
    )
    for warning in parsed["warnings"]:
        where = ", ".join(str(warning[k]) for k in ("table", "row", "column") if warning[k])
        out.print(f"  warning: {warning['message']}" + (f" [{where}]" if where else ""))
    for missing in parsed["not_found"]:
        out.print(f"  not found: {missing}")


# --- export and load --------------------------------------------------------------------------


@app.command()
def export(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="The JSON file to write.")],
    db: DbOption = None,
) -> None:
    """Write the whole record (inspections, documents, loaded groups) to a JSON file."""
    with workspace(db) as ws:
        counts = ws.export_to(file)
    out.print(
        f"exported {counts['inspections']} inspection(s), {counts['documents']} "
        f"document(s) and {counts['most_similar_groups']} group(s) to {file}"
    )


@app.command()
def load(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A file written by peel export.")],
    replace: Annotated[
        bool, typer.Option(help="Discard the record already in the database.")
    ] = False,
    db: DbOption = None,
    quiet: QuietOption = False,
) -> None:
    """Load a file written by peel export into an empty database (all or nothing)."""
    show = not (quiet or settings.quiet)
    with workspace(db) as ws, Progress(console=err, transient=True, disable=not show) as bar:
        task = bar.add_task("loading inspections", total=None)

        def step(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        counts = ws.load(file, replace=replace, progress=step)
    out.print("loaded " + ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in counts.items()))


def main(argv: list[str] | None = None) -> int:
    """Run ``peel`` with these arguments; return the exit code (2 for a user's mistake)."""
    command = typer.main.get_command(app)
    try:
        command.main(args=argv, prog_name="peel", standalone_mode=True)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except PeelkitError as exc:
        message = " ".join(str(exc).split())
        sys.stderr.write(f"peel: error: {message}\n")
        return 2
    finally:
        settings.database_url = None
        settings.quiet = False
    return 0


def run() -> None:
    sys.exit(main())
