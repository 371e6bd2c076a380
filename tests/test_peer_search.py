"""The indexed peer search (peers_knn: stored features, per-country spread, a window in
ln(population)) gives exactly the answer of the full scan it replaces (peers_knn_scan), and keeps
doing so after writes."""

from __future__ import annotations

import json

import asyncpg

from registry.db import queries
from tests import synthetic

# every $1-th unit of every country ($2: of one country), Serbian city municipalities (not counted:
# the spread takes them in), and units without a population (the indexed search declines, the scan
# answers)
TARGETS = """
SELECT id, country_code FROM (
    SELECT id, country_code, row_number() OVER (PARTITION BY country_code ORDER BY id) AS n,
           counted, population
    FROM municipality WHERE $2::text IS NULL OR country_code = $2) x
WHERE (n - 1) % $1 = 0 OR NOT counted OR population IS NULL
ORDER BY id
"""


def _without_scales(answer: dict) -> tuple[dict, dict]:
    scales = {f: spec.pop("scale") for f, spec in answer["features"].items()}
    return answer, scales


async def _knn(
    conn: asyncpg.Connection, municipality_id: str, country: str | None, k: int
) -> dict | None:
    answer = await conn.fetchval(queries.peers_knn, municipality_id, country, k)
    return None if answer is None else json.loads(answer)


async def _compare(
    conn: asyncpg.Connection, step: int, country: str | None = None
) -> tuple[int, int]:
    compared = declined = 0
    for target in await conn.fetch(TARGETS, step, country):
        for country in (target["country_code"], None):
            for k in (1, 10):
                fast = await _knn(conn, target["id"], country, k)
                scan = json.loads(
                    await conn.fetchval(queries.peers_knn_scan, target["id"], country, k, None)
                )
                if fast is None:
                    assert not scan["features"]["population"]["used"], target["id"]
                    declined += 1
                    continue
                fast, fast_scales = _without_scales(fast)
                scan, scan_scales = _without_scales(scan)
                assert fast == scan, (target["id"], country, k)
                for feature, value in scan_scales.items():  # sums in another order: equal to 1e-9
                    assert (value is None) == (fast_scales[feature] is None)
                    assert value is None or abs(fast_scales[feature] - value) <= 1e-9 * max(
                        1.0, value
                    )
                compared += 1
    return compared, declined


async def test_the_indexed_peer_search_equals_the_full_scan(scratch_url):
    conn = await asyncpg.connect(scratch_url)
    try:
        await synthetic.load(conn)
        compared, declined = await _compare(conn, 12)
        assert compared > 300 and declined > 0
    finally:
        await conn.close()


async def test_the_spread_follows_changes_to_municipalities(scratch_url):
    conn = await asyncpg.connect(scratch_url)
    try:
        before = await _knn(conn, "si-050", "SI", 5)
        await conn.execute(
            "UPDATE municipality SET population = population * 40 WHERE id = 'si-061'"
        )
        after = await _knn(conn, "si-050", "SI", 5)
        assert after["features"]["population"]["scale"] > before["features"]["population"]["scale"]
        await conn.execute(
            "UPDATE municipality SET counted = false WHERE country_code = 'SI' AND id <> 'si-050' "
            "AND id NOT IN ('si-061', 'si-011', 'si-052')"
        )
        assert (await _knn(conn, "si-050", "SI", 5))["candidates"] == 3
        compared, _ = await _compare(conn, 1, "SI")
        assert compared > 200
    finally:
        await conn.close()


async def test_units_lacking_urbanisation_alone_are_counted_in_every_scope(scratch_url):
    """With urbanisation in use, a unit that has population and area but no degree of urbanisation
    is listed as lacking it, and counted, within its country and across every country alike."""
    conn = await asyncpg.connect(scratch_url)
    try:
        await synthetic.load(conn)
        await conn.execute(
            "UPDATE municipality SET degurba = 1 + abs(hashtext(id)) % 3 "
            "WHERE country_code = 'SI' AND id NOT IN ('si-061', 'si-011')"
        )
        lacking = {
            u["id"]: u["missing"] for u in (await _knn(conn, "si-050", "SI", 5))["without_data"]
        }
        assert lacking["si-061"] == lacking["si-011"] == ["urbanisation"]
        across = await _knn(conn, "si-050", None, 5)
        assert across["features"]["urbanisation"]["used"]
        scan = json.loads(await conn.fetchval(queries.peers_knn_scan, "si-050", None, 5, None))
        assert across["without_data_count"] == scan["without_data_count"] > 2
        # every other Slovenian unit, k 1 and 10, both scopes
        compared, _ = await _compare(conn, 2, "SI")
        assert compared > 200
    finally:
        await conn.close()
