"""HTTP routes for sources: the documents that prove each fact."""

from __future__ import annotations

import hashlib
from typing import Annotated

import asyncpg
import msgspec
from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter

from registry.curation.routes import IfNoneMatch, SourceWrites, etag, not_modified, sees_private
from registry.db import queries
from registry.errors import NotFound, require_printable
from registry.labelling import labelled
from registry.paging import decode_cursor, encode_cursor
from registry.schemas import Page
from registry.sources.schemas import Source, SourceSummary

Conn = NamedDependency[asyncpg.Connection]


class SourceController(Controller, SourceWrites):
    path = "/v1/sources"
    tags = ["sources"]

    @get("/", operation_id="listSources", summary="All sources")
    async def list_sources(
        self, db: Conn,
        limit: Annotated[int, QueryParameter(ge=1, le=500)] = 50,
        cursor: Annotated[str | None, QueryParameter(description="The `next` value of the previous page")] = None,
    ) -> Page[SourceSummary]:
        """Documents and datasets the registry's facts come from, paged by id."""
        rows = await db.fetch(queries.list_sources, decode_cursor(cursor), limit + 1)
        items = [msgspec.convert(dict(r), SourceSummary) for r in rows[:limit]]
        return Page(items=labelled(items), next=encode_cursor(items[-1].id) if len(rows) > limit else None)

    @get("/{source_id:str}", operation_id="getSource", summary="One source and the facts citing it")
    async def get_source(self, db: Conn, request: Request, source_id: FromPath[str],
                         if_none_match: IfNoneMatch = None) -> Response[Source]:
        """Title, publisher, language, dates, and every event, award and membership that cites it."""
        row = await db.fetchrow(queries.get_source, require_printable("source", source_id), sees_private(request))
        if row is None:
            raise NotFound("source", source_id)
        # the version (for If-Match), and a digest of the answer: the facts citing it change without it
        tag = etag(row["version"], hashlib.sha256(msgspec.json.encode(dict(row))).hexdigest()[:16])
        if not_modified(if_none_match, tag):
            return Response(None, status_code=304, headers={"ETag": tag})
        return Response(labelled(msgspec.convert(dict(row), Source)), headers={"ETag": tag})
