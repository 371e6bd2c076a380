"""Migrations: the numbered migration files (tables, types, indexes) and the function files
(functions, views, triggers) re-applied when they change, under an advisory lock."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import asyncpg

from registry.db import queries
from registry.settings import SQL_DIR
from registry.status.store import refresh_missing

log = logging.getLogger(__name__)

MIGRATION_LOCK = 7_246_001  # pg_advisory_lock key held while migrations run
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
    """The function files in the order they are applied, and a digest of their names and
    contents."""
    paths = sorted(directory.glob("*.sql"))
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return paths, digest.hexdigest()


async def migrate(conn: asyncpg.Connection) -> list[int]:
    """Bring the schema up to date under an advisory lock; return the migrations applied.

    Pending numbered migrations (tables, types, indexes) are applied each in its own transaction;
    then the function files (functions, views, triggers: CREATE OR REPLACE, safe to apply again) are
    applied in one transaction, when a migration was applied or their digest differs from the one
    recorded. A database built by the migrations the baseline replaced is first recorded as being at
    the baseline (`_adopt_legacy_chain`).
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
        # a migration may have made the status spans again: derive those that are missing
        if applied_now:
            async with conn.transaction():
                await refresh_missing(conn)
    finally:
        await conn.execute("SELECT pg_advisory_unlock($1)", MIGRATION_LOCK)
    return applied_now


async def _adopt_legacy_chain(
    conn: asyncpg.Connection, baseline: tuple[int, str, Path], done: dict[int, str]
) -> bool:
    """Record the baseline as applied on a database built by the numbered migrations it replaced
    (versions 1 to the baseline's, under their own names), after sql/legacy_upgrade.sql drops what
    they made and the baseline no longer has. True when it did; a database that stopped part way
    through them is refused."""
    version, name, _ = baseline
    if not done or min(done) >= version:
        return False
    if set(done) != set(range(1, version + 1)):
        raise RuntimeError(
            f"this database has migrations {sorted(done)} of the chain the baseline "
            f"{version:04d}_{name} replaced; "
            f"only a database with all of 1-{version} can be upgraded: apply the rest with a "
            f"registry from before "
            "the baseline, then run `python -m registry migrate` again"
        )
    async with conn.transaction():
        await conn.execute(LEGACY_UPGRADE.read_text(encoding="utf-8"))
        await conn.execute(queries.forget_migrations_up_to, version)
        await conn.execute(queries.record_migration, version, name)
    log.info(
        "recorded the baseline %04d_%s for a database of migrations 1-%d", version, name, version
    )
    return True


async def _apply_functions(conn: asyncpg.Connection, *, force: bool) -> None:
    """Apply the function files in one transaction, unless they are the ones last applied (and not
    forced)."""
    paths, digest = function_files()
    if not force and await conn.fetchval(queries.applied_functions_digest) == digest:
        return
    async with conn.transaction():
        for path in paths:
            await conn.execute(path.read_text(encoding="utf-8"))
        await conn.execute(queries.record_functions_digest, digest)
    log.info("applied the function files (%s)", digest[:12])
