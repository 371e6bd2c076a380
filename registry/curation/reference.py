"""Writes of the records facts refer to: sources, bodies, programmes and their members,
municipalities.

The same sequence as registry/curation/service.py: lock, check scope and If-Match, write, record. A
write that touches two records checks the key's scope on both (a programme's country and its
member's).
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
from registry.curation.names import index_forms
from registry.curation.service import (
    check_model,
    check_refs,
    checked_date,
    resolve_municipality,
    unchanged,
)
from registry.db import queries
from registry.errors import Conflict, InvalidRecord, NotFound
from registry.text import fold, search_text
from registry.vocab import IdentifierScheme


def _any_writer(who: Principal | None, what: str) -> Principal:
    """Sources (and bodies of no country) belong to no country: any admin or editor key may change
    them."""
    if who is not None and who.role == "editor":
        return who
    return require_writer(who, None, what)


def _stored_partial(start: str | None, end: str | None, precision: str | None) -> str | None:
    """A stored (from, to, precision) as the partial-date string the API takes."""
    if start is None or precision in (None, "unknown"):
        return None
    return {"year": start[:4], "month": start[:7], "range": f"{start}/{end}"}.get(precision, start)


# ---------------------------------------------------------------- sources


def _source_values(data: c.SourceIn) -> tuple:
    if data.url is None and data.document is None:
        raise InvalidRecord("url", "a source needs an address (url) or a stored document")
    published = checked_date(data.published_on, "published_on")
    return (
        data.url,
        data.document,
        data.title,
        data.publisher,
        data.language,
        published.start,
        published.precision,
        data.seen_on,
        data.note,
    )


async def create_source(
    conn: asyncpg.Connection, who: Principal | None, data: c.SourceIn, import_id: str | None = None
) -> c.Written:
    who = _any_writer(who, "sources")
    if not await conn.fetchval(queries.insert_source, data.id, *_source_values(data)):
        raise Conflict(f"a source with id {data.id!r} exists")
    after = (await conn.fetchrow(queries.lock_source, data.id))["row"]
    change = await record(conn, who, "create", "source", data.id, None, None, after, import_id)
    return c.Written(entity="source", id=data.id, version=1, change_id=change, record=after)


async def update_source(
    conn: asyncpg.Connection,
    who: Principal | None,
    source_id: str,
    patch: c.SourcePatch,
    if_match: str | None,
) -> c.Written:
    who = _any_writer(who, "sources")
    current = await locked(conn, queries.lock_source, source_id, "source", if_match)
    check_if_match(if_match, current["version"], f"source {source_id}")
    before = current["row"]
    published = _stored_partial(
        before.get("published_on"), before.get("published_on"), before["published_precision"]
    )
    data, changed = merge({**before, "published_on": published}, patch, c.SourceIn)
    if not changed:
        return unchanged("source", source_id, current["version"], before)
    version = await conn.fetchval(queries.update_source, source_id, *_source_values(data))
    after = (await conn.fetchrow(queries.lock_source, source_id))["row"]
    change = await record(conn, who, "update", "source", source_id, None, before, after, None)
    return c.Written(entity="source", id=source_id, version=version, change_id=change, record=after)


async def delete_source(
    conn: asyncpg.Connection, who: Principal | None, source_id: str, if_match: str | None
) -> c.Written:
    who = _any_writer(who, "sources")
    current = await locked(conn, queries.lock_source, source_id, "source", if_match)
    check_if_match(if_match, current["version"], f"source {source_id}")
    try:
        async with conn.transaction():
            await conn.execute(queries.delete_source, source_id)
    except asyncpg.ForeignKeyViolationError:
        raise Conflict(
            f"source {source_id!r} is still cited by facts; change or delete them first"
        ) from None
    change = await record(
        conn, who, "delete", "source", source_id, None, current["row"], None, None
    )
    return c.Written(entity="source", id=source_id, change_id=change)


# ---------------------------------------------------------------- bodies


async def _body_values(conn: asyncpg.Connection, data: c.BodyIn) -> tuple:
    country = data.country.upper() if data.country else None
    if country and not await conn.fetchval(queries.country_exists, country):
        raise InvalidRecord("country", f"unknown country code {country!r}")
    await check_refs(
        conn, body=None, source_id=data.source_id, unsourced=True, source_required=False
    )
    for n, acc in enumerate(data.accreditations):
        if acc.accreditor == data.id:
            raise InvalidRecord(
                f"accreditations[{n}].accreditor", "a body does not accredit itself"
            )
        if not await conn.fetchval(queries.body_exists, acc.accreditor):
            raise InvalidRecord(
                f"accreditations[{n}].accreditor", f"no body {acc.accreditor!r}: see GET /v1/bodies"
            )
        if acc.source_id and not await conn.fetchval(queries.source_exists, acc.source_id):
            raise InvalidRecord(f"accreditations[{n}].source_id", f"no source {acc.source_id!r}")
        if acc.granted_on and acc.valid_until and acc.valid_until < acc.granted_on:
            raise InvalidRecord(f"accreditations[{n}].valid_until", "ends before it was granted")
    keys = [(a.accreditor, a.scheme) for a in data.accreditations]
    if len(set(keys)) != len(keys):
        raise InvalidRecord("accreditations", "the same accreditor and scheme are given twice")
    return (
        data.name,
        data.short_name,
        country,
        sorted(set(data.roles)),
        data.url,
        data.source_id,
        data.note,
        _unique(data.aliases),
        _unique(data.former_names),
    )


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(i.strip() for i in items if i.strip()))


async def _write_accreditations(conn: asyncpg.Connection, body_id: str, data: c.BodyIn) -> None:
    await conn.execute(queries.clear_body_accreditations, body_id)
    for a in data.accreditations:
        await conn.execute(
            queries.insert_body_accreditation,
            body_id,
            a.accreditor,
            a.scheme,
            a.scope,
            a.number,
            a.granted_on,
            a.valid_until,
            a.source_id,
            a.note,
        )


async def _body_after(conn: asyncpg.Connection, body_id: str) -> dict:
    row = (await conn.fetchrow(queries.lock_body, body_id))["row"]
    return {**row, "accreditations": await conn.fetchval(queries.body_accreditations, body_id)}


def _body_writer(who: Principal | None, country: str | None, what: str) -> Principal:
    return require_writer(who, country, what) if country else _any_writer(who, what)


async def create_body(
    conn: asyncpg.Connection, who: Principal | None, data: c.BodyIn, import_id: str | None = None
) -> c.Written:
    values = await _body_values(conn, data)
    who = _body_writer(who, values[2], "bodies")
    if not await conn.fetchval(queries.insert_body, data.id, *values):
        raise Conflict(f"a body with id {data.id!r} exists")
    await _write_accreditations(conn, data.id, data)
    after = await _body_after(conn, data.id)
    change = await record(conn, who, "create", "body", data.id, None, None, after, import_id)
    return c.Written(entity="body", id=data.id, version=1, change_id=change, record=after)


async def update_body(
    conn: asyncpg.Connection,
    who: Principal | None,
    body_id: str,
    patch: c.BodyPatch,
    if_match: str | None,
) -> c.Written:
    current = await locked(conn, queries.lock_body, body_id, "body", if_match)
    who = _body_writer(who, current["country_code"], f"body {body_id}")
    before = await _body_after(conn, body_id)
    data, changed = merge({**before, "country": before.get("country_code")}, patch, c.BodyIn)
    values = await _body_values(conn, data)
    # moving it to another country: that one's too
    who = _body_writer(who, values[2], f"body {body_id}")
    check_if_match(if_match, current["version"], f"body {body_id}")
    if not changed:
        return unchanged("body", body_id, current["version"], before)
    version = await conn.fetchval(queries.update_body, body_id, *values)
    if patch.accreditations is not msgspec.UNSET:
        await _write_accreditations(conn, body_id, data)
    after = await _body_after(conn, body_id)
    change = await record(conn, who, "update", "body", body_id, None, before, after, None)
    return c.Written(entity="body", id=body_id, version=version, change_id=change, record=after)


async def delete_body(
    conn: asyncpg.Connection, who: Principal | None, body_id: str, if_match: str | None
) -> c.Written:
    current = await locked(conn, queries.lock_body, body_id, "body", if_match)
    who = _body_writer(who, current["country_code"], f"body {body_id}")
    check_if_match(if_match, current["version"], f"body {body_id}")
    before = await _body_after(conn, body_id)
    try:
        async with conn.transaction():
            await conn.execute(queries.clear_body_accreditations, body_id)
            await conn.execute(queries.delete_body, body_id)
    except asyncpg.ForeignKeyViolationError:
        raise Conflict(
            f"body {body_id!r} is still named by facts or models, or accredits others; change "
            f"them "
            "first"
        ) from None
    change = await record(conn, who, "delete", "body", body_id, None, before, None, None)
    return c.Written(entity="body", id=body_id, change_id=change)


# ---------------------------------------------------------------- programmes and members


async def _programme_values(conn: asyncpg.Connection, data: c.ProgrammeIn) -> tuple:
    model = await check_model(conn, data.model)
    country = data.country.upper()
    if not await conn.fetchval(queries.country_exists, country):
        raise InvalidRecord("country", f"unknown country code {country!r}")
    await check_refs(
        conn, body=data.owner, source_id=data.source_id, unsourced=True, source_required=False
    )
    started = checked_date(data.started, "started")
    return (
        data.name,
        data.owner,
        model,
        country,
        started.start,
        started.end,
        started.precision,
        data.note,
        data.source_id,
        data.quote,
    )


async def create_programme(
    conn: asyncpg.Connection,
    who: Principal | None,
    data: c.ProgrammeIn,
    import_id: str | None = None,
) -> c.Written:
    values = await _programme_values(conn, data)
    who = require_writer(who, values[3], "programmes")
    if not await conn.fetchval(queries.insert_programme, data.id, *values):
        raise Conflict(f"a programme with id {data.id!r} exists")
    after = (await conn.fetchrow(queries.lock_programme, data.id))["row"]
    change = await record(conn, who, "create", "programme", data.id, None, None, after, import_id)
    return c.Written(entity="programme", id=data.id, version=1, change_id=change, record=after)


def _programme_as_input(row: dict) -> dict:
    return {
        **row,
        "owner": row.get("owner_body_id"),
        "model": row.get("model_code"),
        "country": row.get("country_code"),
        "started": _stored_partial(
            row.get("started_from"), row.get("started_to"), row["started_precision"]
        ),
    }


async def update_programme(
    conn: asyncpg.Connection,
    who: Principal | None,
    programme_id: str,
    patch: c.ProgrammePatch,
    if_match: str | None,
) -> c.Written:
    current = await locked(conn, queries.lock_programme, programme_id, "programme", if_match)
    who = require_writer(who, current["country_code"], f"programme {programme_id}")
    check_if_match(if_match, current["version"], f"programme {programme_id}")
    before = current["row"]
    data, changed = merge(_programme_as_input(before), patch, c.ProgrammeIn)
    if not changed:
        return unchanged("programme", programme_id, current["version"], before)
    version = await conn.fetchval(
        queries.update_programme, programme_id, *await _programme_values(conn, data)
    )
    after = (await conn.fetchrow(queries.lock_programme, programme_id))["row"]
    change = await record(conn, who, "update", "programme", programme_id, None, before, after, None)
    return c.Written(
        entity="programme", id=programme_id, version=version, change_id=change, record=after
    )


async def delete_programme(
    conn: asyncpg.Connection, who: Principal | None, programme_id: str, if_match: str | None
) -> c.Written:
    current = await locked(conn, queries.lock_programme, programme_id, "programme", if_match)
    who = require_writer(who, current["country_code"], f"programme {programme_id}")
    for country in await conn.fetchval(queries.programme_member_countries, programme_id):
        require_writer(who, country, f"the members in {country} of programme {programme_id}")
    check_if_match(if_match, current["version"], f"programme {programme_id}")
    await conn.execute(queries.delete_programme, programme_id)
    change = await record(
        conn, who, "delete", "programme", programme_id, None, current["row"], None, None
    )
    return c.Written(entity="programme", id=programme_id, change_id=change)


async def _member_scope(
    conn: asyncpg.Connection, who: Principal | None, programme_id: str, municipality: str
) -> tuple[str, Principal]:
    """A membership belongs to two records: the key must be allowed to change both (the programme's
    country and the municipality's). The programme stays locked, so its members change one writer at
    a time."""
    programme = await locked(conn, queries.lock_programme, programme_id, "programme", None)
    who = require_writer(who, programme["country_code"], f"programme {programme_id}")
    try:
        municipality_id, country = await resolve_municipality(conn, municipality)
    # the address names the municipality (an import resolves it first): none is 404
    except InvalidRecord:
        raise NotFound("municipality", municipality) from None
    who = require_writer(who, country, f"municipality {municipality_id}")
    return municipality_id, who


async def put_member(
    conn: asyncpg.Connection,
    who: Principal | None,
    programme_id: str,
    municipality: str,
    data: c.MemberIn,
    import_id: str | None = None,
) -> c.Written:
    municipality_id, who = await _member_scope(conn, who, programme_id, municipality)
    joined = checked_date(data.joined, "joined")
    await check_refs(conn, body=None, source_id=data.source_id, unsourced=data.unsourced)
    key = f"{programme_id}/{municipality_id}"
    before = await conn.fetchval(queries.member_row, programme_id, municipality_id)
    await conn.execute(
        queries.upsert_member,
        programme_id,
        municipality_id,
        joined.start,
        joined.end,
        joined.precision,
        data.source_id,
        data.quote,
    )
    after = await conn.fetchval(queries.member_row, programme_id, municipality_id)
    if before == after:
        return unchanged("programme_member", key, None, after)
    await conn.execute(queries.bump_municipality, municipality_id)
    change = await record(
        conn,
        who,
        "update" if before else "create",
        "programme_member",
        key,
        municipality_id,
        before,
        after,
        import_id,
    )
    return c.Written(entity="programme_member", id=key, change_id=change, record=after)


async def delete_member(
    conn: asyncpg.Connection, who: Principal | None, programme_id: str, municipality: str
) -> c.Written:
    municipality_id, who = await _member_scope(conn, who, programme_id, municipality)
    key = f"{programme_id}/{municipality_id}"
    before = await conn.fetchval(queries.member_row, programme_id, municipality_id)
    if before is None:
        raise NotFound("programme member", key)
    await conn.execute(queries.delete_member, programme_id, municipality_id)
    await conn.execute(queries.bump_municipality, municipality_id)
    change = await record(
        conn, who, "delete", "programme_member", key, municipality_id, before, None, None
    )
    return c.Written(entity="programme_member", id=key, change_id=change)


# ---------------------------------------------------------------- municipalities


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
