"""The web app: ``peel serve``."""

from __future__ import annotations

from typing import Annotated

import typer

from peelkit.cli.options import DbOption, settings
from peelkit.errors import UsageError


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[
        int, typer.Option(help="Worker processes (each opens the database itself).")
    ] = 1,
    db: DbOption = None,
) -> None:
    """Serve the web app and the JSON API (/api/v1/) on HOST:PORT until Ctrl-C."""
    import os
    import sys

    import uvicorn

    from peelkit.record.database import default_database_url
    from peelkit.web.app import create_app
    from peelkit.workspace import Workspace

    if not 0 < port < 65536:
        raise UsageError(f"--port {port}: expected a port number from 1 to 65535")
    if workers < 1:
        raise UsageError(f"--workers {workers}: expected 1 or more")
    url = db or settings.database_url or default_database_url()
    # Plain lines, not the console's, so that the address is never wrapped.
    sys.stdout.write(
        f"peelkit is serving http://{host}:{port}/ (API: http://{host}:{port}/api/v1/docs)\n"
        "Press Ctrl-C to stop.\n"
    )
    sys.stdout.flush()
    if workers == 1:
        with Workspace(url) as ws:
            ws.initialise()
            uvicorn.run(create_app(ws), host=host, port=port, log_level="warning")
        return
    with Workspace(url) as ws:
        ws.initialise()
    os.environ["PEELKIT_DATABASE_URL"] = url
    uvicorn.run(
        "peelkit.web.app:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
    )
