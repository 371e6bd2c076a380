"""Keep the status spans of adoptions current: every write that can change a status calls
`refresh()`.

The spans (table adoption_status_span) are what reads use to answer a status on any day; the runs
(table adoption_status_run) are the spans with neighbours of one status and basis merged, for lists
filtered on a status (none before an adoption's first evidence). An adoption with no non-public
event has one set of spans for everyone (audience 'a'); one with a non-public event has the
anonymous readers' (public events only, 'p') and the key holders' ('k'): a reader who may not see a
fact gets statuses derived without it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import asyncpg

from registry.dates import PartialDate
from registry.db import queries
from registry.status.evidence import Edition, Evidence, Rules, Span, State
from registry.status.rules import spans

# adoptions read and written per round trip (a full refresh of the benchmark data: ~600 rounds); a
# round's evidence and spans take ~15 KB an adoption, so 2,000 at once set an import's peak memory
BATCH = 500
SPAN_COLUMNS = [
    "adoption_id",
    "audience",
    "valid_from",
    "valid_to",
    "municipality_id",
    "model_code",
    *State.__struct_fields__,
]
RUN_COLUMNS = [
    "adoption_id",
    "audience",
    "valid_from",
    "valid_to",
    "status",
    "basis",
    "municipality_id",
    "model_code",
]


def audience(private: bool) -> str:
    """The audience a reader skips: key holders skip the anonymous view, anonymous readers the keyed
    one."""
    return "p" if private else "k"


def rules_of(row: asyncpg.Record) -> Rules:
    defaults = Rules(lifecycle=row["lifecycle"])
    # the model's surveillance_grace_months is IAF's reinstatement window
    # (seeds/catalogue/models.json)
    columns = {
        "cycle_months": "cycle_months",
        "surveillance_interval_months": "surveillance_interval_months",
        "reinstatement_months": "surveillance_grace_months",
        "label_validity_months": "label_validity_months",
        "activity_window_months": "activity_window_months",
    }
    return Rules(
        lifecycle=row["lifecycle"],
        **{
            name: row[column] if row[column] is not None else getattr(defaults, name)
            for name, column in columns.items()
        },
    )


def evidence_of(event: asyncpg.Record) -> tuple[Evidence, bool]:
    """One event as the rules read it, and whether it is public."""
    (
        event_id,
        kind,
        date_from,
        date_to,
        precision,
        date_kind,
        edition,
        until_from,
        until_to,
        until_precision,
        public,
        source_id,
    ) = event
    valid_until = (
        PartialDate(until_from, until_to, until_precision) if until_from is not None else None
    )
    return Evidence(
        event_id,
        kind,
        PartialDate(date_from, date_to, precision),
        date_kind,
        edition,
        valid_until,
        source_id,
    ), public


async def editions_by_model(conn: asyncpg.Connection) -> dict[str, list[Edition]]:
    found: dict[str, list[Edition]] = {}
    for r in await conn.fetch(queries.status_editions):
        found.setdefault(r["model_code"], []).append(
            Edition(
                r["code"], r["published_on"], r["certificates_valid_until"], r["status"] == "draft"
            )
        )
    return found


def _runs(found: list[Span]) -> list[tuple[dt.date, dt.date, str, str]]:
    """Spans of one status and basis merged; the days before the first evidence have none: lists
    filtered on a model or a status leave out an adoption on a day no evidence of it had yet
    reached."""
    runs: list[tuple[dt.date, dt.date, str, str]] = []
    for span in found:
        if span.state.reason == "no_evidence_yet":
            continue
        key = (span.state.status, span.state.basis)
        if runs and runs[-1][2:] == key:
            runs[-1] = (runs[-1][0], span.valid_to, *key)
        else:
            runs.append((span.valid_from, span.valid_to, *key))
    return runs


def derive(row: asyncpg.Record, editions: list[Edition]) -> Iterable[tuple[str, list[Span]]]:
    """(audience, spans) of one adoption."""
    rules = rules_of(row)
    read = [evidence_of(e) for e in row["events"]]
    everything = [e for e, _ in read]
    if all(public for _, public in read):
        yield "a", spans(everything, rules, editions)
        return
    yield "p", spans([e for e, public in read if public], rules, editions)
    yield "k", spans(everything, rules, editions)


async def refresh(conn: asyncpg.Connection, adoption_ids: Iterable[int] | None = None) -> int:
    """Rewrite the spans and runs of some adoptions (None: all of them) in the caller's
    transaction."""
    ids = (
        sorted(set(adoption_ids))
        if adoption_ids is not None
        else [r["id"] for r in await conn.fetch(queries.status_all_adoptions)]
    )
    if not ids:
        return 0
    editions = await editions_by_model(conn)
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        span_rows, run_rows = [], []
        for row in await conn.fetch(queries.status_evidence, batch):
            key = (row["id"], row["municipality_id"], row["model_code"])
            for who, found in derive(row, editions.get(row["model_code"], [])):
                span_rows += [
                    (
                        key[0],
                        who,
                        s.valid_from,
                        s.valid_to,
                        key[1],
                        key[2],
                        *(getattr(s.state, f) for f in State.__struct_fields__),
                    )
                    for s in found
                ]
                run_rows += [
                    (key[0], who, a, b, status, basis, key[1], key[2])
                    for a, b, status, basis in _runs(found)
                ]
        await conn.execute(queries.status_forget, batch)
        await conn.copy_records_to_table(
            "adoption_status_span", records=span_rows, columns=SPAN_COLUMNS
        )
        await conn.copy_records_to_table(
            "adoption_status_run", records=run_rows, columns=RUN_COLUMNS
        )
    return len(ids)


async def refresh_missing(conn: asyncpg.Connection) -> int:
    """The adoptions without spans (after a migration made the spans table again), derived."""
    return await refresh(
        conn, [r["id"] for r in await conn.fetch(queries.status_adoptions_without_spans)]
    )


async def refresh_model(conn: asyncpg.Connection, model_code: str) -> int:
    """After a model's rules or editions changed: every adoption of it."""
    return await refresh(
        conn, [r["id"] for r in await conn.fetch(queries.status_adoptions_of_model, model_code)]
    )
