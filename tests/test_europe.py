"""`make seed-europe`: every Eurostat LAU unit, national rosters matched rather than duplicated."""

from __future__ import annotations

import asyncpg
from litestar.testing import AsyncTestClient

from registry.app import create_app
from registry.europe import load_europe
from registry.settings import Settings


async def test_europe_load_is_idempotent_and_matches_national_rosters(scratch_url):
    conn = await asyncpg.connect(scratch_url)
    try:
        # units of countries without a national roster that the evidence sample's import took from
        # the LAU table
        sampled = await conn.fetchval(
            "SELECT count(*) FROM municipality WHERE country_code IN ('HR', 'NL')"
        )
        assert sampled == 4  # Opatija, Koprivnica, Heerlen, Rotterdam
        first = await load_europe(conn, progress=False)
        assert first["rows"] == 99_140
        # Slovenia, Poland, North Macedonia and Albania were already there, and the sample's four
        assert first["matched"] == 212 + 2477 + 80 + 61 + sampled
        # Ostrowice
        assert [u["lau_key"] for u in first["unmatched_in_roster_countries"]] == [
            "PL_1002321640304"
        ]
        assert first["added"] == 99_140 - 212 - 2478 - 80 - 61 - sampled
        second = await load_europe(conn, progress=False)
        assert second["added"] == 0
        assert (
            await conn.fetchval("SELECT count(*) FROM municipality WHERE country_code = 'SI'")
            == 212
        )
        pl = (
            "SELECT tier, count(*) FROM municipality WHERE country_code = 'PL'"
            " GROUP BY tier ORDER BY tier"
        )
        # the gminas (2,477 of the roster, Ostrowice's LAU unit, the sample's one), the tiers above
        assert [tuple(r) for r in await conn.fetch(pl)] == [
            ("county", 380),
            ("municipality", 2479),
            ("region", 16),
        ]
    finally:
        await conn.close()

    app = create_app(Settings(database_url=scratch_url, pool_min=1, pool_max=2))
    async with AsyncTestClient(app) as client:
        amsterdam = (await client.get("/v1/municipalities/by/lau/GM0363")).json()
        assert amsterdam["id"] == "nl-gm0363" and amsterdam["name_local"] == "Amsterdam"
        assert amsterdam["degurba"] == 1 and amsterdam["population"] > 800_000
        croatian = (await client.get("/v1/municipalities/by/lau/HR_00019")).json()
        assert croatian["country"] == "HR"
        # names_hr.csv
        assert croatian["name_local"] == "Andrijaševci" and croatian["kind"] == "municipality"
        zagreb = (await client.get("/v1/municipalities/by/lau/HR_01333")).json()
        assert zagreb["name_local"] == "Zagreb" and zagreb["kind"] == "city"
        koper = (await client.get("/v1/municipalities/si-050")).json()
        # national figure kept
        assert koper["population_year"] == 2020 and koper["degurba"] in (1, 2)
        greece = (await client.get("/v1/countries/GR")).json()
        assert greece["municipality_count"] == 6134 and greece["roster_complete"] is False
        assert greece["roster_sources"][0]["id"] == "eurostat-lau-2019"
        r = await client.get("/v1/municipalities", params={"q": "amsterdam"})
        assert r.json()["items"][0]["id"] == "nl-gm0363"
