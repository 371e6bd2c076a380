"""Bulk import and export in one documented row format (README, "Import format"; seeds/examples/).

An import is all-or-nothing: every row runs in one transaction (each in a savepoint, so one bad row is
reported without hiding the others); any error, or `dry_run`, rolls the whole import back. Rows are
matched to what exists, so importing the same file twice changes nothing the second time.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
import json
import uuid
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from typing import Any

import asyncpg
import msgspec

from registry.auth import Principal
from registry.catalogue.repo import model_code
from registry.curation import bulk, service
from registry.curation import reference
from registry.curation import schemas as c
from registry.curation.bulk import RowError
from registry.csvout import LINE_END, cell, restore
from registry.dates import parse_partial
from registry.db import queries
from registry.errors import BadParameter, Forbidden, InvalidBody, RegistryError, Unauthorized
from registry.payload import decode_json
from registry.text import fold

RECORDS = ("source", "body", "programme", "municipality", "adoption", "event", "award", "programme_member")
BOM = b"\xef\xbb\xbf"
BOOLEAN = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False, "": None}


# ---------------------------------------------------------------- parsing


def parse_rows(body: bytes, content_type: str) -> list[dict[str, Any]]:
    """Rows from CSV (header row), JSON (an array, or {"rows": [...]}) or JSON Lines."""
    return list(iter_rows(body, content_type))


def iter_rows(body: bytes, content_type: str) -> Iterator[dict[str, Any]]:
    """The rows of a file one at a time (CSV and JSON Lines are read as they are consumed); 400 naming the
    line for what cannot be read."""
    kind = content_type.split(";")[0].strip().lower()
    if kind not in ("text/csv", "application/csv", "application/x-ndjson", "application/jsonl",
                    "application/json-lines", "application/json"):
        raise BadParameter("Content-Type", "send text/csv, application/json or application/x-ndjson")
    try:
        if kind in ("text/csv", "application/csv"):
            for row in csv.DictReader(io.StringIO(body.decode("utf-8-sig"))):
                yield {k.strip(): (restore(v.strip()) if isinstance(v, str) else v) for k, v in row.items() if k}
        elif kind == "application/json":
            data = decode_json(body.removeprefix(BOM))
            rows = data.get("rows") if isinstance(data, dict) else data
            if not isinstance(rows, list):
                raise InvalidBody("body", 'JSON imports are an array of rows or {"rows": [...]}')
            yield from rows
        else:
            for number, line in enumerate(io.BytesIO(body.removeprefix(BOM)), start=1):
                if line.strip():
                    yield decode_json(line, number)
    except UnicodeDecodeError as exc:
        raise InvalidBody("body", f"it is not UTF-8 text (byte {exc.start:,} is no part of a character)") from None
    except csv.Error as exc:
        raise InvalidBody("body", f"cannot read the CSV: {exc}") from None


def _value(row: dict, key: str) -> Any:
    value = row.get(key)
    return None if value in ("", None) else value


def _bool(row: dict, key: str, default: bool) -> bool:
    value = row.get(key)
    if isinstance(value, bool):
        return value
    parsed = BOOLEAN.get(str(value).strip().lower()) if value is not None else None
    if value not in (None, "") and parsed is None:
        raise RowError(key, f"{value!r} is not true or false")
    return default if parsed is None else parsed


def _int(row: dict, key: str) -> int | None:
    value = _value(row, key)
    if value is None:
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise RowError(key, f"{value!r} is not a whole number") from None


def _float(row: dict, key: str) -> float | None:
    value = _value(row, key)
    if value is None:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        raise RowError(key, f"{value!r} is not a number") from None


def _list(row: dict, key: str) -> list[str]:
    value = row.get(key)
    if isinstance(value, list):
        return [str(v) for v in value]
    return [v for v in str(value or "").split("|") if v]


# ---------------------------------------------------------------- resolution with caches


class Resolver:
    """Looks up municipalities, bodies and sources for rows, remembering what it found."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn
        self.bodies: list[asyncpg.Record] | None = None
        self.names: dict[str, list[tuple[str, str]]] = {}
        self.sources: dict[tuple, str] = {}  # (url, title, publisher) -> source id found or created

    async def municipality(self, row: dict) -> str:
        token = _value(row, "municipality")
        if token is not None:
            try:
                return (await service.resolve_municipality(self.conn, str(token)))[0]
            except RegistryError as exc:
                raise RowError("municipality", exc.detail) from None
        country, name = _value(row, "country"), _value(row, "municipality_name")
        if country is None or name is None:
            raise RowError("municipality", "give municipality (an id or scheme:value) or country + municipality_name")
        country = str(country).upper()
        if country not in self.names:
            rows = await self.conn.fetch(queries.municipality_names_of_country, country)
            self.names[country] = [(r["id"], r["name"]) for r in rows]
        folded = fold(str(name))
        matches = sorted({mid for mid, n in self.names[country] if fold(n) == folded})
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise RowError("municipality_name", f"{name!r} names several municipalities of {country}", matches)
        if _bool(row, "create_municipality", False):
            return ""  # the caller creates it
        names = {fold(n): f"{mid} {n}" for mid, n in self.names[country]}
        closest = [names[n] for n in difflib.get_close_matches(folded, list(names), n=3, cutoff=0.6)]
        raise RowError("municipality_name", f"no municipality of {country} is named {name!r}", closest)

    async def body(self, value: Any) -> str | None:
        if value in (None, ""):
            return None
        value = str(value)
        if self.bodies is None:
            self.bodies = await self.conn.fetch(queries.bodies_by_name)
        folded = fold(value)
        for b in self.bodies:
            if value == b["id"] or folded in (fold(b["name"]), fold(b["short_name"] or "")):
                return b["id"]
        names = {fold(b["name"]): f"{b['id']} ({b['name']})" for b in self.bodies}
        closest = [names[n] for n in difflib.get_close_matches(folded, list(names), n=3, cutoff=0.5)]
        raise RowError("body", f"no body named {value!r}", closest)

    async def source(self, row: dict, who: Principal, import_id: str) -> str | None:
        source_id = _value(row, "source")
        if source_id is not None:
            return str(source_id)
        url, title = _value(row, "source_url"), _value(row, "source_title")
        if url is None and title is None:
            return None
        known = (url, title, _value(row, "source_publisher"))
        if known not in self.sources:
            self.sources[known] = await self._new_source(row, who, import_id, url, title)
        return self.sources[known]

    async def _new_source(self, row: dict, who: Principal, import_id: str, url: Any, title: Any) -> str:
        if url is not None:
            found = await self.conn.fetchval(queries.source_by_url, url)
            if found:
                return found
        if title is None or _value(row, "source_language") is None:
            raise RowError("source_title", "a new source needs source_title and source_language")
        digest = hashlib.sha1(f"{url or ''}|{title}|{_value(row, 'source_publisher') or ''}".encode()).hexdigest()
        source_id = f"src-{digest[:12]}"
        if not await self.conn.fetchval(queries.source_exists, source_id):
            data = c.SourceIn(id=source_id, url=url, document=None if url else "import", title=title,
                              publisher=_value(row, "source_publisher"), language=row["source_language"],
                              published_on=_value(row, "source_published"), seen_on=_value(row, "source_seen"))
            await reference.create_source(self.conn, who, data, import_id)
        return source_id


# ---------------------------------------------------------------- one row


def _event_data(row: dict, municipality: str, body: str | None, source_id: str | None) -> c.EventIn:
    return _convert({"municipality": municipality, "model": _value(row, "model"),
                     "scope": _value(row, "scope") or "", "type": _value(row, "type"), "date": _value(row, "date"),
                     "date_precision": _value(row, "date_precision"), "date_kind": _value(row, "date_kind") or "event",
                     "edition": _value(row, "edition"),
                     "body": body, "certificate_number": _value(row, "certificate_number"),
                     "valid_until": _value(row, "valid_until"),
                     "major_nonconformities": _int(row, "major_nonconformities"),
                     "minor_nonconformities": _int(row, "minor_nonconformities"),
                     "evidence_level": _value(row, "evidence_level"), "score": _float(row, "score"),
                     "public": _bool(row, "public", True), "note": _value(row, "note"), "source_id": source_id,
                     "quote": _value(row, "quote"), "unsourced": _bool(row, "unsourced", False)}, c.EventIn)


async def _create_listed_municipality(conn: asyncpg.Connection, who: Principal, resolve: Resolver, row: dict,
                                      import_id: str) -> str:
    """create_municipality: a unit of a country without a complete roster, named by the row."""
    created = await reference.create_municipality(conn, who, _convert({
        "country": _value(row, "country"), "kind": _value(row, "kind") or "municipality",
        "name_local": _value(row, "municipality_name"), "name_latin": _value(row, "name_latin")},
        c.MunicipalityIn), import_id)
    resolve.names.pop(str(_value(row, "country")).upper(), None)
    return created.id


def _read_event_row(item: bulk.Pending, row: dict) -> None:
    """What an event row gives without asking the database: the municipality token, the checked values and
    date, and whether names, a body or a new source remain to be resolved (_resolve_event_row)."""
    token = _value(row, "municipality")
    if token is not None:
        item.token_text = str(token)
        scheme, sep, value = item.token_text.partition(":")
        item.token = (scheme.lower(), value.strip()) if sep else ("id", item.token_text.strip())
    source = _value(row, "source")
    item.resolve = token is None or _value(row, "body") is not None or (
        source is None and (_value(row, "source_url") is not None or _value(row, "source_title") is not None))
    try:
        item.data = _event_data(row, item.token_text or "-", None, None if source is None else str(source))
        item.when = service.checked_date(item.data.date, "date", item.data.date_precision)
        item.until = service.checked_date(item.data.valid_until, "valid_until")
    except Exception as exc:  # noqa: BLE001 - a row's problem, reported with the others (bulk.error_entry)
        item.error = exc


async def _resolve_event_row(conn: asyncpg.Connection, who: Principal, resolve: Resolver, item: bulk.Pending,
                             import_id: str) -> None:
    """Names, body and source of an event row (after the file's other rows, which may create them)."""
    if not item.resolve:
        return
    row = item.row()
    if item.token is None:
        municipality_id = await resolve.municipality(row)
        if municipality_id == "":
            municipality_id = await _create_listed_municipality(conn, who, resolve, row, import_id)
        item.municipality = municipality_id
    source_id = await resolve.source(row, who, import_id)
    item.body = await resolve.body(_value(row, "body"))
    if item.data is not None:
        item.data.source_id = source_id


def _convert(data: dict, target: type) -> Any:
    try:
        return msgspec.convert({k: v for k, v in data.items() if v is not None}, target)
    except msgspec.ValidationError as exc:
        message = str(exc)
        field = message.split("`$.")[-1].split("`")[0] if "`$." in message else "row"
        raise RowError(field, message) from None


async def _import_row(conn: asyncpg.Connection, who: Principal, resolve: Resolver, row: dict,
                      import_id: str) -> tuple[str, str, str]:
    """Apply one row: (status created|unchanged, entity, id)."""
    record = _value(row, "record")
    if record not in RECORDS:
        raise RowError("record", f"{record!r}: one of {', '.join(RECORDS)}")
    existing_check = {"source": queries.source_exists, "body": queries.body_exists}
    key = {"source": "source", "body": "body"}.get(record)
    if key and _value(row, key) and await conn.fetchval(existing_check[record], str(row[key])):
        return "unchanged", record, str(row[key])  # known records are matched by id, not rewritten
    if record == "programme" and _value(row, "programme") and await conn.fetchval(queries.programme_exists,
                                                                                 str(row["programme"])):
        return "unchanged", "programme", str(row["programme"])
    if record == "source":
        data = _convert({"id": _value(row, "source"), "url": _value(row, "source_url"),
                         "document": _value(row, "source_document"), "title": _value(row, "source_title"),
                         "publisher": _value(row, "source_publisher"), "language": _value(row, "source_language"),
                         "published_on": _value(row, "source_published"), "seen_on": _value(row, "source_seen"),
                         "note": _value(row, "note")}, c.SourceIn)
        if await conn.fetchval(queries.source_exists, data.id):
            return "unchanged", "source", data.id
        await reference.create_source(conn, who, data, import_id)
        return "created", "source", data.id
    if record == "body":
        data = _convert({"id": _value(row, "body"), "name": _value(row, "body_name"),
                         "short_name": _value(row, "short_name"), "country": _value(row, "country"),
                         "roles": _list(row, "roles"), "url": _value(row, "url"), "source_id": _value(row, "source"),
                         "note": _value(row, "note")}, c.BodyIn)
        if await conn.fetchval(queries.body_exists, data.id):
            return "unchanged", "body", data.id
        await reference.create_body(conn, who, data, import_id)
        return "created", "body", data.id
    if record == "programme":
        data = _convert({"id": _value(row, "programme"), "name": _value(row, "programme_name"),
                         "owner": await resolve.body(_value(row, "owner")), "model": _value(row, "model"),
                         "country": _value(row, "country"), "started": _value(row, "started"),
                         "note": _value(row, "note"), "source_id": _value(row, "source"),
                         "quote": _value(row, "quote")}, c.ProgrammeIn)
        if await conn.fetchval(queries.programme_exists, data.id):
            return "unchanged", "programme", data.id
        await reference.create_programme(conn, who, data, import_id)
        return "created", "programme", data.id
    if record == "municipality":
        identifiers = dict(item.split(":", 1) for item in _list(row, "identifiers") if ":" in item)
        data = _convert({"id": _value(row, "municipality"), "country": _value(row, "country"),
                         "national_code": _value(row, "national_code"), "kind": _value(row, "kind"),
                         "region": _value(row, "region"),
                         "name_local": _value(row, "name_local") or _value(row, "municipality_name"),
                         "name_latin": _value(row, "name_latin"), "name_variants": _list(row, "name_variants"),
                         "population": _int(row, "population"), "population_year": _int(row, "population_year"),
                         "area_km2": _float(row, "area_km2"), "identifiers": identifiers,
                         "note": _value(row, "note")}, c.MunicipalityIn)
        if data.id and await conn.fetchval(queries.municipality_version, data.id):
            return "unchanged", "municipality", data.id
        result = await reference.create_municipality(conn, who, data, import_id)
        return "created", "municipality", result.id

    municipality_id = await resolve.municipality(row)
    if municipality_id == "":  # create_municipality: a unit of a country without a roster
        municipality_id = await _create_listed_municipality(conn, who, resolve, row, import_id)
    if record == "adoption":
        model = _value(row, "model")
        existing = await conn.fetchval(queries.find_adoption, municipality_id,
                                       model_code(str(model or "")),
                                       _value(row, "scope") or "")
        if existing:
            return "unchanged", "adoption", str(existing)
        result = await service.create_adoption(conn, who, _convert({
            "municipality": municipality_id, "model": model, "scope": _value(row, "scope") or "",
            "note": _value(row, "note")}, c.AdoptionIn))
        return "created", "adoption", result.id
    source_id = await resolve.source(row, who, import_id)
    if record == "programme_member":
        programme = _value(row, "programme")
        if programme is None:
            raise RowError("programme", "which programme?")
        result = await reference.put_member(conn, who, str(programme), municipality_id, _convert({
            "joined": _value(row, "joined") or _value(row, "date"), "source_id": source_id,
            "quote": _value(row, "quote"), "unsourced": _bool(row, "unsourced", False)}, c.MemberIn), import_id)
        return ("unchanged" if result.change_id is None else "created"), "programme_member", result.id
    body = await resolve.body(_value(row, "body"))
    if record == "award":
        data = _convert({"municipality": municipality_id, "scheme": _value(row, "scheme"),
                         "year": _int(row, "year"), "edition": _value(row, "edition"),
                         "category": _value(row, "category"), "level": _value(row, "level"),
                         "date": _value(row, "date"), "body": body, "public": _bool(row, "public", True),
                         "note": _value(row, "note"), "source_id": source_id, "quote": _value(row, "quote"),
                         "unsourced": _bool(row, "unsourced", False)}, c.AwardIn)
        existing = await conn.fetchval(queries.same_award, municipality_id, data.scheme.upper(), data.year,
                                       data.category, data.level)
        if existing:
            return "unchanged", "award", str(existing)
        result = await service.create_award(conn, who, data, import_id)
        return "created", "award", result.id
    data = _event_data(row, municipality_id, body, source_id)
    try:
        when = parse_partial(data.date)
    except ValueError as exc:
        raise RowError("date", str(exc)) from None
    model = model_code(data.model)
    adoption_id = await conn.fetchval(queries.find_adoption, municipality_id, model, data.scope)
    if adoption_id:
        existing = await conn.fetchval(queries.same_event, adoption_id, data.type, when.start, when.end,
                                       data.edition, body, data.certificate_number)
        if existing:
            return "unchanged", "event", str(existing)
    result = await service.create_event(conn, who, data, import_id)
    return "created", "event", result.id


# ---------------------------------------------------------------- the whole import


async def run_import(conn: asyncpg.Connection, who: Principal | None, rows: Iterable[Any], dry_run: bool,
                     progress: Callable[[int], None] | None = None) -> dict:
    """Apply rows all-or-nothing; return the per-row report. Raises 401/403 like a direct write would.

    Rows other than events are applied one by one in file order, each in a savepoint; event rows follow,
    checked and written together (registry/curation/bulk.py). Nothing else refers to an event, so this order
    sees every source, body, programme and municipality the file creates.
    """
    if who is None:
        raise Unauthorized("imports need a key: Authorization: Bearer <key>")
    if who.role == "reader":
        raise Forbidden(f"key {who.name!r} is a reader key and cannot import")
    import_id = f"imp-{uuid.uuid4().hex[:12]}"
    report: dict[str, Any] = {"import_id": import_id, "dry_run": dry_run, "rows": 0, "created": 0,
                              "unchanged": 0, "errors": [], "results": []}
    forbidden: list[dict] = []
    resolve = Resolver(conn)
    others: list[tuple[int, Any]] = []
    events: list[bulk.Pending] = []
    for number, row in enumerate(rows, start=1):  # rows may be read as they come: keep what each gives
        report["rows"] = number
        if isinstance(row, dict) and _value(row, "record") == "event":
            item = bulk.Pending(number)
            _read_event_row(item, row)
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
            await _events_in_bulk(conn, who, resolve, events, import_id, report, forbidden, progress)
        report["results"].sort(key=lambda r: r["row"])
        report["errors"].sort(key=lambda e: e["row"])
        forbidden.sort(key=lambda f: f["row"])
        report["applied"] = not (dry_run or report["errors"] or forbidden)
    finally:
        if report.get("applied"):
            await transaction.commit()
        else:
            await transaction.rollback()
    if forbidden:
        raise Forbidden(f"key {who.name!r} may not change {len(forbidden)} of the rows; nothing was imported",
                        rows=forbidden[:100])
    return report


async def _events_in_bulk(conn: asyncpg.Connection, who: Principal, resolve: Resolver, events: list[bulk.Pending],
                          import_id: str, report: dict, forbidden: list[dict],
                          progress: Callable[[int], None] | None) -> None:
    async def prepare(item: bulk.Pending) -> None:
        if item.resolve and _creates(item.row()):  # it may write a source or a municipality: in a savepoint
            async with conn.transaction():
                await _resolve_event_row(conn, who, resolve, item, import_id)
        else:
            await _resolve_event_row(conn, who, resolve, item, import_id)

    savepoint = conn.transaction()
    await savepoint.start()
    try:
        outcome = await bulk.import_events(conn, who, events, import_id, prepare, progress)
    except (asyncpg.IntegrityConstraintViolationError, asyncpg.DataError):
        # the database refused a value the checks let through: replay row by row to name it
        await savepoint.rollback()
        resolve.names.clear()
        resolve.sources.clear()
        await _one_by_one(conn, who, resolve, [(e.number, e.row()) for e in events], import_id, report, forbidden,
                          progress)
        return
    await savepoint.commit()
    for entry in outcome.results:
        report[entry["status"]] += 1
    report["results"] += outcome.results
    report["errors"] += [bulk.error_entry(number, exc) for number, exc in outcome.errors]
    forbidden += outcome.forbidden


def _creates(row: dict) -> bool:
    """Whether preparing an event row may create a municipality or a source."""
    if _value(row, "source") is None and (_value(row, "source_url") or _value(row, "source_title")):
        return True
    return str(row.get("create_municipality", "")).strip().lower() in ("true", "1", "yes")


async def _one_by_one(conn: asyncpg.Connection, who: Principal, resolve: Resolver, rows: list[tuple[int, Any]],
                      import_id: str, report: dict, forbidden: list[dict],
                      progress: Callable[[int], None] | None) -> None:
    for number, row in rows:
        if not isinstance(row, dict):
            report["errors"].append({"row": number, "field": "row", "reason": "a row is an object"})
            continue
        try:
            async with conn.transaction():  # a savepoint: a failed row leaves the others usable
                status, entity, entity_id = await _import_row(conn, who, resolve, row, import_id)
            report[status] += 1
            report["results"].append({"row": number, "record": row.get("record"), "status": status,
                                      "entity": entity, "id": entity_id})
        except (Forbidden, Unauthorized) as exc:
            forbidden.append({"row": number, "reason": exc.detail})
        except Exception as exc:  # noqa: BLE001 - error_entry re-raises what is not a row's problem
            report["errors"].append(bulk.error_entry(number, exc))
        if progress:
            progress(number)


# ---------------------------------------------------------------- export

EXPORT_COLUMNS = [
    "record", "municipality", "country", "municipality_name", "kind", "name_local", "name_latin", "name_variants",
    "national_code", "region", "population", "population_year", "area_km2", "identifiers", "model", "scope",
    "type", "date", "date_precision", "date_kind", "edition", "body", "certificate_number", "valid_until",
    "major_nonconformities", "minor_nonconformities", "evidence_level", "score", "public", "scheme", "year",
    "category", "level", "programme", "programme_name", "owner", "started", "joined", "source", "source_url",
    "source_document", "source_title", "source_publisher", "source_language", "source_published", "source_seen",
    "body_name", "short_name", "roles", "url", "quote", "unsourced", "note",
]


async def export_records(conn: asyncpg.Connection, private: bool) -> AsyncIterator[dict]:
    """Every curated record in the import format, in an order an import can replay."""
    async with conn.transaction(readonly=True, isolation="repeatable_read"):  # one consistent snapshot
        for name in ("export_sources", "export_bodies", "export_programmes", "export_municipalities",
                     "export_adoptions", "export_events", "export_awards", "export_members"):
            async for record in conn.cursor(getattr(queries, name), private):
                yield {k: v for k, v in json.loads(record["line"]).items() if v is not None}


def csv_tables(records: Iterable[dict]) -> dict[str, str]:
    """One CSV text per record type, with the export columns that type uses."""
    grouped: dict[str, list[dict]] = {}
    for r in records:
        grouped.setdefault(r["record"], []).append(r)
    out = {}
    for record, rows in grouped.items():
        columns = [col for col in EXPORT_COLUMNS if any(col in r for r in rows)]
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator=LINE_END)
        writer.writeheader()
        for r in rows:
            writer.writerow({k: cell(v) for k, v in r.items()})
        out[record] = buffer.getvalue()
    return out
