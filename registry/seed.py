"""Load the seed data shipped in seeds/ once; afterwards apply only what changed in the seed files.

Seeds are initial data. The first load writes countries, rosters, the model catalogue, bodies,
sources and sourced facts. A restart with the same files does nothing (seed_state holds their
digest). When the files change, each changed record is applied as a change recorded in the change
feed (key name `seed`), and never over a curator's edit: records a curator can change go through the
same writes a curator's key does, with the version the seed last wrote as If-Match
(registry/seed_ledger.py), so a record a curator changed or deleted since stays as the curator left
it and the skip is logged. Roster fields, which only the official roster changes, are updated in
place; a unit's name variants are merged with a curator's.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import logging
from collections import Counter
from collections.abc import Sequence
from importlib.metadata import version
from pathlib import Path
from typing import Any

import asyncpg
import pycountry

from registry.collation import refresh_sort_keys
from registry.db import init_connection, queries
from registry.seed_facts import (
    load_catalogue,
    load_evidence,
    load_facts,
    load_sources_and_bodies,
    roster_sources,
)
from registry.seed_ledger import Ledger
from registry.settings import SEEDS_DIR

log = logging.getLogger(__name__)

# part of the digest: a loader that reads the files differently applies them again
LOADER_VERSION = "2"
# the crosswalk scheme of each country's official municipality code
NATIONAL_SCHEME = {
    "PL": "teryt",
    "RS": "rzs",
    "SI": "si_obcina",
    "AZ": "iso3166_2",
    "MK": "iso3166_2",
    "ME": "iso3166_2",
}
# Kosovo has no ISO 3166-1 entry, so pycountry lacks it; XK/XKX is the user-assigned code the EU
# uses.
EXTRA_COUNTRIES = [("XK", "XKX", None, "Kosovo", None)]


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _int(value: str) -> int | None:
    return int(value) if value not in ("", None) else None


def _float(value: str) -> float | None:
    return float(value) if value not in ("", None) else None


def _variants(row: dict[str, str]) -> list[str]:
    return [v for v in row["name_variants"].split("|") if v]


def seed_digest(seeds: Path, facts: bool) -> str:
    """The digest of everything a load reads: the seed files, pycountry's data and the loader
    itself."""
    h = hashlib.sha256(f"{LOADER_VERSION}|{facts}|pycountry {version('pycountry')}".encode())
    for path in sorted(p for p in seeds.rglob("*") if p.is_file() and "europe" not in p.parts):
        h.update(str(path.relative_to(seeds)).encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


async def seed_all(
    conn: asyncpg.Connection, seeds: Path = SEEDS_DIR, facts: bool = True
) -> dict[str, int]:
    """Apply the seed files in one transaction unless they were applied already; return counts of
    what changed.

    facts=False loads countries, rosters, the catalogue, bodies and the source documents, but no
    fact about a municipality: an empty registry to import into.
    """
    digest = seed_digest(seeds, facts)
    counts: Counter[str] = Counter()
    # json values as the pool's connections take them, on any connection
    await init_connection(conn)
    async with conn.transaction():
        await conn.execute(queries.seed_lock)
        if await conn.fetchval(queries.seed_digest) == digest:
            return {}
        ledger = Ledger(conn, {r["key"]: r for r in await conn.fetch(queries.seed_records)}, counts)
        await _countries(conn, counts)
        documents = [
            json.loads(p.read_text(encoding="utf-8"))
            for p in sorted((seeds / "facts").glob("*.json"))
        ]
        rosters = json.loads((seeds / "rosters" / "rosters.json").read_text(encoding="utf-8"))
        await load_sources_and_bodies(
            ledger,
            [d["source"] for d in documents] + roster_sources(rosters),
            json.loads((seeds / "catalogue" / "bodies.json").read_text("utf-8"))["bodies"],
        )
        changed_units = await _rosters(conn, ledger, seeds / "rosters", rosters, counts)
        await load_catalogue(
            ledger, json.loads((seeds / "catalogue" / "models.json").read_text("utf-8"))["models"]
        )
        if facts:
            await load_facts(ledger, documents)
            if (seeds / "evidence").is_dir():
                await load_evidence(ledger, seeds / "evidence")
        await ledger.forget_the_rest()
        counts["sort_keys"] = await refresh_sort_keys(conn, changed_units)
        await conn.execute(queries.seed_state_save, digest)
    await conn.execute(queries.analyze_places)
    return {k: v for k, v in counts.items() if v}


async def _countries(conn: asyncpg.Connection, counts: Counter[str]) -> None:
    rows = [
        (c.alpha_2, c.alpha_3, c.numeric, c.name, getattr(c, "official_name", None))
        for c in pycountry.countries
    ] + EXTRA_COUNTRIES
    await conn.executemany(queries.upsert_country, rows)
    counts["countries"] = len(rows)


async def _rosters(
    conn: asyncpg.Connection,
    ledger: Ledger,
    folder: Path,
    rosters: list[dict],
    counts: Counter[str],
) -> list[str] | None:
    """Regions, units and identifiers of the official rosters; the ids of units added or changed
    (None: all)."""
    for roster in rosters:
        country = roster["country"]
        for source_id, src in roster_sources([roster], with_values=True):
            await conn.execute(
                queries.link_country_roster_source, country, source_id, src.get("licence")
            )
        await conn.execute(
            queries.set_country_roster,
            country,
            bool(roster.get("complete")),
            _date(roster.get("as_of")),
            roster.get("caveats"),
        )
    with (folder / "regions.csv").open(encoding="utf-8", newline="") as fh:
        # parents first
        regions = sorted(csv.DictReader(fh), key=lambda r: (r["parent"] != "", r["code"]))
    await conn.executemany(
        queries.upsert_region,
        [
            (
                r["code"],
                r["country"],
                r["kind"],
                r["name_local"],
                r["name_latin"] or r["name_local"],
                r["parent"] or None,
            )
            for r in regions
        ],
    )
    first_source = {
        r["country"]: sid for r in rosters for sid, _ in roster_sources([r], with_values=True)[:1]
    }
    changed: list[str] = []
    first_load = not any(key.startswith("municipality:") for key in ledger.known)
    # municipalities first, then the units of other tiers (tiers_*.csv, column `tier`), which may
    # point to them
    exonyms = _exonyms(folder / "exonyms.csv")
    for path in [*sorted(folder.glob("municipalities_*.csv")), *sorted(folder.glob("tiers_*.csv"))]:
        with path.open(encoding="utf-8", newline="") as fh:
            rows = sorted(csv.DictReader(fh), key=lambda r: r["parent_id"] != "")  # parents first
        units = [_unit(r, first_source.get(r["country"]), exonyms.get(r["id"], [])) for r in rows]
        changed += await ledger.roster_units(units, first_load)
        identifiers = []
        for r in rows:
            national = NATIONAL_SCHEME.get(r["country"])
            if national and national != "iso3166_2" and r["national_code"]:
                identifiers.append((national, r["national_code"], r["id"]))
            if r["iso3166_2"]:
                identifiers.append(("iso3166_2", r["iso3166_2"], r["id"]))
            if r["lau"]:
                identifiers.append(("lau", f"{r['country']}_{r['lau']}", r["id"]))
        await conn.executemany(queries.upsert_identifier, identifiers)
        counts["identifiers"] += len(identifiers)
    return None if first_load else changed


def _exonyms(path: Path) -> dict[str, list[str]]:
    """Unit id -> the names people write for it in other languages (seeds/rosters/exonyms.csv, from
    GeoNames)."""
    found: dict[str, list[str]] = {}
    if path.exists():
        with path.open(encoding="utf-8", newline="") as fh:
            for r in csv.DictReader(fh):
                found.setdefault(r["id"], []).append(r["name"])
    return found


def _unit(
    r: dict[str, str], roster_source: str | None, exonyms: Sequence[str] = ()
) -> dict[str, Any]:
    """A roster row as the municipality table's roster fields (and the roster's name variants, then
    the exonyms of exonyms.csv)."""
    return {
        "id": r["id"],
        "country_code": r["country"],
        "national_code": r["national_code"] or None,
        "kind": r["kind"],
        "region_code": r["region"] or None,
        "parent_id": r["parent_id"] or None,
        "counted": r["counted"].lower() == "true",
        "name_local": r["name_local"],
        "name_latin": r["name_latin"] or r["name_local"],
        "population": _int(r["population"]),
        "population_year": _int(r["population_year"]),
        "area_km2": _float(r["area_km2"]),
        "roster_source_id": roster_source,
        "name_variants": _variants(r) + [n for n in exonyms if n not in _variants(r)],
        # only when not a municipality: the units of municipalities_*.csv keep the digest the seed
        # recorded
        **({"tier": r["tier"]} if r.get("tier", "municipality") != "municipality" else {}),
    }
