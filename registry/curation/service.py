"""Writes of facts about municipalities: events and adoptions (awards: registry/curation/awards.py).

Every function takes a connection inside a transaction (registry/curation/audit.py `run_write`),
locks what it changes, checks everything before it writes, and records the change (who, when, what,
before and after) in the same transaction: a write is whole or absent. Sources, bodies, programmes
and municipalities are written by registry/curation/reference.py and municipalities.py; the checks
every write shares are registry/curation/checks.py.
"""

from __future__ import annotations

import asyncpg
import msgspec

from registry.auth import Principal, require_writer
from registry.curation import schemas as c
from registry.curation.audit import check_if_match, locked, merge, record, statuses_changed
from registry.curation.awards import get_award
from registry.curation.checks import (
    check_model,
    check_refs,
    checked_date,
    edition_rule,
    level_rule,
    resolve_municipality,
    stated_date,
    unchanged,
)
from registry.db import queries
from registry.errors import Conflict, NotFound

CERTIFICATION_TYPES = ("certification", "recertification")


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
    adoption_id = await lock_adoption(conn, municipality_id, model, data.scope or "")
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
        queries.insert_adoption_if_absent, municipality_id, model, data.scope or "", data.note
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
