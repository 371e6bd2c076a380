"""HTTP routes for sources, the documents that prove each fact: reads and writes."""

from __future__ import annotations

import hashlib
from typing import Annotated

import msgspec
from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.datastructures import State
from litestar.params import FromPath, JSONBody, QueryParameter

from registry.curation import reference
from registry.curation import schemas as c
from registry.curation.handlers import write, written
from registry.db import queries
from registry.errors import NotFound, require_printable
from registry.http import (
    Conn,
    IfMatch,
    IfNoneMatch,
    Who,
    etag,
    not_modified,
    sees_private,
    unchanged,
)
from registry.labelling import labelled
from registry.paging import decode_cursor, encode_cursor
from registry.schemas import Page
from registry.sources.schemas import Source, SourceSummary


class SourceController(Controller):
    path = "/v1/sources"
    tags = ["sources"]

    @get("/", operation_id="listSources", summary="All sources")
    async def list_sources(
        self,
        db: Conn,
        limit: Annotated[int, QueryParameter(ge=1, le=500)] = 50,
        cursor: Annotated[
            str | None, QueryParameter(description="The `next` value of the previous page")
        ] = None,
    ) -> Page[SourceSummary]:
        """Documents and datasets the registry's facts come from, paged by id."""
        rows = await db.fetch(queries.list_sources, decode_cursor(cursor), limit + 1)
        items = [msgspec.convert(dict(r), SourceSummary) for r in rows[:limit]]
        return Page(
            items=labelled(items), next=encode_cursor(items[-1].id) if len(rows) > limit else None
        )

    @get("/{source_id:str}", operation_id="getSource", summary="One source and the facts citing it")
    async def get_source(
        self,
        db: Conn,
        request: Request,
        source_id: FromPath[str],
        if_none_match: IfNoneMatch = None,
    ) -> Response[Source]:
        """Title, publisher, language, dates, and every event, award and membership that cites
        it."""
        row = await db.fetchrow(
            queries.get_source, require_printable("source", source_id), sees_private(request)
        )
        if row is None:
            raise NotFound("source", source_id)
        # the version (for If-Match), and a digest of the answer: the facts citing it change without
        # it
        tag = etag(row["version"], hashlib.sha256(msgspec.json.encode(dict(row))).hexdigest()[:16])
        if not_modified(if_none_match, tag):
            return unchanged({"ETag": tag})
        return Response(labelled(msgspec.convert(dict(row), Source)), headers={"ETag": tag})

    @post("/", operation_id="createSource", summary="Add a source")
    async def create_source(
        self, state: State, principal: Who, data: JSONBody[c.SourceIn]
    ) -> Response[c.Written]:
        """An address (url) or stored document, title, publisher, language, dates."""
        return written(await write(state, reference.create_source, principal, data), 201)

    @patch("/{source_id:str}", operation_id="updateSource", summary="Correct a source")
    async def update_source(
        self,
        state: State,
        principal: Who,
        source_id: FromPath[str],
        data: JSONBody[c.SourcePatch],
        if_match: IfMatch = None,
    ) -> Response[c.Written]:
        """Only the fields given change."""
        return written(
            await write(state, reference.update_source, principal, source_id, data, if_match)
        )

    @delete(
        "/{source_id:str}",
        operation_id="deleteSource",
        summary="Delete an unused source",
        status_code=200,
    )
    async def delete_source(
        self, state: State, principal: Who, source_id: FromPath[str], if_match: IfMatch = None
    ) -> c.Written:
        """409 while facts cite it."""
        return await write(state, reference.delete_source, principal, source_id, if_match)
