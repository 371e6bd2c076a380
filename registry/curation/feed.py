"""The change feed: every write once, oldest first, for the whole registry or one municipality."""

from __future__ import annotations

import datetime as dt
import re

import asyncpg

from registry.auth import Principal
from registry.curation import schemas as c
from registry.db import queries
from registry.errors import BadParameter
from registry.paging import decode_cursor, encode_cursor

RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")


def date_time(parameter: str, value: str | None) -> dt.datetime | None:
    """An RFC 3339 date-time (ISO 8601 with its offset: 2026-01-31T08:00:00Z); 400 naming the
    parameter for anything else, epoch seconds and dates without a time included."""
    if value is None:
        return None
    if RFC3339.fullmatch(value.upper()):
        try:
            return dt.datetime.fromisoformat(value.upper())
        except ValueError:
            pass
    raise BadParameter(
        parameter,
        f"{value!r} is not a date-time: use ISO 8601 with an offset, e.g. 2026-01-31T08:00:00Z",
    )


def _redact(change: dict, principal: Principal | None) -> dict:
    """Anonymous readers do not see the values of non-public facts."""
    if principal is None and change["entity"] in ("event", "award"):
        if any(
            isinstance(v, dict) and v.get("public") is False
            for v in (change["before"], change["after"])
        ):
            return {**change, "before": None, "after": None}
    return change


async def changes(
    db: asyncpg.Connection,
    principal: Principal | None,
    municipality_id: str | None,
    since: dt.datetime | None,
    limit: int,
    cursor: str | None,
) -> c.ChangePage:
    after_id = 0
    if cursor:
        key = decode_cursor(cursor) or ""
        if not key.isdigit():
            raise BadParameter("cursor", "not a cursor returned by this API")
        after_id = int(key)
    rows = await db.fetch(queries.list_changes, after_id, since, municipality_id, limit + 1)
    items = [c.Change(**_redact(dict(r), principal)) for r in rows[:limit]]
    last = items[-1].id if items else after_id
    # `next` pages on, null on the last page; `resume` is where a mirror asks again later for newer
    # changes
    return c.ChangePage(
        items=items,
        next=encode_cursor(str(last)) if len(rows) > limit else None,
        resume=encode_cursor(str(last)),
    )
