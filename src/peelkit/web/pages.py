"""The pages: server-rendered HTML from the views (templates in web/templates/)."""

from __future__ import annotations

from functools import cache
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

router = APIRouter(include_in_schema=False)


@cache
def templates() -> Environment:
    return Environment(
        loader=PackageLoader("peelkit.web", "templates"),
        autoescape=select_autoescape(["html", "j2"], default=True),
        undefined=StrictUndefined,
    )


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A page: ``template`` (extending base.html.j2) with ``context`` and the request's path."""
    page = templates().get_template(template)
    html = page.render(request_path=request.url.path, **context)
    return HTMLResponse(html, status_code=status)
