"""Municipalities side by side on a day: each adoption's status with its basis and how far its
evidence reaches."""

from __future__ import annotations

import datetime as dt

import asyncpg

from registry.analytics import schemas as s
from registry.analytics.common import HOLDING, id_list, resolve_ids, split_identifier
from registry.db import queries
from registry.errors import BadParameter
from registry.i18n import gettext


def years_held(since: dt.date, as_of: dt.date) -> float:
    """Years from `since` to `as_of`, both days counted, to a tenth (halves rounded away from zero):
    in integers, tenths = days * 40 / 1461, and 1461 being odd, no day count falls on a half."""
    days = (as_of - since).days + 1
    tenths, rest = divmod(abs(days) * 40, 1461)
    tenths += 2 * rest > 1461
    return tenths / 10 if days >= 0 else -tenths / 10


def _standing(row: tuple, as_of: dt.date) -> s.ModelStanding:
    (
        model,
        name,
        status,
        basis,
        reason,
        since,
        since_day,
        edition,
        inferred,
        valid_until,
        last_audit,
        next_due,
        overdue,
        first,
        last_date,
        last_status,
        ended,
    ) = row
    holding = status in HOLDING and basis != "unknown"
    return s.ModelStanding(
        model=model,
        model_name=name,
        status=status,
        basis=basis,
        status_reason=reason,
        holding=holding,
        since=since,
        years_continuous=years_held(since_day, as_of) if holding and since_day else None,
        edition=edition,
        edition_inferred=inferred,
        valid_until=valid_until,
        last_audit=last_audit,
        next_due=next_due,
        overdue=overdue,
        first_adopted=first,
        last_evidence_date=last_date,
        last_status=last_status,
        certificate_ended=ended,
    )


def _compared(row: asyncpg.Record, as_of: dt.date) -> s.ComparedMunicipality:
    return s.ComparedMunicipality(
        id=row["id"],
        name_local=row["name_local"],
        name_latin=row["name_latin"],
        country=row["country_code"],
        kind=row["kind"],
        population=row["population"],
        population_year=row["population_year"],
        area_km2=row["area_km2"],
        degurba=row["degurba"],
        models=[_standing(m, as_of) for m in row["models"]],
        awards=[
            s.ComparedAward(scheme=a, year=y, level=lv, category=c, source_id=src)
            for a, y, lv, c, src in row["awards"]
        ],
        labels=[
            s.ComparedLabel(model=m, date=d, body=b, source_id=src)
            for m, d, b, src in row["labels"]
        ],
        programmes=[
            s.ComparedProgramme(id=i, name=n, model=m, joined=j) for i, n, m, j in row["programmes"]
        ],
    )


async def compare(
    conn: asyncpg.Connection, raw_ids: str, as_of: dt.date, hide: str
) -> s.Comparison:
    tokens = id_list(raw_ids, "ids", 2, 20)
    pairs = [split_identifier(t) for t in tokens]
    rows = None
    if all(scheme == "id" for scheme, _ in pairs) and all(v.isprintable() for _, v in pairs):
        # plain registry ids (the usual case): compared at once; resolved one by one only if some
        # are unknown
        ids = [value.lower() for _, value in pairs]
        if len(set(ids)) == len(ids):
            rows = await conn.fetch(queries.compare_municipalities, ids, as_of, hide)
    if rows is None or len(rows) != len(tokens):
        ids = await resolve_ids(conn, tokens, "ids")
        if len(set(ids)) != len(ids):
            raise BadParameter("ids", "two of the identifiers name the same municipality")
        rows = await conn.fetch(queries.compare_municipalities, ids, as_of, hide)
    municipalities = [_compared(r, as_of) for r in rows]
    method = s.Method(
        name="compare",
        description=gettext(
            "Each adoption's status on as_of follows from its evidence (docs/status-rules.md), "
            "with its basis: "
            "evidenced, inferred, or unknown when no evidence reaches the day. holding counts "
            "what the evidence "
            "confirms; years_continuous counts from the start of the current continuous period "
            "while held; "
            "last_evidence_date says how far the evidence reaches. Awards and labels are those "
            "dated on or before "
            "as_of."
        ),
        parameters={"ids": ids, "as_of": as_of.isoformat()},
    )
    models = sorted({m.model for c in municipalities for m in c.models})
    return s.Comparison(as_of=as_of, method=method, models=models, municipalities=municipalities)


COMPARE_COLUMNS = [
    "as_of",
    "id",
    "name_local",
    "name_latin",
    "country",
    "kind",
    "population",
    "model",
    "status",
    "basis",
    "status_reason",
    "holding",
    "since",
    "years_continuous",
    "edition",
    "edition_inferred",
    "valid_until",
    "last_audit",
    "next_due",
    "overdue",
    "first_adopted",
    "last_evidence_date",
    "last_status",
    "certificate_ended",
    "awards",
    "labels",
    "programmes",
]


def compare_rows(result: s.Comparison) -> list[dict]:
    """One CSV row per municipality and model (a municipality without adoptions gets one empty
    row)."""
    rows = []
    for c in result.municipalities:
        base = {
            "as_of": result.as_of,
            "id": c.id,
            "name_local": c.name_local,
            "name_latin": c.name_latin,
            "country": c.country,
            "kind": c.kind,
            "population": c.population,
            "awards": len(c.awards),
            "labels": len(c.labels),
            "programmes": [p.id for p in c.programmes],
        }
        standings: list[s.ModelStanding | None] = list(c.models) or [None]
        for m in standings:
            rows.append(
                base
                | (
                    {}
                    if m is None
                    else {k: getattr(m, k) for k in COMPARE_COLUMNS if hasattr(m, k)}
                )
            )
    return rows
