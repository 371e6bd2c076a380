"""Reads for countries and municipalities: named queries in, structs out, domain errors raised."""

from __future__ import annotations

import datetime as dt

import asyncpg
import msgspec

from registry.db import queries
from registry.errors import BadParameter, Conflict, NotFound, require_printable
from registry.i18n import gettext
from registry.places.schemas import (
    AdoptionBrief,
    Country,
    CountrySummary,
    Municipality,
    MunicipalitySummary,
)


async def list_countries(conn: asyncpg.Connection) -> list[CountrySummary]:
    return [
        msgspec.convert(dict(r), CountrySummary) for r in await conn.fetch(queries.list_countries)
    ]


async def get_country(conn: asyncpg.Connection, code: str) -> Country:
    row = await conn.fetchrow(queries.get_country, require_printable("country", code).upper())
    if row is None:
        raise NotFound("country", code)
    return msgspec.convert(dict(row), Country)


async def check_region(conn: asyncpg.Connection, code: str | None) -> str | None:
    if code is None:
        return None
    if not await conn.fetchval(queries.region_exists, code.upper()):
        raise BadParameter(
            "region",
            gettext(
                "unknown region code {code}: see GET /v1/countries/{{code}} for its regions"
            ).format(code=repr(code)),
        )
    return code.upper()


# above every registry id in byte order (ids are lower-case ASCII: the country code, a hyphen, the
# rest)
_END_OF_IDS = "\U0010ffff"


def status_scope(country: str | None) -> tuple[str, str]:
    """The id range [low, high) of a country's units in byte order (ids start with its code and a
    hyphen, migration 0012), or of every unit."""
    if country is None:
        return "", _END_OF_IDS
    return f"{country.lower()}-", f"{country.lower()}."


BASES = {
    "confirmed": ["evidenced", "inferred"],
    "evidenced": ["evidenced"],
    "inferred": ["inferred"],
    "unknown": ["unknown"],
    "any": ["evidenced", "inferred", "unknown"],
}


def bases(basis: str | None, status: str | None) -> list[str]:
    """The bases a status filter accepts: by default what the evidence confirms (evidenced or
    inferred), and for the status `unknown` its own basis."""
    if basis is None:
        basis = "unknown" if status == "unknown" else "confirmed"
    return BASES[basis]


def _summary(row: asyncpg.Record) -> MunicipalitySummary:
    return MunicipalitySummary(
        id=row["id"],
        country_code=row["country_code"],
        kind=row["kind"],
        tier=row["tier"],
        region_code=row["region_code"],
        parent_id=row["parent_id"],
        name_local=row["name_local"],
        name_latin=row["name_latin"],
        population=row["population"],
        population_year=row["population_year"],
        area_km2=row["area_km2"],
        degurba=row["degurba"],
        adoptions=[AdoptionBrief(model=m, status=s, basis=b) for m, s, b in row["adoptions"]],
    )


async def list_municipalities(
    conn: asyncpg.Connection,
    *,
    country: str | None,
    region: str | None,
    kind: str | None,
    model: str | None,
    status: str | None,
    basis: str | None,
    as_of: dt.date,
    q: str | None,
    include_sub_units: bool,
    sort_language: str | None,
    after: tuple[bytes, int, str] | None,
    limit: int,
    hide: str,
    tier: str | None = "municipality",
) -> tuple[list[MunicipalitySummary], tuple[bytes, int, str] | None]:
    """One page and the (sort key, match rank, id) the next page starts after, None on the last
    page. Statuses from the spans of the audience not hidden (registry/status/store.py audience()).
    sort_language None orders by id; a language orders by name in that language's alphabet. `tier`
    None lists every tier."""
    key, rank, last_id = after if after else (b"", 0, None)
    accepted = bases(basis, status)
    if status is not None and sort_language is None and q is None:
        # units found by status in one index range, not by probing every unit in order
        low, high = status_scope(country)
        rows = await conn.fetch(
            queries.list_municipalities_by_status,
            low,
            high,
            last_id or "",
            model,
            status,
            as_of,
            region,
            kind,
            include_sub_units,
            limit + 1,
            hide,
            accepted,
            tier,
        )
    else:
        rows = await conn.fetch(
            queries.list_municipalities,
            country,
            region,
            kind,
            model,
            status,
            as_of,
            q,
            include_sub_units,
            rank,
            last_id,
            limit + 1,
            sort_language,
            key,
            accepted,
            hide,
            tier,
        )
    items = [_summary(r) for r in rows[:limit]]
    if len(rows) <= limit:
        return items, None
    last = rows[limit - 1]
    return items, (bytes(last["sort_key"]), last["match_rank"], last["id"])


async def resolve_identifier(conn: asyncpg.Connection, scheme: str, value: str) -> str:
    """The municipality id behind a crosswalk identifier; 404 naming both if none."""
    require_printable("municipality", value)
    if scheme == "id":
        return value.lower()
    found = await conn.fetchval(queries.resolve_identifier, scheme, value)
    if found is None and scheme == "lau":
        matches = await conn.fetch(queries.resolve_lau_without_country, value)
        if len(matches) == 1:
            return matches[0]["municipality_id"]
        if len(matches) > 1:
            raise Conflict(
                f"LAU code {value!r} exists in several countries; prefix the country, e.g. "
                f"{matches[0]['value']}",
                candidates=[{"lau": r["value"], "id": r["municipality_id"]} for r in matches],
            )
        raise NotFound("municipality", f"lau:{value}")
    if found is None:  # the scheme is one of the vocabulary's (the route checks it)
        raise NotFound("municipality", f"{scheme}:{value}")
    return found


async def get_municipality(
    conn: asyncpg.Connection, municipality_id: str, as_of: dt.date, private: bool, hide: str
) -> Municipality:
    """The profile of a municipality on `as_of` (non-public facts with `private`; statuses of the
    audience not hidden), its labelled fields still empty."""
    require_printable("municipality", municipality_id)
    profile = await conn.fetchval(
        queries.get_municipality_profile, municipality_id.lower(), as_of, private, hide
    )
    if profile is None:
        raise NotFound("municipality", municipality_id)
    return msgspec.convert(profile, Municipality)
