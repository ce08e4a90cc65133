"""Every error, on every route, as one body: ``{"error": {"code", "message", "status",
"location"}}`` for the API (and any request that asks for JSON), an HTML page with the same
message otherwise. Codes and statuses come from the error model (docs/errors.md); nothing
returns a traceback."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from markupsafe import escape
from starlette.exceptions import HTTPException as StarletteHTTPException

from peelkit.errors import HTTP_STATUS, DatabaseError, Location, PeelkitError, Throttled

log = logging.getLogger("peelkit.web")

TITLES = {
    400: "Bad request",
    401: "Sign in needed",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Too large",
    429: "Too many attempts",
    503: "Temporarily unavailable",
}

# What the public is told when the database cannot be used: its URL, host and file stay in
# the server's log (the code says what is wrong; Retry-After when waiting may help).
DATABASE_MESSAGES = {
    "database_unavailable": "the database is not available at the moment; try again shortly",
    "database_locked": "the database is busy; try again shortly",
}
DATABASE_MESSAGE = "the database cannot be used at the moment; the site's operators have been told"


def error_body(code: str, message: str, status: int, location: Any = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "status": status, "location": location}}


def wants_json(request: Request) -> bool:
    path = request.url.path
    accept = request.headers.get("accept", "")
    return path.startswith("/api/") or ("application/json" in accept and "text/html" not in accept)


def error_response(
    request: Request,
    code: str,
    message: str,
    status: int,
    location: Any = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    headers = dict(headers or {})
    if request.url.path.startswith("/api/"):
        headers["Access-Control-Allow-Origin"] = "*"
    if wants_json(request):
        body = error_body(code, message, status, location)
        return JSONResponse(body, status_code=status, headers=headers)
    title = TITLES.get(status, "Error" if status < 500 else "Server error")
    html = (
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">'
        f"<title>{escape(title)} · peelkit</title>"
        '<link rel="stylesheet" href="/static/site.css"></head><body>'
        '<a class="skip-link" href="#main">Skip to content</a>'
        f'<main id="main"><h1>{escape(title)}</h1><p class="error-message">{escape(message)}</p>'
        f'<p class="error-code">Error code: <code>{escape(code)}</code></p>'
        '<p><a href="/">Back to the national picture</a></p></main></body></html>'
    )
    return HTMLResponse(html, status_code=status, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(PeelkitError)
    async def peelkit_error(request: Request, exc: PeelkitError) -> Response:
        body = exc.to_json()
        status = HTTP_STATUS[exc.kind]
        headers = {}
        if isinstance(exc, Throttled | DatabaseError) and exc.retry_after is not None:
            headers["Retry-After"] = str(exc.retry_after)
        if isinstance(exc, DatabaseError) and exc.kind == "unavailable":
            log.error("database fault on %s: %s", request.url.path, exc.message)
            body["message"] = DATABASE_MESSAGES.get(exc.code, DATABASE_MESSAGE)
        if status == 401:
            headers["WWW-Authenticate"] = 'Cookie realm="peelkit", cookie-name="peel_session"'
        return error_response(
            request, body["code"], body["message"], status, body["location"], headers
        )

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        problems = exc.errors()
        first = problems[0] if problems else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("query", "path"))
        message = f"{where}: {first.get('msg', 'invalid value')}" if where else "invalid request"
        location = Location(field=where or None).to_json()
        return error_response(request, "invalid_parameter", message, 400, location)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = str(exc.detail) if exc.detail else TITLES.get(exc.status_code, "error")
        headers = exc.headers or {}
        if exc.status_code == 404:
            if exc.detail == "Not Found":
                message = f"no page or API route at {request.url.path}"
            return error_response(request, "route_not_found", message, 404)
        if exc.status_code == 405:
            allowed = headers.get("Allow") or headers.get("allow")
            message = f"{request.method} is not allowed at {request.url.path}" + (
                f" (allowed: {allowed})" if allowed else ""
            )
            return error_response(request, "method_not_allowed", message, 405, None, headers)
        return error_response(request, "http_error", message, exc.status_code, None, headers)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s", request.url.path)
        return error_response(
            request, "internal_error", "peelkit could not answer this request", 500
        )
