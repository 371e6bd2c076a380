"""Writes of awards: a quality award, label or mark a municipality received in a year, through the
sequence every write follows (lock, check scope and If-Match, write, record; registry/curation/
audit.py).
"""

from __future__ import annotations

import asyncpg

from registry.auth import Principal, require_writer
from registry.curation import schemas as c
from registry.curation.audit import check_if_match, locked, merge, record
from registry.curation.checks import (
    check_model,
    check_refs,
    checked_date,
    level_rule,
    resolve_municipality,
    unchanged,
)
from registry.db import queries
from registry.errors import InvalidRecord, NotFound


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
