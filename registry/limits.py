"""Request headers over MAX_HEADER_BYTES in total get 431 (RFC 6585) before any other work.

uvicorn's httptools parser, which `registry serve` uses, passes headers of any size on to the
application, so this check is the only one: every route, known or not, answers the same problem
document.
"""

from __future__ import annotations

from collections.abc import Iterable

from litestar import Request
from litestar.types import ASGIApp, Receive, Scope, Send

from registry.errors import problem
from registry.i18n import ENGLISH, activate

MAX_HEADER_BYTES = 16 * 1024


def header_bytes(headers: Iterable[tuple[bytes, bytes]]) -> int:
    """The size of the header fields as sent: each `name: value` line with its line end."""
    return sum(len(name) + len(value) + 4 for name, value in headers)


class HeaderLimit:
    """Wraps the whole application (routing, the rate limit, authentication) in the header check."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        size = header_bytes(scope["headers"]) if scope["type"] == "http" else 0
        if size <= MAX_HEADER_BYTES:
            await self.app(scope, receive, send)
            return
        activate(ENGLISH)  # the language is negotiated from headers that are not read
        request: Request = Request(scope, receive, send)
        response = problem(
            431,
            "Request header fields too large",
            f"the request's header fields take {size:,} bytes; this registry accepts at most "
            f"{MAX_HEADER_BYTES:,} bytes of them in total",
            request,
        )
        await response.to_asgi_response(app=None, request=request)(scope, receive, send)
