"""The inspection record: ``peel init``, ``peel summary``, ``peel inspections`` (with the
workflow: ``moderate``, ``return``, ``publish``), ``peel judgments add``, ``peel findings add``,
``peel export`` and ``peel load``.

Every write goes through the library as the operator via the CLI (:func:`cli_actor`), so it is
audited, and a published inspection is frozen unless ``--reason`` gives the correction's reason.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from peelkit.cli.accounts import cli_actor
from peelkit.cli.options import (
    AssessmentYearOption,
    DbOption,
    JsonOption,
    ListDefaultGroup,
    PeriodOption,
    QuietOption,
    deprecated_period,
    parse_date,
    quiet,
    record_id,
    workspace,
    years_in,
)
from peelkit.cli.output import err, or_dash, out, print_json, table
from peelkit.errors import PeelkitError

if TYPE_CHECKING:
    from peelkit.domain.frameworks import Framework
    from peelkit.views.inspections import InspectionView


def init(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Create the database (or upgrade it to this version) and write the reference data."""
    from peelkit.views.actions import DatabaseView

    with workspace(db) as ws:
        ws.initialise()
        ready = DatabaseView(ws.database_name)
    if as_json:
        print_json(ready)
        return
    out().print(f"database ready: {ready.database}")


def summary(db: DbOption = None, as_json: JsonOption = False) -> None:
    """What the database holds: forces, frameworks, most similar groups and inspections."""
    with workspace(db) as ws:
        result = ws.summary()
    if as_json:
        print_json(result)
        return
    console = out()
    console.print(f"[bold]Database[/bold] {result.database}")
    console.print(
        f"[bold]Forces[/bold] {result.forces.territorial} territorial forces of England and "
        f"Wales, plus {', '.join(result.forces.other)} (outside England and Wales totals)"
    )
    shown = table("id", "areas", "title", title="Frameworks")
    for item in result.frameworks:
        shown.add_row(item.id, str(item.areas), item.title)
    console.print(shown)
    console.print(f"[bold]Most similar groups[/bold] {result.most_similar_groups}")
    inspections = result.inspections
    by_framework = ", ".join(f"{k}: {v}" for k, v in inspections.by_framework.items())
    console.print(
        f"[bold]Inspections[/bold] {inspections.total}"
        + (f" ({by_framework})" if by_framework else "")
    )


# --- inspections ------------------------------------------------------------------------------

inspections_app = typer.Typer(
    cls=ListDefaultGroup,
    help="Inspections in the record: peel inspections [--force F] lists them (short for peel "
    "inspections list); show, add or delete one; moderate, return or publish one.",
    add_completion=False,
)
judgments_app = typer.Typer(help="Graded judgments of an inspection.", add_completion=False)
findings_app = typer.Typer(help="Findings of an inspection.", add_completion=False)


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
        out().print("no inspections recorded yet")
        return
    shown = table(
        "id", "force", "framework", "period", "status", "published", "judgments", "findings"
    )
    for item in listed:
        shown.add_row(
            str(item.id),
            item.force,
            item.framework,
            item.period,
            item.status,
            or_dash(item.published),
            str(item.judgments),
            str(item.findings),
        )
    out().print(shown)


@inspections_app.command("show")
def inspections_show(
    inspection_id: Annotated[
        int, typer.Argument(metavar="ID", help="The inspection id.", callback=record_id)
    ],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show one inspection with its judgments and findings."""
    with workspace(db) as ws:
        item = ws.inspection(inspection_id)
        framework = ws.framework(item.framework)
    if as_json:
        print_json(item)
        return
    _print_inspection(item, framework)
    notice = _embargo_notice(item)
    if notice:
        out().print(notice, markup=False)


def _embargo_notice(item: InspectionView) -> str | None:
    """``Not for publication until ...`` for a published inspection still under embargo."""
    import datetime as dt

    from peelkit.record.visibility import utc_now
    from peelkit.record.workflow import PUBLISHED, embargo_notice

    if item.status != PUBLISHED or item.embargo_until is None:
        return None
    return embargo_notice(dt.datetime.fromisoformat(item.embargo_until), utc_now())


def _print_inspection(item: InspectionView, framework: Framework) -> None:
    console = out()
    console.print(
        f"[bold]Inspection {item.id}[/bold] {item.force} {item.framework} {item.period} "
        f"({item.status})"
    )
    labels: dict[str, str] = {}
    if framework.grade_scale:
        labels = {v.id: v.label for v in framework.grade_scale.values}
    shown = table("area", "grade", "direction", "last inspected", "carried over", title="Judgments")
    for judgment in item.shown_judgments():
        shown.add_row(
            framework.area(judgment.area).name,
            labels.get(judgment.grade or "", "not available"),
            or_dash(judgment.direction),
            or_dash(judgment.year_last_inspected),
            "yes" if judgment.carried_over else "",
        )
    console.print(shown)
    for other in (j for j in item.judgments if not j.shown):
        source = f"document {other.provenance.document}" if other.provenance.document else "entry"
        console.print(
            f"also ({source}, not shown): {framework.area(other.area).name}: "
            f"{labels.get(other.grade or '', 'not available')}"
        )
    for finding in item.findings:
        area = framework.area(finding.area).name if finding.area else "-"
        console.print(f"[{finding.id}] {finding.kind} ({area}): {finding.text}", markup=False)


@inspections_app.command("add")
def inspections_add(
    force: Annotated[str, typer.Argument(metavar="FORCE", help="Any name of the force.")],
    framework: Annotated[str, typer.Option(help="Framework id, e.g. peel-2018-19.")],
    year: AssessmentYearOption = None,
    title: Annotated[str | None, typer.Option(help="Title of the inspection report.")] = None,
    status: Annotated[str, typer.Option(help="draft, moderated or published.")] = "draft",
    published: Annotated[str | None, typer.Option(help="Publication date YYYY-MM-DD.")] = None,
    embargo_until: Annotated[
        str | None,
        typer.Option(
            help="Embargoed until this UK time, YYYY-MM-DD HH:MM (e.g. 2014-09-04 00:01)."
        ),
    ] = None,
    hm_inspector: Annotated[str | None, typer.Option(help="The HM Inspector.")] = None,
    entered_by: Annotated[str | None, typer.Option(help="Who is entering it.")] = None,
    period: PeriodOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Add an inspection of a force under a framework."""
    from peelkit.record.workflow import parse_uk_time

    chosen_year = deprecated_period(period, year, "--year")
    with workspace(db) as ws:
        item = ws.add_inspection(
            force=force,
            framework=framework,
            period=chosen_year,
            title=title,
            status=status,
            published=parse_date(published, "--published"),
            embargo_until=parse_uk_time(embargo_until) if embargo_until is not None else None,
            hm_inspector=hm_inspector,
            entered_by=entered_by,
            actor=cli_actor(),
        )
    if as_json:
        print_json(item)
        return
    out().print(f"added inspection {item.id}: {item.force} {item.framework} {item.period}")


@inspections_app.command("delete")
def inspections_delete(
    inspection_id: Annotated[
        int, typer.Argument(metavar="ID", help="The inspection id.", callback=record_id)
    ],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Delete an inspection with its judgments, findings, evidence and figures."""
    from peelkit.views.actions import DeletedView

    with workspace(db) as ws:
        ws.delete_inspection(inspection_id, actor=cli_actor())
    deleted = DeletedView(inspection_id)
    if as_json:
        print_json(deleted)
        return
    out().print(f"deleted inspection {deleted.deleted}")


# --- the workflow: moderate, return, publish ---------------------------------------------------

InspectionId = Annotated[
    int, typer.Argument(metavar="ID", help="The inspection id.", callback=record_id)
]


def _transition(
    inspection_id: int,
    to: str,
    db: str | None,
    as_json: bool,
    *,
    comment: str | None = None,
    embargo_until: str | None = None,
) -> None:
    from peelkit.record.workflow import parse_uk_time

    embargo = parse_uk_time(embargo_until) if embargo_until is not None else None
    with workspace(db) as ws:
        item = ws.transition(inspection_id, to, cli_actor(), embargo_until=embargo, comment=comment)
    if as_json:
        print_json(item)
        return
    line = f"inspection {item.id} is now {item.status}"
    if item.status == "published":
        line += f" (published {item.published})"
    out().print(line, markup=False)
    notice = _embargo_notice(item)
    if notice:
        out().print(notice, markup=False)


@inspections_app.command("moderate")
def inspections_moderate(
    inspection_id: InspectionId,
    comment: Annotated[str | None, typer.Option(help="A note for the audit log.")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Moderate a draft: draft -> moderated."""
    _transition(inspection_id, "moderated", db, as_json, comment=comment)


@inspections_app.command("return")
def inspections_return(
    inspection_id: InspectionId,
    comment: Annotated[
        str | None, typer.Option(help="What to change (required: the inspectors read it).")
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Send a moderated inspection back to its inspectors with a comment: moderated -> draft."""
    _transition(inspection_id, "draft", db, as_json, comment=comment)


@inspections_app.command("publish")
def inspections_publish(
    inspection_id: InspectionId,
    embargo_until: Annotated[
        str | None,
        typer.Option(
            help='Not for publication until this UK time, e.g. "2026-12-03 00:01" (default: '
            "publish now)."
        ),
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Publish a moderated inspection, now or at an embargo time: moderated -> published."""
    _transition(inspection_id, "published", db, as_json, embargo_until=embargo_until)


@judgments_app.command("add")
def judgments_add(
    inspection_id: Annotated[
        int, typer.Argument(metavar="INSPECTION", help="Inspection id.", callback=record_id)
    ],
    area: Annotated[str, typer.Argument(metavar="AREA", help="Area id, code, name or alias.")],
    grade: Annotated[str, typer.Argument(metavar="GRADE", help="Grade (e.g. Good) or Ungraded.")],
    direction: Annotated[str | None, typer.Option(help="Direction of travel (2005).")] = None,
    last_inspected: Annotated[str | None, typer.Option(help="Year last inspected.")] = None,
    carried_over: Annotated[bool, typer.Option(help="Carried over from an earlier year.")] = False,
    rationale: Annotated[str | None, typer.Option(help="Why this grade.")] = None,
    reason: Annotated[
        str | None,
        typer.Option(help="Why: needed to correct a published inspection (kept with the change)."),
    ] = None,
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
            actor=cli_actor(),
            reason=reason,
        )
    if as_json:
        print_json(item)
        return
    out().print(f"recorded judgment {item.id}: {item.area} {item.grade}")


@findings_app.command("add")
def findings_add(
    inspection_id: Annotated[
        int, typer.Argument(metavar="INSPECTION", help="Inspection id.", callback=record_id)
    ],
    kind: Annotated[
        str,
        typer.Argument(
            metavar="KIND",
            help="strength, area_for_improvement, cause_of_concern, recommendation, "
            "good_practice or finding.",
        ),
    ],
    text: Annotated[str, typer.Argument(metavar="TEXT", help="The full text of the finding.")],
    area: Annotated[str | None, typer.Option(help="Area id, code, name or alias.")] = None,
    cause_of_concern: Annotated[
        int | None,
        typer.Option(
            help="For a recommendation: the id of its cause of concern.", callback=record_id
        ),
    ] = None,
    deadline: Annotated[str | None, typer.Option(help="e.g. 'within 12 months'.")] = None,
    sub_item: Annotated[
        list[str] | None, typer.Option(help="A sub-item (repeat for more).")
    ] = None,
    reason: Annotated[
        str | None,
        typer.Option(help="Why: needed to correct a published inspection (kept with the change)."),
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
            actor=cli_actor(),
            reason=reason,
        )
    if as_json:
        print_json(item)
        return
    out().print(f"recorded finding {item.id}: {item.kind}")


@findings_app.command("search")
def findings_search(
    query: Annotated[
        str | None,
        typer.Argument(
            metavar="QUERY",
            help='Words (all must match), "a phrase", OR between alternatives; none: every '
            "finding.",
        ),
    ] = None,
    kind: Annotated[str | None, typer.Option(help="Only this kind, e.g. cause_of_concern.")] = None,
    force: Annotated[str | None, typer.Option(help="Only this force (any of its names).")] = None,
    framework: Annotated[str | None, typer.Option(help="Only this framework id.")] = None,
    year: Annotated[
        str | None, typer.Option(help="Only this assessment year, e.g. 2016.", callback=years_in)
    ] = None,
    area: Annotated[str | None, typer.Option(help="Only this area id.")] = None,
    limit: Annotated[int, typer.Option(help="How many to show (1 to 200).")] = 50,
    after: Annotated[
        str | None, typer.Option(help="The next cursor a previous search printed.")
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Search the findings of published inspections, most relevant first, with counts."""
    from peelkit.record.visibility import utc_now

    with workspace(db) as ws:
        try:
            found = ws.search_findings(
                query,
                kind=kind,
                force=force,
                framework=framework,
                year=year,
                area=area,
                limit=limit,
                after=after,
                public_at=utc_now(),
            )
        except PeelkitError as exc:
            options: dict[str, tuple[str, object]] = {
                "limit": ("--limit", limit),
                "after": ("--after", after),
            }
            raise _named_option(exc, options) from exc
    if as_json:
        print_json(found)
        return
    console = out()
    console.print(f"{found.total} finding(s); showing {len(found.items)}")
    for hit in found.items:
        place = " ".join(p for p in (hit.force_name, hit.period, hit.area_name) if p)
        console.print(f"[{hit.id}] {hit.kind_label}, {place}: {hit.text}", markup=False)
        console.print(f"    {hit.source}", markup=False)
    for facet in found.facets:
        counts = ", ".join(f"{v.label} {v.count}" for v in facet.values)
        console.print(f"by {facet.name}: {counts}", markup=False)
    if found.next:
        console.print(f"more: --after {found.next}", markup=False)


def _named_option(error: PeelkitError, options: dict[str, tuple[str, object]]) -> PeelkitError:
    """The library's error about a field (``limit``), as the option that gave it says it
    (``--limit 0: ...``); any other error as it is."""
    named = options.get(str(error.location.field or ""))
    if named is None:
        return error
    option, value = named
    return PeelkitError(
        f"{option} {value}: {error.message}",
        code=error.code,
        kind=error.kind,
        location=error.location,
    )


# --- export and load --------------------------------------------------------------------------


def export(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="The JSON file to write.")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Write the whole record (inspections, documents, loaded groups) to a JSON file (whole or
    not at all: an earlier FILE is left as it was on any failure)."""
    from peelkit.outputs import check_output_file
    from peelkit.views.actions import ExportView

    check_output_file(file)
    with workspace(db) as ws:
        written = ExportView.of(file, ws.export_to(file))
    if as_json:
        print_json(written)
        return
    out().print(
        f"exported {written.inspections} inspection(s), {written.documents} document(s) and "
        f"{written.most_similar_groups} group(s) to {written.file}"
    )


def load(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A file written by peel export.")],
    replace: Annotated[
        bool, typer.Option(help="Discard the record already in the database.")
    ] = False,
    db: DbOption = None,
    quiet_option: QuietOption = False,
    as_json: JsonOption = False,
) -> None:
    """Load a file written by peel export into an empty database (all or nothing)."""
    from rich.progress import Progress

    from peelkit.views.actions import LoadView

    # The bar is drawn on a terminal only: elsewhere (a log, a pipe) a live display draws
    # nothing useful and leaves a blank line before a ``peel: error:`` line.
    show = not (quiet(quiet_option) or as_json) and err().is_terminal
    with workspace(db) as ws, Progress(console=err(), transient=True, disable=not show) as bar:
        task = bar.add_task("loading inspections", total=None)

        def step(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        counts = ws.load(file, replace=replace, progress=step, actor=cli_actor())
        loaded = LoadView.of(file, counts)
    if as_json:
        print_json(loaded)
        return
    out().print(
        "loaded " + ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in loaded.counts.items())
    )
