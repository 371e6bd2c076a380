"""Bulk import in one documented row format (docs/curation.md, "Import format"; seeds/examples/).

An import is all-or-nothing: every row runs in one transaction (each in a savepoint, so one bad row
is reported without hiding the others); any error, or `dry_run`, rolls the whole import back. Every
problem of every row is reported (registry/curation/rows.py). Rows are matched to what exists, so
importing the same file twice changes nothing the second time; a row repeating a known fact with a
further source adds that citation (`cited`).

Event and award rows are read by registry/curation/fact_rows.py (research wording to the
registry's codes), other rows by registry/curation/other_rows.py, their names resolved by
registry/curation/resolve.py, event rows written in bulk by registry/curation/bulk.py, the
catalogue's rows by registry/curation/catalogue.py; the export is registry/curation/export.py.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from typing import Any

import asyncpg
import msgspec
from msgspec import UNSET

from registry.auth import Principal
from registry.curation import bulk, service
from registry.curation.export import EXPORT_COLUMNS, csv_tables, export_records
from registry.curation.fact_rows import import_award, read_event_rows, record_of, resolve_event_row
from registry.curation.holders import CREATED
from registry.curation.other_rows import import_other_row
from registry.curation.records import ImportResult, ResultStatus
from registry.curation.resolve import Resolver
from registry.curation.rows import (
    Reader,
    RowErrors,
    iter_rows,
    parse_rows,
    unknown_columns,
    value,
)
from registry.errors import Forbidden, Unauthorized

__all__ = [
    "EXPORT_COLUMNS",
    "csv_tables",
    "export_records",
    "iter_rows",
    "parse_rows",
    "run_import",
]

# ---------------------------------------------------------------- the whole import


async def run_import(
    conn: asyncpg.Connection,
    who: Principal | None,
    rows: Iterable[Any],
    dry_run: bool,
    progress: Callable[[int], None] | None = None,
) -> dict:
    """Apply rows all-or-nothing; return the per-row report. Raises 401/403 like a direct write
    would.

    Rows other than events are applied one by one in file order, each in a savepoint; event rows
    follow, checked and written together (registry/curation/bulk.py). Nothing else refers to an
    event, so this order sees every source, body, programme, model and municipality the file
    creates.
    """
    if who is None:
        raise Unauthorized("imports need a key: Authorization: Bearer <key>")
    if who.role == "reader":
        raise Forbidden(f"key {who.name!r} is a reader key and cannot import")
    import_id = f"imp-{uuid.uuid4().hex[:12]}"
    report: dict[str, Any] = {
        "import_id": import_id,
        "dry_run": dry_run,
        "rows": 0,
        "created": 0,
        "unchanged": 0,
        "cited": 0,
        "sources_created": 0,
        "bodies_created": 0,
        "municipalities_created": 0,
        "errors": [],
        "results": [],
    }
    forbidden: list[dict] = []
    resolve = Resolver(conn)
    others: list[tuple[int, Any]] = []
    events: list[bulk.Pending] = []
    columns_seen: set[str] = set()
    # rows may be read as they come: keep what each gives
    for number, row in enumerate(rows, start=1):
        report["rows"] = number
        if not isinstance(row, dict):
            report["errors"].append(
                {"row": number, "field": "row", "value": None, "reason": "a row is an object"}
            )
            continue
        reader = Reader(row)
        # each unknown column once, at the first row that has it
        for problem in unknown_columns(row):
            if problem.field not in columns_seen:
                columns_seen.add(problem.field)
                report["errors"] += bulk.error_entries(number, problem)
        if record_of(reader) == "event":
            for item in read_event_rows(number, reader):
                if reader.problems:
                    item.error = RowErrors(list(reader.problems))
                if item.resolve or item.error is not None:
                    item.raw = msgspec.json.encode(row)
                events.append(item)
        else:
            others.append((number, row))
    transaction = conn.transaction()
    await transaction.start()
    try:
        await _one_by_one(conn, who, resolve, others, import_id, report, forbidden, progress)
        if events:
            await _events_in_bulk(
                conn, who, resolve, events, import_id, report, forbidden, progress
            )
        report["results"].sort(key=lambda r: r.row)
        report["errors"].sort(key=lambda e: e["row"])
        forbidden.sort(key=lambda f: f["row"])
        for counted in CREATED.values():
            report[counted] = resolve.counts.get(counted, 0)
        report["applied"] = not (dry_run or report["errors"] or forbidden)
    finally:
        if report.get("applied"):
            await transaction.commit()
        else:
            await transaction.rollback()
    if forbidden:
        raise Forbidden(
            f"key {who.name!r} may not change {len(forbidden)} of the rows; nothing was imported",
            rows=forbidden[:100],
        )
    return report


async def _events_in_bulk(
    conn: asyncpg.Connection,
    who: Principal,
    resolve: Resolver,
    events: list[bulk.Pending],
    import_id: str,
    report: dict,
    forbidden: list[dict],
    progress: Callable[[int], None] | None,
) -> None:
    async def prepare(item: bulk.Pending) -> None:
        if not item.resolve and item.error is None:
            return
        resolve.begin_row()
        # a savepoint when it may add a holder, a source or a body
        try:
            async with conn.transaction() if item.writes else nullcontext():
                await resolve_event_row(conn, who, resolve, item, import_id)
        except Exception:
            resolve.forget_row()
            raise

    savepoint = conn.transaction()
    await savepoint.start()
    try:
        outcome = await bulk.import_events(conn, who, events, import_id, prepare, progress)
    except (asyncpg.IntegrityConstraintViolationError, asyncpg.DataError):
        # the database refused a value the checks let through: replay row by row to name it
        await savepoint.rollback()
        resolve.units.clear()
        resolve.sources.clear()
        resolve.counts.clear()
        await _one_by_one(
            conn,
            who,
            resolve,
            [(e.number, e.row()) for e in events],
            import_id,
            report,
            forbidden,
            progress,
        )
        return
    await savepoint.commit()
    for entry in outcome.results:
        report[entry.status] += 1
    report["results"] += outcome.results
    references = {e.number: e.reference for e in events}
    for number, exc in outcome.errors:
        report["errors"] += bulk.error_entries(number, exc, references.get(number))
    forbidden += outcome.forbidden


async def _one_by_one(
    conn: asyncpg.Connection,
    who: Principal,
    resolve: Resolver,
    rows: list[tuple[int, Any]],
    import_id: str,
    report: dict,
    forbidden: list[dict],
    progress: Callable[[int], None] | None,
) -> None:
    for number, row in rows:
        reader = Reader(row)
        reference = value(row, "reference")
        resolve.begin_row()
        try:
            async with conn.transaction():  # a savepoint: a failed row leaves the others usable
                outcomes = await _import_row(conn, who, resolve, reader, import_id)
            for status, entity, entity_id in outcomes:
                report[status] += 1
                report["results"].append(
                    ImportResult(
                        row=number,
                        record=row.get("record") or entity,
                        status=status,
                        entity=entity,
                        id=entity_id,
                        reference=str(reference) if reference else UNSET,
                    )
                )
        except (Forbidden, Unauthorized) as exc:
            resolve.forget_row()
            forbidden.append({"row": number, "reason": exc.detail})
        except Exception as exc:  # noqa: BLE001 - error_entries re-raises what is not a row's problem
            resolve.forget_row()
            report["errors"] += bulk.error_entries(
                number, exc, str(reference) if reference else None
            )
        if progress:
            progress(number)


async def _import_row(
    conn: asyncpg.Connection, who: Principal, resolve: Resolver, reader: Reader, import_id: str
) -> list[tuple[ResultStatus, str, str]]:
    """Apply one row: [(status created|unchanged|cited, entity, id)] (an event row of two models
    gives two)."""
    record = record_of(reader)
    if record == "award":
        return [await import_award(conn, who, resolve, reader, import_id)]
    if record == "event":  # replayed one by one after the database refused the bulk insert
        outcomes: list[tuple[ResultStatus, str, str]] = []
        for item in read_event_rows(0, reader):
            item.raw = msgspec.json.encode(reader.row)
            if reader.problems:
                item.error = RowErrors(list(reader.problems))
            await resolve_event_row(conn, who, resolve, item, import_id)
            assert item.data is not None
            if item.municipality:
                item.data.municipality = item.municipality
            item.data.body = item.body
            result = await service.create_event(conn, who, item.data, import_id)
            outcomes.append(("created", "event", result.id))
        return outcomes
    return [await import_other_row(conn, who, resolve, reader, record, import_id)]
