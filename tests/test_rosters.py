"""Full national rosters: the denominators researchers need, with their provenance."""

from __future__ import annotations

import csv
import json
import re
from collections import Counter

import pytest

from registry.settings import SEEDS_DIR


@pytest.mark.parametrize(("country", "count"), [("SI", 212), ("PL", 2479), ("RS", 145), ("AZ", 77)])
async def test_every_local_government_is_counted(client, country, count):
    body = (await client.get(f"/v1/countries/{country}")).json()
    assert body["municipality_count"] == count
    assert body["roster_complete"] is True and body["roster_as_of"]
    assert body["roster_sources"] and all(s["title"] and s["licence"] for s in body["roster_sources"])


async def test_poland_roster_has_its_date_sources_and_gmina_types(client, db):
    body = (await client.get("/v1/countries/PL")).json()
    assert body["municipality_count"] == 2479 and body["roster_as_of"] == "2026-01-01"
    async with db.acquire() as conn:
        kinds = dict(await conn.fetch("SELECT kind, count(*) FROM municipality WHERE country_code = 'PL' GROUP BY kind"))
    assert kinds == {"gmina_urban": 302, "gmina_urban_rural": 724, "gmina_rural": 1453}
    # the two gminas created in 2025 exist, without a population
    for teryt in ("1207132", "2002162"):
        m = (await client.get(f"/v1/municipalities/by/teryt/{teryt}")).json()
        assert m["population"] is None and m["country"] == "PL"
    krakow = (await client.get("/v1/municipalities/pl-1261011")).json()
    assert krakow["population"] == 802583 and krakow["population_year"] == 2021
    assert krakow["area_km2"] == pytest.approx(326.85) and krakow["region"]["code"] == "PL-12"


def test_roster_files_have_unique_well_formed_ids():
    ids: Counter[str] = Counter()
    for path in SEEDS_DIR.glob("rosters/municipalities_*.csv"):
        with path.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                assert re.fullmatch(r"[a-z]{2}-[a-z0-9][a-z0-9-]*", row["id"]), row["id"]
                assert row["id"].startswith(row["country"].lower() + "-")
                ids[row["id"]] += 1
    assert ids and max(ids.values()) == 1


async def test_every_seed_fact_still_resolves_to_its_municipality(client):
    for path in SEEDS_DIR.glob("facts/*.json"):
        doc = json.loads(path.read_text(encoding="utf-8"))
        ids = {a["municipality"] for a in doc.get("adoptions", [])} | {a["municipality"] for a in doc.get("awards", [])}
        ids |= {m["municipality"] for p in doc.get("programmes", []) for m in p["members"]}
        for municipality_id in ids:
            r = await client.get(f"/v1/municipalities/{municipality_id}")
            assert r.status_code == 200, municipality_id
            assert any(a["events"] for a in r.json()["adoptions"]) or r.json()["awards"] or r.json()["programmes"]


async def test_serbia_has_28_cities_and_117_municipalities(db):
    async with db.acquire() as conn:
        kinds = dict(await conn.fetch(
            "SELECT kind, count(*) FROM municipality WHERE country_code = 'RS' AND counted GROUP BY kind"))
    assert kinds == {"city": 28, "municipality": 117}


async def test_serbian_city_municipalities_are_sub_units_of_their_city(client):
    r = await client.get("/v1/municipalities", params={"country": "RS", "q": "ниш"})
    ids = [m["id"] for m in r.json()["items"]]
    nis = (await client.get(f"/v1/municipalities/{ids[0]}")).json()
    assert nis["name_latin"] == "Niš" and nis["name_local"] == "Ниш" and nis["kind"] == "city"
    assert len(nis["sub_units"]) == 5
    sub = (await client.get(f"/v1/municipalities/{nis['sub_units'][0]}")).json()
    assert sub["parent_id"] == nis["id"] and sub["counted"] is False and sub["kind"] == "city_municipality"
    # sub-units are listed only on request
    listed = (await client.get("/v1/municipalities", params={"country": "RS", "limit": 500})).json()["items"]
    assert len(listed) == 145
    everything = (await client.get("/v1/municipalities", params={"country": "RS", "limit": 500,
                                                                 "include_sub_units": "true"})).json()["items"]
    assert len(everything) == 145 + 30
    belgrade = (await client.get("/v1/municipalities/by/iso3166_2/RS-00")).json()
    assert len(belgrade["sub_units"]) == 17


async def test_crosswalk_covers_iso_national_and_lau_codes(client):
    koper = (await client.get("/v1/municipalities/by/lau/SI_050")).json()
    assert koper["id"] == "si-050"
    assert {"scheme": "iso3166_2", "value": "SI-050"} in koper["identifiers"]
    assert "Capodistria" in " ".join(koper["name_variants"])
    krakow = (await client.get("/v1/municipalities/by/lau/PL_1001121216101")).json()
    assert krakow["id"] == "pl-1261011"
    bor = (await client.get("/v1/municipalities/by/rzs/70327")).json()
    assert bor["id"] == "rs-70327" and bor["kind"] == "city"
    goygol = (await client.get("/v1/municipalities/by/iso3166_2/AZ-GYG")).json()
    assert goygol["name_local"] == "Göygöl" and goygol["kind"] == "rayon"
