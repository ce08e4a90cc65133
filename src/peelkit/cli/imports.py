"""Importing published reports: ``peel import PATH...``."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from peelkit.cli.accounts import cli_actor
from peelkit.cli.options import DbOption, JsonOption, QuietOption, quiet, workspace
from peelkit.cli.output import USER_ERROR, err, note, out, print_error, print_json
from peelkit.errors import PeelkitError

if TYPE_CHECKING:
    from peelkit.views.followup import FollowupImportView
    from peelkit.views.imports import ImportResultView, ParsedDocumentView
    from peelkit.views.inspections import DocumentView
    from peelkit.workspace import Workspace


class OutputFormat(StrEnum):
    table = "table"
    json = "json"


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
    again: Annotated[
        bool,
        typer.Option(
            "--again",
            help="Import a copy of an imported report's text (other encoding, line endings, "
            "a PDF of it) as a document of its own. Not for follow-up documents: a letter "
            "already imported is never imported twice (its status events would be twice).",
        ),
    ] = False,
    force_framework: Annotated[
        bool,
        typer.Option(
            "--force-framework",
            help="Read the report as --framework says even where the document reads as another.",
        ),
    ] = False,
    output: Annotated[
        OutputFormat, typer.Option("--format", help="table, or json (the same as --json).")
    ] = OutputFormat.table,
    db: DbOption = None,
    quiet_option: QuietOption = False,
    as_json: JsonOption = False,
) -> None:
    """Import published inspection reports into the record (one transaction per document).

    Detects the framework and the force, extracts judgments, findings, figures and performance
    tables with the lines they came from, and warns about impossible printed values. Importing
    the same file again changes nothing, nor does a copy of its text in other bytes (another
    encoding or line ending, a PDF of it) unless --again is given. A file that fails does not
    stop the others; the summary names the files that failed. With --dry-run nothing is stored.
    """
    from peelkit.views.followup import FollowupImportView
    from peelkit.views.imports import ImportResultView, ParsedDocumentView
    from peelkit.workspace import Workspace

    want_json = as_json or output is OutputFormat.json
    # Progress, on standard error, for a JSON import of several files.
    show = want_json and len(paths) > 1 and not quiet(quiet_option)
    failed: list[str] = []
    results: list[object]
    if dry_run:
        parsed_views: list[object] = []
        for path in paths:
            try:
                if Workspace.is_followup_file(path):
                    letter = Workspace.parse_followup_file(path, force=force)
                    parsed_views.append(letter.to_json())
                    if not want_json:
                        _print_followup(letter.to_json(), None)
                    continue
                parsed = ParsedDocumentView.of(
                    Workspace.parse_report(
                        path, framework=framework, force=force, force_framework=force_framework
                    )
                )
            except PeelkitError as exc:
                failed.append(path.name)
                print_error(exc)
                continue
            parsed_views.append(parsed)
            if not want_json:
                _print_parsed(parsed, None)
        results = parsed_views
    else:
        imported: list[object] = []
        with workspace(db) as ws:
            for path in paths:
                try:
                    if Workspace.is_followup_file(path):
                        outcome = FollowupImportView.of(
                            *ws.import_followup(path, force=force, actor=cli_actor())
                        )
                        imported.append(outcome)
                        if not want_json:
                            earlier = (
                                ws.documents().get(outcome.document)
                                if outcome.already_imported
                                else None
                            )
                            _print_followup(None, outcome, earlier)
                        elif show:
                            err().print(f"imported {path.name}")
                        continue
                    result = ImportResultView.of(
                        *ws.import_report(
                            path,
                            framework=framework,
                            force=force,
                            actor=cli_actor(),
                            again=again,
                            force_framework=force_framework,
                        )
                    )
                    earlier = _earlier_file(ws, result)
                except PeelkitError as exc:
                    failed.append(path.name)
                    print_error(exc)
                    continue
                imported.append(result)
                if not want_json:
                    _print_parsed(result.parsed, result, earlier)
                elif show:
                    err().print(f"imported {path.name}")
        results = imported
    if want_json:
        print_json(results[0] if len(paths) == 1 and results else results)
    if failed and len(paths) > 1:
        summary = (
            f"{len(failed)} of {len(paths)} files failed: {', '.join(failed)}; "
            f"the other {len(paths) - len(failed)} were " + ("parsed" if dry_run else "imported")
        )
        if want_json:
            note(summary)
        else:
            out().print(summary, markup=False, soft_wrap=True)
    if failed:
        raise typer.Exit(USER_ERROR)


def _earlier_file(ws: Workspace, result: ImportResultView) -> DocumentView | None:
    """The stored document an already imported file is a copy of."""
    if not result.already_imported:
        return None
    return ws.documents().get(result.document)


def _print_parsed(
    parsed: ParsedDocumentView,
    outcome: ImportResultView | None,
    earlier: DocumentView | None = None,
) -> None:
    console = out()
    header = parsed.document
    filename = header.source.filename
    if outcome and outcome.already_imported:
        what = f"document {outcome.document}"
        hint = ""
        if earlier is not None:
            what += f" ({earlier.filename})"
            if earlier.sha256 != header.source.sha256:  # the same text in other bytes
                hint = " (--again imports it as a document of its own)"
        console.print(
            f"{filename}: already imported as {what}; nothing changed{hint}",
            markup=False,
            soft_wrap=True,
        )
        return
    verb = "imported" if outcome else "parsed (dry run, nothing stored)"
    console.print(
        f"[bold]{filename}[/bold] {verb}: {header.framework}, {header.force}, "
        f"{header.title or 'untitled'}"
    )
    own = parsed.own_judgments
    others = len(parsed.judgments) - len(own)
    kinds = ", ".join(f"{k} {v}" for k, v in parsed.finding_kinds.items()) or "0"
    console.print(
        f"  judgments {len(own)}"
        + (f" (+{others} for other forces)" if others else "")
        + f"; findings {kinds}"
        + f"; figures {len(parsed.figures)}"
        + f"; performance rows {len(parsed.performance_table)}"
    )
    for warning in parsed.warnings:
        where = f" [{warning.where}]" if warning.where else ""
        console.print(f"  warning: {warning.message}{where}", markup=False)
    for disagreement in outcome.disagreements if outcome else ():
        console.print(f"  warning: {disagreement}", markup=False)
    for missing in parsed.not_found:
        console.print(f"  not found: {missing}", markup=False)


def _print_followup(
    parsed: dict[str, object] | None,
    outcome: FollowupImportView | None,
    earlier: DocumentView | None = None,
) -> None:
    """A follow-up document: what it is and (imported) what it added to the record."""
    console = out()
    if outcome is not None:
        if outcome.already_imported:
            what = f"document {outcome.document}"
            if earlier is not None:
                what += f" ({earlier.filename})"
            console.print(
                f"{outcome.file}: already imported as {what}; nothing changed",
                markup=False,
                soft_wrap=True,
            )
            return
        counts = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in outcome.counts.items())
        console.print(
            f"{outcome.file} imported: {outcome.family.replace('_', ' ')}, "
            f"{outcome.force or 'all forces'}, {outcome.framework or 'framework unknown'}; "
            f"{counts}",
            markup=False,
        )
        for warning in outcome.warnings:
            console.print(f"  warning: {warning}", markup=False)
        for missing in outcome.not_found:
            console.print(f"  not found: {missing}", markup=False)
        return
    assert parsed is not None
    document = parsed["document"]
    assert isinstance(document, dict)
    findings = parsed["findings"]
    statuses = parsed["statuses"]
    stages = parsed["stages"]
    assert isinstance(findings, list) and isinstance(statuses, list) and isinstance(stages, list)
    console.print(
        f"{document['source']['filename']} parsed (dry run, nothing stored): "
        f"{str(parsed['family']).replace('_', ' ')}, {document['force'] or 'all forces'}, "
        f"{document['framework'] or 'framework unknown'}; findings {len(findings)}, statuses "
        f"{len(statuses)}, monitoring stages {len(stages)}",
        markup=False,
    )
