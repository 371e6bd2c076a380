"""Writes of the records facts refer to: sources, bodies, programmes and their members
(municipalities: registry/curation/municipalities.py).

The same sequence as registry/curation/service.py: lock, check scope and If-Match, write, record. A
write that touches two records checks the key's scope on both (a programme's country and its
member's).
"""

from __future__ import annotations

import asyncpg
import msgspec

from registry.auth import Principal, require_writer
from registry.curation import schemas as c
from registry.curation.audit import check_if_match, locked, merge, record
from registry.curation.checks import (
    check_model,
    check_refs,
    checked_date,
    resolve_municipality,
    unchanged,
)
from registry.db import queries
from registry.errors import Conflict, InvalidRecord, NotFound


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
