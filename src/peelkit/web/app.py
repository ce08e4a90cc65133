"""The ASGI app: ``create_app(workspace)`` wires the pages, the API, static files and the error
handlers over one workspace and one clock.

The clock (``() -> naive UTC datetime``) decides what is public: an inspection shows only when
it is published and its embargo has passed at the clock's time. Tests pass their own clock to
cross an embargo.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from importlib import resources
from typing import Any

from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles

from peelkit import __version__
from peelkit.record.visibility import utc_now
from peelkit.web.errors import install_error_handlers
from peelkit.workspace import Workspace

Clock = Callable[[], dt.datetime]


def create_app(workspace: Workspace, *, clock: Clock | None = None) -> FastAPI:
    """The web app over ``workspace`` (kept open for the app's life; the caller closes it)."""
    from peelkit.web import api, api_followup, api_write, data, followup_pages, pages, staff

    app = FastAPI(
        title="peelkit",
        version=__version__,
        summary="Police inspection results of the 43 forces of England and Wales, with provenance.",
        openapi_url="/api/v1/openapi.json",
        docs_url="/api/v1/docs",
        redoc_url=None,
    )
    app.state.workspace = workspace
    app.state.clock = clock or utc_now
    install_error_handlers(app)
    from peelkit.web.limits import BodyLimit

    app.add_middleware(BodyLimit)
    app.include_router(api_write.router)
    app.include_router(api.router)
    app.include_router(api_followup.router)
    app.include_router(staff.router)
    app.include_router(followup_pages.router)
    app.include_router(pages.router)
    app.include_router(data.router)
    static = resources.files("peelkit.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    return app


def workspace_of(request: Request) -> Workspace:
    ws: Workspace = request.app.state.workspace
    return ws


def now_of(request: Request) -> dt.datetime:
    """The app clock's time: what is public is decided at this time."""
    clock: Clock = request.app.state.clock
    return clock()


def app_from_environment() -> Any:
    """An app for ``uvicorn --factory`` (workers): the database from PEELKIT_DATABASE_URL."""
    return create_app(Workspace())
