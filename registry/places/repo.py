"""Reads for countries and municipalities: named queries in, structs out, domain errors raised."""

from __future__ import annotations

import datetime as dt

import asyncpg
import msgspec

from registry.db import queries
from registry.display import displayed, writes_dates
from registry.i18n import Language, gettext, region_name
from registry.errors import BadParameter, Conflict, NotFound, require_printable
from registry.places.schemas import Country, CountrySummary


async def list_countries(conn: asyncpg.Connection) -> list[CountrySummary]:
    return [msgspec.convert(dict(r), CountrySummary) for r in await conn.fetch(queries.list_countries)]


async def get_country(conn: asyncpg.Connection, code: str) -> Country:
    row = await conn.fetchrow(queries.get_country, require_printable("country", code).upper())
    if row is None:
        raise NotFound("country", code)
    return msgspec.convert(dict(row), Country)


async def check_country(conn: asyncpg.Connection, code: str | None, parameter: str = "country") -> str | None:
    """The upper-cased ISO 3166-1 code, or 400 naming `parameter` if the registry does not know it."""
    if code is None:
        return None
    code = code.upper()
    if len(code) != 2 or not await conn.fetchval(queries.country_exists, code):
        raise BadParameter(parameter, gettext("unknown country code {code}: use ISO 3166-1 alpha-2, e.g. SI, PL, RS, AZ")
                           .format(code=repr(code)))
    return code


async def check_region(conn: asyncpg.Connection, code: str | None) -> str | None:
    if code is None:
        return None
    if not await conn.fetchval(queries.region_exists, code.upper()):
        raise BadParameter("region", gettext("unknown region code {code}: see GET /v1/countries/{{code}} for its regions")
                           .format(code=repr(code)))
    return code.upper()


# above every registry id in byte order (ids are lower-case ASCII: the country code, a hyphen, the rest)
_END_OF_IDS = "\U0010ffff"


def status_scope(country: str | None) -> tuple[str, str]:
    """The id range [low, high) of a country's units in byte order (ids start with its code and a hyphen,
    migration 0012), or of every unit."""
    if country is None:
        return "", _END_OF_IDS
    return f"{country.lower()}-", f"{country.lower()}."


async def list_municipalities(
    conn: asyncpg.Connection, *, country: str | None, region: str | None, kind: str | None,
    model: str | None, status: str | None, as_of: dt.date, q: str | None, include_sub_units: bool,
    sort_language: str | None, after: tuple[bytes, int, str] | None, limit: int, language: Language, script: str,
) -> tuple[str, tuple[bytes, int, str] | None]:
    """One page and the (sort key, match rank, id) the next page starts after, None on the last page.

    The items are one JSON array written by SQL in the fields and order of `MunicipalitySummary`, labelled in
    `language` with names in `script` (municipality_items_json, migration 0019; tests/test_display.py checks
    them against the Python labelling), to be sent on as they are. sort_language None orders by id; a
    language orders by name in that language's alphabet.
    """
    key, rank, last_id = after if after else (b"", 0, None)
    if status is not None and sort_language is None and q is None:
        # units found by status in one index range (migration 0017), not by probing every unit in order
        low, high = status_scope(country)
        row = await displayed(conn, language, lambda display: conn.fetchrow(
            queries.list_municipalities_by_status, low, high, last_id or "", model, status, as_of, region, kind,
            include_sub_units, limit + 1, display, script,
        ))
    else:
        row = await displayed(conn, language, lambda display: conn.fetchrow(
            queries.list_municipalities, country, region, kind, model, status, as_of, q,
            include_sub_units, rank, last_id, limit + 1, sort_language, key, display, script,
        ))
    if not row["more"]:
        return row["items"], None
    return row["items"], (bytes(row["sort_key"]), row["match_rank"], row["id"])


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


async def get_municipality_written(conn: asyncpg.Connection, municipality_id: str, as_of: dt.date, private: bool,
                                   language: Language, script: str) -> tuple[bytes, int] | None:
    """(document, version): the profile as SQL writes it labelled in `language`, names in `script` (migration
    0023), to be sent on as it is; None for a language whose dates SQL cannot write (get_municipality and
    the Python labelling then answer). tests/test_display.py checks it is what they give, byte for byte."""
    require_printable("municipality", municipality_id)
    if not writes_dates(language):
        return None
    row = await displayed(conn, language, lambda key: conn.fetchrow(
        queries.get_municipality_profile_labelled, municipality_id.lower(), as_of, private, key, script))
    if row is None:
        raise NotFound("municipality", municipality_id)
    document = row["document"]
    code, written = row["region_code"], row["region_label"]
    if written is not None and "-" in code:  # an ISO 3166-2 region: its name in the language, where pycountry has one
        stored = msgspec.json.decode(written)
        named = region_name(code, stored, language)
        if named != stored:  # "label" is the region's key alone: it occurs once outside the strings
            document = document.replace(f'"label":{written}', f'"label":{msgspec.json.encode(named).decode()}', 1)
    return document.encode(), row["version"]


async def get_municipality(conn: asyncpg.Connection, municipality_id: str, as_of: dt.date,
                           private: bool = False) -> dict:
    """The profile document as SQL builds it: exactly the fields of `Municipality`, in its order (checked by
    tests/test_api_read.py), so it is sent on without a round trip through the struct."""
    require_printable("municipality", municipality_id)
    profile = await conn.fetchval(queries.get_municipality_profile, municipality_id.lower(), as_of, private)
    if profile is None:
        raise NotFound("municipality", municipality_id)
    return profile
