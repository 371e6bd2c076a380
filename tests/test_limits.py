"""Limits every caller meets: the rate limit per key (however the header spells it) or per address."""

from __future__ import annotations

import asyncpg
from litestar.testing import AsyncTestClient

from registry.app import create_app
from registry.auth import create_key
from registry.settings import Settings

SPELLINGS = ("Bearer {key}", "bearer {key}", "Bearer  {key}", "Bearer\t{key}", "Bearer {key}   ", "BEARER {key}")


async def test_every_spelling_of_one_key_shares_one_rate_limit_bucket(scratch_url):
    conn = await asyncpg.connect(scratch_url)
    key = await create_key(conn, "limited", "reader", [])
    await conn.close()
    app = create_app(Settings(database_url=scratch_url, pool_min=1, pool_max=2, rate_limit_per_minute=5))
    async with AsyncTestClient(app) as client:
        statuses = []
        for n in range(8):
            spelling = SPELLINGS[n % len(SPELLINGS)].format(key=key)
            statuses.append((await client.get("/v1/countries/SI", headers={"Authorization": spelling})).status_code)
        # each spelling authenticates (a refused key would be a 401), and all of them draw on one allowance
        assert statuses == [200] * 5 + [429] * 3
        # callers without a key are counted by address, apart from the key
        assert (await client.get("/v1/countries/SI")).status_code == 200
