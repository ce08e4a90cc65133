"""Official statistics and indicators: ``peel data import|sources|problems`` and ``peel
indicators``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from peelkit.cli.accounts import cli_actor
from peelkit.cli.options import (
    DbOption,
    JsonOption,
    deprecated_period,
    settings,
    workspace,
    year_number,
    years_in,
)
from peelkit.cli.output import USER_ERROR, force_names, out, print_error, print_json, table
from peelkit.errors import PeelkitError, UsageError

# How the table names the comparator beside its figure.
COMPARATOR_LABELS = {"england_and_wales": "E&W", "most_similar_group": "MSG", "region": "region"}

data_app = typer.Typer(
    help="Official statistics: import a file, list what is loaded, list validation problems.",
    add_completion=False,
)


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
    from peelkit.views.statistics import StatisticsImportView

    results: list[StatisticsImportView] = []
    failures = 0
    with workspace(db) as ws:
        for path in files:
            try:
                results.append(
                    StatisticsImportView.of(ws.import_statistics(path, actor=cli_actor()))
                )
            except PeelkitError as exc:
                failures += 1
                print_error(exc)
    if as_json:
        print_json(results)
    else:
        for item in results:
            state = (
                "already imported; nothing changed"
                if item.already_imported
                else f"{item.observations} figures, {item.problems} problem(s)"
            )
            out().print(f"{item.file}: {item.publication} ({item.release}): {state}")
    if failures:
        raise typer.Exit(USER_ERROR)


@data_app.command("sources")
def data_sources(db: DbOption = None, as_json: JsonOption = False) -> None:
    """The publications loaded: the embedded dataset's and those imported, with what each
    covers (measures, forces, first and last period) and its provenance."""
    with workspace(db) as ws:
        sources = ws.statistics_sources()
    if as_json:
        print_json(sources)
        return
    for origin, publications in (("embedded", sources.embedded), ("imported", sources.imported)):
        shown = table(
            "publication",
            "release",
            "file",
            "figures",
            "forces",
            "periods",
            title=f"{origin} publications",
        )
        for item in publications:
            shown.add_row(
                item.id,
                item.release,
                item.file,
                str(item.observations),
                str(item.forces),
                f"{item.first_period} to {item.last_period}",
            )
        out().print(shown)


@data_app.command("problems")
def data_problems(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Validation problems found in the statistics, each with its file, sheet, row and column."""
    with workspace(db) as ws:
        problems = ws.statistics_problems()
    if as_json:
        print_json(problems)
        return
    if not problems:
        out().print("no problems recorded")
    for problem in problems:
        out().print(f"{problem.code}: {problem.where}: {problem.message}", markup=False)


# --- indicators ------------------------------------------------------------------------------


def indicators(
    force: Annotated[
        str | None, typer.Argument(metavar="[FORCE]", help="Any name of the force.")
    ] = None,
    month: Annotated[
        str | None,
        typer.Option(
            "--month",
            help="YYYY-MM: the 12 months ending that month (stocks: at its end).",
            callback=years_in,
        ),
    ] = None,
    year: Annotated[
        str | None,
        typer.Option(
            "--year",
            help="A financial year such as 2017/18 (12 months to March).",
            callback=years_in,
        ),
    ] = None,
    indicator: Annotated[
        list[str] | None, typer.Option(help="An indicator id (repeat for more; default all).")
    ] = None,
    all_forces: Annotated[
        bool, typer.Option("--all-forces", help="Every force, ranked (needs --indicator).")
    ] = False,
    comparator: Annotated[
        str,
        typer.Option(
            help="ew (England and Wales), msg (most similar group) or region (the force's ONS "
            "region, pooled as England and Wales is)."
        ),
    ] = "ew",
    population_year: Annotated[
        int | None,
        typer.Option(
            help="Mid-year population estimate to use (default: the period's end year).",
            callback=year_number,
        ),
    ] = None,
    msg_mean: Annotated[
        bool,
        typer.Option("--msg-mean", help="Most similar group as the mean of its forces' rates."),
    ] = False,
    list_indicators: Annotated[
        bool, typer.Option("--list", help="List the indicator catalogue and stop.")
    ] = False,
    period: Annotated[
        str | None,
        typer.Option("--period", hidden=True, help="Deprecated: use --month.", callback=years_in),
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Indicators from official statistics: a force's figures against England and Wales or its
    most similar group, or every force ranked for one indicator (--month YYYY-MM for the 12
    months ending that month, or --year YYYY/YY for a financial year)."""
    from peelkit.domain.periods import Period

    if list_indicators:
        _list_indicators(as_json)
        return
    month = deprecated_period(period, month, "--month YYYY-MM")
    if (month is None) == (year is None):
        raise UsageError("give the period as --month YYYY-MM or --year YYYY/YY")
    chosen = Period.from_month(month) if month else Period.financial_year(year or "")
    if all_forces == (force is not None):
        raise UsageError("give a FORCE, or --all-forces with --indicator")
    if all_forces and not indicator:
        raise UsageError("--all-forces needs --indicator ID")
    asked: dict[str, Any] = {
        "force": force,
        "indicator_ids": indicator,
        "comparator": comparator,
        "population_year": population_year,
        "msg_method": "mean" if msg_mean else "pooled",
    }
    from peelkit.indicators.service import embedded_engine, record_engine
    from peelkit.record.location import missing_sqlite_file
    from peelkit.record.quick_look import adds_nothing_to_statistics
    from peelkit.views.indicators import indicator_rows

    url = db or settings.database_url
    if missing_sqlite_file(url) or adds_nothing_to_statistics(url):
        # No record yet, or one with no imported figure and no group of its own: the embedded
        # dataset and the shipped groups, as the record gives, without making the database or
        # opening it in full (or importing SQLAlchemy).
        engine = embedded_engine()
    else:
        # Only what the statistics need from the record (not the whole workspace).
        from peelkit.record.database import Database, default_database_url

        database = Database(url or default_database_url())
        try:
            with database.transaction() as session:
                engine = record_engine(session)[1]
        finally:
            database.dispose()
    rows = indicator_rows(engine, chosen, **asked)
    if as_json:
        print_json(rows)
        return
    _print_indicators(chosen.label(), rows)


def _print_indicators(title: str, found: Any) -> None:
    # The rows as JSON data: the workspace gives dicts today and views (views.indicators) next.
    from peelkit.views.json import to_json

    rows: list[dict[str, Any]] = to_json(found)
    names = force_names()
    one_force = len({item["force"] for item in rows}) == 1
    if one_force and rows:
        title += f": {names[rows[0]['force']]}"
    notes = any(
        item.get("missing") or item.get("note") or item.get("population_note") for item in rows
    )
    columns = [
        c
        for c in (
            "force",
            "indicator",
            "value",
            "95% interval",
            "comparator",
            "significance",
            "rank",
            "band",
            "note",
        )
        if (c != "force" or not one_force) and (c != "note" or notes)
    ]
    shown = table(*columns, title=title)
    for item in rows:
        compared = (
            f"{item.get('comparator_display') or '-'} "
            f"({COMPARATOR_LABELS.get(str(item.get('comparator')), 'MSG')})"
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
            "95% interval": _interval_cell(item),
            "significance": _significance_cell(item),
            "band": item.get("band") or "-",
            "note": item.get("missing") or item.get("note") or item.get("population_note") or "",
        }
        shown.add_row(*(cells[c] for c in columns))
    out().print(shown)


def _interval_cell(item: dict[str, Any]) -> str:
    """The 95% interval, one decimal place finer than the published figure (or finer still
    until its two limits differ)."""
    from decimal import Decimal

    from peelkit.indicators.catalogue import catalogue
    from peelkit.indicators.rounding import display

    low, high = item.get("ci95_lower"), item.get("ci95_upper")
    if low is None or high is None:
        return "-"
    places = catalogue().get(item["indicator"]).decimals + 1
    shown = [display(Decimal(str(v)), places) for v in (low, high)]
    while shown[0] == shown[1] and places < 4:  # finer until the two limits differ
        places += 1
        shown = [display(Decimal(str(v)), places) for v in (low, high)]
    return f"{shown[0]}\u2013{shown[1]}"


def _significance_cell(item: dict[str, Any]) -> str:
    """The call against the row's comparator at 95%: better / worse / similar, or
    higher / lower for an indicator with no judgement."""
    for call in item.get("significance") or ():
        if call["comparator"] == item.get("comparator") and call["level"] == "95":
            return str(call["judgement"] or call["call"])
    return "-"


def _list_indicators(as_json: bool) -> None:
    from peelkit.indicators.catalogue import catalogue
    from peelkit.views.reference import IndicatorDefinitionView

    items = [IndicatorDefinitionView.of(i) for i in catalogue().indicators.values()]
    if as_json:
        print_json(items)
        return
    shown = table("id", "label", "unit", "better")
    for item in items:
        shown.add_row(item.id, item.label, item.unit, item.better)
    out().print(shown)
