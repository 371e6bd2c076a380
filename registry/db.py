"""Database plumbing: the pool, named queries, connection dependencies."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncGenerator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import msgspec

from registry.errors import UNREACHABLE, DatabaseUnavailable
from registry.settings import SQL_DIR

log = logging.getLogger(__name__)

_NAME = re.compile(r"^--\s*name:\s*([a-z_][a-z0-9_]*)\s*$", re.MULTILINE)


class Queries:
    """Named SQL blocks from sql/queries/*.sql (`-- name: get_municipality`), read once on first
    use."""

    def __init__(self, directory: Path = SQL_DIR / "queries") -> None:
        self._directory = directory
        self._sql: dict[str, str] | None = None
        self._files: set[Path] = set()
        self._extra: list[Path] = []

    def _load(self) -> dict[str, str]:
        self._sql, self._files = {}, set()
        for path in [*sorted(self._directory.glob("*.sql")), *self._extra]:
            self._add(path)
        return self._sql

    def _add(self, path: Path) -> None:
        assert self._sql is not None
        path = path.resolve()
        if path in self._files:
            return
        self._files.add(path)
        parts = _NAME.split(path.read_text(encoding="utf-8"))
        for name, body in zip(parts[1::2], parts[2::2], strict=True):
            if name in self._sql:
                raise RuntimeError(f"query {name!r} is defined twice ({path.name})")
            self._sql[name] = body.strip()

    def extend(self, path: Path) -> None:
        """Add the blocks of one more file, once: the tests and the benchmark add their own queries
        this way."""
        self._extra.append(path)
        if self._sql is not None:
            self._add(path)

    def __getattr__(self, name: str) -> str:
        # not a query: an attribute not set yet (or asked for by copy, pickle ...)
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return (self._sql or self._load())[name]
        except KeyError:
            raise AttributeError(f"no query named {name!r} in {self._directory}") from None

    def names(self) -> list[str]:
        return sorted(self._sql or self._load())


queries = Queries()


def with_database(url: str, database: str) -> str:
    """The same server URL pointing at another database."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + database))


async def ensure_registry_database(url: str) -> str:
    """Create the `registry` database on an embedded server unless it exists; return its URL."""
    conn = await asyncpg.connect(url)
    try:
        if not await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = 'registry'"):
            await conn.execute("CREATE DATABASE registry")
    finally:
        await conn.close()
    return with_database(url, "registry")


# ---------------------------------------------------------------- pool


async def init_connection(conn: asyncpg.Connection) -> None:
    await conn.set_type_codec(
        "jsonb",
        schema="pg_catalog",
        encoder=lambda v: msgspec.json.encode(v).decode(),
        decoder=msgspec.json.decode,
        format="text",
    )
    # json's binary form is its text as UTF-8: msgspec reads the bytes as they arrive, without the
    # str asyncpg makes of a text column (a profile of ~11 KB cost the API ~10-35 us less of CPU to
    # receive)
    await conn.set_type_codec(
        "json",
        schema="pg_catalog",
        encoder=msgspec.json.encode,
        decoder=msgspec.json.decode,
        format="binary",
    )


async def _keep_session(conn: asyncpg.Connection) -> None:
    """Released connections keep their session: the registry sets no session state (no SET, LISTEN
    or cursors outside transactions; the migration lock is released explicitly), and asyncpg still
    rolls back a transaction left open. This saves asyncpg's default RESET ALL round trip on every
    request."""


class FairPool:
    """An asyncpg pool that serves waiting requests in the order they came.

    asyncpg hands a released connection to whichever coroutine asks first, so under load a request
    that is already waiting can lose its turn again and again: at 32 concurrent requests on a pool
    of 10, the p99 of a profile was ~6 times its median. A semaphore admits at most `max_size`
    holders, so the pool itself never makes anyone wait, and asyncio's semaphore queues a newcomer
    behind those already waiting (tests/test_pool.py checks the order).
    """

    def __init__(self, pool: asyncpg.Pool, max_size: int) -> None:
        self.pool = pool
        self._turns = asyncio.Semaphore(max_size)

    def acquire(self) -> _Turn:
        return _Turn(self)

    async def expire(self) -> None:
        """Replace every connection when it is next taken or given back (after the server
        restarted)."""
        await self.pool.expire_connections()

    async def close(self) -> None:
        await self.pool.close()


class _Turn:
    """`async with pool.acquire() as conn`: wait for a turn, then take a connection; give both
    back."""

    __slots__ = ("_fair", "_conn")

    def __init__(self, fair: FairPool) -> None:
        self._fair = fair
        self._conn: asyncpg.Connection | None = None

    async def __aenter__(self) -> asyncpg.Connection:
        await self._fair._turns.acquire()
        try:
            self._conn = await self._fair.pool.acquire()
        # refused, no socket, no answer: nothing was done
        except (TimeoutError, OSError) as exc:
            self._fair._turns.release()
            raise DatabaseUnavailable(UNREACHABLE) from exc
        except BaseException:
            self._fair._turns.release()
            raise
        return self._conn

    async def __aexit__(self, *exc: object) -> None:
        try:
            await self._fair.pool.release(self._conn)
        finally:
            self._fair._turns.release()


# seconds for a new connection (a local one takes milliseconds); past it the answer is 503
CONNECT_TIMEOUT = 5.0


async def create_pool(url: str, min_size: int = 2, max_size: int = 10) -> FairPool:
    pool = await asyncpg.create_pool(
        url,
        min_size=min_size,
        max_size=max_size,
        init=init_connection,
        reset=_keep_session,
        timeout=CONNECT_TIMEOUT,
    )
    return FairPool(pool, max_size)


class LazyConnection:
    """A pooled connection taken on first use (`await lazy()`) and given back by `close()`: for a
    request that may need none, such as one answered from the reused answers (registry/cache.py),
    which then neither waits for a connection behind requests that query nor holds one. For one
    request's code, used in turn."""

    __slots__ = ("_pool", "_turn", "_conn")

    def __init__(self, pool: FairPool) -> None:
        self._pool = pool
        self._turn: _Turn | None = None
        self._conn: asyncpg.Connection | None = None

    async def __call__(self) -> asyncpg.Connection:
        if self._conn is None:
            turn = self._pool.acquire()
            self._conn = await turn.__aenter__()
            self._turn = turn
        return self._conn

    async def close(self) -> None:
        turn, self._turn, self._conn = self._turn, None, None
        if turn is not None:
            await turn.__aexit__(None, None, None)


async def connection(pool: FairPool) -> AsyncGenerator[asyncpg.Connection, None]:
    """Dependency: a pooled connection for reads."""
    async with pool.acquire() as conn:
        yield conn


async def transaction(pool: FairPool) -> AsyncGenerator[asyncpg.Connection, None]:
    """Dependency: a connection in a transaction that commits on success and rolls back on any
    error."""
    async with pool.acquire() as conn, conn.transaction():
        yield conn


async def fetch_planned(
    conn: asyncpg.Connection, query: str, *args: object
) -> list[asyncpg.Record]:
    """The rows of `query`, planned for these arguments.

    PostgreSQL plans a prepared statement generically from its sixth call on. For the analyses over
    every unit (rankings, statistics) that plan cannot drop what the parameters rule out (a NULL
    country, the tier) and ran for minutes where the parameters' own plan takes seconds
    (adoption_stats_by_year, ~100k units: 8 s, then over 60 s from the sixth call)."""
    async with conn.transaction():
        await conn.execute(queries.plan_per_call)
        return await conn.fetch(query, *args)
