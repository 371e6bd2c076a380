"""Rosters for BA, ME, MK, XK, AL and the Croatian LAU name list, used by build_rosters.py.

Inputs beyond ../shared/data/rosters/ are read from git snapshots of public repositories (the search
tool's `fetch`, default /work/.mirror/<owner>+<name>/repo) at the pinned commits below, never from
the network; facts transcribed from files or pages that could not be fetched are tables in this
module, each with its source. Nothing is invented: a value no input gives is left empty and listed
in SOURCES.md.
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
import unicodedata
import zipfile
from collections import Counter, defaultdict
from pathlib import Path
from xml.etree import ElementTree as ET

import pycountry

# --------------------------------------------------------------------------- upstream snapshots

BIH_VOTING = ("tdballesteros/bih_voting", "668c7af5386d891d52213dc2e92345ba29565306")
GNIJEZDO = ("FrancekDev/gnijezdo", "de187085ea580706eaff43946849fa2917f92ef0")
POPISNA_MAPA = ("vvnikola3/popisna-mapa-cg", "2a36d7a57b6205a350b1ee5808ad210b8728f716")
ASK_WRAPPER = (
    "https://github.com/search?q=%22Kosovo+Agency+of+Statistics+%28ASK%29+API+wrapper%22&type=code"
)


def gh(repo: str, commit: str, path: str) -> str:
    return f"https://github.com/{repo}/blob/{commit}/{path}"


def git_show(mirror: Path, repo: tuple[str, str], path: str) -> bytes:
    name, commit = repo
    gitdir = mirror / name.replace("/", "+") / "repo"
    if not gitdir.is_dir():
        raise FileNotFoundError(f"no snapshot of {name} under {mirror} (fetch github:{name} first)")
    return subprocess.run(
        ["git", "--git-dir", str(gitdir), "show", f"{commit}:{path}"],
        check=True,
        capture_output=True,
    ).stdout


def read_xlsx_first_sheet(data: bytes) -> list[dict[str, str]]:
    """The first sheet of an .xlsx as rows of {column letter: text} (stdlib only)."""
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    z = zipfile.ZipFile(io.BytesIO(data))
    shared = []
    if "xl/sharedStrings.xml" in z.namelist():
        for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", ns):
            shared.append("".join(t.text or "" for t in si.iter(f"{{{ns['m']}}}t")))
    rows = []
    for r in ET.fromstring(z.read("xl/worksheets/sheet1.xml")).iter(f"{{{ns['m']}}}row"):
        out = {}
        for c in r.findall("m:c", ns):
            col = re.match(r"[A-Z]+", c.get("r")).group(0)
            v = c.find("m:v", ns)
            out[col] = "" if v is None else (shared[int(v.text)] if c.get("t") == "s" else v.text)
        rows.append(out)
    return rows


SRC = {
    "bih_census": {
        "title": "Census of Population, Households and Dwellings in Bosnia and Herzegovina 2013, "
        "final results: "
        "population by municipality (Data/bih_census_2013.xlsx)",
        "publisher": "Agencija za statistiku BiH (BHAS, June 2016), tabulated in "
        "tdballesteros/bih_voting",
        "address": gh(*BIH_VOTING, "Data/bih_census_2013.xlsx")
        + "; official: https://www.popis.gov.ba (BHAS, Popis 2013, konačni rezultati)",
        "licence": "Repository states none; BHAS census results are public official statistics "
        "(cite BHAS)",
    },
    "bih_cantons": {
        "title": "Post-war municipalities of Bosnia and Herzegovina with entity and canton "
        "(Formatted Data/data_postwar.csv)",
        "publisher": "tdballesteros/bih_voting (entity/canton from the GADM BiH level-3 "
        "boundaries)",
        "address": gh(*BIH_VOTING, "Formatted Data/data_postwar.csv"),
        "licence": "Repository states none; used for the entity/canton of each unit only",
    },
    "ba_municipalities_page": {
        "title": "Municipalities of Bosnia and Herzegovina (Wikipedia article, mirrored)",
        "publisher": "Wikipedia contributors, via wikimili.com",
        "address": "https://wikimili.com/en/Municipalities_of_Bosnia_and_Herzegovina",
        "licence": "CC BY-SA 4.0 (Wikipedia text)",
    },
    "ba_count_page": {
        "title": "Bosnia and Herzegovina (country page)",
        "publisher": "Council of European Municipalities (CES-CEM)",
        "address": "http://ces-cem.org/bosnia-and-hercegovina/?lang=en",
        "licence": "quoted for the fact only",
    },
    "ba_cantons_codes": {
        "title": "Bosnia and Herzegovina subdivision codes (src/rules/subdivisions/ba.ts, after "
        "geonames.org)",
        "publisher": "cknow/awesome-validator",
        "address": "https://github.com/cknow/awesome-validator/blob/HEAD/"
        "src/rules/subdivisions/ba.ts; "
        "http://www.geonames.org/BA/administrative-division-bosnia-and-herzegovina.html",
        "licence": "quoted for the fact only (canton numbers 01-10 and names)",
    },
    "monstat_2023": {
        "title": "MONSTAT, Census of Population, Households and Dwellings 2023, final results by "
        "municipality "
        "(public/data/me/popis-2023.json); area: MONSTAT Statistical Yearbook 2025, table 1-2",
        "publisher": "Zavod za statistiku Crne Gore (MONSTAT), tabulated in "
        "vvnikola3/popisna-mapa-cg",
        "address": gh(*POPISNA_MAPA, "public/data/me/popis-2023.json")
        + "; official: https://www.monstat.org/cg/page.php?id=273&pageid=48",
        "licence": "Repository states none; MONSTAT census results are public official statistics "
        "(cite MONSTAT)",
    },
    "xk_ask_names": {
        "title": "Kosovo Agency of Statistics (ASK) PX-Web municipality value texts (Albanian), "
        "as listed in a "
        "public ASK API wrapper (class ASK, municipality_map)",
        "publisher": "Agjencia e Statistikave të Kosovës (askdata.rks-gov.net), copied in a "
        "public GitHub repository",
        "address": "http://askdata.rks-gov.net/api/v1/sq/ASKdata; wrapper found via the project's "
        "code search "
        "(file id 23295846937)",
        "licence": "quoted for the names only",
    },
    "xk_wp_names": {
        "title": "Municipalities of Kosovo, list with Serbian / Albanian names (Wikipedia "
        "article, mirrored)",
        "publisher": "Wikipedia contributors, via liquisearch.com and en-academic.com",
        "address": "https://www.liquisearch.com/kosovo_municipalities/list_of_municipalities; "
        "https://en-academic.com/dic.nsf/enwiki/880108",
        "licence": "CC BY-SA (Wikipedia text)",
    },
    "xk_districts": {
        "title": "List of cities for Kosovo by district (i18n/cities/XK.php, 'Source: Districts "
        "of Kosovo, Wikipedia')",
        "publisher": "Condless, cities-shipping-zones-for-woocommerce (copied in 3t4n/wp-cve)",
        "address": "https://github.com/3t4n/wp-cve/blob/HEAD/plugins/"
        "cities-shipping-zones-for-woocommerce/i18n/cities/XK.php; "
        "https://en.wikipedia.org/wiki/Districts_of_Kosovo",
        "licence": "GPL-2.0-or-later (plugin); district membership is a public fact",
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
        "licence": "Repository EUPL-1.1; NUTS data Eurostat, reusable with attribution",
    },
    "mk_regions_page": {
        "title": "Statistical regions of North Macedonia (Wikipedia article, mirrored)",
        "publisher": "Wikipedia contributors, via dl1.en-us.nina.az",
        "address": "https://www.dl1.en-us.nina.az/Statistical_regions_of_North_Macedonia.html",
        "licence": "CC BY-SA 4.0 (Wikipedia text)",
    },
    "hr_list": {
        "title": "Units of local self-government of Croatia by county with type Grad / Općina "
        "(data/regionalneJedinice.tsx)",
        "publisher": "FrancekDev/gnijezdo, in the county order and numbering of the Zakon o "
        "područjima županija, "
        "gradova i općina u Republici Hrvatskoj",
        "address": gh(*GNIJEZDO, "data/regionalneJedinice.tsx"),
        "licence": "Repository states none; the list of gradovi and općine is public law (Narodne "
        "novine)",
    },
}


def source(key: str, note: str) -> dict:
    s = SRC[key]
    return {
        "title": s["title"],
        "publisher": s["publisher"],
        "address": s["address"],
        "licence": s["licence"],
        "note": note,
    }


# --------------------------------------------------------------------------- helpers


def slug(s: str) -> str:
    s = s.replace("đ", "dj").replace("Đ", "Dj").replace("ë", "e").replace("Ë", "E")
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")


def fold(s: str) -> str:
    return slug(s).replace("-", "")


# --------------------------------------------------------------------------- North Macedonia

# The 8 NUTS-3 statistical regions: (Latin name as in the NUTS 2021 classification,
# SRC["nuts2021"]; Macedonian Cyrillic name as in the Wikipedia list, SRC["mk_regions_page"]
# ("Вардарски регион" for Vardar ...), written without the word "регион", as the NUTS names are)
MK_NUTS3_NAMES = {
    "MK001": ("Vardarski", "Вардарски"),
    "MK002": ("Istočen", "Источен"),
    "MK003": ("Jugozapaden", "Југозападен"),
    "MK004": ("Jugoistočen", "Југоисточен"),
    "MK005": ("Pelagoniski", "Пелагониски"),
    "MK006": ("Pološki", "Полошки"),
    "MK007": ("Severoistočen", "Североисточен"),
    "MK008": ("Skopski", "Скопски"),
}


# The ten municipalities that make up the City of Skopje (Град Скопје) are the ones pycountry
# 26.2.16 marks with "†" in ISO 3166-2:MK (MK-801 Aerodrom †, ... MK-817 Šuto Orizari †).
def build_mk(ctx, eu, ej):
    check, row, variants, fmt_area = ctx["check"], ctx["row"], ctx["variants"], ctx["fmt_area"]
    P = {s.code: s for s in pycountry.subdivisions.get(country_code="MK")}
    E = {r["lau_code"]: r for r in eu if r["country"] == "MK"}
    J = {r["lau_id"]: r for r in ej if r["country"] == "MK"}
    check(
        len(P) == len(E) == len(J) == 80,
        f"MK counts pycountry/LAU2019/LAU2020 {len(P)}/{len(E)}/{len(J)}",
    )
    check({c[3:] for c in P} == {c[4:] for c in E} == {c[4:] for c in J}, "MK codes differ")
    log = {"no_population": [], "skopje": []}
    rows = []
    for code in sorted(P):
        n = code[3:]
        lau = "MK00" + n
        e, j, p = E[lau], J[lau], P[code]
        skopje = p.name.endswith("†")
        latin = p.name.rstrip(" †")
        cyr = e["lau_name_national"].strip()
        check(j["lau_name"].strip() == cyr, f"MK {lau} names differ LAU 2019/2020")
        pop = None if j["population"] in ("", "NA") else int(j["population"])
        if pop is None:
            log["no_population"].append(f"{code} {latin}")
        if skopje:
            log["skopje"].append(f"{code} {latin}")
        rows.append(
            row(
                id=f"mk-{n}",
                country="MK",
                national_code=n,
                kind="municipality",
                region=e["code_2016"],
                parent_id="mk-grad-skopje" if skopje else None,
                counted="true",
                name_local=cyr,
                name_latin=latin,
                population=pop,
                population_year=2019 if pop is not None else None,
                area_km2=fmt_area(float(j["area_km2"])),
                lau=lau,
                iso3166_2=code,
                name_variants=variants(cyr, latin, [e["lau_name_latin"], p.name]),
            )
        )
    check(
        len(log["skopje"]) == 10,
        f"MK: {len(log['skopje'])} municipalities of the City of Skopje, expected 10",
    )
    subs = [r for r in rows if r["parent_id"]]
    area = sum(float(r["area_km2"]) for r in subs)
    pops = [r["population"] for r in subs]
    rows.append(
        row(
            id="mk-grad-skopje",
            country="MK",
            national_code=None,
            kind="city",
            region="MK008",
            counted="false",
            name_local="Скопје",
            name_latin="Skopje",
            population=sum(int(p) for p in pops) if all(pops) else None,
            population_year=2019 if all(pops) else None,
            area_km2=fmt_area(area),
            lau=None,
            iso3166_2=None,
            name_variants="Град Скопје|Grad Skopje|City of Skopje",
        )
    )
    codes = sorted({r["region"] for r in rows})
    check(codes == sorted(MK_NUTS3_NAMES), f"MK NUTS-3 codes {codes} differ from the named ones")
    regions = {
        c: dict(
            code=c,
            country="MK",
            kind="nuts3_statistical_region",
            name_local=MK_NUTS3_NAMES[c][1],
            name_latin=MK_NUTS3_NAMES[c][0],
            parent="",
        )
        for c in codes
    }
    return rows, regions, log


# --------------------------------------------------------------------------- Albania


def build_al(ctx, eu, ej):
    check, row, variants, fmt_area = ctx["check"], ctx["row"], ctx["variants"], ctx["fmt_area"]
    P = {s.code: s for s in pycountry.subdivisions.get(country_code="AL")}
    check(len(P) == 12, "pycountry AL: 12 counties")
    E = {r["lau_code"]: r for r in eu if r["country"] == "AL"}
    J = {r["lau_id"]: r for r in ej if r["country"] == "AL"}
    check(len(E) == len(J) == 61 and set(E) == set(J), f"AL LAU 2019/2020 {len(E)}/{len(J)}")
    # NUTS-3 statistical region -> qark: each NUTS-3 region holds exactly one municipality named
    # like a county
    by_fold = {fold(s.name): c for c, s in P.items()}
    nuts_qark: dict[str, str] = {}
    for j in J.values():
        c = by_fold.get(fold(j["lau_name"]))
        if c:
            check(j["nuts_3"] not in nuts_qark, f"AL: two county seats in {j['nuts_3']}")
            nuts_qark[j["nuts_3"]] = c
    check(
        len(nuts_qark) == 12 and set(nuts_qark.values()) == set(P), f"AL NUTS-3 -> qark {nuts_qark}"
    )
    rows, log = [], {"nuts_qark": [f"{k} -> {v} {P[v].name}" for k, v in sorted(nuts_qark.items())]}
    for lau in sorted(J):
        j, e = J[lau], E[lau]
        name = j["lau_name"].strip()
        check(fold(name) == fold(e["lau_name_latin"]), f"AL {lau}: {name} vs {e['lau_name_latin']}")
        rows.append(
            row(
                id=f"al-{slug(name)}",
                country="AL",
                national_code=None,
                kind="municipality",
                region=nuts_qark[j["nuts_3"]],
                counted="true",
                name_local=name,
                name_latin=name,
                population=int(j["population"]),
                population_year=int(j["year"]),
                area_km2=fmt_area(float(j["area_km2"])),
                lau=lau,
                iso3166_2=None,
                name_variants=variants(name, name, [e["lau_name_national"], "Bashkia " + name]),
            )
        )
    regions = {
        c: dict(
            code=c, country="AL", kind="county", name_local=s.name, name_latin=s.name, parent=""
        )
        for c, s in sorted(P.items())
    }
    return rows, regions, log


# --------------------------------------------------------------------------- Montenegro

# MONSTAT 2023 census, population and area (km2) per municipality, transcribed from
# vvnikola3/popisna-mapa-cg public/data/me/popis-2023.json at POPISNA_MAPA (keys ME01..ME25 follow
# ISO ME-01..25).
ME_CENSUS_2023 = {
    "01": ("Andrijevica", 3910, 330),
    "02": ("Bar", 45812, 504),
    "03": ("Berane", 24645, 499),
    "04": ("Bijelo Polje", 38662, 923),
    "05": ("Budva", 27445, 122),
    "06": ("Cetinje", 14494, 898),
    "07": ("Danilovgrad", 18617, 475),
    "08": ("Herceg Novi", 30824, 234),
    "09": ("Kolašin", 6700, 906),
    "10": ("Kotor", 22746, 336),
    "11": ("Mojkovac", 6728, 359),
    "12": ("Nikšić", 65705, 2087),
    "13": ("Plav", 9050, 326),
    "14": ("Pljevlja", 24134, 1343),
    "15": ("Plužine", 2177, 853),
    "16": ("Podgorica", 179505, 997),
    "17": ("Rožaje", 23184, 431),
    "18": ("Šavnik", 1569, 556),
    "19": ("Tivat", 16338, 47),
    "20": ("Ulcinj", 20507, 261),
    "21": ("Žabljak", 2941, 447),
    "22": ("Gusinje", 3933, 157),
    "23": ("Petnjica", 4957, 174),
    "24": ("Tuzi", 12979, 242),
    "25": ("Zeta", 16071, 152),
}
ME_TOTAL_2023 = 623633


def build_me(ctx):
    check, row, variants, to_cyr = (
        ctx["check"],
        ctx["row"],
        ctx["variants"],
        ctx["sr_latin_to_cyrillic"],
    )
    P = {s.code: s for s in pycountry.subdivisions.get(country_code="ME")}
    check(
        len(P) == 25 and {c[3:] for c in P} == set(ME_CENSUS_2023),
        "ME: pycountry and census codes differ",
    )
    check(sum(v[1] for v in ME_CENSUS_2023.values()) == ME_TOTAL_2023, "ME census total")
    rows, log = [], {"name_from_census": [], "transliterated": []}
    for code in sorted(P):
        n = code[3:]
        name, pop, area = ME_CENSUS_2023[n]
        iso_name = P[code].name
        check(fold(name) == fold(iso_name), f"ME {code}: census {name} vs ISO {iso_name}")
        if name != iso_name:
            log["name_from_census"].append(f"{code} {iso_name} -> {name}")
        cyr = to_cyr(name)
        log["transliterated"].append(f"{name} -> {cyr}")
        rows.append(
            row(
                id=f"me-{n}",
                country="ME",
                national_code=n,
                kind="municipality",
                region="ME",
                counted="true",
                name_local=cyr,
                name_latin=name,
                population=pop,
                population_year=2023,
                area_km2=area,
                lau=None,
                iso3166_2=code,
                name_variants=variants(cyr, name, [iso_name]),
            )
        )
    regions = {
        "ME": dict(
            code="ME",
            country="ME",
            kind="country",
            name_local="Црна Гора",
            name_latin="Crna Gora",
            parent="",
        )
    }
    return rows, regions, log


# --------------------------------------------------------------------------- Kosovo

# Albanian name (ASK) -> (Serbian Latin name (Wikipedia list), Albanian form in that list, district
# key). Districts as in XK.php (after Wikipedia "Districts of Kosovo"), keyed by the district seat.
XK_MUNICIPALITIES = {
    "Deçan": ("Dečani", "Deçan", "Gjakova"),
    "Gjakovë": ("Đakovica", "Gjakovë", "Gjakova"),
    "Gllogoc": ("Glogovac", "Gllogovc (Drenas)", "Pristina"),
    "Gjilan": ("Gnjilane", "Gjilan", "Gjilan"),
    "Dragash": ("Dragaš", "Dragash", "Prizren"),
    "Istog": ("Istok", "Istog", "Peja"),
    "Kaçanik": ("Kačanik", "Kaçanik", "Ferizaj"),
    "Klinë": ("Klina", "Klinë", "Peja"),
    "Fushë Kosovë": ("Kosovo Polje", "Fushë Kosovë", "Pristina"),
    "Kamenicë": ("Kosovska Kamenica", "Kamenicë", "Gjilan"),
    "Mitrovicë": ("Južna Mitrovica", "Mitrovicë Jugore", "Mitrovica"),
    "Leposaviq": ("Leposavić", "Leposaviq", "Mitrovica"),
    "Lipjan": ("Lipljan", "Lipjan", "Pristina"),
    "Novobërdë": ("Novo Brdo", "Novobërdë", "Pristina"),
    "Obiliq": ("Obilić", "Obiliq", "Pristina"),
    "Rahovec": ("Orahovac", "Rahovec", "Gjakova"),
    "Pejë": ("Peć", "Pejë", "Peja"),
    "Podujevë": ("Podujevo", "Podujevë", "Pristina"),
    "Prishtinë": ("Priština", "Prishtinë", "Pristina"),
    "Prizren": ("Prizren", "Prizren", "Prizren"),
    "Skenderaj": ("Srbica", "Skënderaj", "Mitrovica"),
    "Shtime": ("Štimlje", "Shtime", "Ferizaj"),
    "Shtërpcë": ("Štrpce", "Shtërpcë", "Ferizaj"),
    "Suharekë": ("Suva Reka", "Suharekë", "Prizren"),
    "Ferizaj": ("Uroševac", "Ferizaj", "Ferizaj"),
    "Viti": ("Vitina", "Viti", "Gjilan"),
    "Vushtrri": ("Vučitrn", "Vushtrri", "Mitrovica"),
    "Zubin Potok": ("Zubin Potok", "Zubin Potok", "Mitrovica"),
    "Zveqan": ("Zvečan", "Zveçan", "Mitrovica"),
    "Malishevë": ("Mališevo", "Malishevë", "Prizren"),
    "Junik": ("Junik", "Junik", "Gjakova"),
    "Mamushë": ("Mamuša", "Mamush", "Prizren"),
    "Hani i Elezit": ("Đeneral Janković", "Hani e Elezit", "Ferizaj"),
    "Graçanicë": ("Gračanica", "Gracanicë", "Pristina"),
    "Ranillug": ("Ranilug", "Ranillug", "Gjilan"),
    "Partesh": ("Parteš", "Partesh", "Gjilan"),
    "Kllokot": ("Klokot", "Kllokott", "Gjilan"),
    "Mitrovicë Veriore": ("Severna Mitrovica", "Mitrovicë Veriore", "Mitrovica"),
}
# district key -> (code, Albanian name, Serbian Latin name); names as in the Wikipedia district list
XK_DISTRICTS = {
    "Ferizaj": ("XK-FERIZAJ", "Ferizaj", "Uroševac"),
    "Gjakova": ("XK-GJAKOVA", "Gjakova", "Đakovica"),
    "Gjilan": ("XK-GJILAN", "Gjilan", "Gnjilane"),
    "Mitrovica": ("XK-MITROVICA", "Mitrovica", "Kosovska Mitrovica"),
    "Peja": ("XK-PEJA", "Peja", "Peć"),
    "Pristina": ("XK-PRISTINA", "Prishtina", "Priština"),
    "Prizren": ("XK-PRIZREN", "Prizren", "Prizren"),
}
XK_DISTRICT_SIZES = {
    "Ferizaj": 5,
    "Gjakova": 4,
    "Gjilan": 6,
    "Mitrovica": 7,
    "Peja": 3,
    "Pristina": 8,
    "Prizren": 5,
}


def build_xk(ctx):
    check, row, variants, to_cyr = (
        ctx["check"],
        ctx["row"],
        ctx["variants"],
        ctx["sr_latin_to_cyrillic"],
    )
    check(len(XK_MUNICIPALITIES) == 38, f"XK: {len(XK_MUNICIPALITIES)} municipalities, expected 38")
    sizes = Counter(d for _, _, d in XK_MUNICIPALITIES.values())
    check(sizes == Counter(XK_DISTRICT_SIZES), f"XK district sizes {sizes}")
    rows, log = [], {"transliterated": []}
    for sq, (sr, sq_wp, district) in sorted(XK_MUNICIPALITIES.items()):
        cyr = to_cyr(sr)
        log["transliterated"].append(f"{sr} -> {cyr}")
        rows.append(
            row(
                id=f"xk-{slug(sq)}",
                country="XK",
                national_code=None,
                kind="municipality",
                region=XK_DISTRICTS[district][0],
                counted="true",
                name_local=sq,
                name_latin=sq,
                population=None,
                population_year=None,
                area_km2=None,
                lau=None,
                iso3166_2=None,
                name_variants=variants(sq, sq, [sr, cyr, sq_wp]),
            )
        )
    regions = {
        code: dict(
            code=code, country="XK", kind="district", name_local=sq, name_latin=sq, parent=""
        )
        for code, sq, _ in XK_DISTRICTS.values()
    }
    return rows, regions, log


# --------------------------------------------------------------------------- Bosnia and Herzegovina

# Census name (BHAS 2013 as tabulated) -> name in data_postwar.csv where it differs.
BA_POSTWAR_ALIAS = {
    "Centar Sarajevo": "Sarajevo Centar",
    "Novi Grad Sarajevo": "Sarajevo Novi Grad",
    "Stari Grad Sarajevo": "Sarajevo Stari Grad",
    "Doboj - Istok": "Doboj Istok",
    "Doboj - Jug": "Doboj Jug",
    "Foča-FBiH": "Foča-Ustikolina",
    "Foča-RS": "Foča",
    "Pale-FBiH": "Pale-Prača",
    "Pale-RS": "Pale",
    "Gornji Vakuf - Uskoplje": "Gornji Vakuf-Uskoplje",
    "Kneževo": "Skender Vakuf",
    "Kozarska Dubica": "Dubica",
    "Kupres-FBiH": "Kupres-FBIH",
    "Trnovo-FBiH": "Trnovo-FBIH",
}
# Display names where the census adds an entity suffix: the FBiH units go by their own names in
# data_postwar (Foča-Ustikolina, Pale-Prača); the others keep the census name without the suffix.
BA_DISPLAY = {
    "Foča-FBiH": "Foča-Ustikolina",
    "Pale-FBiH": "Pale-Prača",
    "Foča-RS": "Foča",
    "Pale-RS": "Pale",
    "Kupres-FBiH": "Kupres",
    "Kupres-RS": "Kupres",
    "Trnovo-FBiH": "Trnovo",
    "Trnovo-RS": "Trnovo",
    "Doboj - Istok": "Doboj Istok",
    "Doboj - Jug": "Doboj Jug",
    "Gornji Vakuf - Uskoplje": "Gornji Vakuf-Uskoplje",
}
BA_ENTITY = {
    "Federacija Bosna i Hercegovina": "BA-BIH",
    "Repuplika Srpska": "BA-SRP",
    "Brčko": "BA-BRC",
}
# FBiH cantons: constitutional numbers 01-10 (codes and local names as in the geonames-based list)
BA_CANTONS = {
    "Una-Sana": ("BA-01", "Unsko-sanski kanton"),
    "Posavina": ("BA-02", "Posavski kanton"),
    "Tuzla": ("BA-03", "Tuzlanski kanton"),
    "Zenica-Doboj": ("BA-04", "Zeničko-dobojski kanton"),
    "Bosnian Podrinje": ("BA-05", "Bosansko-podrinjski kanton"),
    "Central Bosnia": ("BA-06", "Srednjobosanski kanton"),
    "Herzegovina-Neretva": ("BA-07", "Hercegovačko-neretvanski kanton"),
    "West Herzegovina": ("BA-08", "Zapadnohercegovački kanton"),
    "Sarajevo": ("BA-09", "Kanton Sarajevo"),
    "Canton 10": ("BA-10", "Kanton 10"),
}
# Officially designated cities, quoted from the Wikipedia article (wikimili mirror): "Bosnia and
# Herzegovina also has 24 officially designated cities: Banja Luka, Bihać, Tuzla, Mostar, Zenica,
# Doboj, Prijedor, Bijeljina, Trebinje, Široki Brijeg, Cazin, Goražde, Livno, Zvornik, Gradiška,
# Živinice, Gračanica, Srebrenik, Gradačac, Visoko, Ljubuški and Čapljina, each correspond to a
# single eponymous municipality. The cities of Sarajevo and Istočno Sarajevo consist of four and six
# municipalities respectively"
BA_CITIES = [
    "Banja Luka",
    "Bihać",
    "Tuzla",
    "Mostar",
    "Zenica",
    "Doboj",
    "Prijedor",
    "Bijeljina",
    "Trebinje",
    "Široki Brijeg",
    "Cazin",
    "Goražde",
    "Livno",
    "Zvornik",
    "Gradiška",
    "Živinice",
    "Gračanica",
    "Srebrenik",
    "Gradačac",
    "Visoko",
    "Ljubuški",
    "Čapljina",
]
BA_CITY_PARTS = {
    "sarajevo": (
        "Sarajevo",
        "Сарајево",
        "BA-09",
        ["Centar Sarajevo", "Novi Grad Sarajevo", "Novo Sarajevo", "Stari Grad Sarajevo"],
    ),
    "istocno-sarajevo": (
        "Istočno Sarajevo",
        "Источно Сарајево",
        "BA-SRP",
        [
            "Istočna Ilidža",
            "Istočno Novo Sarajevo",
            "Istočni Stari Grad",
            "Pale-RS",
            "Sokolac",
            "Trnovo-RS",
        ],
    ),
}
BA_TOTAL_2013 = 3531159  # BHAS final results (June 2016)


def build_ba(ctx, mirror: Path):
    check, row, variants, to_cyr = (
        ctx["check"],
        ctx["row"],
        ctx["variants"],
        ctx["sr_latin_to_cyrillic"],
    )
    census = read_xlsx_first_sheet(git_show(mirror, BIH_VOTING, "Data/bih_census_2013.xlsx"))
    check(
        census[0].get("A") == "Municipality" and census[0].get("B") == "Population",
        f"BA census header {census[0]}",
    )
    pop = {r["A"].strip(): int(r["B"]) for r in census[1:] if r.get("A")}
    parts = {r["A"].strip(): sum(int(r[c]) for c in "CDEFGH") for r in census[1:] if r.get("A")}
    fixes = []
    for name, total in list(pop.items()):
        # a total that disagrees with its own row's breakdown, corrected only if that makes the BHAS
        # total exact
        if total != parts[name] and sum(pop.values()) - total + parts[name] == BA_TOTAL_2013:
            fixes.append(
                f"{name}: {total} -> {parts[name]} (sum of its own breakdown; the 142 units then "
                f"sum to "
                f"BHAS's {BA_TOTAL_2013:,})"
            )
            pop[name] = parts[name]
    check(
        len(pop) == 142 and sum(pop.values()) == BA_TOTAL_2013,
        f"BA census: {len(pop)} rows, {sum(pop.values())}",
    )
    postwar = list(
        csv.DictReader(
            io.StringIO(
                git_show(mirror, BIH_VOTING, "Formatted Data/data_postwar.csv").decode("utf-8")
            )
        )
    )
    pw = {r["Municipality"]: {k: v.replace("\xa0", " ") for k, v in r.items()} for r in postwar}
    check(len(pw) == 142, f"BA data_postwar rows {len(pw)}")
    rows, log = (
        [],
        {"population_differs": [], "display_names": [], "transliterated": [], "corrected": fixes},
    )
    by_census = {}
    for name in sorted(pop):
        p = pw.get(BA_POSTWAR_ALIAS.get(name, name))
        check(p is not None, f"BA: {name} not in data_postwar")
        if int(p["Population, 2013"]) != pop[name]:
            log["population_differs"].append(
                f"{name}: census {pop[name]}, data_postwar {p['Population, 2013']}"
            )
        entity = BA_ENTITY[p["Entity"]]
        region = BA_CANTONS[p["Canton"]][0] if entity == "BA-BIH" else entity
        display = BA_DISPLAY.get(name, name)
        if display != name:
            log["display_names"].append(f"{name} -> {display}")
        suffix = {"BA-BIH": "fbih", "BA-SRP": "rs", "BA-BRC": "brcko"}[entity]
        by_census[name] = dict(
            display=display, entity=entity, region=region, suffix=suffix, postwar=p["Municipality"]
        )
    dup = Counter(slug(v["display"]) for v in by_census.values())
    for name, v in sorted(by_census.items()):
        uid = f"ba-{slug(v['display'])}" + (
            f"-{v['suffix']}" if dup[slug(v["display"])] > 1 else ""
        )
        v["id"] = uid
        latin = "Brčko distrikt" if v["entity"] == "BA-BRC" else v["display"]
        local = latin
        extra = [name, v["postwar"]]
        # Serbian Cyrillic is official in RS; no Cyrillic form in the inputs
        if v["entity"] == "BA-SRP":
            local = to_cyr(latin)
            log["transliterated"].append(f"{latin} -> {local}")
        else:
            extra.append(to_cyr(latin))
        kind = (
            "city"
            if name in BA_CITIES
            else ("other" if v["entity"] == "BA-BRC" else "municipality")
        )
        parent = next(
            (f"ba-grad-{k}" for k, (_, _, _, parts) in BA_CITY_PARTS.items() if name in parts), None
        )
        rows.append(
            row(
                id=uid,
                country="BA",
                national_code=None,
                kind=kind,
                region=v["region"],
                parent_id=parent,
                counted="true",
                name_local=local,
                name_latin=latin,
                population=pop[name],
                population_year=2013,
                area_km2=None,
                lau=None,
                iso3166_2="BA-BRC" if v["entity"] == "BA-BRC" else None,
                name_variants=variants(local, latin, extra),
            )
        )
    check(
        sum(r["kind"] == "city" for r in rows) == len(BA_CITIES),
        "BA: every listed city found in the census",
    )
    # Stanari: an RS municipality missing from the 2013 census table (made after the census, from
    # Doboj); listed among the RS municipalities of the Doboj area in public code (code search file
    # id 49257382366)
    rows.append(
        row(
            id="ba-stanari",
            country="BA",
            national_code=None,
            kind="municipality",
            region="BA-SRP",
            counted="true",
            name_local="Станари",
            name_latin="Stanari",
            population=None,
            population_year=None,
            area_km2=None,
            lau=None,
            iso3166_2=None,
            name_variants="",
        )
    )
    log["transliterated"].append("Stanari -> Станари")
    for key, (latin, cyr, region, parts) in BA_CITY_PARTS.items():
        subs = [r for r in rows if r["parent_id"] == f"ba-grad-{key}"]
        check(len(subs) == len(parts), f"BA city {latin}: {len(subs)} municipalities")
        rows.append(
            row(
                id=f"ba-grad-{key}",
                country="BA",
                national_code=None,
                kind="city",
                region=region,
                counted="false",
                name_local=latin if region != "BA-SRP" else cyr,
                name_latin=latin,
                population=sum(int(r["population"]) for r in subs),
                population_year=2013,
                area_km2=None,
                lau=None,
                iso3166_2=None,
                name_variants=variants(latin, latin, [f"Grad {latin}", cyr]),
            )
        )
    regions = {}
    for code in ("BA-BIH", "BA-SRP", "BA-BRC"):
        s = pycountry.subdivisions.get(code=code)
        regions[code] = dict(
            code=code,
            country="BA",
            kind="entity" if code != "BA-BRC" else "district",
            name_local=s.name if code != "BA-SRP" else "Република Српска",
            name_latin=s.name,
            parent="",
        )
    for code, local in BA_CANTONS.values():
        regions[code] = dict(
            code=code,
            country="BA",
            kind="canton",
            name_local=local,
            name_latin=local,
            parent="BA-BIH",
        )
    return rows, regions, log


# --------------------------------------------------------------------------- Croatia: LAU names

HR_ROMAN = re.compile(r"^([IVXL]+)\s+(.*)$")


def build_hr_names(ctx, mirror: Path, eu_hr, ej_hr):
    check = ctx["check"]
    text = git_show(mirror, GNIJEZDO, "data/regionalneJedinice.tsx").decode("utf-8")
    units = re.findall(
        r"županija:\s*'([^']*)',\s*tip_jedinice:\s*'([^']*)',\s*ime_jedinice:\s*'([^']*)'", text
    )
    check(len(units) == 556, f"HR list: {len(units)} units, expected 556")
    kinds = Counter(t for _, t, _ in units)
    check(kinds == Counter({"Grad": 128, "Općina": 428}), f"HR list kinds {kinds}")
    lau = {r["lau_code"].zfill(5): r for r in eu_hr}
    j20 = {r["lau_id"]: r for r in ej_hr}
    check(len(lau) == len(j20) == 556 and set(lau) == set(j20), "HR LAU 2019/2020 codes differ")
    # county (roman numeral) <-> NUTS-3 2016: by the majority of unambiguous name matches
    by_name: dict[str, list[str]] = defaultdict(list)
    for code, r in j20.items():
        # LAU "Grad Zagreb" = list "Zagreb"
        by_name[fold(re.sub(r"^Grad ", "", r["lau_name"]))].append(code)
    votes: dict[str, Counter] = defaultdict(Counter)
    for county, _, name in units:
        codes = by_name.get(fold(name), [])
        if len(codes) == 1:
            votes[county][lau[codes[0]]["code_2016"]] += 1
    county_nuts = {c: v.most_common(1)[0][0] for c, v in votes.items()}
    check(
        len(county_nuts) == 21 and len(set(county_nuts.values())) == 21,
        f"HR county -> NUTS-3 {county_nuts}",
    )
    out, unmatched, renamed = [], [], []
    used = set()
    for county, kind, name in units:
        codes = [
            c for c in by_name.get(fold(name), []) if lau[c]["code_2016"] == county_nuts[county]
        ]
        if len(codes) != 1:
            unmatched.append(f"{county} / {name}")
            continue
        c = codes[0]
        check(c not in used, f"HR LAU {c} matched twice")
        used.add(c)
        if j20[c]["lau_name"] != name:
            renamed.append(f"{c} {j20[c]['lau_name']} -> {name}")
        out.append({"lau": c, "name_local": name, "kind": "grad" if kind == "Grad" else "opcina"})
    check(not unmatched, f"HR units not matched to a LAU code: {unmatched}")
    check(len(out) == 556, "HR names: 556 rows")
    out.sort(key=lambda r: r["lau"])
    return out, {
        "county_nuts": [f"{k} -> {v}" for k, v in sorted(county_nuts.items())],
        "renamed": renamed,
    }


# --------------------------------------------------------------------------- official counts,
# metadata, docs

OFFICIAL_COUNT = {
    "BA": (
        143,
        "143 local self-government units: 79 in the Federation of BiH (incl. Mostar as one city "
        "and the 4 "
        "municipalities of the City of Sarajevo), 63 in Republika Srpska (incl. the 6 "
        "municipalities of the "
        "City of Istočno Sarajevo, and Stanari, which the 2013 census table does not have) and "
        'Brčko District. CES-CEM: "Bosnia and Herzegovina '
        "has 143 municipalities – 79 municipalities are in the Federation of B&H and 64 are in "
        "the "
        'Republika Srpska" (its 64 for RS against 63 here is not explained there; the total is '
        "the same); Wikipedia: "
        '"After the war the number of municipalities was increased to 143". The City of Sarajevo '
        "and the "
        "City of Istočno Sarajevo are units of local self-government too; counting them gives "
        "145. Here "
        "they are rows with counted=false and their 4 and 6 municipalities carry parent_id.",
    ),
    "ME": (
        25,
        "25 municipalities (ISO 3166-2:ME-01..25 in pycountry 26.2.16, incl. Tuzi and Zeta, which "
        "were "
        "part of Podgorica at the 2011 census per the popisna-mapa-cg territory register); the "
        "MONSTAT 2023 "
        "census tabulates the same 25.",
    ),
    "MK": (
        80,
        "80 municipalities (ISO 3166-2:MK in pycountry 26.2.16 = the 80 Eurostat LAU units), 10 "
        "of which "
        "form the City of Skopje, a separate unit of local self-government: a row with "
        "counted=false, "
        "the 10 are counted and carry its parent_id (80 + 1 = 81 units of local self-government).",
    ),
    "XK": (
        38,
        "38 municipalities (ASK's municipality list, 38 entries besides 'Jashtë Kosovës' and "
        "'Gjithsej'; "
        "the Wikipedia list of municipalities; 7 districts of 5+4+6+7+3+8+5).",
    ),
    "AL": (
        61,
        "61 municipalities (bashki) since the 2015 territorial reform: the Eurostat LAU 2019 and "
        "GISCO LAU "
        "2020 tables list 61 AL units, in 12 NUTS-3 regions that coincide with the 12 counties "
        "(qarqe).",
    ),
}


def roster_meta(balkans, logs) -> list[dict]:
    ba, me, mk, xk, al = (balkans[c] for c in ("BA", "ME", "MK", "XK", "AL"))
    out = [
        {
            "country": "BA",
            "file": "municipalities_ba.csv",
            "unit_count": 143,
            "as_of": "2016-06-30",
            "population_year": 2013,
            "complete": True,
            "official_count": OFFICIAL_COUNT["BA"][1],
            "sources": [
                source(
                    "bih_census",
                    "Unit list (142 units of the 2013 census) and population (BHAS final results, "
                    "census of 1-15 Oct 2013), by the census's municipality names.",
                ),
                source(
                    "bih_cantons",
                    "Entity and canton of each unit (joined by name; renamed units listed in "
                    "SOURCES.md).",
                ),
                source(
                    "ba_municipalities_page",
                    "Officially designated cities (22 single-municipality cities + "
                    "Sarajevo and Istočno Sarajevo with 4 and 6 municipalities) and the count of "
                    "143.",
                ),
                source(
                    "ba_count_page",
                    "Count: 143 municipalities, 79 in the Federation of B&H and 64 in Republika "
                    "Srpska; 'The city of Sarajevo is divided into four municipalities while the "
                    "city of Istocno "
                    "Sarajevo includes six municipalities'.",
                ),
                source(
                    "ba_cantons_codes",
                    "Canton numbers 01-10 (used as region codes BA-01..BA-10) and local names.",
                ),
                {
                    "title": "pycountry 26.2.16 ISO 3166-2:BA",
                    "publisher": "pycountry (Debian iso-codes)",
                    "address": "https://pypi.org/project/pycountry/26.2.16/",
                    "licence": "LGPL-2.1-only",
                    "note": "Entity and district codes BA-BIH, BA-SRP, BA-BRC and their names.",
                },
            ],
            "caveats": "No official municipality codes (BHAS/FZS/RZS RS 5-digit codes) were "
            "available in a source "
            "that could be read, so ids are readable slugs (ba-<name>, with -fbih/-rs where a "
            "name exists "
            "in both entities) and national_code is empty. Population is the BHAS 2013 census "
            "figure "
            "(Republika Srpska's statistical office publishes lower figures for RS units, "
            "1,170,342 for "
            "the entity, which are not used). Stanari (RS, made from part of Doboj after the "
            "census) has no "
            "population: its 2013 population is inside Doboj's figure. The two cities made of "
            "municipalities (Grad "
            "Sarajevo, Grad Istočno Sarajevo) are counted=false rows with the sum of their "
            "municipalities. "
            "Brčko District is kind other. City status follows the Wikipedia list of 24 "
            "designated cities; cities designated later "
            "are kind municipality. Cyrillic names of RS units (and of the two cities' variants) "
            "are a "
            "mechanical Serbian Latin->Cyrillic transliteration; FBiH and Brčko units have Latin "
            "name_local. No areas in the inputs. Regions: canton (BA-01..BA-10, parent BA-BIH) "
            "for FBiH "
            "units, the entity BA-SRP for RS units, BA-BRC for Brčko District.",
        },
        {
            "country": "ME",
            "file": "municipalities_me.csv",
            "unit_count": 25,
            "as_of": "2023-12-31",
            "population_year": 2023,
            "complete": True,
            "official_count": OFFICIAL_COUNT["ME"][1],
            "sources": [
                {
                    "title": "pycountry 26.2.16 ISO 3166-2:ME",
                    "publisher": "pycountry (Debian iso-codes)",
                    "address": "https://pypi.org/project/pycountry/26.2.16/",
                    "licence": "LGPL-2.1-only",
                    "note": "Unit list and codes ME-01..ME-25 (id = me-<number>).",
                },
                source(
                    "monstat_2023",
                    "Population (2023 census, final results; total 623,633) and official area "
                    "(km2) of the 25 municipalities, transcribed into scripts/roster_balkans.py.",
                ),
            ],
            "caveats": "name_latin is the MONSTAT spelling (pycountry writes 'Herceg-Novi'); "
            "name_local is Cyrillic "
            "by mechanical transliteration (both scripts are official; no Cyrillic list was in "
            "the "
            "inputs). The capital city Podgorica and the Old Royal Capital Cetinje are kind "
            "municipality "
            "like the others (their special status is not in the inputs); Podgorica's urban "
            "municipalities are not listed. There are no regions in ISO 3166-2:ME, so every "
            "unit's region "
            "is 'ME' (the country as a whole).",
        },
        {
            "country": "MK",
            "file": "municipalities_mk.csv",
            "unit_count": 80,
            "as_of": "2020-01-01",
            "population_year": 2019,
            "complete": True,
            "official_count": OFFICIAL_COUNT["MK"][1],
            "sources": [
                {
                    "title": "GISCO LAU 2020 units with population and area (EDJNet lau_centres)",
                    "publisher": "European Data Journalism Network (EDJNet), from Eurostat GISCO "
                    "LAU 2020",
                    "address": "https://github.com/EDJNet/lau_centres/blob/de769676ea08d100fc2b3866ca5a4dcae3793f4a/"
                    "docs/lau_centres/lau_2020_nuts_2021_pop_2018_p_2_adjusted_intersection/"
                    "MK_lau_2020_nuts_2021_pop_2018_p_2_adjusted_intersection.csv",
                    "licence": "Repository states none; derived from Eurostat GISCO data: (c) "
                    "EuroGeographics, reuse "
                    "with attribution",
                    "note": "Population (labelled 2019) and area; 7 units have no population (NA "
                    "upstream).",
                },
                {
                    "title": "EU-28-LAU-2019-NUTS-2016 correspondence table",
                    "publisher": "Eurostat (rOpenGov/regions)",
                    "address": "https://github.com/rOpenGov/regions/blob/0890afe9ffd3e0d05372a2b1eb6bfa00d20d7cb5/"
                    "data/nuts_lau_2019.rda",
                    "licence": "Package GPL-3; data Eurostat, reusable with attribution",
                    "note": "LAU codes MK00101..MK00817, Macedonian Cyrillic and Latin names, "
                    "NUTS-3 region.",
                },
                {
                    "title": "pycountry 26.2.16 ISO 3166-2:MK",
                    "publisher": "pycountry (Debian iso-codes)",
                    "address": "https://pypi.org/project/pycountry/26.2.16/",
                    "licence": "LGPL-2.1-only",
                    "note": "Codes MK-101..MK-817 (= LAU code without MK00) and Latin names; the "
                    "10 municipalities "
                    "marked '†' are those of the City of Skopje.",
                },
                source(
                    "nuts2021",
                    "Latin names of the 8 NUTS-3 statistical regions (MK001 Vardarski ... MK008 "
                    "Skopski).",
                ),
                source(
                    "mk_regions_page",
                    "Macedonian Cyrillic names of the 8 statistical regions "
                    "(Вардарски регион ...).",
                ),
            ],
            "caveats": "id mk-<ISO number>; national_code is that number (the State Statistical "
            "Office's own "
            "codes were not in the inputs). Population is the GISCO figure labelled 2019; "
            "Aerodrom, "
            "Butel, Kisela Voda, Sopište, Centar, Čair and Šuto Orizari have none upstream, so "
            "the City "
            "of Skopje row has no population either. The 2021 census figures were not used. "
            "Regions are "
            "the 8 NUTS-3 statistical regions MK001..MK008: Latin name as in NUTS 2021, Cyrillic "
            "name_local from the Wikipedia list (without the word 'регион').",
        },
        {
            "country": "XK",
            "file": "municipalities_xk.csv",
            "unit_count": 38,
            "as_of": "2024-12-31",
            "population_year": None,
            "complete": True,
            "official_count": OFFICIAL_COUNT["XK"][1],
            "sources": [
                source(
                    "xk_ask_names", "The 38 municipalities and their Albanian names (name_local)."
                ),
                source(
                    "xk_wp_names",
                    "Serbian names (Latin; Cyrillic by transliteration) and the Albanian forms "
                    "of that list, paired with the ASK names by hand (table in "
                    "scripts/roster_balkans.py).",
                ),
                source("xk_districts", "District of each municipality (7 districts)."),
            ],
            "caveats": "Country code XK (the code the EU uses; not in ISO 3166-1 or pycountry). "
            "No official "
            "municipality codes were in a readable source: ids are slugs of the Albanian name. "
            "Population is empty: the 2024 census results by municipality (ASK, December 2024; "
            "the "
            "four northern municipalities were largely boycotted and estimated) were not "
            "available as "
            "data. name_local = name_latin = the Albanian (ASK) name; the Serbian name (official "
            "alongside Albanian) is the first name_variant, its Cyrillic form a mechanical "
            "transliteration. ASK spells Zveçan 'Zveqan' and Gllogoc/Drenas 'Gllogoc'. Districts "
            "are "
            "the 7 UNMIK-era districts, region codes XK-<district seat> made here.",
        },
        {
            "country": "AL",
            "file": "municipalities_al.csv",
            "unit_count": 61,
            "as_of": "2020-01-01",
            "population_year": 2019,
            "complete": True,
            "official_count": OFFICIAL_COUNT["AL"][1],
            "sources": [
                {
                    "title": "GISCO LAU 2020 units with population and area (EDJNet lau_centres)",
                    "publisher": "European Data Journalism Network (EDJNet), from Eurostat GISCO "
                    "LAU 2020",
                    "address": "https://github.com/EDJNet/lau_centres/blob/de769676ea08d100fc2b3866ca5a4dcae3793f4a/"
                    "docs/lau_centres/lau_2020_nuts_2021_pop_2018_p_2_adjusted_intersection/"
                    "AL_lau_2020_nuts_2021_pop_2018_p_2_adjusted_intersection.csv",
                    "licence": "Repository states none; derived from Eurostat GISCO data: (c) "
                    "EuroGeographics, reuse "
                    "with attribution",
                    "note": "Unit list, LAU codes AL111..AL357, names with diacritics, population "
                    "(labelled 2019), "
                    "area, NUTS-3 region.",
                },
                {
                    "title": "EU-28-LAU-2019-NUTS-2016 correspondence table",
                    "publisher": "Eurostat (rOpenGov/regions)",
                    "address": "https://github.com/rOpenGov/regions/blob/0890afe9ffd3e0d05372a2b1eb6bfa00d20d7cb5/"
                    "data/nuts_lau_2019.rda",
                    "licence": "Package GPL-3; data Eurostat, reusable with attribution",
                    "note": "The same 61 codes (capitalised national names kept as variants).",
                },
                {
                    "title": "pycountry 26.2.16 ISO 3166-2:AL",
                    "publisher": "pycountry (Debian iso-codes)",
                    "address": "https://pypi.org/project/pycountry/26.2.16/",
                    "licence": "LGPL-2.1-only",
                    "note": "The 12 counties AL-01..AL-12 (regions); each NUTS-3 region is "
                    "matched to the county "
                    "whose seat municipality it contains.",
                },
            ],
            "caveats": "No INSTAT municipality code list was in the inputs: ids are slugs "
            "(al-<name>), the Eurostat "
            "LAU code is in lau. Population is the GISCO figure labelled 2019 (the 2023 census "
            "was not "
            "available by municipality).",
        },
    ]
    return out


def render_sources_md(balkans, logs, hr_names, regions) -> str:
    def bl(items):
        return "\n".join(f"  - {x}" for x in items) if items else "  - (none)"

    k = {cc: dict(Counter(r["kind"] for r in rows)) for cc, rows in balkans.items()}
    n = {cc: sum(r["counted"] == "true" for r in rows) for cc, rows in balkans.items()}
    reg = Counter(r["country"] for r in regions.values())
    return (
        f"""
---

# Western Balkans rosters and Croatian LAU names (`scripts/roster_balkans.py`)

Inputs beyond `../shared/data/rosters/` are git snapshots of public repositories at pinned commits, read with
`git show` from `--mirror` (default `/work/.mirror`, the search tool's `fetch` layout); facts from files that could
not be fetched, or from web pages, are tables in `scripts/roster_balkans.py` with their source. To rebuild, fetch
`github:{BIH_VOTING[0]}` and `github:{GNIJEZDO[0]}` first.

| file | rows | counted (official count) | kinds |
|---|---|---|---|
"""  # noqa: E501 - the text of the Markdown file it writes, tables and all
        + "".join(
            f"| `municipalities_{cc.lower()}.csv` | {len(rows)} | {n[cc]} "
            f"({OFFICIAL_COUNT[cc][0]}) | {k[cc]} |\n"
            for cc, rows in balkans.items()
        )
        + f"""| `names_hr.csv` | {len(hr_names)} | | {dict(Counter(r["kind"] for r in hr_names))} |

Regions added to `regions.csv`: {", ".join(f"{c} {reg[c]}" for c in balkans)}.

## Licences in short

| input | upstream | licence as stated upstream |
|---|---|---|
"""
        + "".join(f"| {s['title']} | {s['address']} | {s['licence']} |\n" for s in SRC.values())
        + f"""| ISO 3166-2 for BA, ME, MK, AL | pycountry 26.2.16 | LGPL-2.1-only |
| LAU 2019 / GISCO LAU 2020 for MK, AL, HR | as for SI/PL above | as above |

## `municipalities_ba.csv` — Bosnia and Herzegovina

- **Official count:** {OFFICIAL_COUNT["BA"][1]}
- **Units and population:** the 142 units of the BHAS 2013 census table (Mostar as one city, Brčko District as
  one unit) + Stanari (RS, no census figure) = 143 counted; plus `ba-grad-sarajevo` and
  `ba-grad-istocno-sarajevo` (counted=false, population = sum of their municipalities).
- **Names:** census names; entity suffixes replaced:
{bl(logs["BA"]["display_names"])}
  The census names and the names of the canton file are kept in `name_variants`.
- **Kind:** `city` for the 22 single-municipality cities of the Wikipedia list, `other` for Brčko District (the registry has no kind for a district), otherwise
  `municipality`; the two cities of municipalities are `city` rows with counted=false.
- **Population checks:** the census table sums to {BA_TOTAL_2013:,} (BHAS) after this correction:
{bl(logs["BA"]["corrected"])}
  Where the canton file's population
  differs from the census table (the census table is used):
{bl(logs["BA"]["population_differs"])}
- **Transliterated to Cyrillic (RS units):** {len(logs["BA"]["transliterated"])} names, e.g.
  {"; ".join(logs["BA"]["transliterated"][:5])}.

## `municipalities_me.csv` — Montenegro

- **Official count:** {OFFICIAL_COUNT["ME"][1]}
- Population 2023 census and area as transcribed (sum checked = {ME_TOTAL_2023:,}). Names that differ from
  pycountry (MONSTAT form used):
{bl(logs["ME"]["name_from_census"])}

## `municipalities_mk.csv` — North Macedonia

- **Official count:** {OFFICIAL_COUNT["MK"][1]}
- City of Skopje (`mk-grad-skopje`, counted=false): {", ".join(logs["MK"]["skopje"])}.
- No population upstream: {", ".join(logs["MK"]["no_population"])}.
- Regions: the 8 NUTS-3 statistical regions, `name_latin` as in Eurostat's NUTS 2021 classification (`eurostat/Nuts2json`,
  `pub/v2/2021/3035/nutspt_3.json`, property `na`), `name_local` the Macedonian Cyrillic name of the Wikipedia list
  "Statistical regions of North Macedonia" without the word "регион":
  {"; ".join(f"{c} {la} / {cy}" for c, (la, cy) in MK_NUTS3_NAMES.items())}.

## `municipalities_xk.csv` — Kosovo

- **Official count:** {OFFICIAL_COUNT["XK"][1]}
- `XK` is added as a country in `registry/seed.py` (pycountry has no Kosovo).
- Serbian names transliterated: {len(logs["XK"]["transliterated"])}.

## `municipalities_al.csv` — Albania

- **Official count:** {OFFICIAL_COUNT["AL"][1]}
- NUTS-3 region → county:
{bl(logs["AL"]["nuts_qark"])}

## `names_hr.csv` — Croatian LAU codes → proper-case names and kinds

- Columns `lau` (5-digit LAU code as in Eurostat LAU 2019 / GISCO LAU 2020), `name_local`, `kind` (`grad` or
  `opcina`). 556 rows = 128 gradovi (incl. Grad Zagreb) + 428 općine, the national list's counts.
- Matched by name within the county; county ↔ NUTS-3 2016 derived from the unambiguous matches:
{bl(logs["HR"]["county_nuts"])}
- Names that differ from the GISCO LAU 2020 proper-case name (national list form used):
{bl(logs["HR"]["renamed"])}
- `registry/europe.py` uses this file for HR units in `make seed-europe`.
"""  # noqa: E501 - the text of the Markdown file it writes, tables and all
    )
