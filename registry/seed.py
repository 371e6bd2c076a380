"""Load the seed data shipped in seeds/: countries, rosters, the model catalogue, bodies and sourced facts.

Every step is an upsert keyed on a natural key, so loading twice changes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import logging
from collections import Counter
from pathlib import Path
from typing import Any

import asyncpg
import pycountry

from registry.collation import refresh_sort_keys
from registry.dates import parse_partial
from registry.db import queries
from registry.settings import SEEDS_DIR
from registry.text import search_text

log = logging.getLogger(__name__)

# crosswalk scheme for each country's official municipality code
NATIONAL_SCHEME = {"PL": "teryt", "RS": "rzs", "SI": "si_obcina", "AZ": "iso3166_2", "MK": "iso3166_2", "ME": "iso3166_2"}
# Kosovo has no ISO 3166-1 entry, so pycountry lacks it; XK/XKX is the user-assigned code the EU uses.
EXTRA_COUNTRIES = [("XK", "XKX", None, "Kosovo", None)]


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _int(value: str) -> int | None:
    return int(value) if value not in ("", None) else None


def _float(value: str) -> float | None:
    return float(value) if value not in ("", None) else None


def _variants(row: dict[str, str]) -> list[str]:
    return [v for v in row["name_variants"].split("|") if v]


async def seed_all(conn: asyncpg.Connection, seeds: Path = SEEDS_DIR, facts: bool = True) -> dict[str, int]:
    """Load every seed file in one transaction; return counts of what was loaded.

    facts=False loads countries, rosters, the catalogue, bodies and the source documents, but no fact about
    a municipality: an empty registry to import into.
    """
    counts: Counter[str] = Counter()
    async with conn.transaction():
        await _countries(conn, counts)
        fact_files = sorted((seeds / "facts").glob("*.json"))
        documents = [json.loads(p.read_text(encoding="utf-8")) for p in fact_files]
        for doc in documents:  # sources first: bodies and rosters cite them
            await _source(conn, doc["source"])
        await _rosters(conn, seeds / "rosters", counts)
        await _catalogue(conn, seeds / "catalogue", counts)
        for doc in documents if facts else []:
            await _facts(conn, doc, counts)
        counts["sort_keys"] = await refresh_sort_keys(conn)
    await conn.execute(queries.analyze_places)
    return dict(counts)


async def _countries(conn: asyncpg.Connection, counts: Counter[str]) -> None:
    rows = [
        (c.alpha_2, c.alpha_3, c.numeric, c.name, getattr(c, "official_name", None))
        for c in pycountry.countries
    ] + EXTRA_COUNTRIES
    await conn.executemany(queries.upsert_country, rows)
    counts["countries"] = len(rows)


async def _source(conn: asyncpg.Connection, src: dict[str, Any]) -> None:
    published = parse_partial(src.get("published_on"))
    await conn.execute(
        queries.upsert_source, src["id"], src.get("url"), src.get("document"), src["title"],
        src.get("publisher"), src["language"], published.start, published.precision,
        _date(src.get("seen_on")), src.get("note"),
    )


async def _rosters(conn: asyncpg.Connection, folder: Path, counts: Counter[str]) -> None:
    meta = json.loads((folder / "rosters.json").read_text(encoding="utf-8"))
    rosters = meta if isinstance(meta, list) else meta.get("rosters", meta.get("countries", []))
    roster_source: dict[str, str] = {}
    for roster in rosters:
        country = roster["country"]
        for i, src in enumerate(roster.get("sources", [])):
            source_id = f"roster-{country.lower()}-{i + 1}"
            roster_source.setdefault(country, source_id)
            address = src.get("address") or src.get("url") or ""
            url, _, more = address.partition("; ")
            if not url.startswith(("http://", "https://")):
                url, more = None, address
            await _source(conn, {
                "id": source_id, "url": url, "document": f"seeds/rosters/municipalities_{country.lower()}.csv",
                "title": src["title"], "publisher": src.get("publisher"),
                "language": src.get("language", "en"), "published_on": None, "seen_on": "2026-11-21",
                "note": " ".join(part for part in (src.get("note"), more) if part) or None,
            })
            await conn.execute(queries.link_country_roster_source, country, source_id, src.get("licence"))
        await conn.execute(
            queries.set_country_roster, country, bool(roster.get("complete")),
            _date(roster.get("as_of")), roster.get("caveats"),
        )

    with (folder / "regions.csv").open(encoding="utf-8", newline="") as fh:
        regions = list(csv.DictReader(fh))
    # parents before children
    regions.sort(key=lambda r: (r["parent"] != "", r["code"]))
    await conn.executemany(queries.upsert_region, [
        (r["code"], r["country"], r["kind"], r["name_local"], r["name_latin"] or r["name_local"],
         r["parent"] or None) for r in regions
    ])
    counts["regions"] = len(regions)

    for path in sorted(folder.glob("municipalities_*.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        rows.sort(key=lambda r: r["parent_id"] != "")  # parents first
        await conn.executemany(queries.upsert_municipality, [
            (r["id"], r["country"], r["national_code"] or None, r["kind"], r["region"] or None,
             r["parent_id"] or None, r["counted"].lower() == "true", r["name_local"],
             r["name_latin"] or r["name_local"], _int(r["population"]), _int(r["population_year"]),
             _float(r["area_km2"]), roster_source.get(r["country"]),
             search_text(r["name_local"], r["name_latin"], *_variants(r)), _variants(r))
            for r in rows
        ])
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
        counts["municipalities"] += len(rows)
        counts["identifiers"] += len(identifiers)


async def _catalogue(conn: asyncpg.Connection, folder: Path, counts: Counter[str]) -> None:
    bodies = json.loads((folder / "bodies.json").read_text(encoding="utf-8"))["bodies"]
    for b in bodies:
        await conn.execute(
            queries.upsert_body, b["id"], b["name"], b.get("short_name"), b.get("country"),
            b["roles"], b.get("url"), b.get("source_id"), b.get("note"),
        )
    counts["bodies"] = len(bodies)
    models = json.loads((folder / "models.json").read_text(encoding="utf-8"))["models"]
    for m in models:
        await conn.execute(
            queries.upsert_model, m["code"], m["name"], m["kind"], m["lifecycle"], m.get("owner"),
            m.get("description"), m.get("cycle_months"), m.get("surveillance_interval_months"),
            m.get("surveillance_grace_months"), m.get("label_validity_months"),
            m.get("activity_window_months"), m.get("source_note"),
        )
        for ed in m["editions"]:
            published = parse_partial(ed.get("published"))
            await conn.execute(
                queries.upsert_edition, m["code"], ed["code"], ed["label"], ed["status"],
                published.start, published.precision, _date(ed.get("withdrawn_on")),
                _date(ed.get("certificates_valid_until")), ed.get("note"),
            )
            counts["editions"] += 1
    counts["models"] = len(models)


async def _facts(conn: asyncpg.Connection, doc: dict[str, Any], counts: Counter[str]) -> None:
    source_id = doc["source"]["id"]
    for adoption in doc.get("adoptions", []):
        municipality, model = adoption["municipality"], adoption["model"]
        adoption_id = await conn.fetchval(
            queries.upsert_adoption, municipality, model, adoption.get("scope") or "", adoption.get("note")
        )
        seen: Counter[str] = Counter()
        for ev in adoption["events"]:
            when = parse_partial(ev.get("date"))
            base = f"{source_id}/{municipality}/{model}/{ev['type']}/{when.text() or 'undated'}"
            seen[base] += 1
            key = base if seen[base] == 1 else f"{base}#{seen[base]}"
            findings = ev.get("findings") or {}
            await conn.execute(
                queries.upsert_seed_event, adoption_id, key, ev["type"], when.start, when.end,
                when.precision, ev.get("edition"), model, ev.get("body"), ev.get("certificate_number"),
                _date(ev.get("valid_until")), findings.get("major"), findings.get("minor"),
                ev["evidence_level"], ev.get("note"), source_id, ev["quote"],
            )
            counts["events"] += 1
    for aw in doc.get("awards", []):
        when = parse_partial(aw.get("date") or str(aw["year"]))
        key = f"{source_id}/{aw['municipality']}/{aw['scheme']}/{aw['year']}/{aw.get('category') or ''}"
        await conn.execute(
            queries.upsert_seed_award, key, aw["municipality"], aw["scheme"], aw["year"], aw.get("edition"),
            aw.get("category"), aw["level"], when.start, when.end, when.precision, aw.get("body"),
            aw.get("note"), source_id, aw["quote"],
        )
        counts["awards"] += 1
    for prog in doc.get("programmes", []):
        started = parse_partial(prog.get("started"))
        owner_country = await conn.fetchval(queries.body_country, prog.get("owner"))
        await conn.execute(
            queries.upsert_programme, prog["id"], prog["name"], prog.get("owner"), prog["model"],
            owner_country, started.start, started.end, started.precision, prog.get("note"), source_id,
            prog.get("quote"),
        )
        for member in prog.get("members", []):
            joined = parse_partial(member.get("joined"))
            await conn.execute(
                queries.upsert_programme_member, prog["id"], member["municipality"], joined.start,
                joined.end, joined.precision, source_id, member.get("quote"),
            )
            counts["programme_members"] += 1
        counts["programmes"] += 1
