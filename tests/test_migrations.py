"""Migrations replay on an empty database, are recorded, and run once."""

from __future__ import annotations

import asyncio

import asyncpg

from registry.db import migrate, migration_files


async def test_migrations_replay_on_an_empty_database(empty_url):
    conn = await asyncpg.connect(empty_url)
    try:
        applied = await migrate(conn)
        assert applied == [v for v, _, _ in migration_files()]
        assert await migrate(conn) == []
        recorded = await conn.fetch("SELECT version, name FROM schema_migration ORDER BY version")
        assert [(r["version"], r["name"]) for r in recorded] == [(v, n) for v, n, _ in migration_files()]
        assert await conn.fetchval("SELECT count(*) FROM pg_extension WHERE extname <> 'plpgsql'") == 0
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


async def test_seeding_twice_duplicates_nothing(scratch_url):
    from registry.seed import seed_all

    conn = await asyncpg.connect(scratch_url)
    try:
        tables = ("municipality", "event", "award", "adoption", "programme_member", "source",
                  "municipality_identifier", "body", "edition")
        count_sql = {t: "SELECT count(*) FROM " + t for t in tables}  # fixed table names, no input
        before = {t: await conn.fetchval(count_sql[t]) for t in tables}
        await seed_all(conn)
        after = {t: await conn.fetchval(count_sql[t]) for t in tables}
        assert before == after
        assert before["event"] >= 37 and before["award"] == 4
    finally:
        await conn.close()
