"""The checks every write shares: dates as sources write them, municipalities and models named in
any common spelling, the rules of facts that name a model, edition, level or source, and what a
write that changes nothing answers.
"""

from __future__ import annotations

import re

import asyncpg

from registry.codes import resolve_model
from registry.curation import schemas as c
from registry.dates import PartialDate, parse_partial
from registry.db import queries
from registry.errors import InvalidRecord

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
