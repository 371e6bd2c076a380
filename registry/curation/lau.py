"""Units of countries without a national roster, found in the Eurostat LAU table the package ships.

`make seed-europe` loads all ~99,000 LAU units; without it a row naming 'Grad Opatija' (HR) or 'Gemeente Heerlen'
(NL) would find nothing. Such a row is looked up in the same table and the one unit it names is added exactly
as the Europe load would add it (id `hr-03336`, LAU crosswalk code, Eurostat as its roster source), so a later
`make seed-europe` matches it and never adds it twice.
"""

from __future__ import annotations

import asyncpg

from registry.collation import refresh_sort_keys
from registry.curation.names import index_forms
from registry.db import queries

_INDEX: dict[str, dict[str, list[tuple]]] = {}  # country -> folded name -> staged rows


def _index(country: str) -> dict[str, list[tuple]]:
    if not _INDEX:
        from registry.europe import staged_rows  # late: registry.europe imports the seed loader

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
    """The LAU row a registry id ('hr-03336') or LAU code ('HR_03336') names, for a country without a roster."""
    country = token[:2].upper()
    for rows in _index(country).values():
        for row in rows:
            if (scheme == "id" and row[0] == token.lower()) or (scheme == "lau" and row[2] == token.upper()):
                return row
    return None


async def add(conn: asyncpg.Connection, row: tuple) -> str:
    """Add one LAU unit as the Europe load would; its id."""
    from registry.europe import HR_KIND, LICENCE, SOURCE, hr_names
    from registry.seed import upsert_source

    unit_id, country, lau_key, code, region, name_local, name_latin, variants, population, area, degurba, search = row
    await upsert_source(conn, SOURCE)
    await conn.execute(queries.link_country_roster_source, country, SOURCE["id"], LICENCE)
    if region:
        await conn.execute(queries.region_exists_or_add, region, country)
    kind = HR_KIND.get(hr_names().get(code, {}).get("kind", ""), "lau_unit") if country == "HR" else "lau_unit"
    await conn.fetchval(queries.insert_lau_unit, unit_id, country, code, kind, region, name_local, name_latin,
                        variants, population, area, degurba, SOURCE["id"], search)
    await conn.execute(queries.insert_lau_identifier, lau_key, unit_id)
    await refresh_sort_keys(conn, [unit_id])
    return unit_id
