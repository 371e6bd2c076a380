"""The one sequence every write follows: lock, check the precondition, write, record the change.

A write reads the record it changes with `SELECT ... FOR UPDATE` (`locked()`), so a concurrent
writer of the same record waits for this transaction to end and then sees the version it left: of
two writers holding the same ETag exactly one succeeds and the other gets 412. Changes to a record
need `If-Match` (428 without it), compared strongly (RFC 9110 13.1.1: a weak tag never matches). The
change feed's `before` is the row as locked, so each change's `before.version` is the previous
change's `after.version`.

`run_write()` runs one write in its own transaction and retries it when PostgreSQL aborts it to
resolve a deadlock or a serialization conflict between concurrent valid writes, which the caller did
not cause.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, TypeVar

import asyncpg
import msgspec

from registry.auth import Principal
from registry.db import queries
from registry.errors import NotFound, PreconditionFailed, PreconditionRequired
from registry.status import store as status

T = TypeVar("T")
S = TypeVar("S", bound=msgspec.Struct)
RETRIED = (asyncpg.DeadlockDetectedError, asyncpg.SerializationError)
ATTEMPTS = 6


def _tags(if_match: str) -> list[str]:
    return [t.strip() for t in if_match.split(",") if t.strip()]


def matches(if_match: str, version: int) -> bool:
    """Whether If-Match names this version: `*`, `"3"`, or a document's `"3.<suffix>"` (a profile's
    ETag)."""
    for tag in _tags(if_match):
        if tag == "*":
            return True
        if tag.startswith("W/") or len(tag) < 2 or not (tag[0] == tag[-1] == '"'):
            continue
        if tag[1:-1].split(".", 1)[0] == str(version):
            return True
    return False


def check_if_match(if_match: str | None, version: int, what: str) -> None:
    """428 without If-Match; 412 when it names another version (or only weak tags)."""
    if if_match is None or not if_match.strip():
        raise PreconditionRequired(
            f"changing {what} needs If-Match with the ETag you last read (it is at version "
            f"{version}): "
            f'send If-Match: "{version}" if that is the version you mean to change'
        )
    if not matches(if_match, version):
        weak = all(t.startswith("W/") for t in _tags(if_match))
        reason = (
            "a weak ETag (W/...) never matches: If-Match compares strongly"
            if weak
            else f"it changed meanwhile: it is at version {version}, not {if_match.strip()}"
        )
        raise PreconditionFailed(f"{what}: {reason}", current_version=version)


async def locked(
    conn: asyncpg.Connection, query: str, key: Any, entity: str, if_match: str | None
) -> asyncpg.Record:
    """The record's row, locked until the transaction ends; 404 if absent (412 if If-Match expected
    one). A key of several parts (a model's edition: (model, code)) is named model/code.

    The caller checks the key's scope, then `check_if_match()` against the row's version.
    """
    parts = key if isinstance(key, tuple) else (key,)
    row = await conn.fetchrow(query, *parts)
    if row is None:
        name = "/".join(str(p) for p in parts)
        if if_match is not None and if_match.strip():
            raise PreconditionFailed(
                f"no {entity} {name!r} exists any more (deleted meanwhile?)", current_version=None
            )
        raise NotFound(entity, name)
    return row


async def record(
    conn: asyncpg.Connection,
    who: Principal,
    action: str,
    entity: str,
    entity_id: str,
    municipality_id: str | None,
    before: Any,
    after: Any,
    import_id: str | None,
) -> int:
    """Append the change to the audit trail, in the write's transaction."""
    return await conn.fetchval(
        queries.record_change,
        who.name,
        action,
        entity,
        entity_id,
        municipality_id,
        import_id,
        before,
        after,
    )


async def statuses_changed(conn: asyncpg.Connection, adoption_ids: Iterable[int]) -> None:
    """Every write that changes an adoption's events or a model's rules (its periods, an edition's
    dates) calls this with the adoptions concerned, in the write's transaction: their status spans
    are derived again (registry/status/store.py)."""
    await status.refresh(conn, adoption_ids)


def merge(current: dict, patch: msgspec.Struct, target: type[S]) -> tuple[S, bool]:
    """The record as `target` after the patch, and whether the patch changes any value."""
    changes = msgspec.to_builtins(
        {
            f: getattr(patch, f)
            for f in patch.__struct_fields__
            if getattr(patch, f) is not msgspec.UNSET
        }
    )
    fields = target.__struct_fields__
    base = msgspec.to_builtins({k: v for k, v in current.items() if k in fields})
    changed = any(base.get(k) != v for k, v in changes.items())
    return msgspec.convert({**base, **changes}, target), changed


async def run_write(pool: Any, write: Callable[..., Awaitable[T]], *args: Any) -> T:
    """`write(conn, *args)` in a transaction of its own, retried when PostgreSQL aborts it to settle
    a deadlock or serialization conflict with a concurrent write (not something the caller did)."""
    for attempt in range(ATTEMPTS):
        try:
            async with pool.acquire() as conn, conn.transaction():
                return await write(conn, *args)
        except RETRIED:
            if attempt == ATTEMPTS - 1:
                raise
            await asyncio.sleep(random.uniform(0.005, 0.02) * 2**attempt)
    raise AssertionError("unreachable")
