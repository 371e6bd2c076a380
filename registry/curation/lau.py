"""The Eurostat LAU table the package ships, and units of countries without a national roster found
in it.

`make seed-europe` loads all ~99,000 LAU units; without it a row naming 'Grad Opatija' (HR) or
'Gemeente Heerlen' (NL) would find nothing. Such a row is looked up in the same table and the one
unit it names is added exactly as the Europe load would add it (id `hr-03336`, LAU crosswalk code,
Eurostat as its roster source), so a later `make seed-europe` matches it and never adds it twice.
`make seed-europe` (registry/europe.py) reads the table through `staged_rows`.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import asyncpg

from registry.collation import refresh_sort_keys
from registry.curation.names import index_forms
from registry.dates import parse_partial
from registry.db import queries
from registry.settings import SEEDS_DIR
from registry.text import search_text

LAU_FILE = SEEDS_DIR / "europe" / "eurostat_lau2019_nuts2016_all_countries.csv.gz"
SOURCE = {
    "id": "eurostat-lau-2019",
    "url": "https://ec.europa.eu/eurostat/web/nuts/local-administrative-units",
    "document": "seeds/europe/eurostat_lau2019_nuts2016_all_countries.csv.gz",
    "title": "EU-28-LAU-2019-NUTS-2016 correspondence table (all country sheets)",
    "publisher": "Eurostat (table as packaged in the R package rOpenGov/regions, commit 0890afe9)",
    "language": "en",
    "published_on": None,
    "seen_on": "2026-11-21",
    "note": "LAU 2019 units with population, area and degree of urbanisation. Reusable with "
    "attribution "
    "under Eurostat's copyright notice; the R package is GPL-3. See seeds/europe/SOURCES.md.",
}
LICENCE = "Eurostat: reuse with attribution (Eurostat copyright notice)"
# Croatian LAU names are capitalised in the table ("GRAD ZAGREB"); the national list's names and
# kinds replace them
HR_NAMES_FILE = SEEDS_DIR / "rosters" / "names_hr.csv"
# the registry's kinds for a grad and an općina
HR_KIND = {"grad": "city", "opcina": "municipality"}
EUROSTAT_TO_ISO = {"EL": "GR", "UK": "GB"}

_INDEX: dict[str, dict[str, list[tuple]]] = {}  # country -> folded name -> staged rows


def _id_part(code: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", code.lower()).strip("-")


def hr_names(path: Path = HR_NAMES_FILE) -> dict[str, dict[str, str]]:
    """LAU code -> {name_local, kind} for Croatia (seeds/rosters/names_hr.csv; empty if the file is
    absent)."""
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as fh:
        return {r["lau"]: r for r in csv.DictReader(fh)}


def staged_rows(path: Path = LAU_FILE) -> Iterator[tuple]:
    """The LAU table as rows of europe_stage."""
    hr = hr_names()
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            eurostat_cc = r["country"]
            country = EUROSTAT_TO_ISO.get(eurostat_cc, eurostat_cc)
            code = r["lau_code"]
            if country == "SI":
                code = code.zfill(3)  # leading zeros were lost upstream (seeds/europe/SOURCES.md)
            national = r["lau_name_national"].strip()
            latin = r["lau_name_latin"].strip() or national
            variants = [v for v in {latin, national} if v]
            if country == "HR" and code.zfill(5) in hr:
                code = code.zfill(5)
                national = latin = hr[code]["name_local"]  # Croatian is written in Latin script
                variants = sorted(set(variants) | {national})
            area = float(r["total_area_m2"]) / 1e6 if r["total_area_m2"] else None
            yield (
                f"{country.lower()}-{_id_part(code)}",
                country,
                f"{country}_{code}".upper(),
                code,
                r["code_2016"] or None,
                national or latin,
                latin,
                variants,
                int(r["population"]) if r["population"] else None,
                round(area, 2) if area and area >= 0.005 else None,
                int(r["degurba"]) if r["degurba"] in ("1", "2", "3") else None,
                search_text(national, latin),
            )


def _index(country: str) -> dict[str, list[tuple]]:
    if not _INDEX:
        for row in staged_rows():
            forms = _INDEX.setdefault(row[1], {})
            for name in {row[5], row[6], *row[7]}:
                for form in index_forms(name):
                    if row not in forms.setdefault(form, []):
                        forms[form].append(row)
    return _INDEX.get(country, {})


def find(country: str, readings: list[list[str]]) -> list[tuple]:
    """The LAU rows a row's readings name (the first list of readings that finds any)."""
    index = _index(country)
    for forms in readings:
        found = {row[0]: row for form in forms for row in index.get(form, [])}
        if found:
            return list(found.values())
    return []


def by_token(scheme: str, token: str) -> tuple | None:
    """The LAU row a registry id ('hr-03336') or LAU code ('HR_03336') names, for a country without
    a roster."""
    country = token[:2].upper()
    for rows in _index(country).values():
        for row in rows:
            if (scheme == "id" and row[0] == token.lower()) or (
                scheme == "lau" and row[2] == token.upper()
            ):
                return row
    return None


async def add(conn: asyncpg.Connection, row: tuple) -> str:
    """Add one LAU unit as the Europe load would; its id."""
    (
        unit_id,
        country,
        lau_key,
        code,
        region,
        name_local,
        name_latin,
        variants,
        population,
        area,
        degurba,
        search,
    ) = row
    await upsert_source(conn, SOURCE)
    await conn.execute(queries.link_country_roster_source, country, SOURCE["id"], LICENCE)
    if region:
        await conn.execute(queries.region_exists_or_add, region, country)
    kind = (
        HR_KIND.get(hr_names().get(code, {}).get("kind", ""), "lau_unit")
        if country == "HR"
        else "lau_unit"
    )
    await conn.fetchval(
        queries.insert_lau_unit,
        unit_id,
        country,
        code,
        kind,
        region,
        name_local,
        name_latin,
        variants,
        population,
        area,
        degurba,
        SOURCE["id"],
        search,
    )
    await conn.execute(queries.insert_lau_identifier, lau_key, unit_id)
    await refresh_sort_keys(conn, [unit_id])
    return unit_id


async def upsert_source(conn: asyncpg.Connection, src: dict[str, Any]) -> None:
    """A source of reference data loaded by a command (the Europe-wide LAU table, benchmark
    data)."""
    published = parse_partial(src.get("published_on"))
    await conn.execute(
        queries.upsert_source,
        src["id"],
        src.get("url"),
        src.get("document"),
        src["title"],
        src.get("publisher"),
        src["language"],
        published.start,
        published.precision,
        dt.date.fromisoformat(src["seen_on"]) if src.get("seen_on") else None,
        src.get("note"),
    )
