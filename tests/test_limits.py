"""Limits every caller meets: the rate limit per key (however the header spells it) or per
address."""

from __future__ import annotations

import asyncpg
from litestar.testing import AsyncTestClient

from registry.app import create_app
from registry.auth import create_key
from registry.settings import Settings

SPELLINGS = (
    "Bearer {key}",
    "bearer {key}",
    "Bearer  {key}",
    "Bearer\t{key}",
    "Bearer {key}   ",
    "BEARER {key}",
)


async def test_every_spelling_of_one_key_shares_one_rate_limit_bucket(scratch_url):
    conn = await asyncpg.connect(scratch_url)
    key = await create_key(conn, "limited", "reader", [])
    await conn.close()
    app = create_app(
        Settings(database_url=scratch_url, pool_min=1, pool_max=2, rate_limit_per_minute=5)
    )
    async with AsyncTestClient(app) as client:
        statuses = []
        for n in range(8):
            spelling = SPELLINGS[n % len(SPELLINGS)].format(key=key)
            statuses.append(
                (
                    await client.get("/v1/countries/SI", headers={"Authorization": spelling})
                ).status_code
            )
        # each spelling authenticates (a refused key would be a 401), and all of them draw on one
        # allowance
        assert statuses == [200] * 5 + [429] * 3
        # callers without a key are counted by address, apart from the key
        assert (await client.get("/v1/countries/SI")).status_code == 200


# ---------------------------------------------------------------- header size


def _filler(total: int) -> dict[str, str]:
    """Headers of about `total` bytes on the wire, in several fields."""
    return {f"X-Filler-{n}": "a" * (total // 8 - 16) for n in range(8)}


async def test_headers_over_16_kb_in_total_get_431_on_every_route(client):
    for method, path in [
        ("GET", "/v1/countries/SI"),
        ("GET", "/v1/no-such-route"),
        ("POST", "/v1/events"),
        ("GET", "/health"),
    ]:
        r = await client.request(
            method, path, headers=_filler(17_000) | {"Authorization": "Bearer mqr_wrong"}
        )
        assert r.status_code == 431, (path, r.text)
        assert r.headers["content-type"] == "application/problem+json"
        problem = r.json()
        assert (
            problem["title"] == "Request header fields too large" and "16,384" in problem["detail"]
        )
    # a large but sane request is served
    assert (await client.get("/v1/countries/SI", headers=_filler(15_000))).status_code == 200


async def test_the_served_application_answers_431_whatever_the_size(read_url):
    import asyncio
    import socket

    import httpx
    import uvicorn

    from registry.cli import server_config

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = Settings(
        database_url=read_url, pool_min=1, pool_max=2, host="127.0.0.1", port=port, access_log=False
    )
    server = uvicorn.Server(server_config(create_app(settings), settings))
    serving = asyncio.create_task(server.serve())
    try:
        while not server.started:
            await asyncio.sleep(0.05)
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
            assert (await http.get("/v1/countries/SI")).status_code == 200
            # h11 would refuse the larger one itself, with a plain-text 400
            for size in (17_000, 300_000):
                r = await http.get("/v1/countries/SI", headers=_filler(size))
                assert (
                    r.status_code == 431 and r.headers["content-type"] == "application/problem+json"
                ), size
    finally:
        server.should_exit = True
        await serving
