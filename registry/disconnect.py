"""Long requests stop when their client goes away.

The ASGI server does not cancel a handler whose client closed the connection: an import of 100,000
rows would go on writing for seconds, holding a pooled connection, only to roll back or commit for
nobody. Once the request body is read, the only message the client can still send is
`http.disconnect`, so waiting for it beside the work tells when to cancel: cancelling the coroutine
makes asyncpg cancel the running statement in PostgreSQL, and the transaction rolls back.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable
from typing import TypeVar

from litestar import Request

from registry.errors import ClientGone

T = TypeVar("T")
log = logging.getLogger("registry")


async def _disconnected(request: Request) -> None:
    while (await request.receive())["type"] != "http.disconnect":
        pass  # an empty last chunk of the body: keep waiting


async def cancel_on_disconnect(
    request: Request, work: Awaitable[T], what: str = "the request"
) -> T:
    """The result of `work`, or ClientGone when the client disconnects first (the work is
    cancelled).

    Call it after the request body was read: the body's messages are not kept for the handler."""
    task = asyncio.ensure_future(work)
    gone = asyncio.ensure_future(_disconnected(request))
    try:
        await asyncio.wait((task, gone), return_when=asyncio.FIRST_COMPLETED)
    finally:
        gone.cancel()
        if not task.done():  # the client went away, or this handler itself was cancelled
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task  # rolled back: the connection goes back to the pool clean
    if task.cancelled():
        log.info(
            "%s %s: the client closed the connection; %s was cancelled",
            request.method,
            request.url.path,
            what,
        )
        raise ClientGone(f"the client closed the connection; {what} was cancelled")
    return task.result()
