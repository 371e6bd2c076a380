"""Answers reused until the data changes: one computation for a burst of identical requests, a fresh
one after any write, and errors that reach every waiting request."""

from __future__ import annotations

import asyncio

from registry.cache import VersionedCache
from registry.db import create_pool


async def test_a_burst_of_identical_requests_computes_once_and_a_write_recomputes(scratch_url):
    pool = await create_pool(scratch_url, 1, 10)
    cache = VersionedCache()
    calls = 0

    async def compute() -> int:
        nonlocal calls
        calls += 1
        await asyncio.sleep(0.2)  # a slow answer: the others arrive while it is computed
        return calls

    async def ask() -> int:
        async with pool.acquire() as conn:
            return await cache.get(conn, ("answer",), compute)

    try:
        assert await asyncio.gather(*(ask() for _ in range(8))) == [1] * 8
        assert calls == 1 and await ask() == 1
        async with pool.acquire() as conn:  # any change to the facts bumps the data version
            await conn.execute(
                "UPDATE municipality SET population = population WHERE id = 'si-050'"
            )
        assert await ask() == 2 and calls == 2
    finally:
        await pool.close()


async def test_an_error_reaches_every_waiting_request_and_is_not_cached(scratch_url):
    pool = await create_pool(scratch_url, 1, 10)
    cache = VersionedCache()
    attempts = 0

    async def failing() -> int:
        nonlocal attempts
        attempts += 1
        await asyncio.sleep(0.1)
        raise ValueError("no answer")

    async def ask(compute) -> int:
        async with pool.acquire() as conn:
            return await cache.get(conn, ("broken",), compute)

    try:
        results = await asyncio.gather(*(ask(failing) for _ in range(4)), return_exceptions=True)
        assert all(isinstance(r, ValueError) for r in results) and attempts == 1

        async def works() -> int:
            return 7

        assert await ask(works) == 7
    finally:
        await pool.close()


async def test_the_watch_knows_the_version_without_reading_it_and_follows_other_processes(
    scratch_url,
):
    from registry.cache import VersionWatch

    pool = await create_pool(scratch_url, 1, 2)
    cache, watch = VersionedCache(), VersionWatch(scratch_url)
    await watch.start()
    cache.watch = watch
    try:
        async with pool.acquire() as conn:
            first = await cache.version(conn)  # read once after listening …
            assert watch.known == first
            await conn.execute(
                "UPDATE municipality SET population = population WHERE id = 'si-050'"
            )
        for _ in range(100):  # … then told by the notification of another connection's commit
            if watch.known != first:
                break
            await asyncio.sleep(0.02)
        assert watch.known == first + 1
        async with pool.acquire() as conn:
            assert (
                await cache.version(conn)
                == first + 1
                == await conn.fetchval("SELECT version FROM data_version")
            )
            # a read begun before this process's own write must not set the version after it
            epoch = watch.epoch
            cache.after_write()
            watch.learned(first, epoch)
            assert watch.known is None
            assert await cache.version(conn) == first + 1 and watch.known == first + 1
    finally:
        await watch.stop()
        await pool.close()


async def test_renderings_of_one_answer_share_its_computation(scratch_url):
    pool = await create_pool(scratch_url, 1, 2)
    cache = VersionedCache()
    calls = 0

    async def compute() -> dict:
        nonlocal calls
        calls += 1
        return {"total": 7}

    try:
        async with pool.acquire() as conn:
            latin = await cache.rendered(
                conn, ("answer",), ("sr", "Latn"), compute, lambda v: b"L%d" % v["total"]
            )
            cyrillic = await cache.rendered(
                conn, ("answer",), ("sr", "Cyrl"), compute, lambda v: b"C%d" % v["total"]
            )
            # e.g. the same answer written as CSV
            as_csv = await cache.get(conn, ("answer",), compute)
        assert (latin, cyrillic, as_csv) == (b"L7", b"C7", {"total": 7})
        assert calls == 1
    finally:
        await pool.close()
