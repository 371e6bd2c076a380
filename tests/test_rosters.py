"""Full national rosters: the denominators researchers need, with their provenance."""

from __future__ import annotations

import csv
import json
import re
from collections import Counter

import pytest

from registry.settings import SEEDS_DIR


@pytest.mark.parametrize(
    ("country", "count"),
    [
        ("SI", 212),
        ("PL", 2479),
        ("RS", 145),
        ("AZ", 77),
        ("BA", 143),
        ("ME", 25),
        ("MK", 80),
        ("XK", 38),
        ("AL", 61),
    ],
)
async def test_every_local_government_is_counted(client, country, count):
    body = (await client.get(f"/v1/countries/{country}")).json()
    assert body["municipality_count"] == count
    assert body["roster_complete"] is True and body["roster_as_of"]
    assert body["roster_sources"] and all(
        s["title"] and s["licence"] for s in body["roster_sources"]
    )


async def test_poland_roster_has_its_date_sources_and_gmina_types(client, db):
    body = (await client.get("/v1/countries/PL")).json()
    assert body["municipality_count"] == 2479 and body["roster_as_of"] == "2026-01-01"
    async with db.acquire() as conn:
        kinds = dict(
            await conn.fetch(
                "SELECT kind, count(*) FROM municipality WHERE country_code = 'PL' "
                "AND tier = 'municipality' GROUP BY kind"
            )
        )
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
        ids = {a["municipality"] for a in doc.get("adoptions", [])} | {
            a["municipality"] for a in doc.get("awards", [])
        }
        ids |= {m["municipality"] for p in doc.get("programmes", []) for m in p["members"]}
        for municipality_id in ids:
            r = await client.get(f"/v1/municipalities/{municipality_id}")
            assert r.status_code == 200, municipality_id
            assert (
                any(a["events"] for a in r.json()["adoptions"])
                or r.json()["awards"]
                or r.json()["programmes"]
            )


async def test_serbia_has_28_cities_and_117_municipalities(db):
    async with db.acquire() as conn:
        kinds = dict(
            await conn.fetch(
                "SELECT kind, count(*) FROM municipality WHERE country_code = 'RS' AND counted "
                "GROUP BY kind"
            )
        )
    assert kinds == {"city": 28, "municipality": 117}


async def test_serbian_city_municipalities_are_sub_units_of_their_city(client):
    r = await client.get("/v1/municipalities", params={"country": "RS", "q": "ниш"})
    ids = [m["id"] for m in r.json()["items"]]
    nis = (await client.get(f"/v1/municipalities/{ids[0]}")).json()
    assert nis["name_latin"] == "Niš" and nis["name_local"] == "Ниш" and nis["kind"] == "city"
    assert len(nis["sub_units"]) == 5
    sub = (await client.get(f"/v1/municipalities/{nis['sub_units'][0]}")).json()
    assert (
        sub["parent_id"] == nis["id"]
        and sub["counted"] is False
        and sub["kind"] == "city_municipality"
    )
    # sub-units are listed only on request
    listed = (
        await client.get("/v1/municipalities", params={"country": "RS", "limit": 500})
    ).json()["items"]
    assert len(listed) == 145
    everything = (
        await client.get(
            "/v1/municipalities",
            params={"country": "RS", "limit": 500, "include_sub_units": "true"},
        )
    ).json()["items"]
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


# ---- Western Balkans: BA, ME, MK, XK, AL (scripts/roster_balkans.py)

BALKANS = {"BA": 143, "ME": 25, "MK": 80, "XK": 38, "AL": 61}


def _roster(country: str) -> list[dict[str, str]]:
    with (SEEDS_DIR / "rosters" / f"municipalities_{country.lower()}.csv").open(
        encoding="utf-8"
    ) as fh:
        return list(csv.DictReader(fh))


def test_balkan_rosters_state_their_official_counts_and_sources():
    meta = {
        r["country"]: r
        for r in json.loads((SEEDS_DIR / "rosters" / "rosters.json").read_text(encoding="utf-8"))
    }
    for country, count in BALKANS.items():
        rows = _roster(country)
        assert sum(r["counted"] == "true" for r in rows) == count == meta[country]["unit_count"]
        assert str(count) in meta[country]["official_count"]
        assert meta[country]["sources"] and all(
            s["licence"] and s["address"] for s in meta[country]["sources"]
        )
        assert len({r["id"] for r in rows}) == len(rows)


def test_every_balkan_unit_has_a_region_of_its_country():
    with (SEEDS_DIR / "rosters" / "regions.csv").open(encoding="utf-8") as fh:
        region_country = {r["code"]: r["country"] for r in csv.DictReader(fh)}
    for country in BALKANS:
        for r in _roster(country):
            assert region_country.get(r["region"]) == country, (r["id"], r["region"])
            assert not r["parent_id"] or r["parent_id"].startswith(country.lower() + "-")


CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def test_names_come_in_both_scripts_where_the_country_uses_two():
    for country in ("MK", "ME"):  # Cyrillic name_local, Latin name_latin
        for r in _roster(country):
            assert CYRILLIC.search(r["name_local"]) and not CYRILLIC.search(r["name_latin"]), r[
                "id"
            ]
    for r in _roster("BA"):  # Serbian Cyrillic for Republika Srpska, Latin everywhere
        assert not CYRILLIC.search(r["name_latin"]), r["id"]
        assert bool(CYRILLIC.search(r["name_local"])) == (r["region"] == "BA-SRP"), r["id"]
    for r in _roster("XK"):  # Albanian name, the Serbian name in both scripts among the variants
        variants = r["name_variants"].split("|")
        assert not CYRILLIC.search(r["name_local"]) and any(CYRILLIC.search(v) for v in variants), (
            r["id"]
        )
        assert any(not CYRILLIC.search(v) and v != r["name_local"] for v in variants) or r[
            "name_local"
        ] in ("Junik", "Prizren", "Zubin Potok"), r["id"]


async def test_kosovo_is_a_country_with_its_38_municipalities(client):
    r = await client.get("/v1/countries/XK")
    assert r.status_code == 200
    body = r.json()
    assert body["municipality_count"] == 38 and body["roster_complete"] is True
    listed = (
        await client.get("/v1/municipalities", params={"country": "XK", "q": "prishtin"})
    ).json()["items"]
    assert [m["id"] for m in listed] == ["xk-prishtine"]


async def test_bosnia_lists_143_units_and_its_two_cities_of_municipalities(client):
    r = await client.get("/v1/municipalities", params={"country": "BA", "limit": 500})
    assert r.status_code == 200 and len(r.json()["items"]) == 143
    everything = (
        await client.get(
            "/v1/municipalities",
            params={"country": "BA", "limit": 500, "include_sub_units": "true"},
        )
    ).json()["items"]
    assert len(everything) == 145
    sarajevo = (await client.get("/v1/municipalities/ba-grad-sarajevo")).json()
    assert (
        sarajevo["counted"] is False
        and len(sarajevo["sub_units"]) == 4
        and sarajevo["population"] == 275524
    )
    istocno = (await client.get("/v1/municipalities/ba-grad-istocno-sarajevo")).json()
    assert len(istocno["sub_units"]) == 6 and istocno["name_local"] == "Источно Сарајево"
    banja_luka = (await client.get("/v1/municipalities/ba-banja-luka")).json()
    assert banja_luka["kind"] == "city" and banja_luka["population"] == 185042
    assert banja_luka["population_year"] == 2013 and banja_luka["region"]["code"] == "BA-SRP"


async def test_skopje_is_a_city_over_ten_counted_municipalities(client):
    skopje = (await client.get("/v1/municipalities/mk-grad-skopje")).json()
    assert skopje["counted"] is False and len(skopje["sub_units"]) == 10
    centar = (await client.get("/v1/municipalities/by/iso3166_2/MK-814")).json()
    assert centar["parent_id"] == "mk-grad-skopje" and centar["counted"] is True
    veles = (await client.get("/v1/municipalities/by/lau/MK_MK00101")).json()
    assert (
        veles["id"] == "mk-101"
        and veles["name_local"] == "Велес"
        and veles["name_latin"] == "Veles"
    )


async def test_montenegro_and_albania_figures(client):
    zeta = (await client.get("/v1/municipalities/by/iso3166_2/ME-25")).json()
    assert (
        zeta["name_latin"] == "Zeta"
        and zeta["population"] == 16071
        and zeta["population_year"] == 2023
    )
    tirane = (await client.get("/v1/municipalities/by/lau/AL_AL224")).json()
    assert tirane["id"] == "al-tirane" and tirane["region"]["code"] == "AL-11"


def test_croatian_lau_names_are_proper_case_with_kinds():
    with (SEEDS_DIR / "rosters" / "names_hr.csv").open(encoding="utf-8") as fh:
        rows = {r["lau"]: r for r in csv.DictReader(fh)}
    assert len(rows) == 556
    assert Counter(r["kind"] for r in rows.values()) == {"grad": 128, "opcina": 428}
    assert rows["01333"] == {"lau": "01333", "name_local": "Zagreb", "kind": "grad"}
    assert rows["00019"]["name_local"] == "Andrijaševci" and rows["00019"]["kind"] == "opcina"
    assert not any(r["name_local"].isupper() for r in rows.values())


async def test_polish_powiats_and_voivodeships_are_units_of_their_tiers(client, db):
    async with db.acquire() as conn:
        tiers = {
            (r["tier"], r["kind"]): r["n"]
            for r in await conn.fetch(
                "SELECT tier, kind, count(*) AS n FROM municipality WHERE country_code = 'PL' AND "
                "tier <> 'municipality' "
                "GROUP BY tier, kind"
            )
        }
    assert tiers == {
        ("county", "county"): 314,
        ("county", "city_county"): 66,
        ("region", "regional_government"): 16,
    }
    assert (await client.get("/v1/countries/PL")).json()["other_tiers"] == {
        "county": 380,
        "region": 16,
    }
    # a city with powiat rights: its gmina holds the city's facts, its powiat points to that gmina
    powiat = (await client.get("/v1/municipalities/by/teryt/1261")).json()
    assert (powiat["id"], powiat["tier"], powiat["kind"], powiat["parent_id"]) == (
        "pl-1261",
        "county",
        "city_county",
        "pl-1261011",
    )
    assert powiat["population"] == 802583 and powiat["tier_label"]
    land = (await client.get("/v1/municipalities/pl-2213")).json()
    assert land["name_local"] == "powiat starogardzki" and land["national_code"] == "2213"
    region = (await client.get("/v1/municipalities/by/iso3166_2/PL-22")).json()
    assert (region["id"], region["tier"], region["name_local"]) == (
        "pl-22",
        "region",
        "województwo pomorskie",
    )
    assert "Urząd Marszałkowski Województwa Pomorskiego" in region["name_variants"]


async def test_lists_statistics_and_rankings_count_municipalities_unless_asked_for_another_tier(
    client,
):
    default = (
        await client.get("/v1/municipalities", params={"country": "PL", "q": "starogard"})
    ).json()["items"]
    assert {i["tier"] for i in default} == {"municipality"}
    counties = (
        await client.get(
            "/v1/municipalities", params={"country": "PL", "tier": "county", "limit": 500}
        )
    ).json()
    assert len(counties["items"]) == 380 and counties["next"] is None
    everything = await client.get(
        "/v1/municipalities", params={"country": "PL", "tier": "all", "q": "pomorsk"}
    )
    assert {"municipality", "region"} <= {i["tier"] for i in everything.json()["items"]}
    for tier, denominator in (("municipality", 2479), ("county", 380), ("region", 16)):
        params = {"model": "ISO9001", "country": "PL", "by": "country", "include_empty": "true"}
        stats = (
            await client.get(
                "/v1/stats/adoption",
                params=params | ({"tier": tier} if tier != "municipality" else {}),
            )
        ).json()
        assert (
            stats["groups"][0]["denominator"] == denominator
            and stats["method"]["parameters"]["tier"] == tier
        )
        assert stats["groups"][0]["coverage"] in ("complete", "undated_evidence")
    ranked = (await client.get("/v1/rankings", params={"country": "AZ", "tier": "agency"})).json()
    assert [i["id"] for i in ranked["items"]] == ["az-baku-transport-agency"]
    assert "az-baku-transport-agency" not in [
        i["id"]
        for i in (await client.get("/v1/rankings", params={"country": "AZ", "limit": 500})).json()[
            "items"
        ]
    ]
    assert (await client.get("/v1/municipalities", params={"tier": "powiat"})).status_code == 400


@pytest.mark.parametrize(
    ("lang", "script", "koper_region", "veles_region"),
    [
        ("en", None, "Obalno-kraška", "Vardarski"),
        ("sl", None, "Obalno-kraška", "Vardarski"),
        ("sr", None, "Obalno-kraška", "Вардарски"),
        ("sr-Latn", None, "Obalno-kraška", "Vardarski"),
    ],
)
async def test_slovenian_and_macedonian_statistical_regions_have_their_nuts_names(
    client, lang, script, koper_region, veles_region
):
    params = {"lang": lang} | ({"script": script} if script else {})
    koper = (await client.get("/v1/municipalities/si-050", params=params)).json()
    assert koper["region"]["code"] == "SI044" and koper["region"]["label"] == koper_region
    veles = (await client.get("/v1/municipalities/mk-101", params=params)).json()
    assert veles["region"]["code"] == "MK001" and veles["region"]["label"] == veles_region
    regions = (await client.get("/v1/countries/SI", params=params)).json()["regions"]
    assert len(regions) == 12 and all(r["label"] != r["code"] for r in regions)
    assert {"Pomurska", "Jugovzhodna Slovenija", "Osrednjeslovenska"} <= {
        r["label"] for r in regions
    }


def test_the_region_names_carry_their_source():
    rosters = {
        r["country"]: r
        for r in json.loads((SEEDS_DIR / "rosters" / "rosters.json").read_text("utf-8"))
    }
    for country in ("SI", "MK"):
        assert any(
            "NUTS 2021" in s["title"] and "Nuts2json" in s["address"]
            for s in rosters[country]["sources"]
        )
