"""``peel export-open DIR``: the open-data folder (CSV files, datapackage.json, record.json)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from peelkit.cli.options import DbOption, JsonOption, parse_datetime, workspace
from peelkit.cli.output import out, print_json


def export_open(
    folder: Annotated[
        Path, typer.Argument(metavar="DIR", help="The folder to write (created or replaced).")
    ],
    at: Annotated[
        str | None,
        typer.Option(
            "--at",
            help="Decide what is public at this time, YYYY-MM-DDTHH:MM in UTC (default: now).",
        ),
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Write the open data of the public record (published, out of embargo) to DIR: grades,
    findings, inspections, indicators, most similar groups and forces as CSV, a Frictionless
    datapackage.json and record.json (the peel export format)."""
    from peelkit.opendata import check_folder, write_open_data
    from peelkit.record.visibility import utc_now

    now = utc_now()
    given = parse_datetime(at, "--at")
    if given is not None and given.tzinfo is not None:
        given = given.astimezone(dt.UTC).replace(tzinfo=None)
    public_at = given or now
    check_folder(folder)
    with workspace(db) as ws:
        written = write_open_data(ws.open_data(public_at=public_at), folder, created=now)
    if as_json:
        print_json(written)
        return
    out().print(
        f"wrote {len(written.files)} files of open data ({written.inspections} public "
        f"inspection(s) at {written.public_at}) to {written.folder}",
        highlight=False,
        soft_wrap=True,
    )
