"""Migrations: the baseline and the function files build the schema once, however many migrators
run; the function files are applied again only when they change, and applying them again changes
nothing; a database built by the 27 migrations the baseline replaced upgrades, with `python -m
registry migrate`, to exactly the schema of a fresh one, its data intact."""

from __future__ import annotations

import asyncio
import difflib
import os
import subprocess
import sys
from pathlib import Path

import asyncpg
import pgserver
import pytest

from registry.db import queries, with_database
from registry.migrations import function_files, migrate, migration_files
from tests import ROOT as PROJECT_ROOT

LEGACY_MIGRATIONS = Path(__file__).resolve().parent / "legacy_migrations"
PG_DUMP = Path(pgserver.__file__).resolve().parent / "pginstall" / "bin" / "pg_dump"
CREATE_LEGACY = "CREATE DATABASE registry_legacy"
DROP_LEGACY = "DROP DATABASE IF EXISTS registry_legacy WITH (FORCE)"
# what the old chain's migrate() recorded, as it created it
LEGACY_BOOKKEEPING = """CREATE TABLE schema_migration (
    version integer PRIMARY KEY, name text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now())"""
RECORD_LEGACY = "INSERT INTO schema_migration (version, name) VALUES ($1, $2)"
# fixed table names, no input: the records curators and the seed loader write (the derived tables
# are rebuilt)
COUNTS = {
    table: "SELECT count(*) FROM " + table
    for table in (
        "source",
        "country",
        "municipality",
        "adoption",
        "event",
        "award",
        "model",
        "edition",
    )
}
EVENTS = (
    "SELECT id, adoption_id, type, date_from, date_to, date_precision, valid_until"
    " FROM event ORDER BY id"
)
FUNCTION_COUNT = "SELECT count(*) FROM pg_proc WHERE pronamespace = 'public'::regnamespace"


async def _build_legacy_chain(conn: asyncpg.Connection, upto: int) -> None:
    """Apply the frozen old migrations 1..upto and record them as the old migrate() did."""
    await conn.execute(LEGACY_BOOKKEEPING)
    for version, name, path in migration_files(LEGACY_MIGRATIONS):
        if version <= upto:
            await conn.execute(path.read_text(encoding="utf-8"))
            await conn.execute(RECORD_LEGACY, version, name)


async def _schema(url: str) -> list[str]:
    """The database's schema as pg_dump writes it (objects in a fixed order), without the header
    naming versions."""
    conn = await asyncpg.connect(url)
    try:
        server_major = await conn.fetchval(
            "SELECT current_setting('server_version_num')::int / 10000"
        )
    finally:
        await conn.close()
    # pgserver's pg_dump is 16's and cannot read a newer server (TEST_DATABASE_URL)
    if server_major > 16:
        pytest.skip(f"pg_dump 16 cannot dump a PostgreSQL {server_major} server")
    dump = await asyncio.to_thread(
        subprocess.run,
        [str(PG_DUMP), "--schema-only", "--no-owner", "--no-privileges", f"--dbname={url}"],
        capture_output=True,
        text=True,
        check=True,
    )
    return [line for line in dump.stdout.splitlines() if not line.startswith("-- Dumped")]


def _differences(a: list[str], b: list[str], names: tuple[str, str]) -> str:
    return "\n".join(difflib.unified_diff(a, b, *names, lineterm="", n=2))


async def _snapshot(conn: asyncpg.Connection) -> dict:
    return {
        "counts": {t: await conn.fetchval(sql) for t, sql in COUNTS.items()},
        "events": [tuple(r) for r in await conn.fetch(EVENTS)],
    }


@pytest.fixture(scope="module")
async def upgraded(server_url: str) -> dict:
    """A database of the old chain with some records in it, snapshotted, then upgraded with the
    documented command; its URL and the snapshot before the upgrade."""
    admin = await asyncpg.connect(server_url)
    await admin.execute(DROP_LEGACY)
    await admin.execute(CREATE_LEGACY)
    await admin.close()
    url = with_database(server_url, "registry_legacy")
    conn = await asyncpg.connect(url)
    try:
        await _build_legacy_chain(conn, 27)
        await conn.execute(
            (Path(__file__).resolve().parent / "legacy_data.sql").read_text(encoding="utf-8")
        )
        before = await _snapshot(conn)
        legacy_functions = await conn.fetchval(FUNCTION_COUNT)
    finally:
        await conn.close()
    command = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "registry", "migrate"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "DATABASE_URL": url},
    )
    assert command.returncode == 0, command.stderr[-3000:]
    return {
        "url": url,
        "before": before,
        "legacy_functions": legacy_functions,
        "log": command.stderr,
    }


async def test_migrations_replay_on_an_empty_database(empty_url):
    conn = await asyncpg.connect(empty_url)
    try:
        applied = await migrate(conn)
        assert applied == [v for v, _, _ in migration_files()]
        assert await migrate(conn) == []
        recorded = await conn.fetch("SELECT version, name FROM schema_migration ORDER BY version")
        assert [(r["version"], r["name"]) for r in recorded] == [
            (v, n) for v, n, _ in migration_files()
        ]
        assert await conn.fetchval(queries.applied_functions_digest) == function_files()[1]
        assert (
            await conn.fetchval("SELECT to_regprocedure('peers_knn(text, text, integer)')")
            is not None
        )
        assert (
            await conn.fetchval("SELECT count(*) FROM pg_extension WHERE extname <> 'plpgsql'") == 0
        )
    finally:
        await conn.close()


async def test_concurrent_migrators_apply_each_migration_once(empty_url):
    conns = [await asyncpg.connect(empty_url) for _ in range(3)]
    try:
        results = await asyncio.gather(*(migrate(c) for c in conns))
        assert sorted(v for r in results for v in r) == [v for v, _, _ in migration_files()]
    finally:
        for c in conns:
            await c.close()


async def test_function_files_are_applied_again_only_when_they_changed(empty_url):
    conn = await asyncpg.connect(empty_url)
    try:
        await migrate(conn)
        await conn.execute("DROP FUNCTION is_holding(text)")
        # the files are the ones recorded: not applied, the function stays dropped
        await migrate(conn)
        assert await conn.fetchval("SELECT to_regprocedure('is_holding(text)')") is None
        await conn.execute(queries.record_functions_digest, "an older set of files")
        await migrate(conn)
        assert await conn.fetchval("SELECT to_regprocedure('is_holding(text)')") is not None
        assert await conn.fetchval(queries.applied_functions_digest) == function_files()[1]
    finally:
        await conn.close()


async def test_applying_the_function_files_again_changes_nothing(empty_url):
    conn = await asyncpg.connect(empty_url)
    try:
        await migrate(conn)
        first = await _schema(empty_url)
        await conn.execute(queries.record_functions_digest, "an older set of files")
        await migrate(conn)
        again = await _schema(empty_url)
    finally:
        await conn.close()
    assert first == again, _differences(first, again, ("applied once", "applied twice"))


async def test_an_old_chain_database_upgrades_to_the_schema_of_a_fresh_one(upgraded, empty_url):
    conn = await asyncpg.connect(empty_url)
    try:
        await migrate(conn)
    finally:
        await conn.close()
    fresh, old = await _schema(empty_url), await _schema(upgraded["url"])
    assert len(fresh) > 1000 and any(
        line.startswith("CREATE FUNCTION public.peers_knn(") for line in fresh
    )
    assert fresh == old, _differences(fresh, old, ("fresh", "upgraded"))
    conn = await asyncpg.connect(upgraded["url"])
    try:
        recorded = await conn.fetch("SELECT version, name FROM schema_migration ORDER BY version")
        assert [(r["version"], r["name"]) for r in recorded] == [(27, "baseline")] + [
            (v, n) for v, n, _ in migration_files() if v > 27
        ]
        # the oracle and the SQL status and display functions are gone: only the function files'
        # remain
        assert await conn.fetchval(FUNCTION_COUNT) < upgraded["legacy_functions"]
        assert await migrate(conn) == []  # and stays upgraded
    finally:
        await conn.close()
    assert (
        "recorded the baseline 0027_baseline for a database of migrations 1-27" in upgraded["log"]
    )


async def test_data_survives_the_upgrade(upgraded):
    conn = await asyncpg.connect(upgraded["url"])
    try:
        after = await _snapshot(conn)
    finally:
        await conn.close()
    before = upgraded["before"]
    assert before["counts"]["event"] == 4 and before["counts"]["model"] == 3
    assert after == before


async def test_a_database_part_way_through_the_old_chain_is_refused(empty_url):
    conn = await asyncpg.connect(empty_url)
    try:
        await _build_legacy_chain(conn, 20)
        with pytest.raises(RuntimeError, match="only a database with all of 1-27 can be upgraded"):
            await migrate(conn)
        recorded = await conn.fetch("SELECT version FROM schema_migration ORDER BY version")
        assert [r["version"] for r in recorded] == list(range(1, 21))  # left as it was
    finally:
        await conn.close()


async def test_seeding_twice_duplicates_nothing(scratch_url):
    from registry.seed import seed_all

    conn = await asyncpg.connect(scratch_url)
    try:
        tables = (
            "municipality",
            "event",
            "award",
            "adoption",
            "programme_member",
            "source",
            "municipality_identifier",
            "body",
            "edition",
        )
        count_sql = {t: "SELECT count(*) FROM " + t for t in tables}  # fixed table names, no input
        before = {t: await conn.fetchval(count_sql[t]) for t in tables}
        await seed_all(conn)
        after = {t: await conn.fetchval(count_sql[t]) for t in tables}
        assert before == after
        # the seed documents' and the sample's (its undated Kraków PNJ laureate is the
        # documents' 2014 award)
        assert before["event"] == 37 + 33 and before["award"] == 4 + 10
    finally:
        await conn.close()
