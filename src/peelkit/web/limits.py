"""A request body too large to be a report is refused before it is read: a request whose
``Content-Length`` is beyond the upload cap (plus room for the form around the file) gets 413
with the usual error body, and a body without a length is cut off at the same size."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from peelkit import inspectors
from peelkit.web.errors import error_response

# Room for the multipart form around the file (field names, the CSRF token, boundaries).
FORM_ALLOWANCE = 64 * 1024


def body_limit() -> int:
    return inspectors.MAX_UPLOAD_BYTES + FORM_ALLOWANCE


class BodyLimit:
    """ASGI middleware: refuse a request body beyond :func:`body_limit`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = body_limit()
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > limit:
            await self._refuse(scope, receive, send, int(length), limit)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _TooLarge(received)
            return message

        try:
            await self.app(scope, counted, send)
        except _TooLarge as exc:
            await self._refuse(scope, receive, send, exc.size, limit)

    @staticmethod
    async def _refuse(scope: Scope, receive: Receive, send: Send, size: int, limit: int) -> None:
        request = Request(scope, receive)
        message = (
            f"the request carries {size:,} bytes or more, beyond the {limit:,} an upload may carry"
        )
        response = error_response(request, "upload_too_large", message, 413)
        await response(scope, receive, send)


class _TooLarge(Exception):
    def __init__(self, size: int, *args: Any) -> None:
        super().__init__(size, *args)
        self.size = size
