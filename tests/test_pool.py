"""Requests waiting for a database connection are served in the order they came."""

from __future__ import annotations

import asyncio

from registry.db import create_pool


async def _order_of_turns(pool) -> list[str]:
    order: list[str] = []

    async def first() -> None:
        async with pool.acquire():
            order.append("first")
            await asyncio.sleep(0.05)
        async with pool.acquire():  # asks again the moment it has given its connection back
            order.append("first again")

    async def waiting(name: str) -> None:
        async with pool.acquire():
            order.append(name)

    holder = asyncio.create_task(first())
    await asyncio.sleep(0.01)
    await asyncio.gather(holder, waiting("second"), waiting("third"))
    return order


async def test_a_waiting_request_is_not_overtaken_by_a_later_one(read_url):
    # asyncpg's own pool lets the releasing coroutine take the connection straight back, ahead of
    # those already waiting: under load some requests lost their turn again and again (a p99 six
    # times the median)
    pool = await create_pool(read_url, 1, 1)
    try:
        assert await _order_of_turns(pool) == ["first", "second", "third", "first again"]
        async with pool.acquire() as conn:
            assert await conn.fetchval("SELECT 1") == 1
    finally:
        await pool.close()


async def test_a_reused_answer_is_served_while_every_connection_is_taken(read_url):
    """Rankings and statistics answered from the reused answers (registry/cache.py) take no
    connection: with every pooled connection held by requests that query, they still answer at
    once."""
    import threading
    import time

    from litestar.testing import AsyncTestClient

    from registry.app import create_app
    from registry.settings import Settings

    app = create_app(Settings(database_url=read_url, pool_min=1, pool_max=2))
    async with AsyncTestClient(app) as client:
        paths = ["/v1/rankings?country=SI", "/v1/stats/adoption?model=CAF&by=country"]
        first = [await client.get(path) for path in paths]  # computed, and kept
        assert [r.status_code for r in first] == [200, 200]
        held = threading.Event()

        # in the app's loop, as two requests querying
        async def hold_every_connection(seconds: float) -> None:
            turns = [app.state.pool.acquire() for _ in range(2)]
            for turn in turns:
                await turn.__aenter__()
            held.set()
            try:
                await asyncio.sleep(seconds)
            finally:
                for turn in turns:
                    await turn.__aexit__(None, None, None)

        holder = client.blocking_portal.start_task_soon(hold_every_connection, 3)
        assert await asyncio.to_thread(held.wait, 10)
        started = time.perf_counter()
        again = [await client.get(path) for path in paths]
        answered = time.perf_counter() - started
        # answered while both connections were held
        assert not holder.done() and answered < 1.5, answered
        assert [r.content for r in again] == [r.content for r in first]
        await asyncio.wrap_future(holder)
        # the connections are back
        assert (await client.get("/v1/municipalities/si-050")).status_code == 200
