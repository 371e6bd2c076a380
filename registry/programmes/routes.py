"""HTTP routes for programmes and their members."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Annotated

import asyncpg
import msgspec
from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.openapi.spec import Example
from litestar.params import PathParameter, QueryParameter

from registry.curation.routes import IfNoneMatch, ProgrammeWrites, etag, not_modified, sees_private
from registry.dates import as_of_day
from registry.db import queries
from registry.errors import NotFound, require_printable
from registry.labelling import labelled
from registry.programmes.schemas import Programme, ProgrammeSummary
from registry.status.store import audience
from registry.schemas import Page

Conn = NamedDependency[asyncpg.Connection]


class ProgrammeController(Controller, ProgrammeWrites):
    path = "/v1/programmes"
    tags = ["programmes"]

    @get("/", operation_id="listProgrammes", summary="Adoption programmes such as a ministry's CAF cohort")
    async def list_programmes(self, db: Conn) -> Page[ProgrammeSummary]:
        """Every programme with its model, owner and member count."""
        rows = await db.fetch(queries.list_programmes)
        return Page(items=labelled([msgspec.convert(dict(r), ProgrammeSummary) for r in rows]))

    @get("/{programme_id:str}", operation_id="getProgramme", summary="One programme and its members")
    async def get_programme(
        self, db: Conn, request: Request,
        programme_id: Annotated[str, PathParameter(description="Programme id", examples=[Example(value="si-mju-caf-obcine")])],
        as_of: Annotated[dt.date | None, QueryParameter(description="Derive member statuses on this day")] = None,
        if_none_match: IfNoneMatch = None,
    ) -> Response[Programme]:
        """Members with their join date and their status in the programme's model on `as_of`. ETag
        "version.as_of.digest": the programme's version (for If-Match), the day, and a digest of what the answer
        holds, which also changes with its members and their statuses; If-None-Match gives 304."""
        day = as_of_day(as_of)
        row = await db.fetchrow(queries.get_programme, require_printable("programme", programme_id), day,
                                audience(sees_private(request)))
        if row is None:
            raise NotFound("programme", programme_id)
        digest = hashlib.sha256(msgspec.json.encode(dict(row))).hexdigest()[:16]
        tag = etag(row["version"], f"{day.isoformat()}.{digest}")
        if not_modified(if_none_match, tag):
            return Response(None, status_code=304, headers={"ETag": tag})
        return Response(labelled(msgspec.convert({**dict(row), "as_of": day.isoformat()}, Programme)), headers={"ETag": tag})
