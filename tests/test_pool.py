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
    # asyncpg's own pool lets the releasing coroutine take the connection straight back, ahead of those
    # already waiting: under load some requests lost their turn again and again (a p99 six times the median)
    pool = await create_pool(read_url, 1, 1)
    try:
        assert await _order_of_turns(pool) == ["first", "second", "third", "first again"]
        async with pool.acquire() as conn:
            assert await conn.fetchval("SELECT 1") == 1
    finally:
        await pool.close()
