"""Database plumbing: the embedded server, the pool, named queries, migrations, connection dependencies."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
from collections.abc import AsyncGenerator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import msgspec

from registry.errors import UNREACHABLE, DatabaseUnavailable
from registry.settings import SQL_DIR, Settings

log = logging.getLogger(__name__)

_NAME = re.compile(r"^--\s*name:\s*([a-z_][a-z0-9_]*)\s*$", re.MULTILINE)
MIGRATION_LOCK = 7_246_001  # pg_advisory_lock key held while migrations run


class Queries:
    """Named SQL blocks from sql/queries/*.sql (`-- name: get_municipality`), read once on first use."""

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
        """Add the blocks of one more file, once: the tests and the benchmark add their own queries this way."""
        self._extra.append(path)
        if self._sql is not None:
            self._add(path)

    def __getattr__(self, name: str) -> str:
        if name.startswith("_"):  # not a query: an attribute not set yet (or asked for by copy, pickle ...)
            raise AttributeError(name)
        try:
            return (self._sql or self._load())[name]
        except KeyError:
            raise AttributeError(f"no query named {name!r} in {self._directory}") from None

    def names(self) -> list[str]:
        return sorted(self._sql or self._load())


queries = Queries()


# ---------------------------------------------------------------- embedded server


@dataclass
class EmbeddedServer:
    """A pgserver-managed PostgreSQL in a data directory; stopped (not deleted) when the last process using it
    ends. Processes that ended without saying so (killed) and a postmaster that died are cleared first
    (registry/supervise.py)."""

    data_dir: Path
    cleanup_mode: str = "stop"
    _server: Any = field(default=None, repr=False)

    def start(self) -> str:
        import pgserver  # imported late: only the embedded mode needs it

        from registry import supervise

        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.data_dir = self.data_dir.resolve()  # as pgserver and the server's processes name it
        supervise.prepare(self.data_dir)
        self._server = pgserver.get_server(self.data_dir, cleanup_mode=self.cleanup_mode)
        return self._server.get_uri()

    @property
    def handle(self) -> Any:
        """pgserver's PostgresServer for this data directory."""
        return self._server

    def stop(self) -> None:
        if self._server is not None:
            from registry import supervise

            supervise.forget_dead_handles(self.data_dir)  # else a killed process keeps the server running
            self._server.cleanup()
            self._server = None


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


def resolve_database(settings: Settings) -> tuple[str, EmbeddedServer | None]:
    """The server URL to use: DATABASE_URL, or a started embedded server."""
    if settings.database_url:
        return settings.database_url, None
    server = EmbeddedServer(settings.data_dir / "pgdata")
    return server.start(), server  # the caller moves to the `registry` database


# ---------------------------------------------------------------- pool


async def init_connection(conn: asyncpg.Connection) -> None:
    await conn.set_type_codec(
        "jsonb", schema="pg_catalog", encoder=lambda v: msgspec.json.encode(v).decode(),
        decoder=msgspec.json.decode, format="text",
    )
    # json's binary form is its text as UTF-8: msgspec reads the bytes as they arrive, without the str asyncpg
    # makes of a text column (a profile of ~11 KB cost the API ~10-35 us less of CPU to receive)
    await conn.set_type_codec(
        "json", schema="pg_catalog", encoder=msgspec.json.encode, decoder=msgspec.json.decode, format="binary",
    )


async def _keep_session(conn: asyncpg.Connection) -> None:
    """Released connections keep their session: the registry sets no session state (no SET, LISTEN or
    cursors outside transactions; the migration lock is released explicitly), and asyncpg still rolls back
    a transaction left open. This saves asyncpg's default RESET ALL round trip on every request."""


class FairPool:
    """An asyncpg pool that serves waiting requests in the order they came.

    asyncpg hands a released connection to whichever coroutine asks first, so under load a request that is
    already waiting can lose its turn again and again: at 32 concurrent requests on a pool of 10, the p99 of a
    profile was ~6 times its median. A semaphore admits at most `max_size` holders, so the pool itself never
    makes anyone wait, and asyncio's semaphore queues a newcomer behind those already waiting
    (tests/test_pool.py checks the order).
    """

    def __init__(self, pool: asyncpg.Pool, max_size: int) -> None:
        self.pool = pool
        self._turns = asyncio.Semaphore(max_size)

    def acquire(self) -> _Turn:
        return _Turn(self)

    async def expire(self) -> None:
        """Replace every connection when it is next taken or given back (after the server restarted)."""
        await self.pool.expire_connections()

    async def close(self) -> None:
        await self.pool.close()


class _Turn:
    """`async with pool.acquire() as conn`: wait for a turn, then take a connection; give both back."""

    __slots__ = ("_fair", "_conn")

    def __init__(self, fair: FairPool) -> None:
        self._fair = fair
        self._conn: asyncpg.Connection | None = None

    async def __aenter__(self) -> asyncpg.Connection:
        await self._fair._turns.acquire()
        try:
            self._conn = await self._fair.pool.acquire()
        except (OSError, asyncio.TimeoutError) as exc:  # refused, no socket, no answer: nothing was done
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


CONNECT_TIMEOUT = 5.0  # seconds for a new connection (a local one takes milliseconds); past it the answer is 503


async def create_pool(url: str, min_size: int = 2, max_size: int = 10) -> FairPool:
    pool = await asyncpg.create_pool(url, min_size=min_size, max_size=max_size, init=init_connection,
                                     reset=_keep_session, timeout=CONNECT_TIMEOUT)
    return FairPool(pool, max_size)


class LazyConnection:
    """A pooled connection taken on first use (`await lazy()`) and given back by `close()`: for a request
    that may need none, such as one answered from the reused answers (registry/cache.py), which then neither
    waits for a connection behind requests that query nor holds one. For one request's code, used in turn."""

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
    """Dependency: a connection in a transaction that commits on success and rolls back on any error."""
    async with pool.acquire() as conn, conn.transaction():
        yield conn


# ---------------------------------------------------------------- migrations


MIGRATIONS_DIR = SQL_DIR / "migrations"
FUNCTIONS_DIR = SQL_DIR / "functions"
LEGACY_UPGRADE = SQL_DIR / "legacy_upgrade.sql"


def migration_files(directory: Path = MIGRATIONS_DIR) -> list[tuple[int, str, Path]]:
    """The numbered migrations, in order: (version, name, path). The first is the baseline."""
    found = []
    for path in sorted(directory.glob("*.sql")):
        number, _, name = path.stem.partition("_")
        found.append((int(number), name, path))
    versions = [v for v, _, _ in found]
    if len(set(versions)) != len(versions):
        raise RuntimeError("two migrations share a number")
    return found


def function_files(directory: Path = FUNCTIONS_DIR) -> tuple[list[Path], str]:
    """The function files in the order they are applied, and a digest of their names and contents."""
    paths = sorted(directory.glob("*.sql"))
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return paths, digest.hexdigest()


async def migrate(conn: asyncpg.Connection) -> list[int]:
    """Bring the schema up to date under an advisory lock; return the migrations applied.

    Pending numbered migrations (tables, types, indexes) are applied each in its own transaction; then the
    function files (functions, views, triggers: CREATE OR REPLACE, safe to apply again) are applied in one
    transaction, when a migration was applied or their digest differs from the one recorded. A database built by
    the migrations the baseline replaced is first recorded as being at the baseline (`_adopt_legacy_chain`).
    """
    applied_now: list[int] = []
    await conn.execute("SELECT pg_advisory_lock($1)", MIGRATION_LOCK)
    try:
        await conn.execute(queries.create_migration_tables)
        migrations = migration_files()
        done = {r["version"]: r["name"] for r in await conn.fetch(queries.applied_migrations)}
        adopted = await _adopt_legacy_chain(conn, migrations[0], done)
        if adopted:
            done = {migrations[0][0]: migrations[0][1]}
        for version, name, path in migrations:
            if version in done:
                continue
            async with conn.transaction():
                await conn.execute(path.read_text(encoding="utf-8"))
                await conn.execute(queries.record_migration, version, name)
            log.info("applied migration %04d_%s", version, name)
            applied_now.append(version)
        await _apply_functions(conn, force=adopted or bool(applied_now))
        if applied_now:  # a migration may have made the status spans again: derive those that are missing
            from registry.status.store import refresh_missing  # late: it reads its queries through this module

            async with conn.transaction():
                await refresh_missing(conn)
    finally:
        await conn.execute("SELECT pg_advisory_unlock($1)", MIGRATION_LOCK)
    return applied_now


async def _adopt_legacy_chain(conn: asyncpg.Connection, baseline: tuple[int, str, Path],
                              done: dict[int, str]) -> bool:
    """Record the baseline as applied on a database built by the numbered migrations it replaced (versions 1 to
    the baseline's, under their own names), after sql/legacy_upgrade.sql drops what they made and the baseline
    no longer has. True when it did; a database that stopped part way through them is refused."""
    version, name, _ = baseline
    if not done or min(done) >= version:
        return False
    if set(done) != set(range(1, version + 1)):
        raise RuntimeError(
            f"this database has migrations {sorted(done)} of the chain the baseline {version:04d}_{name} replaced; "
            f"only a database with all of 1-{version} can be upgraded: apply the rest with a registry from before "
            "the baseline, then run `python -m registry migrate` again")
    async with conn.transaction():
        await conn.execute(LEGACY_UPGRADE.read_text(encoding="utf-8"))
        await conn.execute(queries.forget_migrations_up_to, version)
        await conn.execute(queries.record_migration, version, name)
    log.info("recorded the baseline %04d_%s for a database of migrations 1-%d", version, name, version)
    return True


async def _apply_functions(conn: asyncpg.Connection, *, force: bool) -> None:
    """Apply the function files in one transaction, unless they are the ones last applied (and not forced)."""
    paths, digest = function_files()
    if not force and await conn.fetchval(queries.applied_functions_digest) == digest:
        return
    async with conn.transaction():
        for path in paths:
            await conn.execute(path.read_text(encoding="utf-8"))
        await conn.execute(queries.record_functions_digest, digest)
    log.info("applied the function files (%s)", digest[:12])
