"""HTTP helpers every area shares: the connection and caller dependencies, the caller's key, ETags
and conditional requests (If-None-Match, If-Match)."""

from __future__ import annotations

from typing import Annotated, Any

import asyncpg
import msgspec
from litestar import MediaType, Request, Response
from litestar.di import NamedDependency
from litestar.params import HeaderParameter, PathParameter

from registry.auth import Principal, authenticate
from registry.cache import VersionedCache
from registry.db import LazyConnection
from registry.labelling import labelled

Conn = NamedDependency[asyncpg.Connection]
# a connection taken only if the answer is not reused (registry/cache.py)
LazyConn = NamedDependency[LazyConnection]
# the application's reused answers: rankings, statistics, progress (registry/cache.py)
Answers = NamedDependency[VersionedCache]
# answers sent as they were encoded, reused until the data changes: profiles, list pages and
# comparisons (many small answers, one entry each; registry/cache.py)
Pages = NamedDependency[VersionedCache]
Who = NamedDependency[Principal | None]
IfMatch = Annotated[
    str | None,
    HeaderParameter(
        name="If-Match",
        description='Required: the ETag you last read, e.g. "3" (428 without it, 412 when the '
        "record "
        "changed meanwhile or for a weak W/ tag)",
    ),
]
IfNoneMatch = Annotated[
    str | None, HeaderParameter(name="If-None-Match", description="Answer 304 if unchanged")
]
# JSON-safe integers
RecordId = Annotated[int, PathParameter(ge=1, le=2**53 - 1, description="The record's id")]


def render_json(value: object) -> bytes:
    """An answer labelled in the current language and script, encoded."""
    return msgspec.json.encode(labelled(value))


def encoded_json(body: bytes, headers: dict[str, str] | None = None) -> Response:
    """An answer encoded once and reused (registry/cache.py): sent as it is."""
    return Response(content=body, media_type=MediaType.JSON, headers=headers)


async def authenticate_request(request: Request) -> None:
    """Before the handler and its dependencies: the caller's key, if any (401 for a wrong or revoked
    one).

    Done in a hook, not a dependency, so a refused key never leaves a pooled connection half-used.
    """
    header = request.headers.get("authorization")
    request.state.principal = None
    if header:
        async with request.app.state.pool.acquire() as conn:
            request.state.principal = await authenticate(conn, header)


async def provide_principal(request: Request) -> Principal | None:
    """The caller's key as found by authenticate_request."""
    return request.state.get("principal")


def sees_private(request: Request) -> bool:
    """Whether the caller sent a valid key (checked by authenticate_request), and so sees non-public
    facts.

    Read handlers ask this of the request instead of taking the `principal` dependency: litestar
    resolves two dependencies of one handler concurrently in an anyio task group, ~8 % of a profile
    request's CPU."""
    return request.state.get("principal") is not None


def etag(version: int, suffix: str = "") -> str:
    return f'"{version}{"." + suffix if suffix else ""}"'


def not_modified(if_none_match: str | None, tag: str) -> bool:
    if not if_none_match:
        return False
    return if_none_match.strip() == "*" or tag in [
        t.strip().removeprefix("W/") for t in if_none_match.split(",")
    ]


def unchanged(headers: dict[str, str]) -> Response:
    """304 Not Modified, with the headers the full answer would have had."""
    return Response(None, status_code=304, headers=headers)


def record_response(record: dict[str, Any], if_none_match: str | None) -> Response:
    """A record as stored, with its version as ETag; 304 when the caller has this version."""
    tag = etag(record["version"])
    if not_modified(if_none_match, tag):
        return unchanged({"ETag": tag})
    return Response(record, headers={"ETag": tag})
