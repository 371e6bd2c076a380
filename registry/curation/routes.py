"""HTTP routes for events, awards and adoptions, imports, the export and the change feed.

Writes need `Authorization: Bearer <key>` (401 without), stay inside the key's countries (403
outside), honour `If-Match` (412 when the record changed meanwhile) and answer 201/200 with the new
version. The other records' writes are handled in their areas (sources/, catalogue/, programmes/,
places/), the same way.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from typing import Annotated, Literal

from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.datastructures import State
from litestar.params import JSONBody, QueryParameter

from registry.curation import awards, feed, service, transfer
from registry.curation import schemas as c
from registry.curation.handlers import write, written
from registry.curation.records import AdoptionRecord, AwardRecord, EventRecord, ImportReport
from registry.db import queries
from registry.disconnect import cancel_on_disconnect
from registry.errors import NotFound, problem
from registry.http import Conn, IfMatch, IfNoneMatch, RecordId, Who, record_response, sees_private


class CurationController(Controller):
    path = "/v1"
    tags = ["curation"]

    # ------------------------------------------------------------ events
    @post("/events", operation_id="createEvent", summary="Record an event of an adoption")
    async def create_event(
        self, state: State, principal: Who, data: JSONBody[c.EventIn]
    ) -> Response[c.Written]:
        """Creates the adoption if the municipality has none of this model yet. 201 with the new
        event."""
        return written(await write(state, service.create_event, principal, data), 201)

    @get("/events/{event_id:int}", operation_id="getEvent", summary="One event")
    async def get_event(
        self, db: Conn, request: Request, event_id: RecordId, if_none_match: IfNoneMatch = None
    ) -> Response[EventRecord]:
        """The event as stored, with its ETag (its version)."""
        return record_response(
            await service.get_event(db, event_id, sees_private(request)), if_none_match
        )

    @patch("/events/{event_id:int}", operation_id="updateEvent", summary="Change an event")
    async def update_event(
        self,
        state: State,
        principal: Who,
        event_id: RecordId,
        data: JSONBody[c.EventPatch],
        if_match: IfMatch = None,
    ) -> Response[c.Written]:
        """Only the fields given change; the whole event is checked again."""
        return written(
            await write(state, service.update_event, principal, event_id, data, if_match)
        )

    @delete(
        "/events/{event_id:int}",
        operation_id="deleteEvent",
        summary="Delete an event",
        status_code=200,
    )
    async def delete_event(
        self, state: State, principal: Who, event_id: RecordId, if_match: IfMatch = None
    ) -> c.Written:
        """The deleted values stay in the change feed."""
        return await write(state, service.delete_event, principal, event_id, if_match)

    # ------------------------------------------------------------ awards
    @post("/awards", operation_id="createAward", summary="Record an award")
    async def create_award(
        self, state: State, principal: Who, data: JSONBody[c.AwardIn]
    ) -> Response[c.Written]:
        """The scheme must be an award scheme of the catalogue."""
        return written(await write(state, awards.create_award, principal, data), 201)

    @get("/awards/{award_id:int}", operation_id="getAward", summary="One award")
    async def get_award(
        self, db: Conn, request: Request, award_id: RecordId, if_none_match: IfNoneMatch = None
    ) -> Response[AwardRecord]:
        """The award as stored, with its ETag."""
        return record_response(
            await awards.get_award(db, award_id, sees_private(request)), if_none_match
        )

    @patch("/awards/{award_id:int}", operation_id="updateAward", summary="Change an award")
    async def update_award(
        self,
        state: State,
        principal: Who,
        award_id: RecordId,
        data: JSONBody[c.AwardPatch],
        if_match: IfMatch = None,
    ) -> Response[c.Written]:
        """Only the fields given change."""
        return written(await write(state, awards.update_award, principal, award_id, data, if_match))

    @delete(
        "/awards/{award_id:int}",
        operation_id="deleteAward",
        summary="Delete an award",
        status_code=200,
    )
    async def delete_award(
        self, state: State, principal: Who, award_id: RecordId, if_match: IfMatch = None
    ) -> c.Written:
        """The deleted values stay in the change feed."""
        return await write(state, awards.delete_award, principal, award_id, if_match)

    @post(
        "/adoptions",
        operation_id="createAdoption",
        summary="Record that a municipality adopted a model",
    )
    async def create_adoption(
        self, state: State, principal: Who, data: JSONBody[c.AdoptionIn]
    ) -> Response[c.Written]:
        """Events usually create their adoption; this is for an adoption with a scope or a note."""
        return written(await write(state, service.create_adoption, principal, data), 201)

    @get("/adoptions/{adoption_id:int}", operation_id="getAdoption", summary="One adoption")
    async def get_adoption(
        self, db: Conn, adoption_id: RecordId, if_none_match: IfNoneMatch = None
    ) -> Response[AdoptionRecord]:
        """The adoption as stored (municipality, model, scope, note), with its ETag."""
        row = await db.fetchval(queries.get_adoption, adoption_id)
        if row is None:
            raise NotFound("adoption", str(adoption_id))
        return record_response(row, if_none_match)

    @patch(
        "/adoptions/{adoption_id:int}",
        operation_id="updateAdoption",
        summary="Change an adoption's note",
    )
    async def update_adoption(
        self,
        state: State,
        principal: Who,
        adoption_id: RecordId,
        data: JSONBody[c.AdoptionPatch],
        if_match: IfMatch = None,
    ) -> Response[c.Written]:
        """The note; scope and model are part of its identity."""
        return written(
            await write(state, service.update_adoption, principal, adoption_id, data, if_match)
        )

    @delete(
        "/adoptions/{adoption_id:int}",
        operation_id="deleteAdoption",
        summary="Delete an adoption without events",
        status_code=200,
    )
    async def delete_adoption(
        self, state: State, principal: Who, adoption_id: RecordId, if_match: IfMatch = None
    ) -> c.Written:
        """409 while it has events."""
        return await write(state, service.delete_adoption, principal, adoption_id, if_match)

    # ------------------------------------------------------------ bulk import and export
    @post(
        "/imports",
        operation_id="createImport",
        summary="Import events, awards, members and sources",
        status_code=200,
    )
    async def create_import(
        self,
        db: Conn,
        principal: Who,
        request: Request,
        dry_run: Annotated[
            bool, QueryParameter(description="Report what would happen and write nothing")
        ] = False,
    ) -> Response[ImportReport]:
        """CSV (text/csv), JSON (application/json) or JSON Lines (application/x-ndjson) in the
        import format (README). All or nothing: 200 with the per-row report when applied (or with
        dry_run), 422 with the report when any row fails (nothing written), 403 when a row is
        outside the key's countries."""
        rows = transfer.iter_rows(await request.body(), request.headers.get("content-type", ""))
        # a client that goes away cancels the import (its statements and transaction), not just the
        # answer
        report = await cancel_on_disconnect(
            request, transfer.run_import(db, principal, rows, dry_run), "the import"
        )
        if report.get("applied"):
            request.app.state.answers.after_write()
        if report["errors"]:
            return problem(
                422,
                "Unprocessable record",
                f"{len({e['row'] for e in report['errors']})} of {report['rows']} rows cannot be "
                f"imported "
                f"({len(report['errors'])} problems); nothing was written",
                request,
                report=report,
            )
        # the report is a dict of the shape ImportReport documents
        answer: Response = Response(report)
        return answer

    @get("/export", operation_id="export", summary="The whole curated dataset")
    async def export(
        self,
        db: Conn,
        request: Request,
        export_format: Annotated[
            Literal["jsonl", "zip"],
            QueryParameter(
                name="format",
                description="jsonl: JSON Lines in the import format; zip: one CSV per record type",
            ),
        ] = "jsonl",
    ) -> Response:
        """Sources, bodies, programmes, curator-added municipalities, adoptions, events, awards and
        members, in the import format, so that importing an export into an empty registry reproduces
        the data."""
        records = [r async for r in transfer.export_records(db, sees_private(request))]
        stamp = dt.date.today().isoformat()
        if export_format == "zip":
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                for record, text in transfer.csv_tables(records).items():
                    archive.writestr(f"{record}.csv", text)
            return Response(
                buffer.getvalue(),
                media_type="application/zip",
                headers={
                    "Content-Disposition": f'attachment; filename="registry-export-{stamp}.zip"'
                },
            )
        body = "".join(json.dumps(r, ensure_ascii=False, default=str) + "\n" for r in records)
        return Response(
            body,
            media_type="application/x-ndjson",
            headers={
                "Content-Disposition": f'attachment; filename="registry-export-{stamp}.jsonl"'
            },
        )

    # ------------------------------------------------------------ change feed
    @get("/changes", operation_id="listChanges", summary="The change feed")
    async def changes(
        self,
        db: Conn,
        principal: Who,
        since: Annotated[
            str | None,
            QueryParameter(
                description="Changes at or after this time: an ISO 8601 date-time with its "
                "offset, e.g. 2026-01-31T08:00:00Z",
                schema_extra={"format": "date-time"},
            ),
        ] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=1000)] = 100,
        cursor: Annotated[
            str | None, QueryParameter(description="The `next` value of the previous page")
        ] = None,
    ) -> c.ChangePage:
        """Every write once, oldest first: who (key name), when, what, before and after. For
        mirrors: keep the last `next` and ask again."""
        return await feed.changes(
            db, principal, None, feed.date_time("since", since), limit, cursor
        )
