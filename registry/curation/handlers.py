"""What a write handler of any area does: run the write in its own transaction
(registry/curation/audit.py), then answer with the record's address and new version."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from litestar import Response
from litestar.datastructures import State

from registry.curation import schemas as c
from registry.curation.audit import run_write
from registry.http import etag

T = TypeVar("T")

COLLECTIONS = {
    "event": "events",
    "award": "awards",
    "source": "sources",
    "body": "bodies",
    "programme": "programmes",
    "municipality": "municipalities",
    "adoption": "adoptions",
    "model": "models",
}


async def write(state: State, function: Callable[..., Awaitable[T]], *args: Any) -> T:
    """One write in its own transaction (retried on a deadlock with a concurrent write); once
    committed, reused answers are checked against the new data version."""
    result = await run_write(state.pool, function, *args)
    state.answers.after_write()
    return result


def location(entity: str, entity_id: str) -> str:
    if entity in ("edition", "level"):
        model, _, code = entity_id.partition("/")
        return f"/v1/models/{model}/{'editions' if entity == 'edition' else 'levels'}/{code}"
    if entity == "programme_member":
        programme_id, _, municipality_id = entity_id.partition("/")
        return f"/v1/programmes/{programme_id}/members/{municipality_id}"
    return f"/v1/{COLLECTIONS[entity]}/{entity_id}"


def written(result: c.Written, status: int = 200) -> Response[c.Written]:
    headers = {"Location": location(result.entity, result.id)}
    if result.version is not None:
        headers["ETag"] = etag(result.version)
    return Response(result, status_code=status, headers=headers)
