"""The pages' own reads: status spans for timelines, what the registry holds per country, the
choices of forms.

Everything else a page shows comes from the functions the API answers with (registry/places,
registry/analytics, registry/programmes), so a page and its JSON never disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import asyncpg

from registry.db import queries
from registry.i18n import place_name, script_wanted
from registry.status.evidence import HELD


@dataclass(frozen=True, slots=True)
class Period:
    """A run of days [start, end) in one status with one basis: neighbouring spans of the same state
    merged."""

    start: dt.date  # date.min for the open start
    # exclusive; date.max (or PostgreSQL's infinity as asyncpg reads it) for the open end
    end: dt.date
    status: str
    basis: str
    reason: str
    since: str | None
    valid_until: str | None
    last_evidence_date: str | None
    last_evidenced_status: str | None

    @property
    def holding(self) -> bool:
        return self.status in HELD and self.basis != "unknown"

    @property
    def open_start(self) -> bool:
        return self.start.year <= 1

    @property
    def open_end(self) -> bool:
        return self.end.year >= 9999


def merge(rows: list[asyncpg.Record]) -> list[Period]:
    """Spans in order -> periods: neighbours of one status and basis are one period (the reason and
    dates of the first kept), as the status runs are (registry/status/store.py)."""
    periods: list[Period] = []
    for r in rows:
        last = periods[-1] if periods else None
        if (
            last is not None
            and last.status == r["status"]
            and last.basis == r["basis"]
            and last.end == r["valid_from"]
        ):
            periods[-1] = Period(
                last.start,
                r["valid_to"],
                last.status,
                last.basis,
                last.reason,
                last.since,
                r["valid_until"] or last.valid_until,
                r["last_evidence_date"] or last.last_evidence_date,
                last.last_evidenced_status,
            )
        else:
            periods.append(
                Period(
                    r["valid_from"],
                    r["valid_to"],
                    r["status"],
                    r["basis"],
                    r["reason"],
                    r["since"],
                    r["valid_until"],
                    r["last_evidence_date"],
                    r["last_evidenced_status"],
                )
            )
    return periods


async def adoption_spans(conn: asyncpg.Connection, adoption_id: int, hide: str) -> list[Period]:
    """Every period of one adoption as the caller's audience sees it (`hide`:
    registry/status/store.py audience()), from its status spans (table adoption_status_span)."""
    return merge(await conn.fetch(queries.web_adoption_spans, adoption_id, hide))


async def municipality_spans(
    conn: asyncpg.Connection, municipality_ids: list[str], hide: str
) -> dict[tuple[str, str, int], list[Period]]:
    """The periods of every adoption of some municipalities in one round trip, by (municipality,
    model, adoption id)."""
    grouped: dict[tuple[str, str, int], list[asyncpg.Record]] = {}
    for r in await conn.fetch(queries.web_status_spans, municipality_ids, hide):
        grouped.setdefault((r["municipality_id"], r["model_code"], r["adoption_id"]), []).append(r)
    return {key: merge(rows) for key, rows in grouped.items()}


@dataclass(frozen=True, slots=True)
class CountryHolding:
    code: str
    name: str
    roster_complete: bool
    roster_as_of: dt.date | None
    municipality_count: int
    models: list[tuple[str, int]]  # (model, adopters)
    holders_confirmed: int
    holders_possible: int
    last_change: dt.datetime | None


async def country_holdings(
    conn: asyncpg.Connection, as_of: dt.date, hide: str
) -> list[CountryHolding]:
    return [
        CountryHolding(
            r["code"],
            r["name"],
            r["roster_complete"],
            r["roster_as_of"],
            r["municipality_count"],
            [(m, int(n)) for m, n in r["models"]],
            r["holders_confirmed"],
            r["holders_possible"],
            r["last_change"],
        )
        for r in await conn.fetch(queries.web_country_holdings, as_of, hide)
    ]


@dataclass(frozen=True, slots=True)
class Choices:
    """What the forms offer: the models (code, name, lifecycle, adoptions) and the countries with a
    roster (code, name, has regions)."""

    models: list[tuple[str, str, str, int]]
    countries: list[tuple[str, str, bool]]

    def lifecycle(self, model: str) -> str | None:
        return next((m[2] for m in self.models if m[0] == model), None)

    def has_regions(self, country: str) -> bool:
        return any(c[0] == country and c[2] for c in self.countries)


async def choices(conn: asyncpg.Connection) -> Choices:
    models = [
        (r["code"], r["name"], r["lifecycle"], r["adoptions"])
        for r in await conn.fetch(queries.web_models)
    ]
    countries = [
        (r["code"], r["name"], r["has_regions"])
        for r in await conn.fetch(queries.web_countries_with_roster)
    ]
    return Choices(models, countries)


async def attention(
    conn: asyncpg.Connection,
    as_of: dt.date,
    until: dt.date,
    country: str | None,
    model: str | None,
    hide: str,
) -> list[asyncpg.Record]:
    """Certificates in force whose validity ends by `until`, or whose next audit is overdue (at most
    1,000)."""
    return await conn.fetch(queries.web_attention, as_of, until, country, model, hide)


async def names(conn: asyncpg.Connection, ids: list[str]) -> dict[str, str]:
    """The names of some municipalities in the reader's script (registry/i18n.py place_name)."""
    if not ids:
        return {}
    return {
        r["id"]: place_name(r["name_local"], r["name_latin"], r["country_code"], script_wanted())
        for r in await conn.fetch(queries.web_names, ids)
    }
