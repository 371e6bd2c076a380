"""Writes: validation against the registry's rules, country scopes, versions and the audit trail.

Every function takes a connection inside a transaction, checks everything before it writes, and records
the change (who, when, what, before and after) in the same transaction: a write is whole or absent.
"""

from __future__ import annotations

import re
from typing import Any

import asyncpg
import msgspec

from registry.auth import Principal, require_writer
from registry.catalogue.repo import model_code
from registry.curation import schemas as c
from registry.dates import PartialDate, parse_partial
from registry.db import queries
from registry.errors import Conflict, InvalidRecord, NotFound, PreconditionFailed
from registry.text import fold, search_text

CERTIFICATION_TYPES = ("certification", "recertification")


# ---------------------------------------------------------------- shared checks


def checked_date(value: str | None, field: str, declared: str | None = None) -> PartialDate:
    try:
        when = parse_partial(value)
    except ValueError as exc:
        raise InvalidRecord(field, str(exc)) from None
    if declared is not None and declared != when.precision:
        if declared == "unknown" and value:
            raise InvalidRecord(f"{field}_precision", f"an unknown date cannot carry the value {value!r}")
        raise InvalidRecord(f"{field}_precision", f"{value!r} has precision {when.precision}; a date whose "
                                                  f"precision is {declared} cannot be written that way")
    return when


def check_if_match(if_match: str | None, version: int) -> None:
    """412 when If-Match names another version of the record ('*' and absent headers pass)."""
    if not if_match or if_match.strip() == "*":
        return
    tags = [t.strip().removeprefix("W/").strip('"') for t in if_match.split(",")]
    if not any(t.split(".")[0] == str(version) for t in tags):
        raise PreconditionFailed(f"the record changed meanwhile: it is at version {version}, not {if_match}",
                                 current_version=version)


async def resolve_municipality(conn: asyncpg.Connection, token: str, field: str = "municipality") -> tuple[str, str]:
    """(id, country) of a municipality named by id or scheme:value; 422 naming the field if none."""
    scheme, sep, value = token.partition(":")
    if not sep:
        scheme, value = "id", token
    row = await conn.fetchrow(queries.resolve_many, [scheme.lower()], [value.strip()])
    municipality_id = row["municipality_id"] if row else None
    if municipality_id is None:
        raise unknown_municipality(token, field)
    record = await conn.fetchrow(queries.municipality_row, municipality_id)
    return municipality_id, record["country_code"]


# The rules below take what was looked up (one query per write here, one per import in bulk.py) and raise
# the same 422 either way.


def unknown_municipality(token: str, field: str = "municipality") -> InvalidRecord:
    return InvalidRecord(field, f"no municipality {token!r} (use an id such as si-050 or scheme:value)")


def model_rule(code: str, known: bool, field: str = "model") -> None:
    if not known:
        raise InvalidRecord(field, f"unknown model {code!r}: see GET /v1/models")


def edition_rule(model: str, edition: str | None, known: bool) -> None:
    if edition is not None and not known:
        raise InvalidRecord("edition", f"{model} has no edition {edition!r}: see GET /v1/models/{model}")


def source_rule(source_id: str | None, unsourced: bool, known: bool, required: bool = True) -> None:
    if source_id is not None and not known:
        raise InvalidRecord("source_id", f"no source {source_id!r}: create it first (POST /v1/sources)")
    if required and source_id is None and not unsourced:
        raise InvalidRecord("source_id", "every fact about a municipality needs a source: give source_id, "
                                         "or mark the fact unsourced: true")


def surveillance_rule(model: str, date: str | None, certified_by_then: bool) -> None:
    """A surveillance audit needs a certification of the adoption on or before it."""
    if not certified_by_then:
        raise InvalidRecord("date", f"a surveillance audit cannot precede the certification it belongs to: "
                                    f"no certification of {model} on or before {date}")


async def _check_model(conn: asyncpg.Connection, code: str, field: str = "model") -> str:
    normal = model_code(code)
    model_rule(code, await conn.fetchval(queries.model_exists, normal), field)
    return normal


async def _check_refs(conn: asyncpg.Connection, *, body: str | None, source_id: str | None, unsourced: bool,
                      source_required: bool = True) -> None:
    if body is not None and not await conn.fetchval(queries.body_exists, body):
        raise InvalidRecord("body", f"no body {body!r}: see GET /v1/bodies")
    source_rule(source_id, unsourced, source_id is None or await conn.fetchval(queries.source_exists, source_id),
                source_required)


async def _record(conn: asyncpg.Connection, who: Principal, action: str, entity: str, entity_id: str,
                  municipality_id: str | None, before: Any, after: Any, import_id: str | None) -> int:
    return await conn.fetchval(queries.record_change, who.name, action, entity, entity_id, municipality_id,
                               import_id, before, after)


def _merge(current: msgspec.Struct | dict, patch: msgspec.Struct, target: type) -> Any:
    base = msgspec.to_builtins(current) if not isinstance(current, dict) else dict(current)
    changes = {f: getattr(patch, f) for f in patch.__struct_fields__ if getattr(patch, f) is not msgspec.UNSET}
    merged = {k: v for k, v in (base | msgspec.to_builtins(changes)).items() if k in target.__struct_fields__}
    return msgspec.convert(merged, target)


# ---------------------------------------------------------------- events


async def _prepare_event(conn: asyncpg.Connection, who: Principal, data: c.EventIn,
                         event_id: int | None = None) -> tuple[str, int, tuple]:
    municipality_id, country = await resolve_municipality(conn, data.municipality)
    require_writer(who, country, f"municipality {municipality_id}")
    model = await _check_model(conn, data.model)
    when = checked_date(data.date, "date", data.date_precision)
    edition_rule(model, data.edition,
                 data.edition is None or await conn.fetchval(queries.edition_exists, model, data.edition))
    await _check_refs(conn, body=data.body, source_id=data.source_id, unsourced=data.unsourced)
    adoption_id = await conn.fetchval(queries.find_adoption, municipality_id, model, data.scope)
    if data.type == "surveillance" and when.end is not None:
        surveillance_rule(model, data.date, adoption_id is not None and await conn.fetchval(
            queries.earliest_certification_before, adoption_id, when.end, event_id))
    if adoption_id is None:
        adoption_id = await conn.fetchval(queries.insert_adoption, municipality_id, model, data.scope, None)
    values = (data.type, when.start, when.end, when.precision, data.edition, data.body, data.certificate_number,
              data.valid_until, data.major_nonconformities, data.minor_nonconformities, data.evidence_level,
              data.score, data.public, data.note, data.source_id, data.quote, data.unsourced)
    return municipality_id, adoption_id, (model, values)


async def get_event(conn: asyncpg.Connection, event_id: int, private: bool) -> dict:
    row = await conn.fetchrow(queries.get_event, event_id, private)
    if row is None:
        raise NotFound("event", str(event_id))
    return dict(row)


async def create_event(conn: asyncpg.Connection, who: Principal, data: c.EventIn,
                       import_id: str | None = None) -> c.Written:
    municipality_id, adoption_id, (model, v) = await _prepare_event(conn, who, data)
    event_id = await conn.fetchval(queries.insert_event, adoption_id, v[0], v[1], v[2], v[3], v[4], model, *v[5:])
    after = await get_event(conn, event_id, True)
    await conn.execute(queries.bump_municipality, municipality_id)
    change = await _record(conn, who, "create", "event", str(event_id), municipality_id, None, after, import_id)
    return c.Written(entity="event", id=str(event_id), version=after["version"], change_id=change, record=after)


async def update_event(conn: asyncpg.Connection, who: Principal, event_id: int, patch: c.EventPatch,
                       if_match: str | None) -> c.Written:
    before = await get_event(conn, event_id, True)
    row = await conn.fetchrow(queries.event_row, event_id)
    require_writer(who, row["country_code"], f"event {event_id}")
    check_if_match(if_match, before["version"])
    data = _merge({**before, "municipality": before["municipality_id"], "scope": before["scope"] or ""},
                  patch, c.EventIn)
    municipality_id, adoption_id, (_, v) = await _prepare_event(conn, who, data, event_id)
    version = await conn.fetchval(queries.update_event, event_id, *v)
    after = await get_event(conn, event_id, True)
    await conn.execute(queries.bump_municipality, municipality_id)
    change = await _record(conn, who, "update", "event", str(event_id), municipality_id, before, after, None)
    return c.Written(entity="event", id=str(event_id), version=version, change_id=change, record=after)


async def delete_event(conn: asyncpg.Connection, who: Principal, event_id: int, if_match: str | None) -> c.Written:
    before = await get_event(conn, event_id, True)
    row = await conn.fetchrow(queries.event_row, event_id)
    require_writer(who, row["country_code"], f"event {event_id}")
    check_if_match(if_match, before["version"])
    await conn.execute(queries.delete_event, event_id)
    await conn.execute(queries.bump_municipality, row["municipality_id"])
    change = await _record(conn, who, "delete", "event", str(event_id), row["municipality_id"], before, None, None)
    return c.Written(entity="event", id=str(event_id), change_id=change)


# ---------------------------------------------------------------- awards


async def _prepare_award(conn: asyncpg.Connection, who: Principal, data: c.AwardIn) -> tuple[str, tuple]:
    municipality_id, country = await resolve_municipality(conn, data.municipality)
    require_writer(who, country, f"municipality {municipality_id}")
    scheme = await _check_model(conn, data.scheme, "scheme")
    if await conn.fetchval(queries.model_kind_of, scheme) != "award_scheme":
        raise InvalidRecord("scheme", f"{scheme} is not an award scheme")
    when = checked_date(data.date or str(data.year), "date")
    if when.start is not None and when.start.year != data.year:
        raise InvalidRecord("date", f"{data.date} is not in the award year {data.year}")
    await _check_refs(conn, body=data.body, source_id=data.source_id, unsourced=data.unsourced)
    return municipality_id, (scheme, data.year, data.edition, data.category, data.level, when.start, when.end,
                             when.precision, data.body, data.public, data.note, data.source_id, data.quote,
                             data.unsourced)


async def get_award(conn: asyncpg.Connection, award_id: int, private: bool) -> dict:
    row = await conn.fetchrow(queries.get_award, award_id, private)
    if row is None:
        raise NotFound("award", str(award_id))
    return dict(row)


async def create_award(conn: asyncpg.Connection, who: Principal, data: c.AwardIn,
                       import_id: str | None = None) -> c.Written:
    municipality_id, values = await _prepare_award(conn, who, data)
    award_id = await conn.fetchval(queries.insert_award, municipality_id, *values)
    after = await get_award(conn, award_id, True)
    await conn.execute(queries.bump_municipality, municipality_id)
    change = await _record(conn, who, "create", "award", str(award_id), municipality_id, None, after, import_id)
    return c.Written(entity="award", id=str(award_id), version=after["version"], change_id=change, record=after)


async def update_award(conn: asyncpg.Connection, who: Principal, award_id: int, patch: c.AwardPatch,
                       if_match: str | None) -> c.Written:
    before = await get_award(conn, award_id, True)
    row = await conn.fetchrow(queries.award_row, award_id)
    require_writer(who, row["country_code"], f"award {award_id}")
    check_if_match(if_match, before["version"])
    data = _merge({**before, "municipality": before["municipality_id"]}, patch, c.AwardIn)
    municipality_id, values = await _prepare_award(conn, who, data)
    version = await conn.fetchval(queries.update_award, award_id, *values)
    after = await get_award(conn, award_id, True)
    await conn.execute(queries.bump_municipality, municipality_id)
    change = await _record(conn, who, "update", "award", str(award_id), municipality_id, before, after, None)
    return c.Written(entity="award", id=str(award_id), version=version, change_id=change, record=after)


async def delete_award(conn: asyncpg.Connection, who: Principal, award_id: int, if_match: str | None) -> c.Written:
    before = await get_award(conn, award_id, True)
    row = await conn.fetchrow(queries.award_row, award_id)
    require_writer(who, row["country_code"], f"award {award_id}")
    check_if_match(if_match, before["version"])
    await conn.execute(queries.delete_award, award_id)
    await conn.execute(queries.bump_municipality, row["municipality_id"])
    change = await _record(conn, who, "delete", "award", str(award_id), row["municipality_id"], before, None, None)
    return c.Written(entity="award", id=str(award_id), change_id=change)


# ---------------------------------------------------------------- sources and bodies


def _any_writer(who: Principal | None, what: str) -> Principal:
    """Sources (and bodies of no country) belong to no country: any admin or editor key may change them."""
    if who is not None and who.role == "editor":
        return who
    return require_writer(who, None, what)


async def _source_values(data: c.SourceIn) -> tuple:
    if data.url is None and data.document is None:
        raise InvalidRecord("url", "a source needs an address (url) or a stored document")
    published = checked_date(data.published_on, "published_on")
    return (data.url, data.document, data.title, data.publisher, data.language, published.start,
            published.precision, data.seen_on, data.note)


async def _source_row(conn: asyncpg.Connection, source_id: str) -> asyncpg.Record:
    row = await conn.fetchrow(queries.source_row, source_id)
    if row is None:
        raise NotFound("source", source_id)
    return row


async def create_source(conn: asyncpg.Connection, who: Principal | None, data: c.SourceIn,
                        import_id: str | None = None) -> c.Written:
    who = _any_writer(who, "sources")
    if await conn.fetchval(queries.source_exists, data.id):
        raise Conflict(f"a source with id {data.id!r} exists")
    await conn.execute(queries.insert_source, data.id, *await _source_values(data))
    after = (await _source_row(conn, data.id))["row"]
    change = await _record(conn, who, "create", "source", data.id, None, None, after, import_id)
    return c.Written(entity="source", id=data.id, version=1, change_id=change, record=after)


async def update_source(conn: asyncpg.Connection, who: Principal | None, source_id: str, patch: c.SourcePatch,
                        if_match: str | None) -> c.Written:
    who = _any_writer(who, "sources")
    current = await _source_row(conn, source_id)
    check_if_match(if_match, current["version"])
    before = current["row"]
    published = _stored_partial(before.get("published_on"), before.get("published_on"),
                                before["published_precision"])
    data = _merge({**before, "published_on": published}, patch, c.SourceIn)
    version = await conn.fetchval(queries.update_source, source_id, *await _source_values(data))
    after = (await _source_row(conn, source_id))["row"]
    change = await _record(conn, who, "update", "source", source_id, None, before, after, None)
    return c.Written(entity="source", id=source_id, version=version, change_id=change, record=after)


async def delete_source(conn: asyncpg.Connection, who: Principal | None, source_id: str,
                        if_match: str | None) -> c.Written:
    who = _any_writer(who, "sources")
    current = await _source_row(conn, source_id)
    check_if_match(if_match, current["version"])
    try:
        async with conn.transaction():
            await conn.execute(queries.delete_source, source_id)
    except asyncpg.ForeignKeyViolationError:
        raise Conflict(f"source {source_id!r} is still cited by facts; change or delete them first") from None
    change = await _record(conn, who, "delete", "source", source_id, None, current["row"], None, None)
    return c.Written(entity="source", id=source_id, change_id=change)


async def _body_row(conn: asyncpg.Connection, body_id: str) -> asyncpg.Record:
    row = await conn.fetchrow(queries.body_row, body_id)
    if row is None:
        raise NotFound("body", body_id)
    return row


async def _body_values(conn: asyncpg.Connection, data: c.BodyIn) -> tuple:
    country = data.country.upper() if data.country else None
    if country and not await conn.fetchval(queries.country_exists, country):
        raise InvalidRecord("country", f"unknown country code {country!r}")
    await _check_refs(conn, body=None, source_id=data.source_id, unsourced=True, source_required=False)
    return data.name, data.short_name, country, sorted(set(data.roles)), data.url, data.source_id, data.note


async def create_body(conn: asyncpg.Connection, who: Principal | None, data: c.BodyIn,
                      import_id: str | None = None) -> c.Written:
    values = await _body_values(conn, data)
    who = require_writer(who, values[2], "bodies") if values[2] else _any_writer(who, "bodies")
    if await conn.fetchval(queries.body_exists, data.id):
        raise Conflict(f"a body with id {data.id!r} exists")
    await conn.execute(queries.insert_body, data.id, *values)
    after = (await _body_row(conn, data.id))["row"]
    change = await _record(conn, who, "create", "body", data.id, None, None, after, import_id)
    return c.Written(entity="body", id=data.id, version=1, change_id=change, record=after)


async def update_body(conn: asyncpg.Connection, who: Principal | None, body_id: str, patch: c.BodyPatch,
                      if_match: str | None) -> c.Written:
    current = await _body_row(conn, body_id)
    before = current["row"]
    data = _merge({**before, "country": before.get("country_code")}, patch, c.BodyIn)
    values = await _body_values(conn, data)
    for country in {current["country_code"], values[2]}:
        who = require_writer(who, country, f"body {body_id}") if country else _any_writer(who, "bodies")
    check_if_match(if_match, current["version"])
    version = await conn.fetchval(queries.update_body, body_id, *values)
    after = (await _body_row(conn, body_id))["row"]
    change = await _record(conn, who, "update", "body", body_id, None, before, after, None)
    return c.Written(entity="body", id=body_id, version=version, change_id=change, record=after)


async def delete_body(conn: asyncpg.Connection, who: Principal | None, body_id: str,
                      if_match: str | None) -> c.Written:
    current = await _body_row(conn, body_id)
    who = (require_writer(who, current["country_code"], f"body {body_id}") if current["country_code"]
           else _any_writer(who, "bodies"))
    check_if_match(if_match, current["version"])
    try:
        async with conn.transaction():
            await conn.execute(queries.delete_body, body_id)
    except asyncpg.ForeignKeyViolationError:
        raise Conflict(f"body {body_id!r} is still named by facts or models; change them first") from None
    change = await _record(conn, who, "delete", "body", body_id, None, current["row"], None, None)
    return c.Written(entity="body", id=body_id, change_id=change)


# ---------------------------------------------------------------- programmes and members


async def _programme_row(conn: asyncpg.Connection, programme_id: str) -> asyncpg.Record:
    row = await conn.fetchrow(queries.programme_row, programme_id)
    if row is None:
        raise NotFound("programme", programme_id)
    return row


async def _programme_values(conn: asyncpg.Connection, data: c.ProgrammeIn) -> tuple:
    model = await _check_model(conn, data.model)
    country = data.country.upper()
    if not await conn.fetchval(queries.country_exists, country):
        raise InvalidRecord("country", f"unknown country code {country!r}")
    await _check_refs(conn, body=data.owner, source_id=data.source_id, unsourced=True, source_required=False)
    started = checked_date(data.started, "started")
    return (data.name, data.owner, model, country, started.start, started.end, started.precision, data.note,
            data.source_id, data.quote)


async def create_programme(conn: asyncpg.Connection, who: Principal | None, data: c.ProgrammeIn,
                           import_id: str | None = None) -> c.Written:
    values = await _programme_values(conn, data)
    who = require_writer(who, values[3], "programmes")
    if await conn.fetchrow(queries.programme_row, data.id):
        raise Conflict(f"a programme with id {data.id!r} exists")
    await conn.execute(queries.insert_programme, data.id, *values)
    after = (await _programme_row(conn, data.id))["row"]
    change = await _record(conn, who, "create", "programme", data.id, None, None, after, import_id)
    return c.Written(entity="programme", id=data.id, version=1, change_id=change, record=after)


def _stored_partial(start: str | None, end: str | None, precision: str) -> str | None:
    """A stored (from, to, precision) as the partial-date string the API takes."""
    if start is None or precision == "unknown":
        return None
    return {"year": start[:4], "month": start[:7], "range": f"{start}/{end}"}.get(precision, start)


def _programme_as_input(row: dict) -> dict:
    return {**row, "owner": row.get("owner_body_id"), "model": row.get("model_code"),
            "country": row.get("country_code"),
            "started": _stored_partial(row.get("started_from"), row.get("started_to"), row["started_precision"])}


async def update_programme(conn: asyncpg.Connection, who: Principal | None, programme_id: str,
                           patch: c.ProgrammePatch, if_match: str | None) -> c.Written:
    current = await _programme_row(conn, programme_id)
    who = require_writer(who, current["country_code"], f"programme {programme_id}")
    check_if_match(if_match, current["version"])
    before = current["row"]
    data = _merge(_programme_as_input(before), patch, c.ProgrammeIn)
    values = await _programme_values(conn, data)
    version = await conn.fetchval(queries.update_programme, programme_id, *values)
    after = (await _programme_row(conn, programme_id))["row"]
    change = await _record(conn, who, "update", "programme", programme_id, None, before, after, None)
    return c.Written(entity="programme", id=programme_id, version=version, change_id=change, record=after)


async def delete_programme(conn: asyncpg.Connection, who: Principal | None, programme_id: str,
                           if_match: str | None) -> c.Written:
    current = await _programme_row(conn, programme_id)
    who = require_writer(who, current["country_code"], f"programme {programme_id}")
    check_if_match(if_match, current["version"])
    await conn.execute(queries.delete_programme, programme_id)
    change = await _record(conn, who, "delete", "programme", programme_id, None, current["row"], None, None)
    return c.Written(entity="programme", id=programme_id, change_id=change)


async def put_member(conn: asyncpg.Connection, who: Principal | None, programme_id: str, municipality: str,
                     data: c.MemberIn, import_id: str | None = None) -> c.Written:
    await _programme_row(conn, programme_id)
    municipality_id, country = await resolve_municipality(conn, municipality)
    who = require_writer(who, country, f"municipality {municipality_id}")
    joined = checked_date(data.joined, "joined")
    await _check_refs(conn, body=None, source_id=data.source_id, unsourced=data.unsourced)
    before = await conn.fetchval(queries.member_row, programme_id, municipality_id)
    await conn.execute(queries.upsert_member, programme_id, municipality_id, joined.start, joined.end,
                       joined.precision, data.source_id, data.quote)
    after = await conn.fetchval(queries.member_row, programme_id, municipality_id)
    key = f"{programme_id}/{municipality_id}"
    if before == after:
        return c.Written(entity="programme_member", id=key, change_id=0, record=after)
    await conn.execute(queries.bump_municipality, municipality_id)
    change = await _record(conn, who, "update" if before else "create", "programme_member", key, municipality_id,
                           before, after, import_id)
    return c.Written(entity="programme_member", id=key, change_id=change, record=after)


async def delete_member(conn: asyncpg.Connection, who: Principal | None, programme_id: str,
                        municipality: str) -> c.Written:
    municipality_id, country = await resolve_municipality(conn, municipality)
    who = require_writer(who, country, f"municipality {municipality_id}")
    before = await conn.fetchval(queries.member_row, programme_id, municipality_id)
    if before is None:
        raise NotFound("programme member", f"{programme_id}/{municipality_id}")
    await conn.execute(queries.delete_member, programme_id, municipality_id)
    await conn.execute(queries.bump_municipality, municipality_id)
    key = f"{programme_id}/{municipality_id}"
    change = await _record(conn, who, "delete", "programme_member", key, municipality_id, before, None, None)
    return c.Written(entity="programme_member", id=key, change_id=change)


# ---------------------------------------------------------------- municipalities and adoptions


def _readable_id(country: str, name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")[:60] or "unit"
    return f"{country.lower()}-{slug}"


async def _municipality_row(conn: asyncpg.Connection, municipality_id: str) -> asyncpg.Record:
    row = await conn.fetchrow(queries.municipality_row, municipality_id)
    if row is None:
        raise NotFound("municipality", municipality_id)
    return row


async def _snapshot(conn: asyncpg.Connection, municipality_id: str) -> dict:
    row = await _municipality_row(conn, municipality_id)
    return {**row["row"], "identifiers": await conn.fetchval(queries.identifiers_of, municipality_id)}


async def _write_identifiers(conn: asyncpg.Connection, municipality_id: str, identifiers: dict[str, str],
                             keep: list[str]) -> None:
    await conn.execute(queries.delete_identifiers_of, municipality_id, keep)
    for scheme, value in identifiers.items():
        if scheme in keep:
            continue
        try:
            async with conn.transaction():
                await conn.execute(queries.insert_identifier, scheme, value, municipality_id)
        except asyncpg.UniqueViolationError:
            raise InvalidRecord(f"identifiers.{scheme}", f"{value!r} already names another municipality") from None


async def create_municipality(conn: asyncpg.Connection, who: Principal | None, data: c.MunicipalityIn,
                              import_id: str | None = None) -> c.Written:
    country = data.country.upper()
    who = require_writer(who, country, "municipalities")
    complete = await conn.fetchval(queries.country_roster_complete, country)
    if complete is None:
        raise InvalidRecord("country", f"unknown country code {country!r}")
    if complete:
        raise Conflict(f"{country} has a complete official roster: its municipalities come from it, "
                       "not from curation")
    municipality_id = data.id or _readable_id(country, data.name_latin or data.name_local)
    if not municipality_id.startswith(country.lower() + "-"):
        raise InvalidRecord("id", f"ids of {country} municipalities start with {country.lower()}-")
    if await conn.fetchrow(queries.municipality_row, municipality_id):
        raise Conflict(f"municipality {municipality_id!r} exists")
    if data.region and not await conn.fetchval(queries.region_exists, data.region.upper()):
        raise InvalidRecord("region", f"unknown region {data.region!r}")
    latin = data.name_latin or data.name_local
    await conn.execute(
        queries.insert_curated_municipality, municipality_id, country, data.national_code, data.kind,
        data.region.upper() if data.region else None, data.name_local, latin, data.name_variants,
        data.population, data.population_year, data.area_km2,
        search_text(data.name_local, latin, *data.name_variants), data.note)
    await _write_identifiers(conn, municipality_id, data.identifiers, [])
    from registry.collation import refresh_sort_keys

    await refresh_sort_keys(conn)
    after = await _snapshot(conn, municipality_id)
    change = await _record(conn, who, "create", "municipality", municipality_id, municipality_id, None, after,
                           import_id)
    return c.Written(entity="municipality", id=municipality_id, version=1, change_id=change, record=after)


async def update_municipality(conn: asyncpg.Connection, who: Principal | None, municipality_id: str,
                              patch: c.MunicipalityPatch, if_match: str | None) -> c.Written:
    current = await _municipality_row(conn, municipality_id.lower())
    municipality_id = current["row"]["id"]
    who = require_writer(who, current["country_code"], f"municipality {municipality_id}")
    check_if_match(if_match, current["version"])
    if not current["curated"]:
        for field in c.ROSTER_FIELDS:
            if getattr(patch, field) is not msgspec.UNSET:
                raise InvalidRecord(field, "a roster field: it changes only with the official roster")
    row = current["row"]
    get = lambda field, default: default if getattr(patch, field) is msgspec.UNSET else getattr(patch, field)  # noqa: E731
    name_local = get("name_local", row["name_local"])
    name_latin = get("name_latin", row["name_latin"]) or name_local
    variants = get("name_variants", row["name_variants"])
    region = get("region", row["region_code"])
    if region and not await conn.fetchval(queries.region_exists, region.upper()):
        raise InvalidRecord("region", f"unknown region {region!r}")
    before = await _snapshot(conn, municipality_id)
    version = await conn.fetchval(
        queries.update_municipality, municipality_id, name_local, name_latin, variants, get("kind", row["kind"]),
        region.upper() if region else None, get("population", row["population"]),
        get("population_year", row["population_year"]), get("area_km2", row["area_km2"]),
        get("note", row["note"]), search_text(name_local, name_latin, *variants),
        get("national_code", row["national_code"]))
    if patch.identifiers is not msgspec.UNSET:
        roster_schemes = ["teryt", "rzs", "si_obcina", "iso3166_2", "lau"] if not current["curated"] else []
        bad = [s for s in patch.identifiers if s in roster_schemes]
        if bad:
            raise InvalidRecord(f"identifiers.{bad[0]}", "a roster identifier: it changes only with the roster")
        await _write_identifiers(conn, municipality_id, patch.identifiers, roster_schemes)
    from registry.collation import refresh_sort_keys

    await refresh_sort_keys(conn)
    after = await _snapshot(conn, municipality_id)
    change = await _record(conn, who, "update", "municipality", municipality_id, municipality_id, before, after,
                           None)
    return c.Written(entity="municipality", id=municipality_id, version=version, change_id=change, record=after)


async def delete_municipality(conn: asyncpg.Connection, who: Principal | None, municipality_id: str,
                              if_match: str | None) -> c.Written:
    current = await _municipality_row(conn, municipality_id.lower())
    municipality_id = current["row"]["id"]
    who = require_writer(who, current["country_code"], f"municipality {municipality_id}")
    check_if_match(if_match, current["version"])
    if not current["curated"]:
        raise Conflict(f"{municipality_id} comes from an official roster and cannot be deleted")
    if await conn.fetchval(queries.municipality_fact_count, municipality_id):
        raise Conflict(f"{municipality_id} still has adoptions, awards or memberships; delete them first")
    before = await _snapshot(conn, municipality_id)
    await conn.execute(queries.delete_municipality, municipality_id)
    change = await _record(conn, who, "delete", "municipality", municipality_id, municipality_id, before, None, None)
    return c.Written(entity="municipality", id=municipality_id, change_id=change)


async def create_adoption(conn: asyncpg.Connection, who: Principal | None, data: c.AdoptionIn) -> c.Written:
    municipality_id, country = await resolve_municipality(conn, data.municipality)
    who = require_writer(who, country, f"municipality {municipality_id}")
    model = await _check_model(conn, data.model)
    if await conn.fetchval(queries.find_adoption, municipality_id, model, data.scope):
        raise Conflict(f"{municipality_id} already has an adoption of {model}" +
                       (f" for scope {data.scope!r}" if data.scope else ""))
    adoption_id = await conn.fetchval(queries.insert_adoption, municipality_id, model, data.scope, data.note)
    after = (await conn.fetchrow(queries.adoption_row, adoption_id))["row"]
    await conn.execute(queries.bump_municipality, municipality_id)
    change = await _record(conn, who, "create", "adoption", str(adoption_id), municipality_id, None, after, None)
    return c.Written(entity="adoption", id=str(adoption_id), version=1, change_id=change, record=after)


async def _adoption(conn: asyncpg.Connection, who: Principal | None, adoption_id: int) -> tuple[asyncpg.Record, Principal]:
    row = await conn.fetchrow(queries.adoption_row, adoption_id)
    if row is None:
        raise NotFound("adoption", str(adoption_id))
    return row, require_writer(who, row["country_code"], f"adoption {adoption_id}")


async def update_adoption(conn: asyncpg.Connection, who: Principal | None, adoption_id: int,
                          patch: c.AdoptionPatch, if_match: str | None) -> c.Written:
    row, who = await _adoption(conn, who, adoption_id)
    check_if_match(if_match, row["version"])
    note = row["row"]["note"] if patch.note is msgspec.UNSET else patch.note
    version = await conn.fetchval(queries.update_adoption, adoption_id, note)
    after = (await conn.fetchrow(queries.adoption_row, adoption_id))["row"]
    await conn.execute(queries.bump_municipality, row["municipality_id"])
    change = await _record(conn, who, "update", "adoption", str(adoption_id), row["municipality_id"], row["row"],
                           after, None)
    return c.Written(entity="adoption", id=str(adoption_id), version=version, change_id=change, record=after)


async def delete_adoption(conn: asyncpg.Connection, who: Principal | None, adoption_id: int,
                          if_match: str | None) -> c.Written:
    row, who = await _adoption(conn, who, adoption_id)
    check_if_match(if_match, row["version"])
    if await conn.fetchval(queries.adoption_event_count, adoption_id):
        raise Conflict(f"adoption {adoption_id} still has events; delete them first")
    await conn.execute(queries.delete_adoption, adoption_id)
    await conn.execute(queries.bump_municipality, row["municipality_id"])
    change = await _record(conn, who, "delete", "adoption", str(adoption_id), row["municipality_id"], row["row"],
                           None, None)
    return c.Written(entity="adoption", id=str(adoption_id), change_id=change)
