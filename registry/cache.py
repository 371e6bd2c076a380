"""Answers reused until the data changes: entries are keyed by their parameters and stamped with the
data version (migration 0008), which every statement changing facts, rosters or rules increments. A hit
costs one primary-key read; a changed version recomputes. So a cached answer always equals a fresh one."""

from __future__ import annotations

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
        self.hits = self.misses = 0

    async def get(self, conn: asyncpg.Connection, key: Hashable, compute: Callable[[], Awaitable[T]]) -> T:
        version = await conn.fetchval(queries.data_version)
        entry = self.entries.get(key)
        if entry is not None and entry[0] == version:
            self.entries.move_to_end(key)
            self.hits += 1
            return entry[1]
        self.misses += 1
        value = await compute()
        self.entries[key] = (version, value)
        self.entries.move_to_end(key)
        while len(self.entries) > self.size:
            self.entries.popitem(last=False)
        return value


answers = VersionedCache()
