"""Answers reused until the data changes: entries are keyed by their parameters and stamped with the
data version (migration 0008), which every statement changing facts, rosters or rules increments. A hit
costs one primary-key read; a changed version recomputes. So a cached answer always equals a fresh one.

Requests that miss on the same key and version while the answer is being computed wait for that one
computation instead of starting their own (a burst of identical requests after a write costs one query)."""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, TypeVar

import asyncpg

from registry.db import queries

T = TypeVar("T")


class VersionedCache:
    def __init__(self, size: int = 512) -> None:
        self.size = size
        self.entries: OrderedDict[Hashable, tuple[int, Any]] = OrderedDict()
        self.pending: dict[tuple[Hashable, int], asyncio.Future] = {}
        self.hits = self.misses = 0

    async def get(self, conn: asyncpg.Connection, key: Hashable, compute: Callable[[], Awaitable[T]]) -> T:
        version = await conn.fetchval(queries.data_version)
        entry = self.entries.get(key)
        if entry is not None and entry[0] == version:
            self.entries.move_to_end(key)
            self.hits += 1
            return entry[1]
        running = self.pending.get((key, version))
        if running is not None:  # the same answer is being computed: wait for it
            try:
                value = await asyncio.shield(running)
            except asyncio.CancelledError:
                if not running.cancelled():
                    raise  # this request was cancelled
                return await self.get(conn, key, compute)  # the computing request was: compute here
            self.hits += 1
            return value
        self.misses += 1
        future: asyncio.Future = asyncio.get_running_loop().create_future()
        self.pending[(key, version)] = future
        try:
            value = await compute()
        except asyncio.CancelledError:
            future.cancel()
            raise
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # retrieved: no "never retrieved" warning when nobody was waiting
            raise
        finally:
            del self.pending[(key, version)]
        future.set_result(value)
        self.entries[key] = (version, value)
        self.entries.move_to_end(key)
        while len(self.entries) > self.size:
            self.entries.popitem(last=False)
        return value


    async def rendered(self, conn: asyncpg.Connection, key: Hashable, compute: Callable[[], Awaitable[Any]],
                       render: Callable[[Any], bytes]) -> bytes:
        """The answer as sent (labels in the caller's language, encoded), reused like the answer itself: a
        large answer is decorated and encoded once per data version, not once per request. `key` must
        include what `render` depends on (language, script)."""
        async def compute_rendered() -> bytes:
            return render(await self.get(conn, key, compute))

        return await self.get(conn, ("rendered", key), compute_rendered)


answers = VersionedCache()
