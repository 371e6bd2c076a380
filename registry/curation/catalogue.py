"""Writes of the catalogue: models, their editions and levels, through the sequence every write
follows (lock, check scope and If-Match, write, record the change; registry/curation/audit.py).

Scope: an international model (no `country`) is changed by admin keys only; a national scheme by
editors of its country. A change that can change derived statuses (a model's rules, an edition's
dates or status) calls the status refresh for the model's adoptions (audit.statuses_changed).
"""

from __future__ import annotations

import asyncpg

from registry.auth import Principal, require_writer
from registry.codes import level_code, match_keys, model_code, model_key
from registry.curation import catalogue_in as ci
from registry.curation import schemas as c
from registry.curation.audit import check_if_match, locked, merge, record, statuses_changed
from registry.curation.checks import check_refs, unchanged
from registry.dates import parse_partial
from registry.db import queries
from registry.errors import Conflict, InvalidRecord

RULES = (
    "lifecycle",
    "cycle_months",
    "surveillance_interval_months",
    "surveillance_grace_months",
    "label_validity_months",
    "activity_window_months",
)


def _scope(who: Principal | None, country: str | None, what: str) -> Principal:
    """International models: admin keys; national schemes: editors of the country too."""
    return require_writer(who, country, what)


async def _model_values(conn: asyncpg.Connection, data: ci.ModelIn) -> tuple:
    country = data.country.upper() if data.country else None
    if country and not await conn.fetchval(queries.country_exists, country):
        raise InvalidRecord("country", f"unknown country code {country!r}")
    await check_refs(
        conn, body=data.owner, source_id=data.source_id, unsourced=True, source_required=False
    )
    keys = match_keys(data.code, data.name, data.aliases)
    clash = await conn.fetchval(queries.model_key_clash, keys, data.code)
    if clash:
        raise InvalidRecord(
            "aliases", f"{clash} is already written this way: a spelling finds one model only"
        )
    return (
        data.name,
        data.kind,
        data.lifecycle,
        data.owner,
        data.description,
        data.cycle_months,
        data.surveillance_interval_months,
        data.surveillance_grace_months,
        data.label_validity_months,
        data.activity_window_months,
        data.source_note,
        country,
        list(dict.fromkeys(data.aliases)),
        keys,
        data.source_id,
    )


async def _model_after(conn: asyncpg.Connection, code: str) -> dict:
    return (await conn.fetchrow(queries.lock_model, code))["row"]


async def create_model(
    conn: asyncpg.Connection, who: Principal | None, data: ci.ModelIn, import_id: str | None = None
) -> c.Written:
    if model_code(data.code) != data.code:
        raise InvalidRecord("code", f"write it {model_code(data.code)!r}")
    if await conn.fetchval(queries.model_by_key, model_key(data.code)):
        raise Conflict(f"a model is already written {data.code!r}")
    values = await _model_values(conn, data)
    who = _scope(who, values[11], "international models" if values[11] is None else "models")
    if not await conn.fetchval(queries.insert_model, data.code, *values):
        raise Conflict(f"a model with code {data.code!r} exists")
    after = await _model_after(conn, data.code)
    change = await record(conn, who, "create", "model", data.code, None, None, after, import_id)
    return c.Written(entity="model", id=data.code, version=1, change_id=change, record=after)


def _model_as_input(row: dict) -> dict:
    return {**row, "owner": row.get("owner_body_id"), "country": row.get("country_code")}


async def update_model(
    conn: asyncpg.Connection,
    who: Principal | None,
    code: str,
    patch: ci.ModelPatch,
    if_match: str | None,
) -> c.Written:
    current = await locked(conn, queries.lock_model, code, "model", if_match)
    before = current["row"]
    who = _scope(who, before["country_code"], f"model {code}")
    data, changed = merge(_model_as_input(before), patch, ci.ModelIn)
    values = await _model_values(conn, data)
    who = _scope(who, values[11], f"model {code}")  # moving it to another country: that one's too
    check_if_match(if_match, current["version"], f"model {code}")
    if not changed:
        return unchanged("model", code, current["version"], before)
    version = await conn.fetchval(queries.update_model, code, *values)
    after = await _model_after(conn, code)
    if any(before.get(k) != after.get(k) for k in RULES):
        await statuses_changed(conn, await conn.fetchval(queries.adoptions_of_model, code))
    change = await record(conn, who, "update", "model", code, None, before, after, None)
    return c.Written(entity="model", id=code, version=version, change_id=change, record=after)


async def delete_model(
    conn: asyncpg.Connection, who: Principal | None, code: str, if_match: str | None
) -> c.Written:
    current = await locked(conn, queries.lock_model, code, "model", if_match)
    who = _scope(who, current["row"]["country_code"], f"model {code}")
    check_if_match(if_match, current["version"], f"model {code}")
    try:
        async with conn.transaction():
            await conn.execute(queries.delete_model_parts, code)
            await conn.execute(queries.delete_model, code)
    except asyncpg.ForeignKeyViolationError:
        raise Conflict(
            f"model {code} is still adopted, awarded or run as a programme; delete those first"
        ) from None
    change = await record(conn, who, "delete", "model", code, None, current["row"], None, None)
    return c.Written(entity="model", id=code, change_id=change)


# ---------------------------------------------------------------- editions and levels


async def _owner(
    conn: asyncpg.Connection, who: Principal | None, model: str, what: str
) -> tuple[str, Principal]:
    row = await locked(conn, queries.lock_model, model, "model", None)
    return model, _scope(who, row["row"]["country_code"], what)


def _edition_values(data: ci.EditionIn) -> tuple:
    try:
        published = parse_partial(data.published)
    except ValueError as exc:
        raise InvalidRecord("published", str(exc)) from None
    return (
        data.label,
        data.status,
        published.start,
        published.precision,
        data.withdrawn_on,
        data.certificates_valid_until,
        data.note,
        list(dict.fromkeys(data.aliases)),
    )


async def create_edition(
    conn: asyncpg.Connection,
    who: Principal | None,
    model: str,
    data: ci.EditionIn,
    import_id: str | None = None,
) -> c.Written:
    model, who = await _owner(conn, who, model, f"editions of {model}")
    key = f"{model}/{data.code}"
    if not await conn.fetchval(queries.insert_edition, model, data.code, *_edition_values(data)):
        raise Conflict(f"{model} has an edition {data.code!r}")
    after = await conn.fetchval(queries.edition_row, model, data.code)
    await statuses_changed(conn, await conn.fetchval(queries.adoptions_of_model, model))
    change = await record(conn, who, "create", "edition", key, None, None, after, import_id)
    return c.Written(entity="edition", id=key, version=1, change_id=change, record=after)


def _edition_as_input(row: dict) -> dict:
    published = row.get("published_on")
    precision = row.get("published_precision")
    text = (
        None
        if published is None or precision == "unknown"
        else (
            published[:4]
            if precision == "year"
            else published[:7]
            if precision == "month"
            else published
        )
    )
    return {**row, "published": text}


async def update_edition(
    conn: asyncpg.Connection,
    who: Principal | None,
    model: str,
    code: str,
    patch: ci.EditionPatch,
    if_match: str | None,
) -> c.Written:
    model, who = await _owner(conn, who, model, f"editions of {model}")
    current = await locked(conn, queries.lock_edition, (model, code), "edition", if_match)
    check_if_match(if_match, current["version"], f"edition {model}/{code}")
    before = current["row"]
    data, changed = merge(_edition_as_input(before), patch, ci.EditionIn)
    if not changed:
        return unchanged("edition", f"{model}/{code}", current["version"], before)
    version = await conn.fetchval(queries.update_edition, model, code, *_edition_values(data))
    after = await conn.fetchval(queries.edition_row, model, code)
    await statuses_changed(conn, await conn.fetchval(queries.adoptions_of_model, model))
    change = await record(
        conn, who, "update", "edition", f"{model}/{code}", None, before, after, None
    )
    return c.Written(
        entity="edition", id=f"{model}/{code}", version=version, change_id=change, record=after
    )


async def delete_edition(
    conn: asyncpg.Connection, who: Principal | None, model: str, code: str, if_match: str | None
) -> c.Written:
    model, who = await _owner(conn, who, model, f"editions of {model}")
    current = await locked(conn, queries.lock_edition, (model, code), "edition", if_match)
    check_if_match(if_match, current["version"], f"edition {model}/{code}")
    try:
        async with conn.transaction():
            await conn.execute(queries.delete_edition, model, code)
    except asyncpg.ForeignKeyViolationError:
        raise Conflict(f"events name edition {model}/{code}; change them first") from None
    await statuses_changed(conn, await conn.fetchval(queries.adoptions_of_model, model))
    change = await record(
        conn, who, "delete", "edition", f"{model}/{code}", None, current["row"], None, None
    )
    return c.Written(entity="edition", id=f"{model}/{code}", change_id=change)


async def create_level(
    conn: asyncpg.Connection,
    who: Principal | None,
    model: str,
    data: ci.LevelIn,
    import_id: str | None = None,
) -> c.Written:
    model, who = await _owner(conn, who, model, f"levels of {model}")
    code = data.code or level_code(data.label)
    if not code:
        raise InvalidRecord("code", "give a code of letters and digits")
    await check_refs(
        conn, body=None, source_id=data.source_id, unsourced=True, source_required=False
    )
    if not await conn.fetchval(
        queries.insert_level,
        model,
        code,
        data.label,
        data.rank,
        list(dict.fromkeys(data.aliases)),
        data.note,
        data.source_id,
    ):
        raise Conflict(f"{model} has a level {code!r}")
    after = await conn.fetchval(queries.level_row, model, code)
    change = await record(
        conn, who, "create", "level", f"{model}/{code}", None, None, after, import_id
    )
    return c.Written(
        entity="level", id=f"{model}/{code}", version=1, change_id=change, record=after
    )


async def update_level(
    conn: asyncpg.Connection,
    who: Principal | None,
    model: str,
    code: str,
    patch: ci.LevelPatch,
    if_match: str | None,
) -> c.Written:
    model, who = await _owner(conn, who, model, f"levels of {model}")
    current = await locked(conn, queries.lock_level, (model, code), "level", if_match)
    check_if_match(if_match, current["version"], f"level {model}/{code}")
    before = current["row"]
    data, changed = merge(before, patch, ci.LevelIn)
    if not changed:
        return unchanged("level", f"{model}/{code}", current["version"], before)
    await check_refs(
        conn, body=None, source_id=data.source_id, unsourced=True, source_required=False
    )
    version = await conn.fetchval(
        queries.update_level,
        model,
        code,
        data.label,
        data.rank,
        list(dict.fromkeys(data.aliases)),
        data.note,
        data.source_id,
    )
    after = await conn.fetchval(queries.level_row, model, code)
    change = await record(
        conn, who, "update", "level", f"{model}/{code}", None, before, after, None
    )
    return c.Written(
        entity="level", id=f"{model}/{code}", version=version, change_id=change, record=after
    )


async def delete_level(
    conn: asyncpg.Connection, who: Principal | None, model: str, code: str, if_match: str | None
) -> c.Written:
    model, who = await _owner(conn, who, model, f"levels of {model}")
    current = await locked(conn, queries.lock_level, (model, code), "level", if_match)
    check_if_match(if_match, current["version"], f"level {model}/{code}")
    try:
        async with conn.transaction():
            await conn.execute(queries.delete_level, model, code)
    except asyncpg.ForeignKeyViolationError:
        raise Conflict(f"facts name level {model}/{code}; change them first") from None
    change = await record(
        conn, who, "delete", "level", f"{model}/{code}", None, current["row"], None, None
    )
    return c.Written(entity="level", id=f"{model}/{code}", change_id=change)


__all__ = [
    "create_model",
    "update_model",
    "delete_model",
    "create_edition",
    "update_edition",
    "delete_edition",
    "create_level",
    "update_level",
    "delete_level",
]
