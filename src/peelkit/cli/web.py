"""The web app: ``peel serve``."""

from __future__ import annotations

from typing import Annotated

import typer

from peelkit.cli.options import DbOption, settings
from peelkit.errors import UsageError

# More worker processes than this is a mistake (each opens the database and takes memory).
MAX_WORKERS = 64


def _check_address(host: str, port: int) -> None:
    """Refuse now a --host that names no address of this machine, or a port in use, rather
    than after the database is opened (uvicorn would log and exit with 3)."""
    import socket

    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (OSError, UnicodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise UsageError(f"--host {host!r}: not an address to listen on ({reason})") from None
    family, kind, protocol, _, address = found[0]
    with socket.socket(family, kind, protocol) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            raise UsageError(
                f"--host {host} --port {port}: cannot listen there ({exc.strerror or exc})"
            ) from None


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

    if not 0 < port < 65536:
        raise UsageError(f"--port {port}: expected a port number from 1 to 65535")
    if not 1 <= workers <= MAX_WORKERS:
        raise UsageError(f"--workers {workers}: expected 1 to {MAX_WORKERS}")
    _check_address(host, port)

    import uvicorn

    from peelkit.record.database import default_database_url
    from peelkit.web.app import create_app
    from peelkit.workspace import Workspace

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
