"""Writes of municipalities: those curators add in countries without a complete roster, and the
curated fields (name variants, identifiers, note) of every municipality.

The same sequence as registry/curation/service.py: lock, check scope and If-Match, write, record.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping

import asyncpg
import msgspec

from registry.auth import Principal, require_writer
from registry.collation import refresh_sort_keys
from registry.curation import schemas as c
from registry.curation.audit import check_if_match, locked, merge, record
from registry.curation.checks import (
    resolve_municipality,
    unchanged,
)
from registry.curation.names import index_forms
from registry.db import queries
from registry.errors import Conflict, InvalidRecord
from registry.text import fold, search_text
from registry.vocab import IdentifierScheme


def _readable_id(country: str, name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")[:60] or "unit"
    return f"{country.lower()}-{slug}"


async def _snapshot(conn: asyncpg.Connection, municipality_id: str) -> dict:
    row = await conn.fetchrow(queries.lock_municipality, municipality_id)
    return {
        **row["row"],
        "identifiers": await conn.fetchval(queries.identifiers_of, municipality_id),
    }


async def _write_identifiers(
    conn: asyncpg.Connection,
    municipality_id: str,
    identifiers: Mapping[IdentifierScheme, str],
    keep: list[str],
) -> None:
    await conn.execute(queries.delete_identifiers_of, municipality_id, keep)
    for scheme, value in identifiers.items():
        if scheme in keep:
            continue
        try:
            async with conn.transaction():
                await conn.execute(queries.insert_identifier, scheme, value, municipality_id)
        except asyncpg.UniqueViolationError:
            raise InvalidRecord(
                f"identifiers.{scheme}", f"{value!r} already names another municipality"
            ) from None


async def _similar_units(
    conn: asyncpg.Connection, country: str, tier: str, names: list[str]
) -> list[str]:
    """Units of the country and tier whose name is the same or nearly the same (a
    near-duplicate)."""
    wanted = {form for n in names if n for form in index_forms(n)}
    found = []
    for r in await conn.fetch(queries.holders_of_country, country):
        if r["tier"] != tier:
            continue
        forms = {
            f
            for n in (r["name_local"], r["name_latin"], *r["name_variants"])
            for f in index_forms(n)
        }
        if wanted & forms or any(
            difflib.SequenceMatcher(None, w, f).ratio() >= 0.88 for w in wanted for f in forms
        ):
            found.append(
                f"{r['id']} {r['name_latin']} ({r['kind']}, {r['region_code'] or 'no region'})"
            )
    return found


async def create_municipality(
    conn: asyncpg.Connection,
    who: Principal | None,
    data: c.MunicipalityIn,
    import_id: str | None = None,
) -> c.Written:
    """A unit of a country without a complete roster, or a holder of another tier (an agency, a
    county or a regional government where no roster lists that tier). A near-duplicate of a unit
    (the same or nearly the same name, any script) is refused, naming it, unless `allow_similar`."""
    country = data.country.upper()
    who = require_writer(who, country, "municipalities")
    complete = await conn.fetchval(queries.country_roster_complete, country)
    if complete is None:
        raise InvalidRecord("country", f"unknown country code {country!r}")
    if data.tier == "municipality" and complete:
        raise Conflict(
            f"{country} has a complete official roster: its municipalities come from it, "
            "not from curation"
        )
    if data.tier != "municipality" and await conn.fetchval(
        queries.tier_has_roster, country, data.tier
    ):
        raise Conflict(f"a roster lists the {data.tier} units of {country}: name one of them")
    parent = None
    if data.parent:
        parent, parent_country = await resolve_municipality(conn, data.parent, "parent")
        if parent_country != country:
            raise InvalidRecord("parent", f"{parent} is not in {country}")
    if not data.allow_similar:
        similar = await _similar_units(
            conn, country, data.tier, [data.name_local, data.name_latin or ""]
        )
        if similar:
            raise InvalidRecord(
                "name_local",
                f"{country} has a {data.tier} of this or a similar name: name it "
                "instead, or set allow_similar to add another",
                similar=similar,
            )
    municipality_id = data.id or _readable_id(country, data.name_latin or data.name_local)
    if not municipality_id.startswith(country.lower() + "-"):
        raise InvalidRecord("id", f"ids of {country} municipalities start with {country.lower()}-")
    if data.region and not await conn.fetchval(queries.region_exists, data.region.upper()):
        raise InvalidRecord("region", f"unknown region {data.region!r}")
    latin = data.name_latin or data.name_local
    if not await conn.fetchval(
        queries.insert_curated_municipality,
        municipality_id,
        country,
        data.national_code,
        data.kind,
        data.region.upper() if data.region else None,
        data.name_local,
        latin,
        data.name_variants,
        data.population,
        data.population_year,
        data.area_km2,
        search_text(data.name_local, latin, *data.name_variants),
        data.note,
        data.tier,
        parent,
        data.tier == "municipality",
    ):
        raise Conflict(f"municipality {municipality_id!r} exists")
    await _write_identifiers(conn, municipality_id, data.identifiers, [])
    await refresh_sort_keys(conn, [municipality_id])
    after = await _snapshot(conn, municipality_id)
    change = await record(
        conn,
        who,
        "create",
        "municipality",
        municipality_id,
        municipality_id,
        None,
        after,
        import_id,
    )
    return c.Written(
        entity="municipality", id=municipality_id, version=1, change_id=change, record=after
    )


ROSTER_SCHEMES = ["teryt", "rzs", "si_obcina", "iso3166_2", "lau"]


async def update_municipality(
    conn: asyncpg.Connection,
    who: Principal | None,
    municipality_id: str,
    patch: c.MunicipalityPatch,
    if_match: str | None,
) -> c.Written:
    current = await locked(
        conn, queries.lock_municipality, municipality_id.lower(), "municipality", if_match
    )
    municipality_id = current["row"]["id"]
    who = require_writer(who, current["country_code"], f"municipality {municipality_id}")
    check_if_match(if_match, current["version"], f"municipality {municipality_id}")
    if not current["curated"]:
        for field in c.ROSTER_FIELDS:
            if getattr(patch, field) is not msgspec.UNSET:
                raise InvalidRecord(
                    field, "a roster field: it changes only with the official roster"
                )
    before = await _snapshot(conn, municipality_id)
    row = current["row"]
    data, changed = merge(
        {**row, "region": row["region_code"], "identifiers": before["identifiers"]},
        patch,
        c.MunicipalityPatch,
    )
    if not changed:
        return unchanged("municipality", municipality_id, current["version"], before)
    # merged with the stored row: every field holds a value
    assert isinstance(data.name_local, str) and isinstance(data.name_variants, list)
    name_latin = data.name_latin or data.name_local
    if data.region and not await conn.fetchval(queries.region_exists, data.region.upper()):
        raise InvalidRecord("region", f"unknown region {data.region!r}")
    version = await conn.fetchval(
        queries.update_municipality,
        municipality_id,
        data.name_local,
        name_latin,
        data.name_variants,
        data.kind,
        data.region.upper() if data.region else None,
        data.population,
        data.population_year,
        data.area_km2,
        data.note,
        search_text(data.name_local, name_latin, *data.name_variants),
        data.national_code,
    )
    if patch.identifiers is not msgspec.UNSET:
        keep = [] if current["curated"] else ROSTER_SCHEMES
        bad = [s for s in patch.identifiers if s in keep]
        if bad:
            raise InvalidRecord(
                f"identifiers.{bad[0]}", "a roster identifier: it changes only with the roster"
            )
        await _write_identifiers(conn, municipality_id, patch.identifiers, keep)
    await refresh_sort_keys(conn, [municipality_id])
    after = await _snapshot(conn, municipality_id)
    change = await record(
        conn, who, "update", "municipality", municipality_id, municipality_id, before, after, None
    )
    return c.Written(
        entity="municipality", id=municipality_id, version=version, change_id=change, record=after
    )


async def delete_municipality(
    conn: asyncpg.Connection, who: Principal | None, municipality_id: str, if_match: str | None
) -> c.Written:
    current = await locked(
        conn, queries.lock_municipality, municipality_id.lower(), "municipality", if_match
    )
    municipality_id = current["row"]["id"]
    who = require_writer(who, current["country_code"], f"municipality {municipality_id}")
    check_if_match(if_match, current["version"], f"municipality {municipality_id}")
    if not current["curated"]:
        raise Conflict(f"{municipality_id} comes from an official roster and cannot be deleted")
    if await conn.fetchval(queries.municipality_fact_count, municipality_id):
        raise Conflict(
            f"{municipality_id} still has adoptions, awards or memberships; delete them first"
        )
    before = await _snapshot(conn, municipality_id)
    await conn.execute(queries.delete_municipality, municipality_id)
    change = await record(
        conn, who, "delete", "municipality", municipality_id, municipality_id, before, None, None
    )
    return c.Written(entity="municipality", id=municipality_id, change_id=change)
