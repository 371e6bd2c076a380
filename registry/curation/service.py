"""Writes of facts about municipalities (events, awards, adoptions) and the checks every write
shares.

Every function takes a connection inside a transaction (registry/curation/audit.py `run_write`),
locks what it changes, checks everything before it writes, and records the change (who, when, what,
before and after) in the same transaction: a write is whole or absent. Sources, bodies, programmes
and municipalities are written by registry/curation/reference.py.
"""

from __future__ import annotations

import re

import asyncpg
import msgspec

from registry.auth import Principal, require_writer
from registry.codes import resolve_model
from registry.curation import schemas as c
from registry.curation.audit import check_if_match, locked, merge, record, statuses_changed
from registry.dates import PartialDate, parse_partial
from registry.db import queries
from registry.errors import Conflict, InvalidRecord, NotFound

CERTIFICATION_TYPES = ("certification", "recertification")


# ---------------------------------------------------------------- shared checks


MONTH_DAY = re.compile(r"^(?:\?{4}|[Xx]{4}|-{1,2}|0{4})-(\d{2})-(\d{2})$")


def month_day(value: str | None, field: str = "date") -> str | None:
    """A day and month whose year the source does not state ('????-11-30', '--11-30') as ISO 8601's
    '--11-30'; None for any other value."""
    found = MONTH_DAY.match(value.strip()) if value else None
    if found is None:
        return None
    month, day = int(found.group(1)), int(found.group(2))
    if not (
        1 <= month <= 12
        and 1 <= day <= (29 if month == 2 else 30 if month in (4, 6, 9, 11) else 31)
    ):
        raise InvalidRecord(field, f"{value!r} is not a real day of a month")
    return f"--{month:02d}-{day:02d}"


def stated_date(
    value: str | None, field: str, declared: str | None = None
) -> tuple[PartialDate, str | None]:
    """A date as a source states it: (the days it can mean, the month and day when the year is not
    stated — the fact is then undated, never given a year)."""
    undated_day = month_day(value, field)
    if undated_day is not None:
        if declared not in (None, "month_day"):
            raise InvalidRecord(
                f"{field}_precision", f"{value!r} states no year; its precision is month_day"
            )
        return PartialDate(None, None, "unknown"), undated_day
    if declared == "month_day":
        raise InvalidRecord(
            f"{field}_precision", f"{value!r} is not a day and month without a year (--MM-DD)"
        )
    return checked_date(value, field, declared), None


def checked_date(value: str | None, field: str, declared: str | None = None) -> PartialDate:
    try:
        when = parse_partial(value)
    except ValueError as exc:
        raise InvalidRecord(field, str(exc)) from None
    if declared is not None and declared != when.precision:
        if declared == "unknown" and value:
            raise InvalidRecord(
                f"{field}_precision", f"an unknown date cannot carry the value {value!r}"
            )
        raise InvalidRecord(
            f"{field}_precision",
            f"{value!r} has precision {when.precision}; a date whose "
            f"precision is {declared} cannot be written that way",
        )
    return when


async def resolve_municipality(
    conn: asyncpg.Connection, token: str, field: str = "municipality"
) -> tuple[str, str]:
    """(id, country) of a municipality named by id or scheme:value; 422 naming the field if none."""
    scheme, sep, value = token.partition(":")
    if not sep:
        scheme, value = "id", token
    row = await conn.fetchrow(queries.resolve_many, [scheme.lower()], [value.strip()])
    municipality_id = row["municipality_id"] if row else None
    if municipality_id is None:
        raise unknown_municipality(token, field)
    return municipality_id, await conn.fetchval(queries.municipality_country, municipality_id)


# The rules below take what was looked up (one query per write here, one per import in bulk.py) and
# raise the same 422 either way.


def unknown_municipality(token: str, field: str = "municipality") -> InvalidRecord:
    return InvalidRecord(
        field, f"no municipality {token!r} (use an id such as si-050 or scheme:value)"
    )


def model_rule(code: str, known: bool, field: str = "model") -> None:
    if not known:
        raise InvalidRecord(field, f"unknown model {code!r}: see GET /v1/models")


def edition_rule(model: str, edition: str | None, known: bool) -> None:
    if edition is not None and not known:
        raise InvalidRecord(
            "edition", f"{model} has no edition {edition!r}: see GET /v1/models/{model}"
        )


def source_rule(source_id: str | None, unsourced: bool, known: bool, required: bool = True) -> None:
    if source_id is not None and not known:
        raise InvalidRecord(
            "source_id", f"no source {source_id!r}: create it first (POST /v1/sources)"
        )
    if required and source_id is None and not unsourced:
        raise InvalidRecord(
            "source_id",
            "every fact about a municipality needs a source: give source_id, "
            "or mark the fact unsourced: true",
        )


async def check_model(conn: asyncpg.Connection, code: str, field: str = "model") -> str:
    """The catalogue code of a model written by code, alias or name in any common spelling; 422 if
    none."""
    normal = await resolve_model(conn, code)
    model_rule(code, normal is not None, field)
    return normal or code


def level_rule(model: str, level: str | None, known: bool, field: str = "level") -> None:
    if level is not None and not known:
        raise InvalidRecord(field, f"{model} has no level {level!r}: see GET /v1/models/{model}")


async def check_refs(
    conn: asyncpg.Connection,
    *,
    body: str | None,
    source_id: str | None,
    unsourced: bool,
    source_required: bool = True,
) -> None:
    if body is not None and not await conn.fetchval(queries.body_exists, body):
        raise InvalidRecord("body", f"no body {body!r}: see GET /v1/bodies")
    source_rule(
        source_id,
        unsourced,
        source_id is None or await conn.fetchval(queries.source_exists, source_id),
        source_required,
    )


def unchanged(entity: str, key: str, version: int | None, current: dict) -> c.Written:
    """What a write that changes nothing answers: the record as it is, no new version, no change
    recorded."""
    return c.Written(entity=entity, id=key, version=version, change_id=None, record=current)


# ---------------------------------------------------------------- adoptions (locked while their
# events change)


async def lock_adoption(
    conn: asyncpg.Connection, municipality_id: str, model: str, scope: str
) -> int:
    """The adoption of a model by a municipality, created if absent, locked until the transaction
    ends.

    Writers of one adoption's events take their turn here, so the status spans its triggers rewrite
    are rewritten by one transaction at a time (concurrent creates collided on the spans' primary
    key).
    """
    while True:
        adoption_id = await conn.fetchval(
            queries.lock_adoption_by_key, municipality_id, model, scope
        )
        if adoption_id is None:
            adoption_id = await conn.fetchval(
                queries.insert_adoption_if_absent, municipality_id, model, scope, None
            )
        if adoption_id is not None:  # else a concurrent writer created it first: lock theirs
            return adoption_id  # a new one gets its spans from the event its caller writes


# ---------------------------------------------------------------- events


async def _prepare_event(
    conn: asyncpg.Connection, who: Principal, data: c.EventIn, event_id: int | None = None
) -> tuple[str, int, str, tuple]:
    municipality_id, country = await resolve_municipality(conn, data.municipality)
    require_writer(who, country, f"municipality {municipality_id}")
    model = await check_model(conn, data.model)
    when, undated_day = stated_date(data.date, "date", data.date_precision)
    edition_rule(
        model,
        data.edition,
        data.edition is None or await conn.fetchval(queries.edition_exists, model, data.edition),
    )
    level_rule(
        model,
        data.level,
        data.level is None or await conn.fetchval(queries.level_exists, model, data.level),
    )
    await check_refs(conn, body=data.body, source_id=data.source_id, unsourced=data.unsourced)
    adoption_id = await lock_adoption(conn, municipality_id, model, data.scope)
    # no rule that a surveillance audit needs a certification on record: a source reporting a
    # surveillance or transition audit attests a certificate whose start it does not give (the
    # status rules read it so)
    until = checked_date(data.valid_until, "valid_until")
    values = (
        data.type,
        when.start,
        when.end,
        when.precision,
        data.edition,
        data.body,
        data.certificate_number,
        until.start,
        data.major_nonconformities,
        data.minor_nonconformities,
        data.evidence_level,
        data.score,
        data.public,
        data.note,
        data.source_id,
        data.quote,
        data.unsourced,
        until.end,
        until.precision,
        data.date_kind,
        data.level,
        data.edition_stated,
        undated_day,
    )
    return municipality_id, adoption_id, model, values


async def get_event(conn: asyncpg.Connection, event_id: int, private: bool) -> dict:
    row = await conn.fetchrow(queries.get_event, event_id, private)
    if row is None:
        raise NotFound("event", str(event_id))
    return dict(row)


async def create_event(
    conn: asyncpg.Connection, who: Principal, data: c.EventIn, import_id: str | None = None
) -> c.Written:
    municipality_id, adoption_id, model, v = await _prepare_event(conn, who, data)
    event_id = await conn.fetchval(
        queries.insert_event, adoption_id, v[0], v[1], v[2], v[3], v[4], model, *v[5:]
    )
    await statuses_changed(conn, [adoption_id])
    after = await get_event(conn, event_id, True)
    await conn.execute(queries.bump_municipality, municipality_id)
    change = await record(
        conn, who, "create", "event", str(event_id), municipality_id, None, after, import_id
    )
    return c.Written(
        entity="event", id=str(event_id), version=after["version"], change_id=change, record=after
    )


def _event_as_input(event: dict) -> dict:
    return {**event, "municipality": event["municipality_id"], "scope": event["scope"] or ""}


async def add_citation(
    conn: asyncpg.Connection,
    who: Principal,
    entity: str,
    fact_id: int,
    source_id: str,
    quote: str | None,
    import_id: str | None = None,
) -> bool:
    """A further source for an event or award (with its quote): False when the fact cites it
    already."""
    get, query = (
        (get_event, queries.add_event_citation)
        if entity == "event"
        else (get_award, queries.add_award_citation)
    )
    before = await get(conn, fact_id, True)
    if before["source_id"] == source_id or any(
        s["source_id"] == source_id for s in before["sources"]
    ):
        return False
    await conn.execute(query, fact_id, source_id, quote)
    after = await get(conn, fact_id, True)
    await conn.execute(queries.bump_municipality, before["municipality_id"])
    await record(
        conn,
        who,
        "update",
        entity,
        str(fact_id),
        before["municipality_id"],
        before,
        after,
        import_id,
    )
    return True


async def update_event(
    conn: asyncpg.Connection,
    who: Principal,
    event_id: int,
    patch: c.EventPatch,
    if_match: str | None,
) -> c.Written:
    row = await locked(conn, queries.lock_event, event_id, "event", if_match)
    require_writer(who, row["country_code"], f"event {event_id}")
    check_if_match(if_match, row["version"], f"event {event_id}")
    before = await get_event(conn, event_id, True)
    data, changed = merge(_event_as_input(before), patch, c.EventIn)
    if patch.date is not msgspec.UNSET and patch.date_precision is msgspec.UNSET:
        # the new date brings its own precision
        data = msgspec.structs.replace(data, date_precision=None)
    if not changed:
        return unchanged("event", str(event_id), before["version"], before)
    municipality_id, adoption_id, _model, v = await _prepare_event(conn, who, data, event_id)
    version = await conn.fetchval(queries.update_event, event_id, *v)
    await statuses_changed(conn, [adoption_id])
    after = await get_event(conn, event_id, True)
    await conn.execute(queries.bump_municipality, municipality_id)
    change = await record(
        conn, who, "update", "event", str(event_id), municipality_id, before, after, None
    )
    return c.Written(
        entity="event", id=str(event_id), version=version, change_id=change, record=after
    )


async def delete_event(
    conn: asyncpg.Connection, who: Principal, event_id: int, if_match: str | None
) -> c.Written:
    row = await locked(conn, queries.lock_event, event_id, "event", if_match)
    require_writer(who, row["country_code"], f"event {event_id}")
    check_if_match(if_match, row["version"], f"event {event_id}")
    before = await get_event(conn, event_id, True)
    await conn.execute(queries.delete_event, event_id)
    await statuses_changed(conn, [row["adoption_id"]])
    await conn.execute(queries.bump_municipality, row["municipality_id"])
    change = await record(
        conn, who, "delete", "event", str(event_id), row["municipality_id"], before, None, None
    )
    return c.Written(entity="event", id=str(event_id), change_id=change)


# ---------------------------------------------------------------- awards


async def _prepare_award(
    conn: asyncpg.Connection, who: Principal, data: c.AwardIn
) -> tuple[str, tuple]:
    municipality_id, country = await resolve_municipality(conn, data.municipality)
    require_writer(who, country, f"municipality {municipality_id}")
    scheme = await check_model(conn, data.scheme, "scheme")
    if await conn.fetchval(queries.model_lifecycle_of, scheme) != "award":
        raise InvalidRecord(
            "scheme",
            f"{scheme} is not an award, mark or programme whose holders are awarded "
            "(its lifecycle is not award)",
        )
    when = checked_date(data.date or (str(data.year) if data.year else None), "date")
    if when.start is not None and data.year is not None and when.start.year != data.year:
        raise InvalidRecord("date", f"{data.date} is not in the award year {data.year}")
    year = (
        data.year
        if data.year is not None
        else (when.start.year if when.precision != "range" and when.start else None)
    )
    level_rule(
        scheme,
        data.scheme_level,
        data.scheme_level is None
        or await conn.fetchval(queries.level_exists, scheme, data.scheme_level),
        "scheme_level",
    )
    await check_refs(conn, body=data.body, source_id=data.source_id, unsourced=data.unsourced)
    return municipality_id, (
        scheme,
        year,
        data.edition,
        data.category,
        data.level,
        when.start,
        when.end,
        when.precision,
        data.body,
        data.public,
        data.note,
        data.source_id,
        data.quote,
        data.unsourced,
        data.scheme_level,
    )


async def get_award(conn: asyncpg.Connection, award_id: int, private: bool) -> dict:
    row = await conn.fetchrow(queries.get_award, award_id, private)
    if row is None:
        raise NotFound("award", str(award_id))
    return dict(row)


async def create_award(
    conn: asyncpg.Connection, who: Principal, data: c.AwardIn, import_id: str | None = None
) -> c.Written:
    municipality_id, values = await _prepare_award(conn, who, data)
    award_id = await conn.fetchval(queries.insert_award, municipality_id, *values)
    after = await get_award(conn, award_id, True)
    await conn.execute(queries.bump_municipality, municipality_id)
    change = await record(
        conn, who, "create", "award", str(award_id), municipality_id, None, after, import_id
    )
    return c.Written(
        entity="award", id=str(award_id), version=after["version"], change_id=change, record=after
    )


async def update_award(
    conn: asyncpg.Connection,
    who: Principal,
    award_id: int,
    patch: c.AwardPatch,
    if_match: str | None,
) -> c.Written:
    row = await locked(conn, queries.lock_award, award_id, "award", if_match)
    require_writer(who, row["country_code"], f"award {award_id}")
    check_if_match(if_match, row["version"], f"award {award_id}")
    before = await get_award(conn, award_id, True)
    data, changed = merge({**before, "municipality": before["municipality_id"]}, patch, c.AwardIn)
    if not changed:
        return unchanged("award", str(award_id), before["version"], before)
    municipality_id, values = await _prepare_award(conn, who, data)
    version = await conn.fetchval(queries.update_award, award_id, *values)
    after = await get_award(conn, award_id, True)
    await conn.execute(queries.bump_municipality, municipality_id)
    change = await record(
        conn, who, "update", "award", str(award_id), municipality_id, before, after, None
    )
    return c.Written(
        entity="award", id=str(award_id), version=version, change_id=change, record=after
    )


async def delete_award(
    conn: asyncpg.Connection, who: Principal, award_id: int, if_match: str | None
) -> c.Written:
    row = await locked(conn, queries.lock_award, award_id, "award", if_match)
    require_writer(who, row["country_code"], f"award {award_id}")
    check_if_match(if_match, row["version"], f"award {award_id}")
    before = await get_award(conn, award_id, True)
    await conn.execute(queries.delete_award, award_id)
    await conn.execute(queries.bump_municipality, row["municipality_id"])
    change = await record(
        conn, who, "delete", "award", str(award_id), row["municipality_id"], before, None, None
    )
    return c.Written(entity="award", id=str(award_id), change_id=change)


# ---------------------------------------------------------------- adoptions


async def create_adoption(
    conn: asyncpg.Connection,
    who: Principal | None,
    data: c.AdoptionIn,
    import_id: str | None = None,
) -> c.Written:
    municipality_id, country = await resolve_municipality(conn, data.municipality)
    who = require_writer(who, country, f"municipality {municipality_id}")
    model = await check_model(conn, data.model)
    adoption_id = await conn.fetchval(
        queries.insert_adoption_if_absent, municipality_id, model, data.scope, data.note
    )
    if adoption_id is None:
        raise Conflict(
            f"{municipality_id} already has an adoption of {model}"
            + (f" for scope {data.scope!r}" if data.scope else "")
        )
    await statuses_changed(conn, [adoption_id])
    after = (await conn.fetchrow(queries.lock_adoption, adoption_id))["row"]
    await conn.execute(queries.bump_municipality, municipality_id)
    change = await record(
        conn, who, "create", "adoption", str(adoption_id), municipality_id, None, after, import_id
    )
    return c.Written(
        entity="adoption", id=str(adoption_id), version=1, change_id=change, record=after
    )


async def _adoption(
    conn: asyncpg.Connection, who: Principal | None, adoption_id: int, if_match: str | None
) -> tuple[asyncpg.Record, Principal]:
    row = await locked(conn, queries.lock_adoption, adoption_id, "adoption", if_match)
    who = require_writer(who, row["country_code"], f"adoption {adoption_id}")
    check_if_match(if_match, row["version"], f"adoption {adoption_id}")
    return row, who


async def update_adoption(
    conn: asyncpg.Connection,
    who: Principal | None,
    adoption_id: int,
    patch: c.AdoptionPatch,
    if_match: str | None,
) -> c.Written:
    row, who = await _adoption(conn, who, adoption_id, if_match)
    before = row["row"]
    data, changed = merge(
        {**before, "municipality": row["municipality_id"], "model": before["model_code"]},
        patch,
        c.AdoptionIn,
    )
    if not changed:
        return unchanged("adoption", str(adoption_id), row["version"], before)
    version = await conn.fetchval(queries.update_adoption, adoption_id, data.note)
    after = (await conn.fetchrow(queries.lock_adoption, adoption_id))["row"]
    await conn.execute(queries.bump_municipality, row["municipality_id"])
    change = await record(
        conn,
        who,
        "update",
        "adoption",
        str(adoption_id),
        row["municipality_id"],
        before,
        after,
        None,
    )
    return c.Written(
        entity="adoption", id=str(adoption_id), version=version, change_id=change, record=after
    )


async def delete_adoption(
    conn: asyncpg.Connection, who: Principal | None, adoption_id: int, if_match: str | None
) -> c.Written:
    row, who = await _adoption(conn, who, adoption_id, if_match)
    if await conn.fetchval(queries.adoption_event_count, adoption_id):
        raise Conflict(f"adoption {adoption_id} still has events; delete them first")
    await conn.execute(queries.delete_adoption, adoption_id)
    await conn.execute(queries.bump_municipality, row["municipality_id"])
    change = await record(
        conn,
        who,
        "delete",
        "adoption",
        str(adoption_id),
        row["municipality_id"],
        row["row"],
        None,
        None,
    )
    return c.Written(entity="adoption", id=str(adoption_id), change_id=change)
