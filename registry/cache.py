"""Answers reused until the data changes: entries are keyed by their parameters and stamped with the
data version (migration 0008), which every statement changing facts, rosters or rules increments. A
hit costs one primary-key read; a changed version recomputes. So a cached answer always equals a
fresh one.

Requests that miss on the same key and version while the answer is being computed wait for that one
computation instead of starting their own (a burst of identical requests after a write costs one
query).

A server learns the version without a query per request (VersionWatch): it listens on the channel
every bump notifies (migration 0015). Its own writes make it read the version again on the next
request, so a write is visible at once to the server that made it; a write by another process (the
import CLI, a second server) is seen when its notification arrives, milliseconds after its commit.
Without a live listener (none started, or its connection lost until it reconnects) every request
reads the version."""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, TypeVar

import asyncpg

from registry.db import LazyConnection, queries

T = TypeVar("T")
CHANNEL = "registry_data_version"
log = logging.getLogger("registry.cache")


class VersionWatch:
    """The current data version, kept by a dedicated connection listening for bumps."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.known: int | None = None  # None: not known without asking the database
        self.conn: asyncpg.Connection | None = None
        self.task: asyncio.Task | None = None
        self.closing = False
        # invalidations so far: a read begun before one must not set the version after it
        self.epoch = 0

    async def start(self) -> None:
        conn = await asyncpg.connect(self.url)
        conn.add_termination_listener(self._lost)
        await conn.add_listener(CHANNEL, self._notified)
        self.conn = conn
        self.invalidate()  # the next request reads the version: nothing before listening is missed

    def _notified(self, _conn: Any, _pid: int, _channel: str, payload: str) -> None:
        version = int(payload)
        if self.known is not None:
            self.known = max(self.known, version)

    def _lost(self, _conn: Any) -> None:
        self.known, self.conn = None, None
        if not self.closing:
            log.warning(
                "data version listener lost; reading the version per request until it reconnects"
            )
            self.task = asyncio.get_running_loop().create_task(self._reconnect())

    async def _reconnect(self) -> None:
        delay = 0.5
        while not self.closing and self.conn is None:
            await asyncio.sleep(delay)
            try:
                await self.start()
            except Exception as exc:  # noqa: BLE001 - any failure to connect: keep trying while the server is away
                log.warning("data version listener: %s", exc)
                delay = min(delay * 2, 30)

    def invalidate(self) -> None:
        """After a write by this process: read the version again on the next request."""
        self.known = None
        self.epoch += 1

    def learned(self, version: int, epoch: int) -> None:
        """A version read from the database, by a read begun at `epoch` (never moves the version
        back)."""
        if self.conn is not None and epoch == self.epoch:
            self.known = version if self.known is None else max(self.known, version)

    async def stop(self) -> None:
        self.closing = True
        if self.task is not None:
            self.task.cancel()
        if self.conn is not None:
            await self.conn.close()
        self.known = None


class VersionedCache:
    def __init__(self, size: int = 512) -> None:
        self.size = size
        self.entries: OrderedDict[Hashable, tuple[int, Any]] = OrderedDict()
        self.pending: dict[tuple[Hashable, int], asyncio.Future] = {}
        self.hits = self.misses = 0
        self.watch: VersionWatch | None = None

    async def version(self, db: asyncpg.Connection | LazyConnection) -> int:
        """The data version: as the watch knows it, else read (taking a lazy connection only
        then)."""
        if self.watch is not None and self.watch.known is not None:
            return self.watch.known
        epoch = self.watch.epoch if self.watch is not None else 0
        conn = db if isinstance(db, asyncpg.Connection) else await db()
        version = await conn.fetchval(queries.data_version)
        if self.watch is not None:
            self.watch.learned(version, epoch)
        return version

    def after_write(self) -> None:
        """This process committed a write: the next request reads the version."""
        if self.watch is not None:
            self.watch.invalidate()

    async def get(
        self,
        db: asyncpg.Connection | LazyConnection,
        key: Hashable,
        compute: Callable[[], Awaitable[T]],
    ) -> T:
        """The answer under `key` at the current version, computed by `compute` if it is not there.
        With a LazyConnection, an answer that is there and a version the watch knows take no
        connection."""
        version = await self.version(db)
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
                return await self.get(db, key, compute)  # the computing request was: compute here
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

    async def rendered(
        self,
        db: asyncpg.Connection | LazyConnection,
        key: Hashable,
        rendering: Hashable,
        compute: Callable[[], Awaitable[Any]],
        render: Callable[[Any], bytes],
    ) -> bytes:
        """The answer as sent, reused like the answer itself: a large answer is decorated and
        encoded once per data version and `rendering` (what `render` depends on: language, script),
        not once per request. The answer underneath is cached under `key` alone, so renderings and
        other uses of it (CSV) share one computation."""

        async def compute_rendered() -> bytes:
            return render(await self.get(db, key, compute))

        return await self.get(db, ("rendered", key, rendering), compute_rendered)
