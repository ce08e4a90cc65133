"""Who is asking, written once for the pages and the API: the session cookie, the CSRF check on
every state-changing request, and the actor handed to the library (which checks the actor's
role against the permission table, in ``peelkit.record.workflow.authorise``).

- The session cookie ``peel_session`` holds only a random session token: HttpOnly,
  SameSite=Lax, Secure when the request came over HTTPS, path ``/``. Signing in always issues a
  new token (the id rotates); signing out revokes it.
- CSRF: a signed-in session has its own CSRF token (``GET /api/v1/session`` returns it). Every
  write carries it, in the ``X-CSRF-Token`` header (API) or the ``csrf_token`` form field
  (pages), compared in constant time. The sign-in form, before any session exists, uses a
  double-submit token: a random cookie ``peel_signin`` that the form repeats. The JSON sign-in
  needs ``Content-Type: application/json``, which a cross-site form cannot send.
"""

from __future__ import annotations

import secrets

from fastapi import Request
from fastapi.responses import Response

from peelkit.errors import Forbidden, NotAuthenticated
from peelkit.record.accounts import IDLE_TIMEOUT, MAX_AGE, csrf_matches
from peelkit.record.audit import Actor
from peelkit.views.workflow import SessionView
from peelkit.web.app import now_of, workspace_of

SESSION_COOKIE = "peel_session"
SIGNIN_COOKIE = "peel_signin"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"


def session_token(request: Request) -> str | None:
    token = request.cookies.get(SESSION_COOKIE)
    return token if token else None


def current_session(request: Request) -> SessionView | None:
    """The signed-in session, or None when there is no cookie or it has ended."""
    if hasattr(request.state, "peel_session"):
        cached: SessionView | None = request.state.peel_session
        return cached
    token = session_token(request)
    found: SessionView | None = None
    if token is not None:
        try:
            found = workspace_of(request).session(token, now_of(request))
        except NotAuthenticated:
            found = None
    request.state.peel_session = found
    return found


def require_session(request: Request) -> SessionView:
    """The signed-in session; 401 when there is none (or it ended: signed out, idle, disabled)."""
    token = session_token(request)
    if token is None:
        raise NotAuthenticated("sign in first", code="not_signed_in")
    return workspace_of(request).session(token, now_of(request))


def actor_for(session: SessionView, via: str) -> Actor:
    return Actor(session.username, session.role, via)


def reading_actor(request: Request, via: str) -> Actor:
    """The signed-in actor for a staff read (no CSRF needed: reads change nothing)."""
    return actor_for(require_session(request), via)


def writing_actor(request: Request, via: str, given_token: str | None = None) -> Actor:
    """The actor of a state-changing request: signed in (401) and carrying the session's CSRF
    token (403), from ``given_token`` (a form field) or the ``X-CSRF-Token`` header."""
    session = require_session(request)
    token = given_token if given_token is not None else request.headers.get(CSRF_HEADER)
    if not csrf_matches(session.csrf_token, token):
        raise Forbidden(
            "this request lacks the CSRF token of your session (reload the page, or send the "
            f"{CSRF_HEADER} header that GET /api/v1/session gives)",
            code="csrf_failed",
        )
    return actor_for(session, via)


def is_https(request: Request) -> bool:
    return request.url.scheme == "https"


def set_session_cookie(response: Response, request: Request, token: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(MAX_AGE.total_seconds()),
        path="/",
        httponly=True,
        samesite="lax",
        secure=is_https(request),
    )


def clear_session_cookie(response: Response, request: Request) -> None:
    response.delete_cookie(
        SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=is_https(request)
    )


def signin_form_token(request: Request) -> str:
    """The double-submit token for the sign-in form: the visitor's cookie, or a new one (which
    :func:`remember_signin_token` sets on the response)."""
    return request.cookies.get(SIGNIN_COOKIE) or secrets.token_urlsafe(24)


def remember_signin_token(response: Response, request: Request, token: str) -> None:
    if request.cookies.get(SIGNIN_COOKIE) == token:
        return
    response.set_cookie(
        SIGNIN_COOKIE,
        token,
        max_age=int(IDLE_TIMEOUT.total_seconds()),
        path="/",
        httponly=True,
        samesite="strict",
        secure=is_https(request),
    )


def check_signin_form(request: Request, given: str | None) -> None:
    expected = request.cookies.get(SIGNIN_COOKIE)
    if not expected or not csrf_matches(expected, given):
        raise Forbidden(
            "the sign-in form has expired or did not come from this site: reload it and try again",
            code="csrf_failed",
        )


def client_address(request: Request) -> str | None:
    return request.client.host if request.client else None
