"""Follow-up: ``peel followup register|links|confirm|reject|link|status|history|responses|
response|monitoring|detect``.

What became of every cause of concern, recommendation and area for improvement: the register
with each one's status and due date, the links between findings of different inspections
(detected, entered or stated), PCC responses and monitoring stages. Writes go through the
library as the operator (audited); a refusal prints one line and exits 2.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

import typer

from peelkit.cli.accounts import cli_actor
from peelkit.cli.options import DbOption, JsonOption, record_id, workspace
from peelkit.cli.output import or_dash, out, print_json, table
from peelkit.errors import PeelkitError

if TYPE_CHECKING:
    from peelkit.views.followup import FindingHistoryView, LinkView

followup_app = typer.Typer(
    help="Follow-up: the register of causes of concern, recommendations and areas for "
    "improvement with their status and due dates; links between findings across inspections; "
    "PCC responses; monitoring stages.",
    add_completion=False,
)

ForceFilter = Annotated[str | None, typer.Option("--force", help="Only this force.")]


def _date(value: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise PeelkitError(
            f"{option}: expected a date as YYYY-MM-DD, got {value!r}", code="usage"
        ) from None


def _short(text: str, width: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


@followup_app.command("register")
def register(
    force: ForceFilter = None,
    status: Annotated[
        str | None,
        typer.Option(
            help="Only findings with this current status (open, in_progress, "
            "reported_complete, closed, closed_not_implemented, superseded)."
        ),
    ] = None,
    overdue: Annotated[
        bool, typer.Option("--overdue", help="Only those past their due date, not closed.")
    ] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Every cause of concern, recommendation and area for improvement, with its current
    status (and what was claimed and verified), the source of that status and its due date.
    With --force, the national recommendations addressed to all forces are listed too."""
    with workspace(db) as ws:
        view = ws.followup_register(force=force, status=status, overdue=overdue, national=True)
    if as_json:
        print_json(list(view.rows))
        return
    if not view.rows:
        out().print("nothing in the register matches")
        return
    shown = table("force", "inspection", "finding", "kind", "status", "since", "due", "text")
    for row in view.rows:
        due = or_dash(row.due.isoformat() if row.due else None)
        shown.add_row(
            row.force or ("all forces" if row.all_forces else "national"),
            str(row.inspection) if row.inspection else or_dash(row.framework),
            str(row.finding.id) if row.finding else f"N{row.national.id if row.national else ''}",
            row.kind.replace("_", " "),
            row.status + (" (claimed complete)" if row.claimed and row.status != "closed" else ""),
            or_dash(row.status_date.isoformat() if row.status_date else None),
            due + (" OVERDUE" if row.overdue else ""),
            _short(row.text, 60),
        )
    out().print(shown)
    out().print(f"{view.total} findings; {view.overdue} overdue")


@followup_app.command("links")
def links(
    force: ForceFilter = None,
    status: Annotated[
        str | None,
        typer.Option(help="Only links with this status: candidate, confirmed, rejected."),
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Links from later findings to earlier ones of the same force: repeated, reworded,
    escalated, superseded or related; detected (with a score), entered or stated."""
    if status is not None and status not in ("candidate", "confirmed", "rejected"):
        raise PeelkitError(
            f"--status: expected candidate, confirmed or rejected, got {status!r}", code="usage"
        )
    with workspace(db) as ws:
        found = ws.followup_links(force=force, status=status)
    if as_json:
        print_json(found)
        return
    if not found:
        out().print("no links match (peel followup detect looks for them)")
        return
    for link in found:
        _print_link(link)


def _print_link(link: LinkView) -> None:
    console = out()
    score = f" {link.score:g}" if link.score is not None else ""
    console.print(
        f"link {link.id}: {link.relation} ({link.source}{score}, {link.status})",
        markup=False,
    )
    for label, end in (("earlier", link.earlier), ("later", link.later)):
        console.print(
            f"  {label}: finding {end.finding} of inspection {end.inspection} "
            f"({end.framework}), {end.kind.replace('_', ' ')}: {_short(end.text)}",
            markup=False,
        )


@followup_app.command("confirm")
def confirm(
    link: Annotated[int, typer.Argument(metavar="LINK", help="The link's id.", callback=record_id)],
    relation: Annotated[
        str | None, typer.Option(help="Correct the relation as you confirm it.")
    ] = None,
    note: Annotated[str | None, typer.Option(help="Why.")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Confirm a link: the later finding repeats, rewords or escalates the earlier one."""
    with workspace(db) as ws:
        view = ws.decide_link(link, "confirmed", cli_actor(), note=note, relation=relation)
    if as_json:
        print_json(view)
        return
    _print_link(view)


@followup_app.command("reject")
def reject(
    link: Annotated[int, typer.Argument(metavar="LINK", help="The link's id.", callback=record_id)],
    note: Annotated[str | None, typer.Option(help="Why.")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Reject a link: the two findings are not about the same thing."""
    with workspace(db) as ws:
        view = ws.decide_link(link, "rejected", cli_actor(), note=note)
    if as_json:
        print_json(view)
        return
    _print_link(view)


@followup_app.command("link")
def add_link(
    earlier: Annotated[
        int, typer.Argument(metavar="EARLIER", help="The earlier finding.", callback=record_id)
    ],
    later: Annotated[
        int, typer.Argument(metavar="LATER", help="The later finding.", callback=record_id)
    ],
    relation: Annotated[
        str, typer.Option(help="repeated, reworded, escalated, superseded or related.")
    ],
    note: Annotated[str | None, typer.Option(help="Why.")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Link two findings of one force by hand (confirmed)."""
    with workspace(db) as ws:
        view = ws.add_link(earlier, later, relation, cli_actor(), note=note)
    if as_json:
        print_json(view)
        return
    _print_link(view)


@followup_app.command("status")
def status(
    finding: Annotated[
        int, typer.Argument(metavar="FINDING", help="The finding's id.", callback=record_id)
    ],
    new_status: Annotated[
        str,
        typer.Argument(
            metavar="STATUS",
            help="open, in_progress, reported_complete, closed, closed_not_implemented or "
            "superseded.",
        ),
    ],
    date: Annotated[str, typer.Option(help="The date of the status, YYYY-MM-DD.")],
    source: Annotated[
        str,
        typer.Option(
            help="What it rests on: inspection, letter, pcc_response, register or person."
        ),
    ] = "person",
    note: Annotated[str | None, typer.Option(help="A note.")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Append a status event to a finding's history (the history is never rewritten)."""
    day = _date(date, "--date")
    with workspace(db) as ws:
        view = ws.record_status(finding, new_status, day, source, note, cli_actor())
    if as_json:
        print_json(view)
        return
    _print_history(view)


@followup_app.command("history")
def history(
    finding: Annotated[
        int, typer.Argument(metavar="FINDING", help="The finding's id.", callback=record_id)
    ],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """A finding's status history, current status, due date and links."""
    with workspace(db) as ws:
        view = ws.finding_history(finding)
    if as_json:
        print_json(view)
        return
    _print_history(view)


def _print_history(view: FindingHistoryView) -> None:
    console = out()
    ref = view.finding
    console.print(
        f"finding {ref.id} of inspection {ref.inspection} ({ref.force}, {ref.framework}), "
        f"{ref.kind.replace('_', ' ')}: {_short(ref.text)}",
        markup=False,
    )
    since = f" since {view.status_date.isoformat()}" if view.status_date else ""
    due = f"; due {view.due.isoformat()}" if view.due else ""
    console.print(
        f"  status: {view.status}{since}{due}{' (overdue)' if view.overdue else ''}",
        markup=False,
    )
    made = view.made.isoformat() if view.made else "not known"
    console.print(f"  made: {made} ({view.made_rule})", markup=False)
    if view.claimed:
        console.print(f"  claimed: {view.claimed.status} on {view.claimed.date}", markup=False)
    if view.verified:
        console.print(f"  verified: {view.verified.status} on {view.verified.date}", markup=False)
    for event in view.history:
        word = event.status or "comment"
        origin = " (from a confirmed link)" if event.derived else ""
        note = f": {_short(event.note, 100)}" if event.note else ""
        console.print(f"  {event.date}  {word}  [{event.source}]{origin}{note}", markup=False)
    for link in view.links:
        console.print(
            f"  link {link.id}: {link.relation} ({link.status}) finding {link.earlier.finding} "
            f"-> finding {link.later.finding}",
            markup=False,
        )


@followup_app.command("responses")
def responses(
    overdue: Annotated[
        bool,
        typer.Option(
            "--overdue", help="Only inspections whose response is missing (none, due date past)."
        ),
    ] = False,
    force: ForceFilter = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """PCC responses (Police Act 1996, section 55): for every published inspection, the due
    date (publication + 56 days), the response date when known, whether it came late, and
    whether it is missing (none recorded and the due date passed)."""
    with workspace(db) as ws:
        rows = ws.followup_responses(overdue=overdue, force=force)
    if as_json:
        print_json(rows)
        return
    if not rows:
        out().print("no published inspections match")
        return
    shown = table(
        "force", "inspection", "framework", "published", "due", "responded", "late", "missing"
    )
    undated = 0
    for row in rows:
        undated += row.due is None
        shown.add_row(
            row.force,
            str(row.inspection),
            row.framework,
            or_dash(row.published.isoformat() if row.published else None),
            or_dash(row.due.isoformat() if row.due else None),
            or_dash(row.responded.isoformat() if row.responded else None),
            {True: "yes", False: "no", None: "-"}[row.late],
            {True: "yes", False: "no", None: "-"}[row.missing],
        )
    out().print(shown)
    if undated:
        out().print(
            f"{undated} without a due date: the record holds no publication date of their "
            "report (--json gives each row's due_rule)",
            markup=False,
        )


@followup_app.command("response")
def response(
    inspection: Annotated[
        int, typer.Argument(metavar="INSPECTION", help="The inspection's id.", callback=record_id)
    ],
    date: Annotated[str, typer.Option(help="The date the response was sent, YYYY-MM-DD.")],
    address: Annotated[str | None, typer.Option(help="Where it was published or sent.")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record a PCC's section 55 response to an inspection."""
    day = _date(date, "--date")
    with workspace(db) as ws:
        row = ws.record_response(inspection, day, address=address, actor=cli_actor())
    if as_json:
        print_json(row)
        return
    late = {True: "late", False: "on time", None: "no due date"}[row.late]
    out().print(
        f"inspection {row.inspection}: responded {row.responded}, due {row.due or '-'} ({late})",
        markup=False,
    )


@followup_app.command("monitoring")
def monitoring(
    force: ForceFilter = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Monitoring episodes (scan, engage) with their dates and the causes of concern behind
    them, as HMICFRS's letters state them."""
    with workspace(db) as ws:
        episodes = ws.followup_monitoring(force=force)
    if as_json:
        print_json(episodes)
        return
    if not episodes:
        out().print("no monitoring stages recorded (import HMICFRS's letters)")
        return
    shown = table("force", "stage", "from", "until", "reasons")
    for episode in episodes:
        shown.add_row(
            episode.force,
            episode.stage,
            episode.entered.isoformat(),
            episode.exited.isoformat() if episode.exited else "now",
            "; ".join(_short(r.text, 50) for r in episode.reasons) or "-",
        )
    out().print(shown)


@followup_app.command("detect")
def detect(
    force: ForceFilter = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Look for links between findings again (imports and entries do this by themselves)."""
    with workspace(db) as ws:
        added = ws.detect_links(force=force, actor=cli_actor())
    if as_json:
        print_json(added)
        return
    out().print(f"{len(added)} new links")
    for link in added:
        _print_link(link)
