"""A long-running server must not grow with the requests it answers: every request once held a copy
of its route handler (a guard's cache keyed by the copy), ~1 KB a request, and the collector's full
passes over those copies paused every request for hundreds of milliseconds."""

from __future__ import annotations

import gc
import tracemalloc

import pytest
from litestar.testing import AsyncTestClient

from registry.app import create_app
from registry.settings import Settings

pytestmark = pytest.mark.asyncio(loop_scope="session")

PATHS = ("/v1/municipalities/si-050", "/v1/rankings?country=PL", "/v1/models")


async def _answer(client, rounds: int) -> None:
    for _ in range(rounds):
        for path in PATHS:
            assert (await client.get(path)).status_code == 200


async def test_answering_the_same_requests_again_keeps_the_memory_it_had(read_url):
    app = create_app(
        Settings(database_url=read_url, pool_min=1, pool_max=2, rate_limit_per_minute=0)
    )
    async with AsyncTestClient(app) as client:
        await _answer(client, 100)  # answers reused, catalogues and plans loaded
        tracemalloc.start()
        try:
            gc.collect()  # the client's own cyclic garbage
            before = tracemalloc.take_snapshot()
            await _answer(client, 500)
            gc.collect()
            after = tracemalloc.take_snapshot()
        finally:
            tracemalloc.stop()
    grown = sum(d.size_diff for d in after.compare_to(before, "filename"))
    # 1,500 requests: the leak held 1.3 MB; without it ~60 KB remain (the allocator's noise)
    assert grown < 400_000, f"{grown:,} bytes kept by 1,500 requests"
