"""HTTP routes for writes, the change feed and single-record reads with ETags.

Writes need `Authorization: Bearer <key>` (401 without), stay inside the key's countries (403 outside),
honour `If-Match` (412 when the record changed meanwhile) and answer 201/200 with the new version.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, Literal, TypeVar

import asyncpg
import msgspec
from litestar import Controller, Request, Response, delete, get, patch, post, put
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import FromPath, HeaderParameter, JSONBody, PathParameter, QueryParameter

from registry.auth import Principal, authenticate
from registry.curation import schemas as c
from registry.curation import reference, service, transfer
from registry.curation.audit import run_write
from registry.curation.records import AdoptionRecord, AwardRecord, BodyRecord, EventRecord, ImportReport
from registry.db import queries
from registry.disconnect import cancel_on_disconnect
from registry.errors import BadParameter, NotFound, problem
from registry.labelling import labelled
from registry.paging import decode_cursor, encode_cursor

Conn = NamedDependency[asyncpg.Connection]
T = TypeVar("T")
Who = NamedDependency[Principal | None]
IfMatch = Annotated[str | None, HeaderParameter(
    name="If-Match", description='Required: the ETag you last read, e.g. "3" (428 without it, 412 when the record '
                                 'changed meanwhile or for a weak W/ tag)')]
RecordId = Annotated[int, PathParameter(ge=1, le=2**53 - 1, description="The record's id")]  # JSON-safe integers
IfNoneMatch = Annotated[str | None, HeaderParameter(name="If-None-Match", description="Answer 304 if unchanged")]


async def authenticate_request(request: Request) -> None:
    """Before the handler and its dependencies: the caller's key, if any (401 for a wrong or revoked one).

    Done in a hook, not a dependency, so a refused key never leaves a pooled connection half-used.
    """
    header = request.headers.get("authorization")
    request.state.principal = None
    if header:
        async with request.app.state.pool.acquire() as conn:
            request.state.principal = await authenticate(conn, header)


async def provide_principal(request: Request) -> Principal | None:
    """The caller's key as found by authenticate_request."""
    return request.state.get("principal")


def sees_private(request: Request) -> bool:
    """Whether the caller sent a valid key (checked by authenticate_request), and so sees non-public facts.

    Read handlers ask this of the request instead of taking the `principal` dependency: litestar resolves
    two dependencies of one handler concurrently in an anyio task group, ~8 % of a profile request's CPU."""
    return request.state.get("principal") is not None


async def _write(state: State, write: Callable[..., Awaitable[T]], *args: Any) -> T:
    """One write in its own transaction (retried on a deadlock with a concurrent write); once committed,
    reused answers are checked against the new data version."""
    result = await run_write(state.pool, write, *args)
    state.answers.after_write()
    return result


def etag(version: int, suffix: str = "") -> str:
    return f'"{version}{"." + suffix if suffix else ""}"'


def not_modified(if_none_match: str | None, tag: str) -> bool:
    if not if_none_match:
        return False
    return if_none_match.strip() == "*" or tag in [t.strip().removeprefix("W/") for t in if_none_match.split(",")]


COLLECTIONS = {"event": "events", "award": "awards", "source": "sources", "body": "bodies",
               "programme": "programmes", "municipality": "municipalities", "adoption": "adoptions",
               "model": "models"}


def location(entity: str, entity_id: str) -> str:
    if entity in ("edition", "level"):
        model, _, code = entity_id.partition("/")
        return f"/v1/models/{model}/{'editions' if entity == 'edition' else 'levels'}/{code}"
    if entity == "programme_member":
        programme_id, _, municipality_id = entity_id.partition("/")
        return f"/v1/programmes/{programme_id}/members/{municipality_id}"
    return f"/v1/{COLLECTIONS[entity]}/{entity_id}"


def written(result: c.Written, status: int = 200) -> Response[c.Written]:
    headers = {"Location": location(result.entity, result.id)}
    if result.version is not None:
        headers["ETag"] = etag(result.version)
    return Response(result, status_code=status, headers=headers)


def _record_response(record: dict, if_none_match: str | None) -> Response:
    tag = etag(record["version"])
    if not_modified(if_none_match, tag):
        return Response(None, status_code=304, headers={"ETag": tag})
    return Response(record, headers={"ETag": tag})


class CurationController(Controller):
    path = "/v1"
    tags = ["curation"]

    # ------------------------------------------------------------ events
    @post("/events", operation_id="createEvent", summary="Record an event of an adoption")
    async def create_event(self, state: State, principal: Who, data: JSONBody[c.EventIn]) -> Response[c.Written]:
        """Creates the adoption if the municipality has none of this model yet. 201 with the new event."""
        return written(await _write(state, service.create_event, principal, data), 201)

    @get("/events/{event_id:int}", operation_id="getEvent", summary="One event")
    async def get_event(self, db: Conn, request: Request, event_id: RecordId,
                        if_none_match: IfNoneMatch = None) -> Response[EventRecord]:
        """The event as stored, with its ETag (its version)."""
        return _record_response(await service.get_event(db, event_id, sees_private(request)), if_none_match)

    @patch("/events/{event_id:int}", operation_id="updateEvent", summary="Change an event")
    async def update_event(self, state: State, principal: Who, event_id: RecordId, data: JSONBody[c.EventPatch],
                           if_match: IfMatch = None) -> Response[c.Written]:
        """Only the fields given change; the whole event is checked again."""
        return written(await _write(state, service.update_event, principal, event_id, data, if_match))

    @delete("/events/{event_id:int}", operation_id="deleteEvent", summary="Delete an event", status_code=200)
    async def delete_event(self, state: State, principal: Who, event_id: RecordId,
                           if_match: IfMatch = None) -> c.Written:
        """The deleted values stay in the change feed."""
        return await _write(state, service.delete_event, principal, event_id, if_match)

    # ------------------------------------------------------------ awards
    @post("/awards", operation_id="createAward", summary="Record an award")
    async def create_award(self, state: State, principal: Who, data: JSONBody[c.AwardIn]) -> Response[c.Written]:
        """The scheme must be an award scheme of the catalogue."""
        return written(await _write(state, service.create_award, principal, data), 201)

    @get("/awards/{award_id:int}", operation_id="getAward", summary="One award")
    async def get_award(self, db: Conn, request: Request, award_id: RecordId,
                        if_none_match: IfNoneMatch = None) -> Response[AwardRecord]:
        """The award as stored, with its ETag."""
        return _record_response(await service.get_award(db, award_id, sees_private(request)), if_none_match)

    @patch("/awards/{award_id:int}", operation_id="updateAward", summary="Change an award")
    async def update_award(self, state: State, principal: Who, award_id: RecordId, data: JSONBody[c.AwardPatch],
                           if_match: IfMatch = None) -> Response[c.Written]:
        """Only the fields given change."""
        return written(await _write(state, service.update_award, principal, award_id, data, if_match))

    @delete("/awards/{award_id:int}", operation_id="deleteAward", summary="Delete an award", status_code=200)
    async def delete_award(self, state: State, principal: Who, award_id: RecordId,
                           if_match: IfMatch = None) -> c.Written:
        """The deleted values stay in the change feed."""
        return await _write(state, service.delete_award, principal, award_id, if_match)

    @post("/adoptions", operation_id="createAdoption", summary="Record that a municipality adopted a model")
    async def create_adoption(self, state: State, principal: Who, data: JSONBody[c.AdoptionIn]) -> Response[c.Written]:
        """Events usually create their adoption; this is for an adoption with a scope or a note."""
        return written(await _write(state, service.create_adoption, principal, data), 201)

    @get("/adoptions/{adoption_id:int}", operation_id="getAdoption", summary="One adoption")
    async def get_adoption(self, db: Conn, adoption_id: RecordId,
                           if_none_match: IfNoneMatch = None) -> Response[AdoptionRecord]:
        """The adoption as stored (municipality, model, scope, note), with its ETag."""
        row = await db.fetchval(queries.get_adoption, adoption_id)
        if row is None:
            raise NotFound("adoption", str(adoption_id))
        return _record_response(row, if_none_match)

    @patch("/adoptions/{adoption_id:int}", operation_id="updateAdoption", summary="Change an adoption's note")
    async def update_adoption(self, state: State, principal: Who, adoption_id: RecordId,
                              data: JSONBody[c.AdoptionPatch], if_match: IfMatch = None) -> Response[c.Written]:
        """The note; scope and model are part of its identity."""
        return written(await _write(state, service.update_adoption, principal, adoption_id, data, if_match))

    @delete("/adoptions/{adoption_id:int}", operation_id="deleteAdoption", summary="Delete an adoption without events",
            status_code=200)
    async def delete_adoption(self, state: State, principal: Who, adoption_id: RecordId,
                              if_match: IfMatch = None) -> c.Written:
        """409 while it has events."""
        return await _write(state, service.delete_adoption, principal, adoption_id, if_match)

    # ------------------------------------------------------------ bulk import and export
    @post("/imports", operation_id="createImport", summary="Import events, awards, members and sources",
          status_code=200)
    async def create_import(
        self, db: Conn, principal: Who, request: Request,
        dry_run: Annotated[bool, QueryParameter(description="Report what would happen and write nothing")] = False,
    ) -> Response[ImportReport]:
        """CSV (text/csv), JSON (application/json) or JSON Lines (application/x-ndjson) in the import format
        (README). All or nothing: 200 with the per-row report when applied (or with dry_run), 422 with the
        report when any row fails (nothing written), 403 when a row is outside the key's countries."""
        rows = transfer.iter_rows(await request.body(), request.headers.get("content-type", ""))
        # a client that goes away cancels the import (its statements and transaction), not just the answer
        report = await cancel_on_disconnect(request, transfer.run_import(db, principal, rows, dry_run), "the import")
        if report.get("applied"):
            request.app.state.answers.after_write()
        if report["errors"]:
            return problem(422, "Unprocessable record",
                           f"{len({e['row'] for e in report['errors']})} of {report['rows']} rows cannot be imported "
                           f"({len(report['errors'])} problems); nothing was written",
                           request, report=report)
        return Response(report)

    @get("/export", operation_id="export", summary="The whole curated dataset")
    async def export(
        self, db: Conn, request: Request,
        export_format: Annotated[Literal["jsonl", "zip"], QueryParameter(
            name="format", description="jsonl: JSON Lines in the import format; zip: one CSV per record type")] = "jsonl",
    ) -> Response:
        """Sources, bodies, programmes, curator-added municipalities, adoptions, events, awards and members, in
        the import format, so that importing an export into an empty registry reproduces the data."""
        records = [r async for r in transfer.export_records(db, sees_private(request))]
        stamp = dt.date.today().isoformat()
        if export_format == "zip":
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                for record, text in transfer.csv_tables(records).items():
                    archive.writestr(f"{record}.csv", text)
            return Response(buffer.getvalue(), media_type="application/zip", headers={
                "Content-Disposition": f'attachment; filename="registry-export-{stamp}.zip"'})
        body = "".join(json.dumps(r, ensure_ascii=False, default=str) + "\n" for r in records)
        return Response(body, media_type="application/x-ndjson", headers={
            "Content-Disposition": f'attachment; filename="registry-export-{stamp}.jsonl"'})

    # ------------------------------------------------------------ change feed
    @get("/changes", operation_id="listChanges", summary="The change feed")
    async def changes(
        self, db: Conn, principal: Who,
        since: Annotated[str | None, QueryParameter(
            description="Changes at or after this time: an ISO 8601 date-time with its offset, e.g. 2026-01-31T08:00:00Z",
            schema_extra={"format": "date-time"})] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=1000)] = 100,
        cursor: Annotated[str | None, QueryParameter(description="The `next` value of the previous page")] = None,
    ) -> c.ChangePage:
        """Every write once, oldest first: who (key name), when, what, before and after. For mirrors:
        keep the last `next` and ask again."""
        return await _changes(db, principal, None, date_time("since", since), limit, cursor)

class SourceWrites:
    """Write handlers mounted on SourceController (/v1/sources)."""

    @post("/", operation_id="createSource", summary="Add a source")
    async def create_source(self, state: State, principal: Who, data: JSONBody[c.SourceIn]) -> Response[c.Written]:
        """An address (url) or stored document, title, publisher, language, dates."""
        return written(await _write(state, reference.create_source, principal, data), 201)

    @patch("/{source_id:str}", operation_id="updateSource", summary="Correct a source")
    async def update_source(self, state: State, principal: Who, source_id: FromPath[str], data: JSONBody[c.SourcePatch],
                            if_match: IfMatch = None) -> Response[c.Written]:
        """Only the fields given change."""
        return written(await _write(state, reference.update_source, principal, source_id, data, if_match))

    @delete("/{source_id:str}", operation_id="deleteSource", summary="Delete an unused source",
            status_code=200)
    async def delete_source(self, state: State, principal: Who, source_id: FromPath[str],
                            if_match: IfMatch = None) -> c.Written:
        """409 while facts cite it."""
        return await _write(state, reference.delete_source, principal, source_id, if_match)



class BodyWrites:
    """Write handlers and the single-body read mounted on BodyController (/v1/bodies)."""

    @post("/", operation_id="createBody", summary="Add a body")
    async def create_body(self, state: State, principal: Who, data: JSONBody[c.BodyIn]) -> Response[c.Written]:
        """A certification or accreditation body, award organiser, ministry …"""
        return written(await _write(state, reference.create_body, principal, data), 201)

    @get("/{body_id:str}", operation_id="getBody", summary="One body")
    async def get_body(self, db: Conn, body_id: FromPath[str], if_none_match: IfNoneMatch = None) -> Response[BodyRecord]:
        """The body with its roles and accreditation links, with its ETag."""
        row = await db.fetchrow(queries.get_body, body_id)
        if row is None:
            raise NotFound("body", body_id)
        tag = etag(row["version"])
        if not_modified(if_none_match, tag):
            return Response(None, status_code=304, headers={"ETag": tag})
        # labelled like the list's bodies: country_name and roles_labels in the reader's language
        return Response(labelled(msgspec.convert(dict(row), BodyRecord)), headers={"ETag": tag})

    @patch("/{body_id:str}", operation_id="updateBody", summary="Change a body")
    async def update_body(self, state: State, principal: Who, body_id: FromPath[str], data: JSONBody[c.BodyPatch],
                          if_match: IfMatch = None) -> Response[c.Written]:
        """Only the fields given change."""
        return written(await _write(state, reference.update_body, principal, body_id, data, if_match))

    @delete("/{body_id:str}", operation_id="deleteBody", summary="Delete an unused body", status_code=200)
    async def delete_body(self, state: State, principal: Who, body_id: FromPath[str],
                          if_match: IfMatch = None) -> c.Written:
        """409 while facts name it."""
        return await _write(state, reference.delete_body, principal, body_id, if_match)



class ProgrammeWrites:
    """Write handlers mounted on ProgrammeController (/v1/programmes)."""

    @post("/", operation_id="createProgramme", summary="Add a programme")
    async def create_programme(self, state: State, principal: Who, data: JSONBody[c.ProgrammeIn]) -> Response[c.Written]:
        """A programme such as a ministry's CAF cohort, in one country."""
        return written(await _write(state, reference.create_programme, principal, data), 201)

    @patch("/{programme_id:str}", operation_id="updateProgramme", summary="Change a programme")
    async def update_programme(self, state: State, principal: Who, programme_id: FromPath[str],
                               data: JSONBody[c.ProgrammePatch], if_match: IfMatch = None) -> Response[c.Written]:
        """Only the fields given change."""
        return written(await _write(state, reference.update_programme, principal, programme_id, data, if_match))

    @delete("/{programme_id:str}", operation_id="deleteProgramme", summary="Delete a programme",
            status_code=200)
    async def delete_programme(self, state: State, principal: Who, programme_id: FromPath[str],
                               if_match: IfMatch = None) -> c.Written:
        """Its memberships go with it."""
        return await _write(state, reference.delete_programme, principal, programme_id, if_match)

    @put("/{programme_id:str}/members/{municipality_id:str}", operation_id="putProgrammeMember",
         summary="Add or change a member")
    async def put_member(self, state: State, principal: Who, programme_id: FromPath[str], municipality_id: FromPath[str],
                         data: JSONBody[c.MemberIn]) -> Response[c.Written]:
        """Idempotent: the same body twice changes nothing the second time."""
        return written(await _write(state, reference.put_member, principal, programme_id, municipality_id, data))

    @delete("/{programme_id:str}/members/{municipality_id:str}", operation_id="deleteProgrammeMember",
            summary="Remove a member", status_code=200)
    async def delete_member(self, state: State, principal: Who, programme_id: FromPath[str],
                            municipality_id: FromPath[str]) -> c.Written:
        """The removed membership stays in the change feed."""
        return await _write(state, reference.delete_member, principal, programme_id, municipality_id)



class MunicipalityWrites:
    """Write handlers and the history mounted on MunicipalityController (/v1/municipalities)."""

    @post("/", operation_id="createMunicipality",
          summary="Add a municipality of a country without a complete roster")
    async def create_municipality(self, state: State, principal: Who,
                                  data: JSONBody[c.MunicipalityIn]) -> Response[c.Written]:
        """The id defaults to a readable one from the country and the Latin name."""
        return written(await _write(state, reference.create_municipality, principal, data), 201)

    @patch("/{municipality_id:str}", operation_id="updateMunicipality",
           summary="Change a municipality's curated fields")
    async def update_municipality(self, state: State, principal: Who, municipality_id: FromPath[str],
                                  data: JSONBody[c.MunicipalityPatch], if_match: IfMatch = None) -> Response[c.Written]:
        """Name variants, identifiers, note; the roster fields only of curator-added municipalities."""
        return written(await _write(state, reference.update_municipality, principal, municipality_id, data, if_match))

    @delete("/{municipality_id:str}", operation_id="deleteMunicipality",
            summary="Delete a curator-added municipality without facts", status_code=200)
    async def delete_municipality(self, state: State, principal: Who, municipality_id: FromPath[str],
                                  if_match: IfMatch = None) -> c.Written:
        """Roster municipalities cannot be deleted."""
        return await _write(state, reference.delete_municipality, principal, municipality_id, if_match)


    @get("/{municipality_id:str}/history", operation_id="getMunicipalityHistory",
         summary="One municipality's changes")
    async def history(
        self, db: Conn, principal: Who, municipality_id: FromPath[str],
        limit: Annotated[int, QueryParameter(ge=1, le=1000)] = 100,
        cursor: Annotated[str | None, QueryParameter(description="The `next` value of the previous page")] = None,
    ) -> c.ChangePage:
        """The changes to the municipality and to the facts about it, oldest first."""
        if not await db.fetchval(queries.municipality_version, municipality_id.lower()):
            raise NotFound("municipality", municipality_id)
        return await _changes(db, principal, municipality_id.lower(), None, limit, cursor)




RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")


def date_time(parameter: str, value: str | None) -> dt.datetime | None:
    """An RFC 3339 date-time (ISO 8601 with its offset: 2026-01-31T08:00:00Z); 400 naming the parameter for
    anything else, epoch seconds and dates without a time included."""
    if value is None:
        return None
    if RFC3339.fullmatch(value.upper()):
        try:
            return dt.datetime.fromisoformat(value.upper())
        except ValueError:
            pass
    raise BadParameter(parameter, f"{value!r} is not a date-time: use ISO 8601 with an offset, "
                                  f"e.g. 2026-01-31T08:00:00Z")


def _redact(change: dict, principal: Principal | None) -> dict:
    """Anonymous readers do not see the values of non-public facts."""
    if principal is None and change["entity"] in ("event", "award"):
        if any(isinstance(v, dict) and v.get("public") is False for v in (change["before"], change["after"])):
            return {**change, "before": None, "after": None}
    return change


async def _changes(db: asyncpg.Connection, principal: Principal | None, municipality_id: str | None,
                   since: dt.datetime | None, limit: int, cursor: str | None) -> c.ChangePage:
    after_id = 0
    if cursor:
        key = decode_cursor(cursor)
        if not key.isdigit():
            raise BadParameter("cursor", "not a cursor returned by this API")
        after_id = int(key)
    rows = await db.fetch(queries.list_changes, after_id, since, municipality_id, limit + 1)
    items = [c.Change(**_redact(dict(r), principal)) for r in rows[:limit]]
    last = items[-1].id if items else after_id
    # `next` pages on, null on the last page; `resume` is where a mirror asks again later for newer changes
    return c.ChangePage(items=items, next=encode_cursor(str(last)) if len(rows) > limit else None,
                        resume=encode_cursor(str(last)))
